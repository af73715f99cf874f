"""Build the student edition of the book: the same pages, with no solution anywhere.

Usage (inside the project's environment; ``make student-book``)::

    book student        # -> _build/student/_build/html/index.html

The instructor edition (``make book``) shows each exercise's solution in a dropdown. The student
edition is derived from the same sources, never maintained by hand:

1. The book's sources are copied to a staging folder, ``_build/student-src/``, and transformed:

   - every ``{solution}`` directive (backtick or colon fence, any fence length) is cut out of the
     Markdown cells of the notebooks and out of Markdown pages;
   - every cell tagged ``instructor-only`` is deleted (passages about testing and teaching with the
     repository, which students do not have);
   - every cell tagged ``solution`` is deleted: the code that checks the numbers quoted in
     solutions, and its heading (``tests/book/test_chapters.py`` requires that every code cell of a
     chapter's Exercises section carries this tag);
   - instructor-only pages (:data:`INSTRUCTOR_ONLY`) are dropped, with their table-of-contents entries;
   - each chapter's "Run this chapter" box points to the student kit (``make student-kit``,
     :mod:`booktools.student_kit`) with plain ``python -m venv`` and ``pip`` steps, instead of ``make lab``
     in the instructor repository (:func:`student_run_box`).

   So the notebooks a student downloads from the book's download button are solution-free too.
2. The configuration is ``_config.yml`` with only the keys in :func:`student_overrides` changed
   (``tests/book/test_student_edition.py`` checks that nothing else differs): the title says "student
   edition", sphinx-exercise's ``hide_solutions`` is on as a second safety net, and notebooks are
   **not executed**: the pages show the stored outputs, which the test suite (nbval) has checked
   against today's code. (Executing would also work; it only costs time.)
3. ``jupyter-book build`` runs with ``-W -n --keep-going`` into ``_build/student/``.

Publish only ``_build/student/_build/html``. The staging folder and anything else under
``_build/`` belong to the instructor (``_build/jupyter_execute`` of the instructor build, for
instance, holds executed notebooks with solutions).
"""

from __future__ import annotations

import copy
import re
import shutil
import time
from pathlib import Path

import nbformat
import yaml

from . import jupyterbook
from .paths import ROOT, not_book_sources

#: Pages (toc entries, without suffix) that only instructors get.
INSTRUCTOR_ONLY = frozenset({"instructors"})
SOLUTION_TAG = "solution"
#: Cells that only the instructor edition shows (how to test, refresh and teach with the repository).
INSTRUCTOR_TAG = "instructor-only"

# A {solution} directive: an opening fence of 3+ backticks or colons directly followed by
# {solution}, up to the first line that is exactly the same fence (MyST closes a fence with the same
# character, at least as long; the book always closes with the same length).
_SOLUTION_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{solution(?:-start)?\}.*?^(?P=fence)[ \t]*$\n?", re.M | re.S
)
_GATED_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}.*?^\1[ \t]*$\n?", re.M | re.S)


def strip_solutions(markdown: str) -> str:
    """Remove every ``{solution}`` directive from MyST Markdown text.

    Raises
    ------
    ValueError
        If an opening ``{solution}`` fence is left over (an unclosed directive would otherwise
        leak the rest of the page).
    """
    text = _GATED_END.sub("", _SOLUTION_BLOCK.sub("", markdown))
    if re.search(r"\{solution(-start|-end)?\}", text):
        raise ValueError("a {solution} directive could not be removed (unclosed fence?)")
    return re.sub(r"\n{3,}", "\n\n", text)


def strip_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without cells tagged ``solution`` or ``instructor-only`` and without ``{solution}`` directives."""
    nb = copy.deepcopy(nb)
    kept = []
    for cell in nb.cells:
        if {SOLUTION_TAG, INSTRUCTOR_TAG} & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            cell.source = strip_solutions(cell.source)
        kept.append(cell)
    nb.cells = kept
    return nb


# The "Run this chapter" box of a chapter: a colon-fenced admonition with that title.
_RUN_BOX = re.compile(
    r"^(?P<fence>:{3,})\{admonition\} Run this chapter[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)
_RUN_BOX_TEXT = """\
{fence}{{admonition}} Run this chapter
:class: tip
This page is a notebook you can run: it is `chapters/{notebook}` in the **student kit** your
instructor hands out (the download button above gives the same notebook). Set the kit up once, from
the kit's folder (its `README.md` has the Windows commands too):

```
python3 -m venv .venv
source .venv/bin/activate
python -m pip install -r requirements.txt
```

then run `jupyter lab` there, open `chapters/{notebook}` and run all cells.{runtime}
{fence}"""


def student_run_box(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with its "Run this chapter" box pointing to the student kit instead of the repository.

    The instructor edition tells readers to run ``make lab`` from the repository root; students have
    no repository, only the kit built by ``book student-kit``. Only Markdown cells holding the box
    change; the notebook's file name and the box's run-time sentence are kept.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue

        def rewrite(match: re.Match) -> str:
            body = match.group("body")
            notebook = re.search(r"chapters/([\w.-]+\.ipynb)", body)
            if notebook is None:
                raise ValueError("a 'Run this chapter' box names no chapters/<file>.ipynb")
            runtime = re.search(r"runs in about [^.]*\.", " ".join(body.split()))
            return _RUN_BOX_TEXT.format(
                fence=match.group("fence"), notebook=notebook.group(1),
                runtime=f" It needs nothing else (no GPU, no downloads) and {runtime.group(0)}" if runtime else "",
            )

        cell.source = _RUN_BOX.sub(rewrite, cell.source)
    return nb


def student_toc(toc: dict) -> dict:
    """The table of contents without :data:`INSTRUCTOR_ONLY` entries (at any depth)."""
    toc = copy.deepcopy(toc)

    def prune(entries: list[dict]) -> list[dict]:
        kept = []
        for entry in entries:
            if entry.get("file") in INSTRUCTOR_ONLY:
                continue
            for key in ("sections", "chapters"):
                if key in entry:
                    entry[key] = prune(entry[key])
            kept.append(entry)
        return kept

    for key in ("chapters", "parts"):
        if key in toc:
            toc[key] = prune(toc[key])
    return toc


def student_overrides() -> dict:
    """The only configuration keys in which the student edition differs from ``_config.yml``."""
    return {
        ("title",): None,  # computed from the instructor title
        ("execute", "execute_notebooks"): "off",
        ("sphinx", "config", "hide_solutions"): True,
    }


def student_config(config: dict) -> dict:
    """``_config.yml`` turned into the student edition's configuration."""
    title = config.get("title", "Book")
    config = copy.deepcopy(config)
    for path, value in student_overrides().items():
        node = config
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    config["title"] = f"{title} (student edition)"
    return config


def stage(source: Path, staging: Path) -> None:
    """Copy the book's sources from ``source`` to ``staging`` and remove every solution."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    toc = yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8"))
    for entry in source.iterdir():
        if entry.name in not_book_sources() or entry.name.startswith("."):
            continue
        target = staging / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(entry, target)
    for name in INSTRUCTOR_ONLY:
        for suffix in (".md", ".ipynb"):
            (staging / name).with_suffix(suffix).unlink(missing_ok=True)
    for path in staging.rglob("*.ipynb"):
        nbformat.write(student_run_box(strip_notebook(nbformat.read(path, as_version=4))), path)
    for path in staging.rglob("*.md"):
        path.write_text(strip_solutions(path.read_text(encoding="utf-8")), encoding="utf-8")
    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    (staging / "_config.yml").write_text(yaml.safe_dump(student_config(config), sort_keys=False), encoding="utf-8")
    (staging / "_toc.yml").write_text(yaml.safe_dump(student_toc(toc), sort_keys=False), encoding="utf-8")


def build(output: Path, *, source: Path = ROOT, staging: Path | None = None) -> int:
    """Stage the sources and build the student edition into ``output/_build/html``; return the status."""
    staging = staging or output.parent / "student-src"
    stage(source, staging)
    if (output / "_build").exists():
        shutil.rmtree(output / "_build")
    start = time.perf_counter()
    status = jupyterbook.run(staging, output=output)
    print(f"student edition built with status {status} in {time.perf_counter() - start:.1f} s")
    if status == 0:
        print(f"open {output / '_build' / 'html' / 'index.html'} (publish only that html folder)")
    return status
