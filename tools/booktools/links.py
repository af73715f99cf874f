"""Check the links of the built HTML book: every local link and anchor resolves; list external links.

Usage (in the project's environment, after ``make book``; ``make links``)::

    book links                 # checks _build/html
    book links path/to/html    # another build

Every page under the HTML folder is parsed (the theme's template fragments under ``_static``
are not pages). Each ``href``/``src`` of ``a``, ``link``, ``img``, ``script``, ``iframe``,
``source`` and ``area`` is classified:

- **local**: must name a file inside the HTML folder, and, when it has a ``#fragment`` and
  points to a page, an element with that ``id`` (or an ``<a name=...>``) on that page;
- **external** (``http:``, ``https:``, ``mailto:``, ``//host``): listed, never fetched;
- ``javascript:`` and ``data:`` URLs are ignored.

The exit status is the number of broken links (0: all resolve). The external links are
printed with the pages that contain them, so a person can review them.
"""

from __future__ import annotations

import functools
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

LINK_ATTRIBUTES = {"a": "href", "link": "href", "area": "href", "img": "src", "script": "src", "iframe": "src", "source": "src"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "ftp", "tel"}
IGNORED_SCHEMES = {"javascript", "data"}


@dataclass
class LinkReport:
    """What a crawl found.

    Attributes
    ----------
    pages : list of Path
        The pages crawled, relative to the HTML folder.
    broken : list of (page, url, reason)
        Local links that do not resolve, with the page that contains them.
    external : dict of url -> sorted list of pages
        Every external link and the pages that contain it.
    checked : int
        Number of local links checked.
    """

    pages: list[Path] = field(default_factory=list)
    broken: list[tuple[str, str, str]] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)
    checked: int = 0


def html_pages(html: Path) -> list[Path]:
    """Every page of the book: the ``.html`` files, except the theme's fragments in ``_static``."""
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts)


@functools.lru_cache(maxsize=None)
def _parse(path: str, mtime_ns: int, size: int) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def parse(page: Path) -> BeautifulSoup:
    """The parsed page, parsed once while the file is unchanged (callers must not modify it)."""
    status = page.stat()
    return _parse(str(page.resolve()), status.st_mtime_ns, status.st_size)


def _anchors(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        soup = parse(page)
        ids = {element["id"] for element in soup.find_all(id=True)}
        ids |= {element["name"] for element in soup.find_all("a", attrs={"name": True})}
        cache[page] = ids
    return cache[page]


def crawl(html: Path) -> LinkReport:
    """Check every link of every page under ``html`` (see the module docstring)."""
    html = html.resolve()
    report = LinkReport(pages=[p.relative_to(html) for p in html_pages(html)])
    anchors: dict[Path, set[str]] = {}
    external: dict[str, set[str]] = defaultdict(set)
    for page in html_pages(html):
        name = page.relative_to(html).as_posix()
        soup = parse(page)
        for tag, attribute in LINK_ATTRIBUTES.items():
            for element in soup.find_all(tag):
                url = (element.get(attribute) or "").strip()
                if not url:
                    continue
                parts = urlsplit(url)
                scheme = parts.scheme.lower()
                if scheme in IGNORED_SCHEMES:
                    continue
                if scheme in EXTERNAL_SCHEMES or url.startswith("//"):
                    external[url].add(name)
                    continue
                if scheme:
                    report.broken.append((name, url, f"unknown scheme {scheme!r}"))
                    continue
                report.checked += 1
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_relative_to(html):
                    report.broken.append((name, url, "points outside the book"))
                elif not target.is_file():
                    report.broken.append((name, url, "no such file"))
                elif parts.fragment and target.suffix == ".html":
                    if unquote(parts.fragment) not in _anchors(target, anchors):
                        report.broken.append((name, url, f"no id {unquote(parts.fragment)!r} in {target.relative_to(html)}"))
    report.external = {url: sorted(pages) for url, pages in sorted(external.items())}
    return report


def check(html: Path) -> int:
    """Crawl ``html``, print the broken links and the external ones; return the number broken."""
    if not (html / "index.html").is_file():
        print(f"no built book in {html} (run `make book` first)", file=sys.stderr)
        return 1
    report = crawl(html)
    print(f"{len(report.pages)} pages, {report.checked} local links checked, {len(report.broken)} broken")
    for page, url, reason in report.broken:
        print(f"BROKEN {page}: {url} ({reason})")
    print(f"{len(report.external)} external links (listed, not fetched):")
    for url, pages in report.external.items():
        print(f"  {url}  [{', '.join(pages)}]")
    return len(report.broken)
