"""Helpers for the browser tests of the built book: a real headless Chromium driven by Playwright.

Used by ``tests/test_book_build.py``; not a test module itself. Chromium is Debian's
``/usr/bin/chromium`` (``.ci/run`` installs it); Playwright's own browser download is never used.
Without Chromium the browser tests are skipped with a message, except when the environment
variable ``CI`` is set: there a missing browser is a failure.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 30_000  # for any single page load or wait


def find_chromium() -> Path | None:
    """Debian's Chromium, or a ``chromium`` on the PATH; None if there is none."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def skip_or_fail(reason: str) -> None:
    """Skip the calling test with ``reason``, or fail it when running in CI (``CI`` set)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests must run; .ci/run installs chromium)")
    pytest.skip(f"browser tests skipped: {reason}")


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files from one folder, logs nothing, and gives up on a client silent for 10 s."""

    timeout = 10

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class LoopbackServer:
    """An HTTP server for one folder on 127.0.0.1 (a free port), in a daemon thread.

    Use as a context manager; leaving it stops the server and closes its socket. Only
    loopback is bound, so nothing outside this machine can reach it.
    """

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def is_local(url: str, origin: str) -> bool:
    """A request that stays in the book: a file, data/blob/about URL, or the loopback server."""
    scheme = urlsplit(url).scheme
    if scheme in ("file", "data", "blob", "about"):
        return True
    return url.startswith(origin)


@dataclass
class PageVisit:
    """What the browser saw on one page: asked for at ``url``, shown at ``landed``.

    ``errors`` gathers console messages of type error, uncaught exceptions and failed or
    refused requests; ``outside`` the requests that would have left the book (they are
    aborted before they leave).
    """

    url: str
    landed: str = ""
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    math_sources: int = 0
    mathjax_loaded: bool = False
    math_typeset: int = 0
    math_errors: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    header: str = ""
    h1: str = ""
    sidebar: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)


# Runs in the page once it has loaded: waits for MathJax's first typesetting and for every image,
# then reports what the page shows.
INSPECT_PAGE = """async () => {
  const mj = window.MathJax;
  const loaded = !!(mj && mj.startup && mj.startup.promise);
  if (loaded) { await mj.startup.promise; }
  await Promise.all(Array.from(document.images).map(i => i.complete ? null : i.decode().catch(() => null)));
  const h1 = document.querySelector('main h1, article h1, h1');
  let title = '';
  if (h1) { const c = h1.cloneNode(true); c.querySelectorAll('.headerlink').forEach(e => e.remove()); title = c.textContent.trim(); }
  const header = document.querySelector('.bd-header-article');
  // A TeX error becomes an merror node (with data-mjx-error); an undefined macro is shown in red.
  const bad = Array.from(document.querySelectorAll('mjx-container')).filter(
    c => c.querySelector('mjx-merror, [data-mjx-error], [style*="color: red"]'));
  const describe = c => { const e = c.querySelector('[data-mjx-error]'); const m = c.querySelector('mjx-assistive-mml');
                          return ((e && e.getAttribute('data-mjx-error')) || (m && m.textContent) || c.outerHTML).slice(0, 200); };
  return {
    mathjax_loaded: loaded,
    math_sources: document.querySelectorAll('.math').length,
    math_typeset: document.querySelectorAll('mjx-container').length,
    math_errors: bad.map(describe),
    images: Array.from(document.images).map(i => ({src: i.currentSrc || i.src, alt: i.getAttribute('alt') || '',
                                                 width: i.naturalWidth, complete: i.complete})),
    header: header ? header.innerText.replace(/\\s+/g, ' ').trim() : '',
    h1: title,
    sidebar: Array.from(document.querySelectorAll('nav.bd-docs-nav a.reference.internal')).map(a => a.href.split('#')[0]),
    downloads: Array.from(document.querySelectorAll('.dropdown-download-buttons a')).map(a => a.href)
                    .filter(h => h.endsWith('.ipynb')),
  };
}"""


class BrowserSession:
    """One browser context whose every request is logged and vetted, and the visits made in it."""

    def __init__(self, browser, origin: str, *, viewport: dict | None = None):
        self.origin = origin
        self.context = browser.new_context(accept_downloads=True, viewport=viewport or {"width": 1280, "height": 900})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.current: PageVisit | None = None
        self.downloads: list = []
        self.context.route("**/*", self._vet)
        self.context.on("page", self._watch)
        self.page = self.context.new_page()

    def _vet(self, route) -> None:
        url = route.request.url
        if is_local(url, self.origin):
            route.continue_()
        else:
            self._outside(url)
            route.abort("blockedbyclient")

    def _outside(self, url: str) -> None:
        if self.current is not None and url not in self.current.outside:
            self.current.outside.append(url)

    def _watch(self, page) -> None:
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)
        page.on("requestfailed", self._on_requestfailed)
        page.on("response", self._on_response)
        page.on("download", self._on_download)

    def _record(self, attribute: str, value: str) -> None:
        if self.current is not None:
            getattr(self.current, attribute).append(value)

    def _on_request(self, request) -> None:
        self._record("requests", request.url)
        if not is_local(request.url, self.origin):
            self._outside(request.url)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self._record("errors", f"console: {message.text}")

    def _on_pageerror(self, error) -> None:
        self._record("errors", f"uncaught: {error}")

    def _on_requestfailed(self, request) -> None:
        # net::ERR_ABORTED: the browser itself cancelled the request (leaving the page before, say, the
        # favicon arrived); a missing file shows up as an HTTP 404 or net::ERR_FILE_NOT_FOUND instead.
        if is_local(request.url, self.origin) and "ERR_ABORTED" not in (request.failure or ""):
            self._record("errors", f"request failed: {request.url} ({request.failure})")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self._record("errors", f"HTTP {response.status}: {response.url}")

    def _on_download(self, download) -> None:
        self.downloads.append(download)

    def inspect(self, visit: PageVisit) -> PageVisit:
        """Fill ``visit`` from the page now shown (waits for math and images)."""
        for key, value in self.page.evaluate(INSPECT_PAGE).items():
            setattr(visit, key, value)
        visit.landed = self.page.url
        return visit

    def visit(self, url: str, *, redirects_to: str | None = None) -> PageVisit:
        """Load ``url`` in the session's tab and report what it shows (after the redirect, if one is expected)."""
        self.current = PageVisit(url=url)
        self.page.goto(url, wait_until="load")
        if redirects_to is not None:
            self.page.wait_for_url(redirects_to, wait_until="load")
        return self.inspect(self.current)

    def follow(self, link_href: str) -> PageVisit:
        """Click the sidebar link to ``link_href`` on the page now shown, and report the page it opens."""
        links = self.page.locator("nav.bd-docs-nav a.reference.internal")
        hrefs = links.evaluate_all("links => links.map(a => a.href.split('#')[0])")
        self.current = PageVisit(url=link_href)
        with self.page.expect_navigation(wait_until="load"):
            links.nth(hrefs.index(link_href)).click()
        return self.inspect(self.current)

    def click_notebook_download(self) -> tuple[str, str]:
        """Open the page's download menu and click ".ipynb"; return how the notebook arrived and its text.

        Depending on the MIME type the server gives ``.ipynb``, the browser saves it (a download,
        whose file name is returned) or shows it in the new tab (whose URL is returned).
        """
        self.downloads.clear()
        self.page.click(".dropdown-download-buttons button")
        with self.context.expect_page() as opened:
            self.page.click(".dropdown-download-buttons a[href$='.ipynb']")
        tab = opened.value
        for _ in range(100):  # a download closes the new tab at once; a shown notebook loads in it
            if self.downloads or (not tab.is_closed() and tab.url.endswith(".ipynb")):
                break
            self.page.wait_for_timeout(50)
        if self.downloads:
            download = self.downloads[0]
            arrived, text = download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")
        else:
            tab.wait_for_load_state()
            arrived, text = tab.url, tab.inner_text("body")
        if not tab.is_closed():
            tab.close()
        return arrived, text

    def screenshots(self, folder: Path, stem: str) -> list[Path]:
        """Save the page now shown as ``<stem>.png`` (as it is) and ``<stem>-phone.png`` (390 px wide)."""
        folder.mkdir(parents=True, exist_ok=True)
        desktop, phone = folder / f"{stem}.png", folder / f"{stem}-phone.png"
        self.page.screenshot(path=str(desktop))
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": 390, "height": 844})
        self.page.screenshot(path=str(phone))
        self.page.set_viewport_size(size)
        return [desktop, phone]

    def close(self) -> None:
        self.current = None
        self.context.close()
