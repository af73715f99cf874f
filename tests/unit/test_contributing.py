"""CONTRIBUTING.md's map of regbook cannot drift: one paragraph per public module, its docstring's first."""

from __future__ import annotations

from booktools import modules
from conftest import ROOT


def test_every_public_module_has_its_docstring_paragraph_in_contributing():
    written = modules.documented((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    public = modules.public_modules()
    missing = [name for name in public if name not in written]
    assert not missing, (
        f"public regbook module(s) without a paragraph in CONTRIBUTING.md: "
        f"{', '.join('regbook.' + n for n in missing)}; run `.venv/bin/book modules --write` "
        "(it copies each module's docstring summary) and commit CONTRIBUTING.md"
    )
    stale = [name for name in public if written[name] != modules.paragraph(name)]
    assert not stale, (
        f"CONTRIBUTING.md's paragraph differs from the docstring of {', '.join('regbook.' + n for n in stale)}; "
        "run `.venv/bin/book modules --write`"
    )
    gone = sorted(set(written) - set(public))
    assert not gone, f"CONTRIBUTING.md describes module(s) that no longer exist: {gone}; run `book modules --write`"


def test_the_map_is_exactly_what_the_generator_writes():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert modules.section() in text, "the module map was edited by hand: run `.venv/bin/book modules --write`"


def test_private_modules_are_left_out_and_a_missing_docstring_is_named(tmp_path):
    package = tmp_path / "regbook"
    package.mkdir()
    (package / "_internal.py").write_text('"""Private."""\n')
    (package / "solver.py").write_text('"""Solve things.\n\nMore detail that the map leaves out."""\n')
    (package / "bare.py").write_text("x = 1\n")
    assert modules.public_modules(package) == ["bare", "solver"]
    assert modules.paragraph("solver", package) == "- **`regbook.solver`** (`code/regbook/solver.py`): Solve things."
    try:
        modules.paragraph("bare", package)
    except ValueError as exc:
        assert "regbook.bare" in str(exc)
    else:
        raise AssertionError("a module without a docstring was accepted")
