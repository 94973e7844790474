"""What the rendering relies on in MkDocs beyond its documented plugin API, and the version it was checked against.

Rendering uses MkDocs' public build (``mkdocs.commands.build.build``) and plugin events only. Four
behaviours of MkDocs' source are relied upon; each is listed in ``RELIED_ON`` with a digest of the source
it was read from. ``tests/test_render.py`` fails, naming what to re-audit, when one of them changes; on
any MkDocs version but ``MKDOCS_VERSION`` the build renders on one core with MkDocs' own build and the
plugin's shortcuts are off (``supported()``), so an unchecked version can only be slower, never wrong.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect

MKDOCS_VERSION = "1.6.1"

# qualified name -> (sha256 of its source, first 16 hex digits; what we rely on there)
RELIED_ON: dict[str, tuple[str, str]] = {
    "mkdocs.commands.build.build": (
        "c476b64474acfaa2",
        (
            "order of the steps: site_dir emptied before on_files; on_env, then static files, theme and extra "
            "templates, then the page loop over files.documentation_pages() taken after on_env, then anchor "
            "checks over the same pages and on_post_build; on_build_error on any Exception (parallel.py: "
            "workers fork at on_env, where each process removes the other processes' pages from files, skip "
            "the static steps, end at on_post_build; site.py writes the side files into site_dir after on_files)"
        ),
    ),
    "mkdocs.commands.build.get_context": (
        "4b4bf8a076edc4a6",
        (
            "a page's template context takes the page list it is given as 'pages' and nothing else from "
            "files (parallel.py: each process's files hold only its own pages while it renders them; the "
            "theme's templates do not read 'pages', which the byte-for-byte comparison with a plain "
            "mkdocs build in tests/test_render.py checks)"
        ),
    ),
    "mkdocs.structure.pages.Page.render": (
        "320529348f7a8af1",
        (
            "what render() sets for an empty Markdown text: content, toc, present_anchor_ids, links_to_anchors; "
            "the title it extracts is None as Page.__init__ sets it (plugin.py: render_empty stands in for it)"
        ),
    ),
    "mkdocs.structure.files.get_files": (
        "8d8cc69e4d7dc5be",
        "the order files are found in (plugin.py: walk_order gives in-memory pages the same order)",
    ),
}


def supported() -> bool:
    """True when the installed MkDocs is the version this package was checked against."""
    import mkdocs

    return mkdocs.__version__ == MKDOCS_VERSION


def source_digest(qualified_name: str) -> str:
    """The first 16 hex digits of the sha256 of an object's source (``module.attribute...``)."""
    obj = _resolve(qualified_name)
    return hashlib.sha256(inspect.getsource(obj).encode("utf-8")).hexdigest()[:16]


def changed() -> dict[str, str]:
    """The relied-on sources whose digest differs from the one recorded: name -> what to re-audit."""
    return {name: why for name, (digest, why) in RELIED_ON.items() if source_digest(name) != digest}


def _resolve(qualified_name: str):
    parts = qualified_name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(qualified_name)


__all__ = ["MKDOCS_VERSION", "RELIED_ON", "changed", "supported"]
