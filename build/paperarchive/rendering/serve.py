"""The live-reload preview server (MkDocs')."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path


def serve_folder(folder: Path, builder: Callable[[], None], watched: Iterable[Path], dev_addr: str,
                 site_url: str | None) -> None:
    """Serve ``folder`` at ``dev_addr`` under site_url's path; any change to ``watched`` runs ``builder``."""
    from urllib.parse import urlsplit

    from mkdocs.livereload import LiveReloadServer

    host, _, port = dev_addr.rpartition(":")
    mount_path = urlsplit(site_url or "/").path or "/"
    server = LiveReloadServer(builder=builder, host=host or "127.0.0.1", port=int(port), root=str(folder),
                              mount_path=mount_path)
    for path in watched:
        if path.exists():
            server.watch(str(path))
    print(f"paperarchive serve: http://{host or '127.0.0.1'}:{port}{mount_path}", file=sys.stderr)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


__all__ = ["serve_folder"]
