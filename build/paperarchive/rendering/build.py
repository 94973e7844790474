"""``render``: MkDocs' public build of a loaded config, its page loop shared by ``jobs`` processes."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from . import audit
from .config import archive_plugin_of
from .parallel import PARALLEL_SAFE_PLUGINS, OnPage, PageShares

# Material's own search (its worker and lunr's language files) is off; nothing loads these.
UNUSED_THEME_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")
_warned_version = False


class RenderingFailed(Exception):
    """MkDocs failed: one line (``MkDocs: ...``)."""


def render(mkdocs_config, pages: Mapping[str, str | bytes] | None = None, *, jobs: int = 1,
           on_page: OnPage | None = None, site_dir_ready: Callable[[], None] | None = None,
           err: TextIO | None = None) -> None:
    """``mkdocs build`` of ``mkdocs_config`` with ``pages`` (docs path -> content) in memory, rendered by
    ``jobs`` processes (processes.process_count()). MkDocs empties its site_dir first; then it calls
    ``site_dir_ready()`` (from on_files), after which other files may be written there."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    plugin = archive_plugin_of(mkdocs_config)
    if not audit.supported():
        _warn_version_once(err or sys.stderr)
        jobs = 1
    if not PARALLEL_SAFE_PLUGINS.issuperset(mkdocs_config.plugins):
        jobs = 1
    shares = PageShares(jobs, on_page)
    plugin.pages, plugin.shares, plugin.site_dir_ready = pages, shares, site_dir_ready
    try:
        mkdocs_build(mkdocs_config)
        shares.finish()  # a worker never comes back here (it ends at on_post_build); for safety
    except BaseException as exc:
        shares.failed(exc)  # a worker ends here; the parent stops its workers
        if isinstance(exc, MkDocsException):
            raise RenderingFailed(f"MkDocs: {exc}") from None
        if isinstance(exc, Exception):  # a template error, a bad file: still one clear line
            raise RenderingFailed(f"MkDocs: {type(exc).__name__}: {exc}") from exc
        raise
    finally:
        plugin.pages = plugin.shares = plugin.site_dir_ready = None


def _warn_version_once(err: TextIO) -> None:
    global _warned_version
    import mkdocs

    if not _warned_version:
        _warned_version = True
        print(f"paperarchive: warning: MkDocs {mkdocs.__version__} is installed, the rendering was checked against "
              f"{audit.MKDOCS_VERSION} (build/paperarchive/rendering/audit.py): rendering on one core with MkDocs' "
              "own build", file=err)


def drop_unused_theme_files(site_dir: Path) -> None:
    for rel in UNUSED_THEME_FILES:
        shutil.rmtree(site_dir / rel, ignore_errors=True)
    for source_map in (site_dir / "assets").rglob("*.map"):
        source_map.unlink()


__all__ = ["RenderingFailed", "drop_unused_theme_files", "render"]
