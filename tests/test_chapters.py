"""Structural checks of every chapter notebook: what a reader, a student and nbval rely on."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import ROOT, chapter_notebooks, toc_files

NOTEBOOKS = chapter_notebooks()
MIN_EXERCISES = {"00_introduction.ipynb": 2}
DEFAULT_MIN_EXERCISES = 3


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_every_chapter_is_in_the_table_of_contents_and_vice_versa():
    listed = {f for f in toc_files() if f.startswith("chapters/")}
    present = {p.relative_to(ROOT).with_suffix("").as_posix() for p in NOTEBOOKS}
    assert listed == present
    for entry in toc_files():
        assert any((ROOT / entry).with_suffix(s).is_file() for s in (".ipynb", ".md")), entry


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_notebook_is_valid_and_has_a_python3_kernel(notebook):
    _, nb = notebook
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_every_code_cell_was_executed_in_order_without_errors(notebook):
    _, nb = notebook
    cells = code_cells(nb)
    assert cells, "a chapter without code checks nothing"
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        for output in cell.outputs:
            assert output["output_type"] != "error", cell.source[:80]
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), (
                "stderr output (a warning?) in cell: " + cell.source[:80]
            )


def test_the_package_is_imported_not_the_stdlib_code_module(notebook):
    _, nb = notebook
    for cell in code_cells(nb):
        assert not re.search(r"^\s*(import code\b|from code\b)", cell.source, re.M)
    assert any("regbook" in c.source for c in code_cells(nb)), "chapters use the shared package"


def test_chapter_has_goals_summary_and_exercises_with_solutions(notebook):
    path, nb = notebook
    text = markdown(nb)
    assert re.search(r"^#+ .*learning goals", text, re.M | re.I), "learning goals"
    assert re.search(r"^## Summary", text, re.M), "summary"
    assert re.search(r"^## Exercises", text, re.M), "exercises"
    exercises = re.findall(r"```\{exercise\}[^\n]*\n:label: ([\w-]+)", text)
    solutions = re.findall(r"```\{solution\} ([\w-]+)", text)
    assert len(exercises) >= MIN_EXERCISES.get(path.name, DEFAULT_MIN_EXERCISES)
    assert sorted(exercises) == sorted(solutions), "each exercise has exactly one solution"
    assert "solution-start" not in text, "gated solutions break the student edition"


def test_solution_checking_cells_are_tagged_for_the_student_edition(notebook):
    """Code after the Exercises heading checks solutions: tagged `solution`, it is left out of the student edition."""
    _, nb = notebook
    in_exercises = False
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.match(r"## Exercises", cell.source):
            in_exercises = True
        tags = cell.metadata.get("tags", [])
        if in_exercises and cell.cell_type == "code":
            assert "solution" in tags, "untagged code in the Exercises section: " + cell.source[:80]
        if "solution" in tags:
            assert "{exercise}" not in cell.source, "a cell tagged solution would hide an exercise"


def test_figures_are_glued_with_alt_text_and_caption(notebook):
    _, nb = notebook
    for cell in code_cells(nb):
        for output in cell.outputs:
            assert "image/png" not in output.get("data", {}), (
                "a figure shown without caption and alt text; glue it and use {glue:figure}: " + cell.source[:80]
            )
    text = markdown(nb)
    for block in re.findall(r"```\{glue:figure\}.*?```", text, re.S):
        assert re.search(r"^:alt: \S.{15,}", block, re.M), block[:120]
        caption = block.split("\n\n", 1)
        assert len(caption) == 2 and caption[1].strip("` \n"), "figure without caption: " + block[:120]


def test_glued_names_used_in_prose_exist(notebook):
    _, nb = notebook
    glued = set()
    for cell in code_cells(nb):
        for output in cell.outputs:
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if key:
                glued.add(key)
    used = set(re.findall(r"\{glue(?::\w+)?\}`([\w-]+)", markdown(nb)))
    used |= set(re.findall(r"```\{glue:figure\} ([\w-]+)", markdown(nb)))
    assert used <= glued, used - glued


def test_labels_are_unique_across_the_book():
    seen: dict[str, str] = {}
    for path in NOTEBOOKS:
        for label in re.findall(r"^:(?:label|name): ([\w-]+)", markdown(nbformat.read(path, as_version=4)), re.M):
            assert label not in seen, f"{label} in {path.name} and {seen[label]}"
            seen[label] = path.name


def test_stored_outputs_have_no_paths_or_timings():
    for path in NOTEBOOKS:
        raw = json.dumps(nbformat.read(path, as_version=4)["cells"])
        assert "/work/" not in raw and "/tmp/" not in raw and "/root/" not in raw, path.name
