"""The shared browser-test harness: serve a built site under a sub-path, drive it in headless Chromium.

GitHub Pages serves a project site under ``/<repo>/``; every browser test serves the built ``site/``
the same way, under ``/paperarchive/`` on 127.0.0.1 (an ephemeral port), so that a link that forgets
the sub-path breaks here as it would in production.

    with serve_site(site_dir) as base:            # base == "http://127.0.0.1:PORT/paperarchive/"
        with chromium() as browser:
            with open_tab(browser, base) as tab:  # records dialogs and page errors
                tab.goto(base)
                assert tab.dialogs == []

Tests install nothing: they use Debian's /usr/bin/chromium through Playwright for Python.
``require_browser()`` skips a test when either is missing on a developer's machine, and fails it
under CI (env ``CI=true``), where ``.ci/run`` installs them.
"""

from __future__ import annotations

import contextlib
import http.server
import mimetypes
import os
import posixpath
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PREFIX = "/paperarchive/"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# Types a static host must send right: browsers refuse to run module scripts served with the wrong type.
MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".txt": "text/plain; charset=utf-8",
    ".bib": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
}


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_browser() -> None:
    """Skip (locally) or fail (under CI=true) when headless Chromium or Playwright is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian package chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright for Python (pip install -e '.[test]')")
    if not missing:
        return
    reason = "browser tests need " + " and ".join(missing)
    if running_in_ci():
        pytest.fail(f"{reason}; under CI .ci/run must have installed them", pytrace=False)
    pytest.skip(reason)


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in MIME_TYPES:
        return MIME_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    """Serve files of ``root`` under ``prefix``, as GitHub Pages serves a project site.

    Outside the prefix: a bare 404. Under it: a folder answers with its index.html (a folder URL
    without its slash redirects to the slash), a missing file answers 404 with the site's own
    404.html when there is one, as GitHub Pages does.
    """

    root: Path
    prefix: str
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass

    def do_HEAD(self):
        self._answer(send_body=False)

    def do_GET(self):
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path + "/" == self.prefix:
            return self._redirect(self.prefix)
        if not path.startswith(self.prefix):
            return self._send(404, b"404: outside " + self.prefix.encode(), "text/plain; charset=utf-8", send_body)
        target = self._resolve(path[len(self.prefix):])
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            target = target / "index.html"
        if target is None or not target.is_file():
            page = self.root / "404.html"
            body = page.read_bytes() if page.is_file() else b"404: not found"
            kind = "text/html; charset=utf-8" if page.is_file() else "text/plain; charset=utf-8"
            return self._send(404, body, kind, send_body)
        self._send(200, target.read_bytes(), content_type(target), send_body)

    def _resolve(self, relative: str) -> Path | None:
        """The file a URL path names, or None when it would leave the served folder."""
        parts = [p for p in posixpath.normpath("/" + relative).split("/") if p]
        if any(p in {"..", "."} for p in parts):
            return None
        target = self.root.joinpath(*parts)
        try:
            target.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None
        return target

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: bytes, kind: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        # LinkChecker's opt-in: a server sending this header may be crawled faster than 10 requests/s.
        self.send_header("LinkChecker", "allow")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a browser closing a connection mid-transfer is not a test failure


@contextlib.contextmanager
def serve_site(root: Path, prefix: str = PREFIX) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (ephemeral port) under ``prefix``; yield the base URL (ends in /)."""
    if not prefix.startswith("/") or not prefix.endswith("/"):
        raise ValueError(f"prefix must start and end with '/': {prefix!r}")
    handler = type("SiteHandler", (_SiteHandler,), {"root": Path(root), "prefix": prefix})
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {root}", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def chromium():
    """Launch Debian's headless Chromium through Playwright; yield the Browser."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A page, and what it did that a test must see: dialogs opened (script ran) and uncaught errors."""

    page: object  # playwright.sync_api.Page
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, url: str):
        return self.page.goto(url, wait_until="load")


@contextlib.contextmanager
def open_tab(browser, base_url: str | None = None) -> Iterator[Tab]:
    """A fresh context and page that records (and dismisses) every dialog and every page error.

    Only the local server is reachable: any request to another host is aborted, so a test can
    never depend on the network.
    """
    context = browser.new_context(base_url=base_url, service_workers="block")
    context.set_default_timeout(10_000)
    context.route(_not_local, lambda route: route.abort())
    page = context.new_page()
    tab = Tab(page=page)

    def on_dialog(dialog):
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()


def _not_local(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return url.startswith(("http:", "https:", "ws:", "wss:")) and host not in {"127.0.0.1", "localhost"}
