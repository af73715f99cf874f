"""Build the book as one PDF: the instructor edition, or the student edition.

Usage (inside the project's environment)::

    book pdf             # make pdf         -> _build/pdf/<title>.pdf
    book pdf --student   # make student-pdf -> _build/pdf/<title>-student-edition.pdf

Both run ``jupyter-book build <sources> --builder pdflatex -W -n --keep-going`` (:mod:`booktools.jupyterbook`): Sphinx's LaTeX
builder, then XeLaTeX through latexmk (``latex:`` in ``_config.yml``; the LaTeX fixes are in
``_ext/book_pdf.py``). Any Sphinx warning fails the build, as for the HTML.

**Which outputs.** The notebooks are **not executed** for the PDF: it shows the outputs stored in
the chapters, which ``make test`` re-executes and compares with today's code (nbval, strict), in
the same run that builds and checks the PDFs. The instructor edition is built from the repository
with ``_config.yml``'s ``execute_notebooks`` turned off (a derived configuration file, nothing else
changed); the student edition from the student edition's staging folder
(:mod:`booktools.student`: no solutions, no solution cells, no instructor guide).

**The HTML links the PDF.** The finished PDF is copied to ``_build/pdf/`` under a name made from
the edition's title. If that edition's HTML has been built (``make book``, ``make student-book``), it
is rebuilt so that every page's download menu offers the PDF, copied into the HTML folder
(``_ext/book_pdf.py``; the Makefile's HTML targets keep the link on later builds).

**TeX.** XeLaTeX, latexmk and a few fonts come from the system (Debian: :data:`APT_PACKAGES`);
when one is missing ``book pdf`` says what to install and exits with status 3.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from . import jupyterbook
from .paths import ROOT

#: Where the finished PDFs go (and where the HTML builds look for them).
PDF_DIR = ROOT / "_build" / "pdf"
#: The Debian packages that provide what the build needs.
APT_PACKAGES = ("texlive-xetex", "texlive-latex-extra", "texlive-fonts-recommended", "latexmk", "lmodern",
                "fonts-freefont-otf", "fonts-dejavu-core")
#: Programs and fonts the build needs: (what, how to find it).
PROGRAMS = ("xelatex", "latexmk", "makeindex")
FONTS = ("FreeSerif", "DejaVu Sans Mono")
TEX_FILES = ("texgyretermes-math.otf", "fncychap.sty", "tabulary.sty", "unicode-math.sty", "ucharclasses.sty")
#: The name of the .tex file (``latex.latex_documents.targetname`` in ``_config.yml``).
TEX_NAME = "book"
# XeLaTeX never waits for an answer on the terminal; latexmk says little (the log has everything).
LATEX_ENV = {"LATEXOPTS": "-interaction=nonstopmode -halt-on-error", "LATEXMKOPTS": "-silent"}


def book_pdf():
    """The book's Sphinx extension ``_ext/book_pdf.py`` (the PDF's file name, the variable naming its folder).

    Loaded from its file: Sphinx finds it through ``local_extensions`` in ``_config.yml``, not as a package.
    """
    import importlib.util

    if "book_pdf" not in sys.modules:
        spec = importlib.util.spec_from_file_location("book_pdf", ROOT / "_ext" / "book_pdf.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["book_pdf"] = module
    return sys.modules["book_pdf"]


def missing_tex() -> list[str]:
    """What the PDF build needs and cannot find: programs, fonts, TeX files."""
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if shutil.which("fc-list"):
        for font in FONTS:
            listing = subprocess.run(["fc-list", font], capture_output=True, text=True).stdout
            if not listing.strip():
                missing.append(f"font {font}")
    if shutil.which("kpsewhich"):
        for name in TEX_FILES:
            if subprocess.run(["kpsewhich", name], capture_output=True, text=True).returncode != 0:
                missing.append(name)
    return missing


def tex_message(missing: list[str]) -> str:
    return (
        f"The PDF build needs TeX, which is not (fully) installed: missing {', '.join(missing)}.\n"
        f"On Debian or Ubuntu install it with:\n\n    sudo apt-get install -y {' '.join(APT_PACKAGES)}\n"
    )


def title(config_path: Path) -> str:
    return yaml.safe_load(config_path.read_text(encoding="utf-8"))["title"]


def no_execution_config(config: dict, source: Path) -> dict:
    """``_config.yml`` with notebook execution off: the PDF shows the stored (nbval-checked) outputs.

    The derived file lives elsewhere, so the folders of local extensions, which jupyter-book resolves
    from the configuration file's folder, become absolute paths.
    """
    config = copy.deepcopy(config)
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    extensions = config.get("sphinx", {}).get("local_extensions") or {}
    for name, folder in extensions.items():
        extensions[name] = str((source / folder).resolve())
    return config


def run_latex_build(source: Path, output: Path, *, config: Path | None = None) -> int:
    """jupyter-book's pdflatex builder from ``source`` into ``output/_build/latex``; the exit status."""
    return jupyterbook.run(source, output=output, builder="pdflatex", config=config, env=LATEX_ENV)


def build(output: Path, *, student: bool = False, source: Path = ROOT, pdf_dir: Path = PDF_DIR,
          refresh_html: bool = True) -> Path | None:
    """Build one edition's PDF in ``output`` and copy it into ``pdf_dir``; return its path (None: failed)."""
    missing = missing_tex()
    if missing:
        print(tex_message(missing), file=sys.stderr)
        return None
    start = time.perf_counter()
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    if student:
        from . import student as student_edition

        staging = output / "src"
        student_edition.stage(source, staging)  # its configuration has execution off already
        book_title = title(staging / "_config.yml")
        status = run_latex_build(staging, output)
    else:
        config = no_execution_config(yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8")), source)
        derived = output / "_config.yml"
        derived.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
        book_title = config["title"]
        status = run_latex_build(source, output, config=derived)
    built = output / "_build" / "latex" / f"{TEX_NAME}.pdf"
    edition = "student" if student else "instructor"
    if status != 0 or not built.is_file():
        print(f"the {edition} PDF failed to build (status {status}); see {built.with_suffix('.log')}",
              file=sys.stderr)
        return None
    pdf_dir.mkdir(parents=True, exist_ok=True)
    target = pdf_dir / book_pdf().pdf_name(book_title)
    shutil.copy2(built, target)
    print(f"{edition} PDF built in {time.perf_counter() - start:.1f} s: {target}")
    if refresh_html:
        add_link_to_html(student=student, pdf_dir=pdf_dir)
    return target


def add_link_to_html(*, student: bool, pdf_dir: Path) -> None:
    """Rebuild the edition's HTML, if it was built, so that its pages link the new PDF."""
    os.environ[book_pdf().PDF_ENV] = str(pdf_dir)
    if student:
        from . import student as student_edition

        html = ROOT / "_build" / "student"
        if (html / "_build" / "html" / "index.html").is_file():
            print("rebuilding the student edition's HTML so that it links the PDF")
            student_edition.build(html)
    else:
        from . import build as book_build

        if (ROOT / "_build" / "html" / "index.html").is_file():
            print("rebuilding the HTML so that it links the PDF")
            book_build.build(ROOT, skip_if_up_to_date=False)
