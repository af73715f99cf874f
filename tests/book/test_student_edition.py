"""The student edition of the book: built from the same sources, with no solution anywhere in it.

The student edition is built once per test run (as ``make student-book`` does) into a temporary
folder. Every file of its HTML output -- pages, search index, downloadable sources -- is searched
for the text of every solution and every line of solution-checking code of every chapter. Its
pages are also checked in headless Chromium for accessibility (axe-core, WCAG 2.0/2.1 A and AA, in
light and dark mode; assistive MathML; nothing cut off), like the instructor edition's in
``tests/book/test_book_build.py``: here, because this module builds the student edition once per run.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from booktools import student
from booktools import links as check_links
from book_browser import BrowserSession, LoopbackServer, axe_violations, describe_violations, launch_chromium
from conftest import ROOT, chapter_notebooks

TEXT_SUFFIXES = {".html", ".js", ".txt", ".ipynb", ".md", ".json", ".inv"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("student")
    status = student.build(output / "book", staging=output / "src")
    assert status == 0, "the student edition must build with no warning (see the log above)"
    return output


def normalise(text: str) -> str:
    """Lower-case letters and digits separated by single spaces: markup and punctuation dropped."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def phrases(markdown: str, *, words: int = 6) -> list[str]:
    """Runs of at least ``words`` plain words from MyST text, cut at math, roles and code."""
    found = []
    for line in markdown.splitlines():
        if line.startswith((":", "```", ":::")):
            continue  # directive fences and options
        for segment in re.split(r"\$[^$]*\$|\{[^}]*\}`[^`]*`|`[^`]*`|\[[^\]]*\]\([^)]*\)", line):
            words_ = normalise(segment).split()
            if len(words_) >= words:
                found.append(" ".join(words_))
    return found


def solution_blocks(text: str) -> list[str]:
    return [m.group(0) for m in student._SOLUTION_BLOCK.finditer(text)]


def exercise_blocks(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"^(`{3,}|:{3,})\{exercise\}.*?^\1[ \t]*$", text, re.M | re.S)]


def chapter_markdown() -> dict[str, str]:
    return {
        p.name: "\n".join(c.source for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown")
        for p in chapter_notebooks()
    }


def visible_text() -> str:
    """Everything of the chapters that the student edition keeps, normalised: the reference for 'not secret'."""
    parts = []
    for path in chapter_notebooks():
        for cell in student.strip_notebook(nbformat.read(path, as_version=4)).cells:
            parts.append(cell.source)
    return normalise("\n".join(parts))


def solution_code_lines() -> list[str]:
    """Lines of solution-tagged code cells that appear in no untagged cell of any chapter."""
    cells = [c for p in chapter_notebooks() for c in nbformat.read(p, as_version=4).cells]
    tagged = [c for c in cells if student.SOLUTION_TAG in c.metadata.get("tags", [])]
    untagged = [c for c in cells if student.SOLUTION_TAG not in c.metadata.get("tags", [])]
    elsewhere = {ln.strip() for c in untagged for ln in c.source.splitlines()}
    return [ln.strip() for c in tagged if c.cell_type == "code" for ln in c.source.splitlines()
            if len(ln.strip()) >= 30 and ln.strip() not in elsewhere]


def corpus(html: Path) -> dict[str, str]:
    """Every text file of the output, normalised (HTML reduced to its text first)."""
    texts = {}
    for path in html.rglob("*"):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            raw = BeautifulSoup(raw, "html.parser").get_text(" ")
        texts[str(path.relative_to(html))] = normalise(html_lib.unescape(raw))
    return texts


def test_the_two_configurations_differ_only_where_they_must(built):
    instructor = yaml.safe_load((ROOT / "_config.yml").read_text())
    derived = yaml.safe_load((built / "src" / "_config.yml").read_text())

    def flatten(d, prefix=()):
        out = {}
        for k, v in d.items():
            out.update(flatten(v, prefix + (k,)) if isinstance(v, dict) else {prefix + (k,): v})
        return out

    a, b = flatten(instructor), flatten(derived)
    differing = {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
    assert differing == set(student.student_overrides()), differing
    assert b[("title",)].endswith("(student edition)") and b[("sphinx", "config", "hide_solutions")] is True


def test_no_solution_text_anywhere_in_the_student_edition(built):
    texts = corpus(built / "book" / "_build" / "html")
    assert any(name.endswith("searchindex.js") for name in texts) and any("_sources" in n for n in texts)
    visible = visible_text()
    checked = 0
    for chapter, markdown in chapter_markdown().items():
        for block in solution_blocks(markdown):
            for phrase in phrases(block):
                if phrase in visible:
                    continue  # the same words stand outside every solution (e.g. a common line of code)
                checked += 1
                leaks = [name for name, text in texts.items() if phrase in text]
                assert not leaks, f"{chapter}: solution text {phrase!r} in {leaks}"
    assert checked >= 20, "the leak test must have solution text to look for"


def test_no_solution_checking_code_in_the_student_edition(built):
    texts = corpus(built / "book" / "_build" / "html")
    lines = solution_code_lines()
    assert lines, "chapters tag their solution-checking cells"
    for line in lines:
        needle = normalise(line)
        if len(needle.split()) < 4:
            continue
        leaks = [name for name, text in texts.items() if needle in text]
        assert not leaks, f"solution code {line!r} in {leaks}"


def test_exercises_are_still_there(built):
    """The positive control of the leak test: the same text search finds the exercises."""
    texts = corpus(built / "book" / "_build" / "html")
    for chapter, markdown in chapter_markdown().items():
        page = texts[f"chapters/{Path(chapter).with_suffix('.html').name}"]
        blocks = exercise_blocks(markdown)
        assert blocks, chapter
        for block in blocks:
            found = phrases(block, words=4)
            assert found and any(p in page for p in found), (chapter, block[:80])


def test_instructor_only_pages_are_left_out(built):
    html = built / "book" / "_build" / "html"
    for name in student.INSTRUCTOR_ONLY:
        assert not (html / f"{name}.html").exists()
    assert not (html / "_sources" / "instructors.md").exists()


def test_instructor_only_passages_are_left_out(built):
    """The Introduction tells students nothing about make test, make refresh or how to teach (issue 19)."""
    cells = [c for path in chapter_notebooks() for c in nbformat.read(path, as_version=4).cells
             if student.INSTRUCTOR_TAG in c.metadata.get("tags", [])]
    assert cells, "the Introduction has instructor-only passages"
    page = corpus(built / "book" / "_build" / "html")["chapters/00_introduction.html"]
    for cell in cells:
        found = phrases(cell.source, words=6)
        assert found and not any(p in page for p in found), cell.source[:80]
    assert "how to teach with it" not in page and "make refresh" not in page


# --------------------------------------------------------------------------- in the browser: accessibility


@pytest.fixture(scope="module")
def student_site(built):
    with LoopbackServer(built / "book" / "_build" / "html") as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as browser:
        yield browser


def student_pages(html: Path) -> list[str]:
    """Every page of the student edition but the top index.html (it only redirects to the first page)."""
    return [p.relative_to(html).as_posix() for p in check_links.html_pages(html) if p != html / "index.html"]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_accessibility_violations_in_the_student_edition(built, browser, student_site, mode):
    """axe-core (WCAG 2.0/2.1, A and AA) on every page of the student edition finds nothing; every
    formula carries assistive MathML; in light mode, nothing of an article is cut off at 1280 or 390 px."""
    pages = student_pages(built / "book" / "_build" / "html")
    assert len(pages) >= 8 and any(p.startswith("chapters/") for p in pages), pages
    session = BrowserSession(browser, student_site.url, color_scheme=mode)
    violations, no_mathml, cut_off = [], {}, {}
    try:
        for page in pages:
            visit = session.visit(student_site.url + page)
            assert not visit.errors and not visit.outside, (page, visit.errors, visit.outside)
            if visit.math_without_mml:
                no_mathml[page] = visit.math_without_mml[:3]
            if mode == "light" and page.startswith("chapters/"):
                for width in (1280, 390):
                    if found := session.overflowing(width):
                        cut_off[f"{page} at {width} px"] = found[:5]
            violations += axe_violations(session.page, page)
    finally:
        session.close()
    assert not violations, describe_violations(violations)
    assert not no_mathml, f"formulas without assistive MathML: {no_mathml}"
    assert not cut_off, f"cut off at the edge of the article: {cut_off}"
