"""Everything the archive does with MkDocs: the only package that imports it.

* ``config.py``: loading mkdocs.yml (``load_config``) and finding the archive's plugin in it;
* ``plugin.py``: the ``paperarchive`` MkDocs plugin (pages in memory, raw-HTML pages, whitespace);
* ``parallel.py``: MkDocs' own page loop shared by several processes, from the plugin's events;
* ``build.py``: ``render`` (MkDocs' public build of a loaded config, on ``jobs`` processes);
* ``serve.py``: the live-reload preview server;
* ``audit.py``: the MkDocs version this was checked against, and what in MkDocs' source it relies on.
"""

from __future__ import annotations

from .build import RenderingFailed, drop_unused_theme_files, render
from .config import ConfigFailed, configured_docs_dir, load_config
from .serve import serve_folder

__all__ = ["ConfigFailed", "RenderingFailed", "configured_docs_dir", "drop_unused_theme_files", "load_config", "render",
           "serve_folder"]
