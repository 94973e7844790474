"""Loading mkdocs.yml, and the archive's plugin in it."""

from __future__ import annotations

from pathlib import Path


class ConfigFailed(Exception):
    """mkdocs.yml cannot be loaded: ``FILE: message``."""


def load_config(config: Path, docs_dir: Path | None, site_dir: Path | None, strict: bool):
    """The loaded MkDocsConfig of ``config``, with these folders (None: as mkdocs.yml says) and ``strict``."""
    from mkdocs.config import load_config as mkdocs_load_config
    from mkdocs.exceptions import MkDocsException

    overrides: dict = {"strict": strict}
    try:
        if docs_dir is not None:
            Path(docs_dir).mkdir(parents=True, exist_ok=True)
            overrides["docs_dir"] = str(Path(docs_dir).resolve())
        else:
            # docs_dir is generated: MkDocs refuses a config whose docs_dir does not exist yet
            configured_docs_dir(config).mkdir(parents=True, exist_ok=True)
        if site_dir is not None:
            overrides["site_dir"] = str(Path(site_dir).resolve())
        return mkdocs_load_config(config_file=str(config), **overrides)
    except (MkDocsException, OSError) as exc:
        raise ConfigFailed(f"{config}: {exc}") from None


def configured_docs_dir(config: Path) -> Path:
    """mkdocs.yml's docs_dir (default ``docs``), relative to the config file."""
    import yaml

    class _Loader(yaml.SafeLoader):  # mkdocs.yml may use !ENV and other tags: read docs_dir only
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(Path(config).read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigFailed(f"{config}: {exc}") from None
    return Path(config).resolve().parent / str(data.get("docs_dir") or "docs")


def archive_plugin_of(mkdocs_config):
    """The config's paperarchive plugin (mkdocs.yml lists it); added when a config does not."""
    from .plugin import ArchivePlugin

    plugin = mkdocs_config.plugins.get("paperarchive")
    if not isinstance(plugin, ArchivePlugin):
        plugin = mkdocs_config.plugins["paperarchive"] = ArchivePlugin()
    return plugin


__all__ = ["ConfigFailed", "archive_plugin_of", "configured_docs_dir", "load_config"]
