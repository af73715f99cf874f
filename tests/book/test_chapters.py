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


RUN_BOX = re.compile(r":::\{admonition\} Run this chapter\n:class: tip\n(?P<body>.*?)\n:::", re.S)


def test_chapter_says_how_to_run_it_right_after_the_learning_goals(notebook):
    """The "Run this chapter" box: where and with what (its wording is fixed for all chapters).

    It quotes no run time: a typed "runs in about N seconds" drifted from the measurements (issue 14);
    `make measure` measures chapter times."""
    path, nb = notebook
    text = markdown(nb)
    box = RUN_BOX.search(text)
    assert box, "no 'Run this chapter' admonition (:class: tip) after the learning goals"
    body = " ".join(box["body"].split())
    assert "`make lab`" in body and "`requirements.txt`" in body, body
    assert f"`chapters/{path.name}`" in body, "the box names another notebook"
    assert not re.search(r"\b\d+\s*(s|sec|seconds?|min|minutes?)\b", body), "no typed run time: " + body
    goals = re.search(r"^#+ .*learning goals.*$", text, re.M | re.I)
    assert goals and goals.end() < box.start(), "the box comes after the learning goals"
    assert not re.search(r"^#+ ", text[goals.end() : box.start()], re.M), "...and before the next heading"


# Colour maps that mislead readers with the common colour-vision deficiencies (rainbows, red-green);
# "_r" variants too. viridis, cividis, the single-hue maps and RdBu/PuOr/BrBG are fine.
UNSAFE_COLORMAPS = {"jet", "rainbow", "gist_rainbow", "hsv", "nipy_spectral", "gist_ncar", "turbo", "Spectral",
                    "RdYlGn", "brg", "flag", "prism", "gist_stern"}
COLOR_ARGUMENT = re.compile(
    r"\b(?:color|c|colors|facecolor|edgecolor|markerfacecolor|markeredgecolor|mfc|mec)\s*=\s*(['\"])(?P<value>[^'\"]*)\1"
)


GREYS = {"black", "white", "k", "w", "none", "gray", "grey", "lightgray", "lightgrey", "darkgray", "darkgrey"}


def _is_grey(value: str) -> bool:
    if value.lower() in GREYS:
        return True
    if re.fullmatch(r"0(\.\d*)?|1(\.0*)?", value):  # matplotlib's grey levels, "0" (black) to "1" (white)
        return True
    hex_colour = re.fullmatch(r"#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})", value)
    return bool(hex_colour) and len({g.lower() for g in hex_colour.groups()}) == 1


def test_figures_use_the_colour_blind_safe_palette(notebook):
    """Figures take the book style and colours from regbook.plotting (Okabe-Ito); no jet, no red/green."""
    from regbook.plotting import PALETTE

    _, nb = notebook
    code = "\n".join(c.source for c in code_cells(nb))
    if not re.search(r"plt\.(subplots|figure)\(", code):
        return
    assert re.search(r"\bapply_style\(\)", code), "call regbook.plotting.apply_style() before drawing"
    allowed = {v.lower() for v in PALETTE.values()} | {f"c{i}" for i in range(10)}
    for match in COLOR_ARGUMENT.finditer(code):
        value = match["value"]
        assert value.lower() in allowed or _is_grey(value), (
            f"colour {value!r}: use regbook.plotting.PALETTE (or the style's cycle C0..C6)"
        )
    for name in re.findall(r"\bcmap\s*=\s*['\"]([\w]+)['\"]", code):
        assert name.removesuffix("_r") not in UNSAFE_COLORMAPS, f"colour map {name!r} is not colour-blind safe"


# --- The notation page lists every symbol the chapters define (issue 14: one symbol per meaning) ---------
# A chapter *defines* a symbol in two places: on the left of "=" in a labelled {math} block (the start of the
# block or of a part after \qquad, \quad, a comma or \text{...}, or in a chain such as "\lambda \ge
# \lambda_{\max} = ..."), or under \underbrace{...}_{s_k}; and at the start of a list item in an admonition
# titled "Notation ...". Index subscripts (i, j, k, t, t+1, ...) are dropped, so $s_k$ and $s_t$ both need
# $s$ on the page; other subscripts ($J_2$, $\lambda_{\max}$, $\lambda_{\mathrm p}$) are part of the symbol.
GREEK = ("alpha|beta|gamma|delta|epsilon|varepsilon|eta|theta|kappa|lambda|mu|nu|xi|pi|rho|sigma|tau|phi|chi|psi|"
         "omega|Gamma|Delta|Theta|Lambda|Sigma|Phi|Psi|Omega")
_BASE = rf"(?:\\(?:hat|bar|tilde)\s*\{{?\s*)?(?:\\(?:{GREEK})(?![A-Za-z])|\\(?:operatorname|mathrm)\{{\w+\}}|(?<![\\A-Za-z])[A-Za-z](?![A-Za-z]))\}}?"
_SUB = r"(?:_(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\\w+|\w))?"
_SUP = r"(?:\^(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\\w+|\w))?"
SYMBOL = _BASE + _SUB + _SUP + r"'?"
_ARGS = r"(?:\s*(?:\\big|\\Big)?\((?:[^()]|\([^()]*\))*\))?"
_BEFORE = r"(?:^|\\q?quad|,|\\text\{[^}]*\}|\\iff|\\ge|\\le|<|>)"
DEFINITION = re.compile(rf"{_BEFORE}\s*(?P<symbol>{SYMBOL}){_ARGS}\s*=(?!=)")
UNDERBRACE_NAME = re.compile(rf"\\underbrace\{{(?:[^{{}}]|\{{[^{{}}]*\}})*\}}_\{{(?P<symbol>{SYMBOL})\}}")
MATH_BLOCK = re.compile(r"```\{math\}\n:label: ([\w-]+)\n(.*?)```", re.S)
NOTATION_BOX = re.compile(r":::\{admonition\} Notation[^\n]*\n(.*?)\n:::", re.S)
INDEX_SUBSCRIPT = re.compile(r"_(?:\{[ijkt](?:\s*[+-]\s*1)?\}|[ijkt])(?![A-Za-z])")


def symbol_key(symbol: str) -> str:
    """A symbol reduced to what the notation page must show: no index subscript, no spaces, one spelling."""
    key = re.sub(r"^(\\(?:operatorname|mathrm)\{\w+\})_.*", r"\1", symbol)  # prox_{t g}: an argument
    key = re.sub(r"\\(?:operatorname|mathrm|text)\{(\w+)\}", r"\1", key)
    key = re.sub(r"\\(?:mathrm|text)\s+(\w)", r"\1", key)  # \mathrm p = \mathrm{p}
    key = re.sub(r"\^(?:\{2\}|2|\\top)$", "", key)  # a square or a transpose shows the symbol itself
    key = re.sub(r"\^\{?\\text\{[^}]*\}\}?|\^\{?\(\w+\)\}?", "", key)  # labels such as ^{\text{ridge}}
    key = INDEX_SUBSCRIPT.sub("", key)
    key = re.sub(r"\\(hat|bar|tilde)\s*\{?\s*([^{}\s]+?)\}?$", r"\\\1 \2", key)
    return re.sub(r"[\s{}]", "", key)


def defined_symbols(text: str) -> dict[str, str]:
    """Symbols a chapter's markdown defines, each with the label (or box) that defines it."""
    found: dict[str, str] = {}
    for label, body in MATH_BLOCK.findall(text):
        body = re.sub(r"^:\w+:.*\n", "", body, flags=re.M)
        for pattern in (DEFINITION, UNDERBRACE_NAME):
            for match in pattern.finditer(body):
                found.setdefault(symbol_key(match["symbol"]), label)
    for box in NOTATION_BOX.findall(text):
        for item in re.findall(r"^\s*[-*] \$([^$]+)\$", box, re.M):
            found.setdefault(symbol_key(re.split(r"[,=]", item)[0]), "notation box")
    return found


def notation_page_symbols() -> set[str]:
    text = (ROOT / "notation.md").read_text()
    keys = set()
    for span in re.findall(r"\$([^$]+)\$", text):
        for match in re.finditer(SYMBOL, span):
            keys.add(symbol_key(match.group(0)))
    return keys


def test_symbol_extraction_on_known_definitions():
    found = defined_symbols("```{math}\n:label: eq-x\nJ_2(w, b) = L(w, b) + 1, \\qquad s_k = \\frac{d_k^2}{d_k^2},"
                            " \\qquad \\hat w = 0 \\iff \\lambda \\ge \\lambda_{\\max} = 1\n```\n"
                            ":::{admonition} Notation\n- $K$: a constant\n:::")
    assert set(found) == {"J_2", "s", "\\hatw", "\\lambda_\\max", "K"}, found
    assert symbol_key("\\operatorname{df}") == "df" and symbol_key("w_{t+1}") == "w"
    assert symbol_key("\\operatorname{prox}_{t|\\cdot|}") == "prox" and symbol_key("\\sigma^2") == "\\sigma"


def test_the_notation_page_lists_every_symbol_the_chapters_define():
    listed = notation_page_symbols()
    missing, seen = [], 0
    for path in NOTEBOOKS:
        symbols = defined_symbols(markdown(nbformat.read(path, as_version=4)))
        seen += len(symbols)
        missing += [f"{path.name} {label}: {symbol}" for symbol, label in symbols.items() if symbol not in listed]
    assert seen >= 30, f"only {seen} defined symbols found: the extraction is broken"
    assert not missing, "symbols defined in the chapters but missing from notation.md:\n" + "\n".join(missing)
