"""The book builds from scratch with no warning, and what it writes works offline.

The build executes every chapter (a failing cell is a warning, and `-W` makes
every warning an error), so this is also the check that the book shows what
today's code computes. It builds into a temporary folder: a cold build, as on a
reader's fresh machine, so no cached result can hide a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import build_book
from conftest import ROOT, toc_files


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("book")
    status = build_book.build(output)
    assert status == 0, "jupyter-book build -W -n --keep-going reported warnings or errors (see the log above)"
    return output / "_build" / "html"


def pages(html: Path) -> list[Path]:
    return [html / Path(entry).with_suffix(".html") for entry in toc_files()]


def test_every_page_of_the_table_of_contents_is_built(html):
    for page in pages(html):
        assert page.is_file(), page
    assert (html / "index.html").is_file()
    assert (html / "search.html").is_file()


def test_math_is_typeset_from_a_local_mathjax(html):
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert list((html / "_static" / "mathjax").rglob("*.woff")), "MathJax fonts must be shipped too"
    math_pages = 0
    for page in pages(html):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        scripts = [s.get("src") for s in soup.find_all("script") if s.get("src")]
        mathjax = [s for s in scripts if "mathjax" in s.lower() or "tex-" in s]
        if soup.select(".math"):
            math_pages += 1
            assert mathjax and all(s.endswith("_static/mathjax/tex-chtml.js") for s in mathjax), (page, mathjax)
    assert math_pages >= 2


def test_no_page_loads_anything_from_the_network(html):
    for page in html.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in soup.find_all(tag):
                target = element.get(attr) or ""
                if tag == "link" and "stylesheet" not in (element.get("rel") or []) and element.get("rel") != ["preload"]:
                    continue
                assert not re.match(r"(https?:)?//", target), f"{page.relative_to(html)} loads {target}"


def test_every_image_has_alt_text_and_exists(html):
    for page in pages(html):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.find_all("img"):
            if "logo" in " ".join(img.get("class") or []):
                continue
            assert (img.get("alt") or "").strip(), f"{page.name}: image without alt text: {img.get('src')}"
            assert (page.parent / img["src"]).resolve().is_file(), img["src"]


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
