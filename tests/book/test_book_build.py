"""The built book: it builds warning-free, its links resolve, it shows what the notebooks compute,
and it works in a real browser.

The book is built once per test run, cold, into a temporary folder (fixture ``built_book`` in
``conftest.py``): as on a reader's fresh machine, so no cached result can hide a warning. The build
executes every chapter, so it is also a second, independent execution of every notebook (nbval is
the first), under another simulated machine (``kernel_env.other_machine_env()``). Every test that
needs the built book lives in this module (see ``conftest.py``).

Sections: the HTML files; links and anchors; reproducibility; the pages in headless Chromium.
"""

from __future__ import annotations

import configparser
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
import yaml
from book_browser import (
    AXE_TAGS,
    AxeViolation,
    BrowserSession,
    LoopbackServer,
    PageVisit,
    axe_violations,
    describe_violations,
    launch_chromium,
    skip_or_fail,
)
from conftest import ROOT, chapter_notebooks, toc_files
from nbval_portable import GLUED_PNG, figures_match, unmatched_pixels

from booktools import links as check_links

BOOK_TITLE = yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
TOC_PAGES = [f"{entry}.html" for entry in toc_files()]
# Every page of the built book: the first page's redirect, the table of contents, the generated index
# and the search page (test_every_page_of_the_book_is_checked keeps this list complete).
BOOK_PAGES = ["index.html", *TOC_PAGES, "genindex.html", "search.html"]
NOTEBOOK_PAGES = [f"{entry}.html" for entry in toc_files() if (ROOT / entry).with_suffix(".ipynb").is_file()]
# The page photographed for people to look at (the first chapter after the introduction), and where;
# the page whose ".ipynb" download link is clicked.
SCREENSHOT_PAGE = next((p for p in TOC_PAGES[1:] if p.startswith("chapters/")), TOC_PAGES[0])
DOWNLOAD_PAGE = NOTEBOOK_PAGES[-1] if NOTEBOOK_PAGES else None
SCREENSHOTS = ROOT / "_build" / "screenshots"


@pytest.fixture(scope="module")
def html(built_book) -> Path:
    return built_book / "_build" / "html"


def source_text(entry: str) -> str:
    """The markdown of a table-of-contents entry (a .md file or the markdown cells of a notebook)."""
    path = ROOT / entry
    if path.with_suffix(".ipynb").is_file():
        nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
        return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.with_suffix(".md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the HTML files


def test_every_page_of_the_table_of_contents_is_built(html):
    for page in TOC_PAGES:
        assert (html / page).is_file(), page
    assert (html / "index.html").is_file()
    assert (html / "search.html").is_file()


def test_math_is_typeset_from_a_local_mathjax(html):
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert list((html / "_static" / "mathjax").rglob("*.woff")), "MathJax fonts must be shipped too"
    math_pages = 0
    for page in TOC_PAGES:
        soup = check_links.parse(html / page)
        scripts = [s.get("src") for s in soup.find_all("script") if s.get("src")]
        mathjax = [s for s in scripts if "mathjax" in s.lower() or "tex-" in s]
        if soup.select(".math"):
            math_pages += 1
            assert mathjax and all(s.endswith("_static/mathjax/tex-chtml.js") for s in mathjax), (page, mathjax)
    assert math_pages >= 2


def test_no_page_loads_anything_from_the_network(html):
    for page in check_links.html_pages(html):
        soup = check_links.parse(page)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in soup.find_all(tag):
                target = element.get(attr) or ""
                if tag == "link" and "stylesheet" not in (element.get("rel") or []) and element.get("rel") != ["preload"]:
                    continue
                assert not re.match(r"(https?:)?//", target), f"{page.relative_to(html)} loads {target}"


def test_every_image_has_alt_text_and_exists(html):
    for page in TOC_PAGES:
        soup = check_links.parse(html / page)
        for img in soup.find_all("img"):
            assert (img.get("alt") or "").strip(), f"{page}: image without alt text: {img.get('src')}"
            assert ((html / page).parent / img["src"]).resolve().is_file(), img["src"]


def test_every_page_has_the_favicon_and_the_logo(html):
    for page in TOC_PAGES:
        soup = check_links.parse(html / page)
        icon = soup.find("link", rel="icon")
        assert icon is not None, page
        assert ((html / page).parent / icon["href"]).resolve() == html / "_static" / "favicon.png"
        logos = soup.select(".navbar-brand img.logo__image")
        assert logos and all(img["src"].endswith("_static/logo.svg") for img in logos), page
    assert (html / "_static" / "favicon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_notebooks_can_be_downloaded(html):
    for entry in toc_files():
        if (ROOT / entry).with_suffix(".ipynb").is_file():
            assert (html / "_sources" / Path(entry).with_suffix(".ipynb")).is_file(), entry


def test_exercises_and_solutions_are_rendered(html):
    for entry in toc_files():
        if not entry.startswith("chapters/"):
            continue
        text = (html / Path(entry).with_suffix(".html")).read_text(encoding="utf-8")
        assert "exercise" in text and "solution" in text, entry


def test_bibliography_lists_the_syllabus_references(html):
    text = (html / "references.html").read_text(encoding="utf-8")
    for name in ("Hoerl", "Tibshirani", "Zou", "Krogh", "Loshchilov", "Zhang", "Nakkiran", "Friedman"):
        assert name in text, name


def test_glossary_terms_are_linked_from_the_chapters(html):
    """The text links to the glossary ({term}`...`): many of its terms, each to an existing entry."""
    glossary = check_links.parse(html / "glossary.html")
    terms = {dt["id"] for dt in glossary.select("dl.glossary dt[id]")}
    assert len(terms) >= 20
    linked = set()
    for page in TOC_PAGES:
        if page.startswith("chapters/"):
            soup = check_links.parse(html / page)
            linked |= {a["href"].rsplit("#", 1)[-1] for a in soup.select('a[href*="glossary.html#term-"]')}
    assert linked <= terms
    assert len(linked) >= 15, f"only {len(linked)} glossary terms are linked from the chapters"


# --------------------------------------------------------------------------- links and anchors


@pytest.fixture(scope="module")
def link_report(html):
    report = check_links.crawl(html)
    listing = ROOT / "_build" / "external-links.txt"
    listing.parent.mkdir(exist_ok=True)
    listing.write_text("".join(f"{url}  [{', '.join(pages)}]\n" for url, pages in report.external.items()))
    return report


def test_every_local_link_and_anchor_resolves(link_report):
    assert link_report.checked > 100
    assert not link_report.broken, "\n".join(f"{page}: {url} ({why})" for page, url, why in link_report.broken)


def test_external_links_are_listed_not_fetched(link_report):
    """External links are never fetched; _build/external-links.txt lists them for a person to review.

    What can be checked without the network: they are secure web or mail links.
    """
    listing = (ROOT / "_build" / "external-links.txt").read_text().splitlines()
    assert len(listing) == len(link_report.external)
    insecure = [url for url in link_report.external if urlsplit(url).scheme not in ("https", "mailto")]
    assert not insecure, f"external links that are not https: {insecure}"


# --------------------------------------------------------------------------- reproducibility


NBVAL_SKIPPED_MIME = {"image/png", "image/jpeg", "application/vnd.jupyter.widget-view+json"}


def _sanitizers() -> list[tuple[str, str]]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "tests" / "nbval_sanitize.cfg")
    return [(parser[s]["regex"], parser[s]["replace"]) for s in parser.sections()]


def text_outputs(cell, sanitizers) -> list:
    """The outputs of a code cell as nbval compares them, but in order, with addresses masked.

    Consecutive pieces of one stream are joined (the kernel cuts printed text at timing-dependent
    places). Like nbval, every MIME type is kept except ``image/png`` and ``image/jpeg``: glued
    values (``application/papermill.record/text/plain``) are compared as text. Glued figures
    (``application/papermill.record/image/png``) are left out here and compared by
    :func:`glued_figures` with the tolerance nbval uses (``tests/nbval_portable.py``). The glue name
    of a display is kept too.
    """

    def clean(text):
        text = "".join(text) if isinstance(text, list) else text
        for regex, replace in sanitizers:
            text = re.sub(regex, replace, text)
        return text

    result: list = []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind == "stream":
            if result and result[-1][0] == "stream" and result[-1][1] == output["name"]:
                result[-1] = ("stream", output["name"], result[-1][2] + clean(output["text"]))
            else:
                result.append(("stream", output["name"], clean(output["text"])))
        elif kind in ("display_data", "execute_result"):
            data = {mime: clean(value) if isinstance(value, (str, list)) else json.dumps(value, sort_keys=True)
                    for mime, value in output.get("data", {}).items()
                    if mime not in NBVAL_SKIPPED_MIME and mime != GLUED_PNG}
            glue_name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            result.append((kind, glue_name, data))
        else:
            result.append((kind, output.get("ename"), output.get("evalue")))
    return result


def glued_figures(cell) -> list[tuple[str, str]]:
    """The glued figures of a code cell: (glue name, base64 PNG), in order."""
    return [(o.get("metadata", {}).get("scrapbook", {}).get("name"), o["data"][GLUED_PNG])
            for o in cell.get("outputs", []) if GLUED_PNG in o.get("data", {})]


def ignores_output(cell) -> bool:
    """nbval does not compare this cell's outputs (listed with reasons in tests/book/test_nbval_guard.py)."""
    return "nbval-ignore-output" in cell.get("metadata", {}).get("tags", [])


def test_the_output_comparison_covers_glued_numbers_and_sees_one_changed_digit():
    sanitizers = _sanitizers()
    nb = nbformat.read(chapter_notebooks()[-1], as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    before = [text_outputs(c, sanitizers) for c in cells]
    glued = [out for outs in before for out in outs if out[0] == "display_data" and out[1]]
    assert glued and all(any(m.endswith("text/plain") for m in out[2]) for out in glued), "glued values compared"
    for cell in cells:
        stream = next((o for o in cell.outputs if o["output_type"] == "stream" and re.search(r"\d", o["text"])), None)
        if stream:
            i = re.search(r"\d", stream["text"]).start()
            stream["text"] = stream["text"][:i] + ("2" if stream["text"][i] == "1" else "1") + stream["text"][i + 1 :]
            break
    assert [text_outputs(c, sanitizers) for c in cells] != before


def test_every_chapter_with_figures_has_its_figures_compared():
    figures = [f for path in chapter_notebooks() for c in nbformat.read(path, as_version=4).cells
               if c.cell_type == "code" and not ignores_output(c) for f in glued_figures(c)]
    assert len(figures) >= 10


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_the_build_computed_exactly_the_stored_outputs(built_book, path):
    """The build's fresh execution of the chapter printed the stored text outputs, cell by cell.

    nbval executes every chapter in a fresh kernel and compares each cell's outputs with the stored
    ones; the book build executes it again, in another fresh kernel (jupyter-cache keeps those
    outputs), as another machine would (``kernel_env.other_machine_env()``, see ``conftest.py``).
    This test compares the build's outputs with the stored ones, under the same masking as nbval and
    more strictly (order of outputs within a cell included): text exactly, glued figures with the
    tolerance of ``tests/nbval_portable.py``. Cells whose outputs nbval ignores are skipped here too.
    Together: two fresh executions per test run, on two simulated machines, each matching the stored
    outputs.
    """
    from jupyter_cache import get_cache

    cache = get_cache(built_book / "_build" / ".jupyter_cache")
    stored = nbformat.read(path, as_version=4)
    _, executed = cache.merge_match_into_notebook(nbformat.read(path, as_version=4))
    sanitizers = _sanitizers()
    stored_cells = [c for c in stored.cells if c.cell_type == "code"]
    executed_cells = [c for c in executed.cells if c.cell_type == "code"]
    assert len(stored_cells) == len(executed_cells)
    assert any(c.outputs for c in executed_cells), "the cache holds no outputs: the build did not execute"
    for number, (old, new) in enumerate(zip(stored_cells, executed_cells), start=1):
        if ignores_output(old):
            continue
        where = f"code cell {number}: {old.source[:80]}"
        assert text_outputs(new, sanitizers) == text_outputs(old, sanitizers), where
        old_figures, new_figures = glued_figures(old), glued_figures(new)
        assert [name for name, _ in new_figures] == [name for name, _ in old_figures], where
        for (name, old_png), (_, new_png) in zip(old_figures, new_figures):
            assert figures_match(old_png, new_png), (
                f"{where}: glued figure {name} changed ({unmatched_pixels(old_png, new_png)} pixels without a match)")


# --------------------------------------------------------------------------- in the browser


def test_without_a_browser_the_tests_skip_but_fail_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="browser tests skipped: no Chromium"):
        skip_or_fail("no Chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        skip_or_fail("no Chromium")


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def site(html):
    with LoopbackServer(html) as server:
        yield server


@pytest.fixture(scope="module")
def session(browser, site):
    session = BrowserSession(browser, site.url)
    yield session
    session.close()


@dataclass
class Tour:
    """A reader's tour of the book: every page seen, the pages the sidebar did not reach, and what
    clicking ".ipynb" on DOWNLOAD_PAGE gave (how it arrived, its text)."""

    pages: dict[str, PageVisit]
    unreachable: list[str]
    download: tuple[str, str] | None = None
    axe: dict[str, list[AxeViolation]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def tour(session, site) -> Tour:
    """Every page, visited as a reader does: open the book, then click through the sidebar.

    Pages the sidebar fails to reach are loaded directly, so that their other checks still run.
    On the way, one chapter is photographed and its notebook downloaded, and axe-core scans
    every page (last: the scan simplifies the code cells of the page it looks at).
    """
    tour = Tour(pages={}, unreachable=[])

    def look_around(page: str) -> None:
        if page == SCREENSHOT_PAGE:
            session.screenshots(SCREENSHOTS, Path(page).stem)
        if page == DOWNLOAD_PAGE:
            tour.download = session.click_notebook_download()
        tour.axe[page] = axe_violations(session.page, page)

    here = tour.pages["index.html"] = session.visit(site.url + "index.html", redirects_to=site.url + TOC_PAGES[0])
    tour.pages[TOC_PAGES[0]] = here
    look_around(TOC_PAGES[0])
    for page in TOC_PAGES[1:]:
        if site.url + page in here.sidebar:
            here = session.follow(site.url + page)
        else:
            tour.unreachable.append(page)
            here = session.visit(site.url + page)
        tour.pages[page] = here
        look_around(page)
    for page in ("genindex.html", "search.html"):
        tour.pages[page] = session.visit(site.url + page)
        look_around(page)
    return tour


def test_every_page_of_the_book_is_checked(html):
    built = {p.relative_to(html).as_posix() for p in check_links.html_pages(html)}
    assert built == set(BOOK_PAGES)


@pytest.mark.parametrize("page", BOOK_PAGES)
def test_page_shows_no_error_and_loads_nothing_from_outside(tour, site, page):
    visit = tour.pages[page]
    assert not visit.errors, visit.errors
    assert not visit.outside, f"requests that would leave the book: {visit.outside}"
    assert visit.requests and all(url.startswith(site.url) for url in visit.requests)


@pytest.mark.parametrize("page", BOOK_PAGES)
def test_math_is_typeset_without_errors(tour, page):
    visit = tour.pages[page]
    entry = page.removesuffix(".html")
    if entry in toc_files() and re.search(r"\$[^$\n]+\$|\{math\}", source_text(entry)):
        assert visit.math_sources > 0, "the source has math but the page has none"
    if visit.math_sources:
        assert visit.mathjax_loaded, "MathJax did not load"
        assert visit.math_typeset >= visit.math_sources, (visit.math_typeset, visit.math_sources)
    assert not visit.math_errors, visit.math_errors


@pytest.mark.parametrize("page", BOOK_PAGES)
def test_every_image_loads_and_has_alt_text(tour, page):
    for image in tour.pages[page].images:
        assert image["complete"] and image["width"] > 0, f"image did not load: {image['src']}"
        assert image["alt"].strip(), f"image without alt text: {image['src']}"


@pytest.mark.parametrize("page", TOC_PAGES)
def test_header_shows_the_book_and_the_page_title(tour, page):
    visit = tour.pages[page]
    assert visit.h1
    assert BOOK_TITLE in visit.header and visit.h1 in visit.header, (visit.header, visit.h1)


def test_the_sidebar_reaches_every_page(tour, site):
    seen = tour.pages
    assert not tour.unreachable, f"not reachable by clicking in the sidebar: {tour.unreachable}"
    assert seen["index.html"].landed == site.url + TOC_PAGES[0], "index.html leads to the first page"
    for page in TOC_PAGES:
        assert seen[page].landed == site.url + page and seen[page].h1, page
        assert {site.url + p for p in TOC_PAGES} <= set(seen[page].sidebar), page


def test_each_chapter_offers_its_notebook_for_download(tour, session, site):
    assert NOTEBOOK_PAGES
    for page in NOTEBOOK_PAGES:
        source = ROOT / Path(page).with_suffix(".ipynb")
        links = tour.pages[page].downloads
        assert links == [f"{site.url}_sources/{Path(page).with_suffix('.ipynb').as_posix()}"], (page, links)
        response = session.context.request.get(links[0])
        assert response.ok and response.body() == source.read_bytes(), page


def test_clicking_the_download_link_gives_the_notebook(tour, site):
    """Open the download menu and click ".ipynb": the browser saves the notebook or shows it in a new tab."""
    source = ROOT / Path(DOWNLOAD_PAGE).with_suffix(".ipynb")
    arrived, text = tour.download
    assert arrived in (source.name, f"{site.url}_sources/{Path(DOWNLOAD_PAGE).with_suffix('.ipynb').as_posix()}")
    assert json.loads(text) == json.loads(source.read_text(encoding="utf-8"))


def test_search_finds_weight_decay(session, site):
    visit = session.visit(site.url + "search.html?q=weight+decay")
    session.page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && !/Searching/.test(s.textContent); }"
    )
    results = session.page.evaluate(
        "() => Array.from(document.querySelectorAll('#search-results ul.search li a')).map(a => a.href)"
    )
    assert results, session.page.inner_text("#search-results")
    assert any(url.startswith(site.url + "glossary.html") for url in results), results
    assert all(url.split("#")[0].removeprefix(site.url) in BOOK_PAGES for url in results), results
    assert not visit.errors and not visit.outside, (visit.errors, visit.outside)


def test_the_book_opens_from_disk(browser, html):
    """README: open _build/html/index.html in a browser. From file://, with no server."""
    session = BrowserSession(browser, origin=html.as_uri() + "/")
    try:
        visit = session.visit((html / "index.html").as_uri(), redirects_to=(html / TOC_PAGES[0]).as_uri())
    finally:
        session.close()
    assert not visit.errors and not visit.outside, (visit.errors, visit.outside)
    assert all(url.startswith("file://") for url in visit.requests)
    assert visit.math_sources and visit.math_typeset >= visit.math_sources and not visit.math_errors
    assert all(image["width"] > 0 for image in visit.images)


def test_the_browser_checks_can_fail(browser, html, tmp_path):
    """A page with every fault the checks above look for: each one is reported."""
    mathjax = (html / "_static" / "mathjax" / "tex-chtml.js").as_uri()
    page = tmp_path / "faulty.html"
    page.write_text(
        "<html><head><script>window.MathJax = {options: {processHtmlClass: 'math'}}</script>"
        f"<script defer src='{mathjax}'></script></head><body>"
        "<span class='math'>\\(\\frac{1}{2}\\)</span> <span class='math'>\\(x^1^2\\)</span>"
        " <span class='math'>\\(\\undefinedmacro x\\)</span> <span class='math'>\\(a_{b\\)</span>"
        "<img src='missing.png' alt='a missing picture'><img src='https://example.invalid/x.png' alt=''>"
        "<script>console.error('deliberate'); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    session = BrowserSession(browser, origin=tmp_path.as_uri() + "/")
    try:
        visit = session.visit(page.as_uri())
    finally:
        session.close()
    assert any("deliberate" in e for e in visit.errors) and any("undefinedFunction" in e for e in visit.errors)
    assert any("missing.png" in e for e in visit.errors), visit.errors
    assert visit.outside == ["https://example.invalid/x.png"]
    assert visit.math_sources == 4 and visit.math_typeset == 3  # unbalanced braces: not typeset at all
    assert len(visit.math_errors) == 2 and any("Double exponent" in e for e in visit.math_errors)
    broken = [i for i in visit.images if not (i["complete"] and i["width"] > 0)]
    assert len(broken) == 2 and any(not i["alt"] for i in visit.images)


def test_screenshots_of_a_chapter_for_people_to_look_at(tour):
    """The tour photographs one chapter, on a desktop and a phone: _build/screenshots/<chapter>[-phone].png."""
    assert not tour.pages[SCREENSHOT_PAGE].errors
    for name in (f"{Path(SCREENSHOT_PAGE).stem}.png", f"{Path(SCREENSHOT_PAGE).stem}-phone.png"):
        shot = SCREENSHOTS / name
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000, shot


# --------------------------------------------------------------------------- accessibility
# WCAG 2.0 and 2.1, levels A and AA: axe-core on every page in both colour modes, the keyboard,
# figures in dark mode, math for screen readers, nothing cut off at the edge. The student edition's
# pages are scanned in tests/book/test_student_edition.py, where that edition is built.

# The page walked with the keyboard: a chapter with both kinds of dropdown (solutions, hidden code).
KEYBOARD_PAGE = "chapters/02_l2_regularization.html" if "chapters/02_l2_regularization.html" in TOC_PAGES else SCREENSHOT_PAGE
SCANNED_PAGES = [p for p in BOOK_PAGES if p != "index.html"]  # index.html only redirects to TOC_PAGES[0]


@dataclass
class DarkTour:
    """Every page in dark mode: what was seen, the axe-core violations, and each content image's backdrop."""

    pages: dict[str, PageVisit]
    axe: dict[str, list[AxeViolation]]
    backdrops: dict[str, list[dict]]


# For each image of the article: its file, and the colour behind it (the first opaque background of
# it or its ancestors), as the reader sees the page.
IMAGE_BACKDROPS = """() => Array.from(document.querySelectorAll('article img')).map(img => {
  let bg = 'rgba(0, 0, 0, 0)';
  for (let a = img; a && /rgba\\(.*, 0\\)$/.test(bg); a = a.parentElement) bg = getComputedStyle(a).backgroundColor;
  return {src: img.currentSrc || img.src, backdrop: bg, theme: document.documentElement.dataset.theme};
})"""


@pytest.fixture(scope="module")
def dark_tour(browser, site) -> DarkTour:
    """Every page with the reader's system set to dark mode (the book follows it): one chapter is
    photographed, every page scanned by axe-core, every image's backdrop noted."""
    session = BrowserSession(browser, site.url, color_scheme="dark")
    tour = DarkTour(pages={}, axe={}, backdrops={})
    try:
        for page in SCANNED_PAGES:
            tour.pages[page] = session.visit(site.url + page)
            if page == SCREENSHOT_PAGE:
                session.screenshots(SCREENSHOTS, Path(page).stem + "-dark")
            tour.backdrops[page] = session.page.evaluate(IMAGE_BACKDROPS)
            tour.axe[page] = axe_violations(session.page, page)
    finally:
        session.close()
    return tour


@pytest.mark.parametrize("page", SCANNED_PAGES)
def test_no_accessibility_violations_in_light_mode(tour, page):
    """axe-core finds no violation of WCAG 2.0/2.1 A or AA (AXE_TAGS) on the page, as a reader first sees it."""
    violations = tour.axe[page]
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("page", SCANNED_PAGES)
def test_no_accessibility_violations_in_dark_mode(dark_tour, page):
    assert dark_tour.pages[page].h1 or page in ("genindex.html", "search.html")
    violations = dark_tour.axe[page]
    assert not violations, describe_violations(violations)


def _luminance(css_colour: str) -> float:
    r, g, b = (int(float(x)) / 255 for x in re.findall(r"[\d.]+", css_colour)[:3])
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _opaque(path: Path) -> bool:
    from PIL import Image

    with Image.open(path) as image:
        if "A" not in image.getbands() and "transparency" not in image.info:
            return True
        return image.convert("RGBA").getextrema()[3][0] == 255


@pytest.mark.parametrize("page", SCANNED_PAGES)
def test_figures_stay_legible_in_dark_mode(dark_tour, html, site, page):
    """Figures are drawn dark on light. In dark mode each must still sit on a light ground: an opaque
    picture (the book's figures are saved with a white background), or a light backdrop behind a
    transparent one (the theme's dark mode gives article images a white background)."""
    for image in dark_tour.backdrops[page]:
        assert image["theme"] == "dark", "the page did not follow the reader's dark mode"
        file = html / image["src"].removeprefix(site.url)
        light_backdrop = _luminance(image["backdrop"]) > 0.8 and not re.search(r",\s*0(\.\d+)?\)$", image["backdrop"])
        assert _opaque(file) or light_backdrop, f"{image['src']}: transparent, on {image['backdrop']} in dark mode"


def test_screenshots_in_both_colour_modes(tour, dark_tour):
    """One chapter photographed in light and in dark mode: _build/screenshots/<chapter>[-dark].png."""
    stem = Path(SCREENSHOT_PAGE).stem
    light, dark = SCREENSHOTS / f"{stem}.png", SCREENSHOTS / f"{stem}-dark.png"
    from PIL import Image, ImageStat

    brightness = []
    for shot in (light, dark):
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000, shot
        with Image.open(shot) as image:
            brightness.append(ImageStat.Stat(image.convert("L")).mean[0])
    assert brightness[0] > 150 > 100 > brightness[1], f"mean grey level light/dark: {brightness}"


@pytest.mark.parametrize("page", SCANNED_PAGES)
def test_every_formula_has_assistive_mathml(tour, page):
    """Screen readers read a formula from MathJax's hidden MathML copy: every typeset formula has one."""
    visit = tour.pages[page]
    assert visit.math_typeset >= visit.math_sources
    assert not visit.math_without_mml, f"{len(visit.math_without_mml)} formulas without MathML: {visit.math_without_mml[:5]}"


def test_keyboard_reaches_every_link_and_button_with_visible_focus(session, site):
    """Tab through a chapter from the top: every visible link, button and dropdown summary gets the
    focus, in one round, and the focus is drawn (an outline or ring) wherever it is."""
    session.visit(site.url + KEYBOARD_PAGE)
    walk = session.tab_walk()
    assert len(walk.targets) > 50, walk.targets
    assert not walk.unreached, f"{len(walk.unreached)} of {len(walk.targets)} not reachable by Tab: {walk.unreached[:10]}"
    assert not walk.invisible_focus, f"focus not visible on: {walk.invisible_focus[:10]}"


# The two kinds of dropdown of a chapter: a solution (sphinx-togglebutton's button) and a cell's
# hidden code (a <details> summary). For each: the control to press, and whether it is open now.
DROPDOWNS = {
    "solution": ("div.solution.dropdown button.toggle-button",
                 "b => !document.getElementById(b.dataset.target).classList.contains('toggle-hidden')"),
    "hidden code": ("details.hide.above-input > summary", "s => s.parentElement.open"),
}


@pytest.mark.parametrize("kind", DROPDOWNS)
@pytest.mark.parametrize("key", ["Enter", " "], ids=["Enter", "Space"])
def test_dropdowns_open_and_close_with_the_keyboard(session, site, kind, key):
    selector, is_open = DROPDOWNS[kind]
    session.visit(site.url + KEYBOARD_PAGE)
    control = session.page.locator(selector).first
    assert control.count(), f"no {kind} dropdown on {KEYBOARD_PAGE}"
    assert control.evaluate(is_open) is False
    control.focus()
    session.page.keyboard.press(key)
    assert control.evaluate(is_open) is True, f"{kind}: {key!r} did not open it"
    session.page.keyboard.press(key)
    assert control.evaluate(is_open) is False, f"{kind}: {key!r} did not close it"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", TOC_PAGES)
def test_nothing_in_the_article_is_cut_off(session, site, page, width):
    """No element of the article sticks out of its content width, unless it sits in a box that scrolls
    sideways (code, wide equations and tables scroll inside their own box)."""
    session.visit(site.url + page)
    sticking_out = session.overflowing(width)
    assert not sticking_out, f"{page} at {width} px:\n" + "\n".join(sticking_out)


def test_the_accessibility_checks_can_fail(browser, tmp_path):
    """A page with faults axe-core, the keyboard walk and the overflow check look for: each is reported
    with its rule, element and page."""
    page = tmp_path / "faulty.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>faulty</title>"
        "<style>a:focus { outline: none; } .wide { width: 3000px; }</style></head><body><main>"
        "<article class='bd-article'><h1>Faulty</h1>"
        "<p style='color: #999; background: #fff'>grey on white, 2.8:1</p><img src='x.png'>"
        "<a href='#a'>a link without a visible focus</a> <div class='wide'>too wide</div>"
        "<span tabindex='0' style='display: none'>hidden</span></article></main></body></html>",
        encoding="utf-8",
    )
    session = BrowserSession(browser, origin=tmp_path.as_uri() + "/")
    try:
        session.visit(page.as_uri())
        walk = session.tab_walk()
        sticking_out = session.overflowing(1280)
        violations = axe_violations(session.page, "faulty.html")
    finally:
        session.close()
    rules = {v.rule for v in violations}
    assert {"color-contrast", "image-alt"} <= rules, rules
    assert all(v.page == "faulty.html" and v.target and v.html for v in violations)
    assert "color-contrast" in describe_violations(violations) and "x.png" in describe_violations(violations)
    assert walk.targets == ["a #a"] and walk.reached == [0] and walk.invisible_focus == ["a #a"]
    assert len(sticking_out) == 1 and sticking_out[0].startswith("div.wide"), sticking_out
    assert set(AXE_TAGS) == {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}


def test_the_books_css_never_locks_the_orientation(root):
    """axe runs without its CSSOM preload (tests/book_browser.py), so its css-orientation-lock rule
    (WCAG 1.3.4) cannot see stylesheets: check the book's own CSS for an orientation query instead."""
    for css in (root / "_static").glob("*.css"):
        assert "orientation" not in css.read_text(), css
