"""The PDF editions of the book (``make pdf``, ``make student-pdf``; ``book pdf``, :mod:`booktools.pdf`).

Each PDF is built once per test run, from scratch, into a temporary folder, by the module-scoped
fixtures below: every test that needs a built PDF lives in this module, so that pytest-xdist
(``--dist loadfile``) builds each PDF once. The PDFs show the stored outputs of the chapters, which
nbval checks against today's code in the same test run.

What is checked: the LaTeX log (no error, no undefined reference); the text (``pdftotext``): every
page's title in table-of-contents order, every glued number of each chapter exactly as the HTML shows it,
the bibliography, each solution after its exercise; the images (``pdfimages``) and figure captions;
the page sizes (``pdfinfo``) and that no word lies outside the text block (``pdftotext -bbox``); the
student PDF holds no solution (the leak test's phrases, from ``test_student_edition``); the student
HTML links the student PDF. A rendered page of each edition is written to ``_build/screenshots/``.

Without TeX (Debian: ``book pdf``, :mod:`booktools.pdf`'s ``APT_PACKAGES``) these tests skip, unless ``CI`` is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import yaml
from book_browser import skip_or_fail
from bs4 import BeautifulSoup
from conftest import ROOT, chapter_notebooks
from test_student_edition import (
    chapter_markdown,
    exercise_blocks,
    normalise,
    phrases,
    solution_blocks,
    solution_code_lines,
    visible_text,
)

from booktools import cli
from booktools import paths as book_toc
from booktools import pdf as build_pdf
from booktools import student

PDF_ENV, pdf_name = build_pdf.book_pdf().PDF_ENV, build_pdf.book_pdf().pdf_name

SCREENSHOTS = ROOT / "_build" / "screenshots"
POPPLER = ("pdftotext", "pdfinfo", "pdfimages", "pdftoppm")


@dataclass
class Edition:
    """One built PDF: where it is, the LaTeX log, the sources it was built from, its text."""

    name: str
    pdf: Path
    log: str
    source: Path
    pages: list[str]  # pdftotext's text of each page

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def build_edition(folder: Path, *, student_edition: bool) -> Edition:
    missing = build_pdf.missing_tex() + [p for p in POPPLER if shutil.which(p) is None]
    if missing:
        skip_or_fail(f"PDF tests skipped: {build_pdf.tex_message(missing)}")
    pdf = build_pdf.build(folder / "build", student=student_edition, pdf_dir=folder / "pdf", refresh_html=False)
    assert pdf is not None, "the PDF did not build (see the log above)"
    latex = folder / "build" / "_build" / "latex"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return Edition(
        name="student" if student_edition else "instructor",
        pdf=pdf,
        log=(latex / f"{build_pdf.TEX_NAME}.log").read_text(encoding="utf-8", errors="replace"),
        source=folder / "build" / "src" if student_edition else ROOT,
        pages=[clean(page) for page in text.split("\f")],
    )


def clean(text: str) -> str:
    """PDF text in a comparable form: compatibility forms folded (math italic 𝜆 is λ), spaces collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def instructor(tmp_path_factory) -> Edition:
    return build_edition(tmp_path_factory.mktemp("pdf-instructor"), student_edition=False)


@pytest.fixture(scope="module")
def student_pdf(tmp_path_factory) -> Edition:
    return build_edition(tmp_path_factory.mktemp("pdf-student"), student_edition=True)


@pytest.fixture(params=["instructor", "student"])
def edition(request) -> Edition:
    return request.getfixturevalue("student_pdf" if request.param == "student" else request.param)


# --------------------------------------------------------------------------- the sources


def page_markdown(source: Path, entry: str) -> str:
    """The Markdown of a table-of-contents entry (a page, or a notebook's Markdown cells)."""
    path = source / entry
    if path.with_suffix(".ipynb").is_file():
        nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
        return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.with_suffix(".md").read_text(encoding="utf-8")


def page_title(source: Path, entry: str) -> str:
    """The first heading of a table-of-contents entry, as plain text."""
    markdown = page_markdown(source, entry)
    heading = re.search(r"^# (.+)$", markdown, re.M).group(1)
    return clean(re.sub(r"[`*]", "", heading))


def holds_only_the_bibliography(source: Path, entry: str) -> bool:
    path = (source / entry).with_suffix(".md")
    if not path.is_file():
        return False
    body = re.sub(r"^# .*$", "", path.read_text(encoding="utf-8"), flags=re.M)
    body = re.sub(r"^(`{3,}|:{3,})\{bibliography\}.*?^\1\s*$", "", body, flags=re.M | re.S)
    return "{bibliography}" in path.read_text(encoding="utf-8") and not re.sub(r"\(.*?\)=|\s", "", body)


def glued_values(nb) -> dict[str, str]:
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                values[name] = "".join(text) if isinstance(text, list) else text
    return values


def glued_numbers_shown(path: Path) -> list[str]:
    """Glued numbers of a chapter as its text shows them (myst-nb: the value's text, or ``format(value, spec)``),
    outside solutions, longest first."""
    nb = nbformat.read(path, as_version=4)
    values = glued_values(nb)
    markdown = "\n".join(student.strip_solutions(c.source) for c in nb.cells if c.cell_type == "markdown")
    shown = set()
    for name, spec in re.findall(r"\{glue(?::text)?\}`([A-Za-z0-9_]+)(?::([^`]*))?`", markdown):
        if name not in values:
            continue
        value = values[name]
        if spec:
            text = format(int(float(value)) if spec.endswith("d") else float(value), spec)
        else:  # the value's text: a number, or a string such as a bound ("< 1e-06"), skipped below
            text = value.strip("'\"")
        if re.fullmatch(r"-?\d*\.\d{2,}(e-?\d+)?", text):
            shown.add(text)
    return sorted(shown, key=lambda s: (-len(s), s))


def figure_count(source: Path) -> int:
    """The figures of the book's pages: glued figures, figure directives and Markdown images (what
    the HTML shows as images), and images displayed by code cells."""
    count = 0
    for entry in book_toc.toc_files(source):
        path = source / entry
        if path.with_suffix(".ipynb").is_file():
            nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
            markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            count += sum(1 for c in nb.cells for o in c.get("outputs", [])
                         if "image/png" in o.get("data", {}) and "remove-output" not in c.metadata.get("tags", []))
        else:
            markdown = path.with_suffix(".md").read_text(encoding="utf-8")
        count += len(re.findall(r"\{glue:figure\}|\{figure\}|\{image\}|!\[[^\]]*\]\(", markdown))
    return count


def captioned_figures(source: Path) -> int:
    """Figure directives with a caption (a body)."""
    count = 0
    for entry in book_toc.toc_files(source):
        path = source / entry
        if path.with_suffix(".ipynb").is_file():
            nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
            markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        else:
            markdown = path.with_suffix(".md").read_text(encoding="utf-8")
        count += len(re.findall(r"^(`{3,}|:{3,})\{(?:glue:)?figure\}", markdown, re.M))
    return count


# --------------------------------------------------------------------------- LaTeX


def test_latex_reports_no_error_and_no_undefined_reference(edition):
    errors = [line for line in edition.log.splitlines() if line.startswith("!")]
    assert not errors, errors
    undefined = re.findall(r"(?:Reference|Citation) `[^']*' on page \d+ undefined", edition.log)
    assert not undefined, undefined
    assert "There were undefined references" not in edition.log
    assert "multiply defined" not in edition.log
    # An unresolved \ref prints "??". ("Label(s) may have changed" is not a sign of one here: it comes
    # back on every run because figure captions quote equation numbers; the .aux no longer changes.)
    assert "??" not in edition.text


def test_no_line_runs_off_the_page(edition):
    """Every page is the paper size, and every word lies inside the text block (a code line, a table
    or an equation running into the margin would not)."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "100000", str(edition.pdf)], capture_output=True,
                          text=True, check=True).stdout
    sizes = set(re.findall(r"Page +\d+ size: +([\d.]+ x [\d.]+)", info))
    assert sizes == {"595.28 x 841.89"}, f"pages not all A4: {sizes}"
    width = 595.28
    setup = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]["latex_elements"]["sphinxsetup"]
    margin_cm = float(re.search(r"hmargin=\{([\d.]+)cm", setup).group(1))
    left, right = margin_cm / 2.54 * 72, width - margin_cm / 2.54 * 72
    bbox = subprocess.run(["pdftotext", "-bbox", str(edition.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    outside = []
    for number, page in enumerate(bbox.split("<page ")[1:], start=1):
        for x0, x1, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', page):
            if float(x0) < left - 1 or float(x1) > right + 1:
                outside.append((number, word, float(x0), float(x1)))
    assert not outside, f"words outside the text block [{left:.1f}, {right:.1f}] pt: {outside[:10]}"
    overfull = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", edition.log)]
    assert all(w < 15 for w in overfull), f"overfull lines in the log (pt too wide): {sorted(overfull)[-5:]}"


# --------------------------------------------------------------------------- the text


def test_every_page_title_is_there_in_table_of_contents_order(edition):
    entries = book_toc.toc_files(edition.source)
    assert (edition.name == "student") == ("instructors" not in entries)
    body_start = next(i for i, page in enumerate(edition.pages) if re.search(r"Chapter 0 Introduction|CHAPTER 0", page))
    last = body_start
    for entry in entries:
        title = "Bibliography" if holds_only_the_bibliography(edition.source, entry) else page_title(edition.source, entry)
        where = [i for i in range(last, len(edition.pages)) if title in edition.pages[i]]
        assert where, f"{entry}: title {title!r} not found after page {last + 1}"
        last = where[0]
    if edition.name == "student":  # nor any section of the instructor guide (those no other page names)
        guide = (ROOT / "instructors.md").read_text(encoding="utf-8")
        others = clean(" ".join(page_markdown(ROOT, entry) for entry in book_toc.toc_files(ROOT) if entry != "instructors"))
        sections = [clean(re.sub(r"[`*]", "", h)) for h in re.findall(r"^##+ (.+)$", guide, re.M)]
        sections = [s for s in sections if s not in others]
        assert len(sections) >= 3 and not [s for s in sections if s in edition.text]


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.stem)
def test_the_glued_numbers_of_each_chapter_are_shown_as_in_the_html(instructor, student_pdf, path):
    """Every decimal number a chapter's text quotes by glue (outside solutions), formatted as myst-nb
    formats it for the HTML, is in both PDFs."""
    shown = glued_numbers_shown(path)
    assert shown, f"{path.name} quotes no glued decimal number"
    for pdf in (instructor, student_pdf):
        missing = [number for number in shown if number not in pdf.text]
        assert not missing, f"{pdf.name} PDF: glued numbers of {path.name} not shown: {missing}"


def test_the_bibliography_closes_the_book(edition):
    tail = " ".join(edition.pages[-8:])
    assert "Bibliography" in tail
    for name in ("Hoerl", "Tibshirani", "Loshchilov", "Zou"):
        assert name in tail, name
    assert re.search(r"\[Hoerl and Kennard, 1970\]", edition.text), "author-year citations in the text"


def test_figures_are_in_the_pdf_with_numbered_captions(edition):
    listing = subprocess.run(["pdfimages", "-list", str(edition.pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    images = [line for line in listing if line.split()[2] == "image"]
    assert len(images) >= figure_count(edition.source) > 10
    captions = re.findall(r"Fig\. \d+(?:\.\d+)?: ", edition.text)
    assert len(captions) >= captioned_figures(edition.source) > 10


def solution_phrases() -> list[tuple[str, str]]:
    visible = visible_text()
    return [(chapter, phrase) for chapter, markdown in chapter_markdown().items()
            for block in solution_blocks(markdown) for phrase in phrases(block) if phrase not in visible]


def searchable(edition: Edition) -> list[str]:
    """The PDF's text normalised as the leak test normalises, twice: a hyphen at a line end joined to
    the next word (hyphenation) and kept as a hyphen (a compound cut at its hyphen)."""
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(edition.pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    raw = unicodedata.normalize("NFKC", raw)
    return [normalise(re.sub(r"-\n", "", raw)), normalise(raw)]


def test_the_instructor_pdf_has_each_solution_after_its_exercise(instructor):
    texts = searchable(instructor)
    found = [phrase for _, phrase in solution_phrases() if any(phrase in t for t in texts)]
    assert len(found) >= 0.9 * len(solution_phrases()) >= 20, "the leak search must find the solutions here"
    numbers = [int(n) for n in re.findall(r"Exercise (\d+) \(", instructor.text)]
    for n in sorted(set(numbers)):
        exercise = instructor.text.find(f"Exercise {n} (")
        solution = instructor.text.find(f"Solution to Exercise {n} (")
        following = instructor.text.find(f"Exercise {n + 1} (")
        assert exercise < solution, f"no solution after exercise {n}"
        assert following == -1 or solution < following, f"the solution to exercise {n} is not before exercise {n + 1}"


def test_the_student_pdf_has_no_solution(student_pdf):
    texts = searchable(student_pdf)
    leaks = [(chapter, phrase) for chapter, phrase in solution_phrases() if any(phrase in t for t in texts)]
    assert not leaks, f"solution text in the student PDF: {leaks[:5]}"
    for line in solution_code_lines():
        needle = normalise(line)
        assert len(needle.split()) < 4 or not any(needle in t for t in texts), f"solution code {line!r}"
    assert "Solution to Exercise" not in student_pdf.text
    for chapter, markdown in chapter_markdown().items():  # the positive control: exercises are there
        for block in exercise_blocks(markdown):
            assert any(p in t for p in phrases(block, words=4) for t in texts), (chapter, block[:80])


# --------------------------------------------------------------------------- for people to look at


def test_a_rendered_page_of_each_edition_is_kept_for_people_to_look_at(edition):
    """_build/screenshots/pdf-<edition>-page<N>.png: the page with the first figure of Chapter 1."""
    page = next(i for i, text in enumerate(edition.pages, start=1) if re.search(r"Fig\. 1\.1: ", text))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = SCREENSHOTS / f"pdf-{edition.name}-page{page}"
    for old in SCREENSHOTS.glob(f"pdf-{edition.name}-page*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l", str(page),
                    str(edition.pdf), str(stem)], check=True)
    shot = stem.with_suffix(".png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000, shot


# --------------------------------------------------------------------------- the link from the HTML


def test_the_student_html_offers_the_student_pdf(student_pdf, tmp_path):
    """Built with the PDF at hand (as ``make student-pdf`` rebuilds it), every page's download menu
    links the student PDF, copied into the HTML folder; nothing names the instructor's PDF."""
    old = os.environ.get(PDF_ENV)
    os.environ[PDF_ENV] = str(student_pdf.pdf.parent)
    try:
        assert student.build(tmp_path / "book", staging=tmp_path / "src") == 0
    finally:
        if old is None:
            os.environ.pop(PDF_ENV)
        else:
            os.environ[PDF_ENV] = old
    html = tmp_path / "book" / "_build" / "html"
    assert (html / student_pdf.pdf.name).read_bytes() == student_pdf.pdf.read_bytes()
    instructor_name = pdf_name(yaml.safe_load((ROOT / "_config.yml").read_text())["title"])
    assert student_pdf.pdf.name != instructor_name
    for entry in book_toc.toc_files(tmp_path / "src"):
        page = html / f"{entry}.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in soup.select(".dropdown-download-buttons a")]
        pdf_links = [href for href in links if href.endswith(".pdf")]
        assert len(pdf_links) == 1 and (page.parent / pdf_links[0]).resolve() == html / student_pdf.pdf.name, links
        assert instructor_name not in page.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- without building


def test_ci_installs_every_package_the_pdf_build_needs():
    script = (ROOT / ".ci" / "run").read_text()
    listed = re.search(r'^pdf_packages="([^"]*)"', script, re.M).group(1).split()
    assert set(build_pdf.APT_PACKAGES) <= set(listed) and "poppler-utils" in listed


def test_make_pdf_says_what_to_install_when_tex_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(build_pdf.shutil, "which", lambda name: None)
    assert cli.main(["pdf"]) == 3
    message = capsys.readouterr().err
    assert "xelatex" in message and "latexmk" in message
    assert f"apt-get install -y {' '.join(build_pdf.APT_PACKAGES)}" in message


def test_the_download_menu_link_names_only_this_editions_pdf(tmp_path, monkeypatch):
    """_ext/book_pdf.py: with this edition's PDF in $REGBOOK_PDF_DIR a link is added; with only the other
    edition's PDF there, none."""
    import book_pdf

    class Config:
        html_title = "A Book (student edition)"
        project = "A Book"
        regbook_pdf = ""

    class App:
        config = Config()

        class builder:  # noqa: N801 - stands in for Sphinx's builder object
            format = "html"

    monkeypatch.setenv(PDF_ENV, str(tmp_path))
    (tmp_path / pdf_name("A Book")).write_bytes(b"%PDF instructor")
    book_pdf.register_pdf(App, App.config)
    assert App.config.regbook_pdf == ""  # only the instructor's PDF is there: not offered
    (tmp_path / "a-book-student-edition.pdf").write_bytes(b"%PDF student")
    book_pdf.register_pdf(App, App.config)
    assert App.config.regbook_pdf
    context = {"pathto": lambda name, resource: f"../{name}",
               "header_buttons": [{"label": "download-buttons", "buttons": [{"label": "download-source-button"}]}]}
    book_pdf.add_pdf_link(App, "chapters/x", "page.html", context, None)
    buttons = context["header_buttons"][0]["buttons"]
    assert buttons[0]["url"] == "../a-book-student-edition.pdf" and len(buttons) == 2
