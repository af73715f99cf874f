"""Helpers for the browser tests of the built book: a real headless Chromium driven by Playwright.

Used by ``tests/book/test_book_build.py``; not a test module itself. Chromium is Debian's
``/usr/bin/chromium`` (``.ci/run`` installs it); Playwright's own browser download is never used.
Without Chromium the browser tests are skipped with a message, except when the environment
variable ``CI`` is set: there a missing browser is a failure.

Accessibility checks run here too: the axe-core scan (:func:`axe_violations`, axe-core as bundled by
the PyPI package ``axe-playwright-python``, injected into the page, so nothing is fetched), the
keyboard walk (:meth:`BrowserSession.tab_walk`), the overflow check (:data:`OVERFLOW_CHECK`) and the
assistive-MathML count of :data:`INSPECT_PAGE`.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def launch_chromium() -> Iterator:
    """A headless Chromium (Playwright's ``Browser``) for a test module's fixture; skips or fails without one."""
    chromium = find_chromium()
    if chromium is None:
        skip_or_fail("no Chromium at /usr/bin/chromium or on the PATH (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the Python package playwright is not installed (it is in requirements.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


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


# --------------------------------------------------------------------------- accessibility: axe-core

#: The rules the book is tested against: every axe-core rule for WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: axe-core rules switched off, each with the reason. None: every rule of AXE_TAGS runs.
AXE_DISABLED_RULES: dict[str, str] = {}


@functools.cache
def axe_source() -> str:
    """The text of ``axe.min.js`` (axe-core, MPL-2.0) as bundled by ``axe-playwright-python`` (MIT).

    Read from the installed package and injected into the page under test: nothing is fetched,
    and no copy of it lives in the book's sources.
    """
    from importlib.resources import files

    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class AxeViolation:
    """One element that fails one axe-core rule on one page."""

    page: str
    rule: str
    impact: str
    help: str
    target: str
    html: str
    summary: str

    def __str__(self) -> str:
        return f"{self.page}: {self.rule} ({self.impact}: {self.help}) at {self.target}\n    {self.html}\n    {self.summary}"


# Runs axe-core on the whole page, after one change for speed. Code cells have one <span> per
# syntax token, thousands per chapter, and axe's colour-contrast check costs tens of milliseconds
# per element (a chapter took minutes; excluding them through axe's context is slower still). So a
# span of code whose class, colour, font and background equal those of an earlier one is replaced
# by its text first: every combination of colours shown in code is still checked, on its first
# span. The page is changed: load it again before looking at it otherwise.
AXE_RUN = """async ([tags, disabled]) => {
  const seen = new Set();
  document.querySelectorAll('pre span').forEach(span => {
    if (span.children.length) return;
    const s = getComputedStyle(span);
    let bg = s.backgroundColor;
    for (let a = span; a && bg === 'rgba(0, 0, 0, 0)'; a = a.parentElement) bg = getComputedStyle(a).backgroundColor;
    const key = [span.className, s.color, bg, s.fontSize, s.fontWeight, s.fontStyle, s.opacity].join('|');
    if (seen.has(key)) span.replaceWith(span.textContent); else seen.add(key);
  });
  const rules = Object.fromEntries(disabled.map(id => [id, {enabled: false}]));
  // preload: false. axe's CSSOM preload re-fetches every stylesheet and resolves the theme's
  // `@import "../basic.css"` against the page instead of the stylesheet: a 404 on /basic.css and a console
  // error on every page at the book's root. Only css-orientation-lock (WCAG 1.3.4) needs the CSSOM, and the
  // book's CSS has no orientation media query (tests/book/test_book_build.py checks _static/ for one).
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules, resultTypes: ['violations'],
                                          preload: false});
  return result.violations.flatMap(v => v.nodes.map(n => ({
    rule: v.id, impact: v.impact || '', help: v.help, target: n.target.map(String).join(' '),
    html: n.html.replace(/\\s+/g, ' ').slice(0, 240), summary: (n.failureSummary || '').replace(/\\s+/g, ' ')})));
}"""


def axe_violations(page, name: str, *, tags=AXE_TAGS, disabled=AXE_DISABLED_RULES) -> list[AxeViolation]:
    """Run axe-core on the page now shown in ``page`` (a Playwright Page); one entry per failing element.

    ``name`` is the page's name used in the report. Call it once the page has settled (MathJax
    typeset, images decoded: :meth:`BrowserSession.inspect` waits for both).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found = page.evaluate(AXE_RUN, [list(tags), sorted(disabled)])
    return [AxeViolation(page=name, **v) for v in found]


def describe_violations(violations: list[AxeViolation]) -> str:
    """A failure message: a count per rule, then every element with its page, rule and reason."""
    counts: dict[str, int] = {}
    for v in violations:
        counts[v.rule] = counts.get(v.rule, 0) + 1
    head = ", ".join(f"{rule} x{n}" for rule, n in sorted(counts.items()))
    return f"{len(violations)} accessibility violation(s): {head}\n" + "\n".join(map(str, violations))


# --------------------------------------------------------------------------- accessibility: keyboard

# Marks every element a keyboard user must be able to reach (visible links with an href, buttons,
# summaries of dropdowns, form fields, anything with tabindex >= 0) with data-kb="<n>"; returns how
# each one describes itself. Hidden ones (display: none, visibility: hidden, zero size, inside a
# closed <details>, inert or aria-hidden) are not expected to be reachable.
KEYBOARD_TARGETS = """() => {
  const selector = 'a[href], button, summary, input, select, textarea, [tabindex]';
  const hidden = el => {
    if (el.closest('[inert], [aria-hidden="true"]')) return true;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return true;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return true;
    const details = el.parentElement && el.parentElement.closest('details:not([open])');
    if (details && !(el.tagName === 'SUMMARY' && el.parentElement === details)) return true;
    return !el.checkVisibility({checkOpacity: false, checkVisibilityCSS: true});
  };
  const targets = [];
  document.querySelectorAll(selector).forEach(el => {
    if (el.disabled || el.tabIndex < 0 || hidden(el)) return;
    el.dataset.kb = String(targets.length);
    targets.push((el.tagName.toLowerCase() + ' ' + (el.getAttribute('href') || el.getAttribute('aria-label')
                  || el.textContent.replace(/\\s+/g, ' ').trim()).slice(0, 80)));
  });
  return targets;
}"""

# The element that has the keyboard focus now: its data-kb mark and whether the focus is drawn
# (an outline or a box-shadow ring, as :focus-visible styles do; or a change of background).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  return {kb: el.dataset.kb === undefined ? null : Number(el.dataset.kb), visible: outline || ring,
          focus_visible: el.matches(':focus-visible'),
          what: (el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '') + ' ' + (el.getAttribute('href') || el.getAttribute('aria-label') || el.textContent.replace(/\\s+/g, ' ').trim()).slice(0, 80))};
}"""


@dataclass
class TabWalk:
    """What tabbing through a page reached: ``targets`` (every element that must be reachable),
    the marks ``reached`` in tab order, and the elements focused without a visible focus style."""

    targets: list[str]
    reached: list[int]
    invisible_focus: list[str]
    outside_targets: list[str]

    @property
    def unreached(self) -> list[str]:
        seen = set(self.reached)
        return [t for i, t in enumerate(self.targets) if i not in seen]


# --------------------------------------------------------------------------- accessibility: layout

# Elements of the article wider than the article's content box, except inside a container that
# scrolls sideways (overflow-x auto or scroll): what a reader would see cut off at the edge. Each
# is reported with the nearest clipping ancestor (overflow hidden/clip) if there is one.
OVERFLOW_CHECK = """() => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main');
  const box = article.getBoundingClientRect();
  const style = getComputedStyle(article);
  const left = box.left + parseFloat(style.paddingLeft) - 1, right = box.right - parseFloat(style.paddingRight) + 1;
  const scrolls = el => { for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  const describe = el => { const id = el.id ? '#' + el.id : ''; const cls = el.classList.length ? '.' + Array.from(el.classList).slice(0, 3).join('.') : '';
      return el.tagName.toLowerCase() + id + cls; };
  const out = [];
  article.querySelectorAll('*').forEach(el => {
    if (el.closest('mjx-assistive-mml')) return;  // the screen readers' copy of a formula, 1 px wide
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    if (r.right <= right && r.left >= left) return;
    if (scrolls(el) || getComputedStyle(el).visibility === 'hidden') return;  // hidden: e.g. a "#" link until hovered
    const parent = el.parentElement;
    if (parent && parent !== article) { const p = parent.getBoundingClientRect();
      if ((p.right > right || p.left < left) && !scrolls(parent)) return; }  // report only the outermost
    out.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px, the article ${Math.round(left)}..${Math.round(right)} px: ` +
             el.textContent.replace(/\\s+/g, ' ').trim().slice(0, 60));
  });
  return out;
}"""


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
    math_without_mml: list[str] = field(default_factory=list)
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
    // What a screen reader reads: MathJax's hidden MathML copy of each formula (mjx-assistive-mml).
    math_without_mml: Array.from(document.querySelectorAll('mjx-container')).filter(
      c => !c.querySelector(':scope > mjx-assistive-mml > math')).map(c => c.textContent.slice(0, 80) || c.outerHTML.slice(0, 120)),
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

    def __init__(self, browser, origin: str, *, viewport: dict | None = None, color_scheme: str = "light"):
        """``color_scheme``: what the browser tells the page the reader prefers ("light" or "dark");
        the book follows it (``default_mode: auto`` in ``_config.yml``)."""
        self.origin = origin
        self.context = browser.new_context(accept_downloads=True, viewport=viewport or {"width": 1280, "height": 900},
                                           color_scheme=color_scheme)
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

    def overflowing(self, width: int) -> list[str]:
        """What of the article sticks out of its content box at ``width`` px (see OVERFLOW_CHECK)."""
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": width, "height": size["height"]})
        self.page.wait_for_timeout(400)  # the theme's debounced resize handlers
        try:
            return self.page.evaluate(OVERFLOW_CHECK)
        finally:
            self.page.set_viewport_size(size)

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

    def tab_walk(self, *, spare: int = 40) -> TabWalk:
        """Press Tab from the top of the page until the focus comes round again; report what it reached."""
        targets = self.page.evaluate(KEYBOARD_TARGETS)
        self.page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0); }")
        walk = TabWalk(targets=targets, reached=[], invisible_focus=[], outside_targets=[])
        first = None
        for _ in range(len(targets) + spare):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(FOCUSED)
            if focused is None:
                continue
            key = focused["kb"] if focused["kb"] is not None else focused["what"]
            if key == first:
                break  # round once
            first = key if first is None else first
            if focused["kb"] is None:
                walk.outside_targets.append(focused["what"])
            else:
                walk.reached.append(focused["kb"])
            if not (focused["visible"] and focused["focus_visible"]):
                walk.invisible_focus.append(focused["what"])
        return walk

    def close(self) -> None:
        self.current = None
        self.context.close()
