"""The package itself: every submodule is importable by name, and lazily."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import regbook


def test_all_lists_every_public_submodule():
    found = {m.name for m in pkgutil.iter_modules(regbook.__path__) if not m.name.startswith("_")}
    assert set(regbook.__all__) == found


@pytest.mark.parametrize("name", regbook.__all__)
def test_submodules_are_reached_as_attributes(name):
    assert getattr(regbook, name) is importlib.import_module(f"regbook.{name}")


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute"):
        regbook.not_a_module  # noqa: B018


def test_a_light_import_does_not_load_matplotlib_or_sklearn():
    code = "import sys, regbook.data; print('matplotlib' in sys.modules, 'sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# --- module walls: read the sources with ast ----------------------------------------------------

PACKAGE_DIR = Path(regbook.__file__).parent
SOURCES = sorted(PACKAGE_DIR.glob("*.py"))


def _imports(path: Path):
    """``(target module, imported name, line)`` for every import in ``path`` (lazy ones included).

    ``target`` is the absolute dotted module (relative imports resolved against ``regbook``); for a
    plain ``import a.b`` the name is None.
    """
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            base = "regbook" if node.level else ""
            target = ".".join(part for part in (base, node.module or "") if part)
            for alias in node.names:
                if node.level and node.module is None:  # from . import lasso
                    yield f"regbook.{alias.name}", None, node.lineno
                else:
                    yield target, alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_sources_are_found():
    assert {p.stem for p in SOURCES} >= {"linear", "lasso", "pathwise", "_numerics", "estimators"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_module_imports_another_modules_private_names(path):
    """Private kernels shared by several modules live in private modules (``_numerics``, ...).

    Their names are public *within* the package; a public module's ``_name`` is its own.
    """
    own = f"regbook.{path.stem}"
    crossings = [
        f"line {line}: {name} from {target}"
        for target, name, line in _imports(path)
        if target.startswith("regbook") and target != own and name is not None and _is_private(name)
    ]
    assert crossings == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_private_scikit_learn_imports(path):
    """Only scikit-learn's public API: no ``sklearn._x`` module and no ``_name`` imported from it."""
    private = [
        f"line {line}: {target} {name or ''}".strip()
        for target, name, line in _imports(path)
        if target.split(".")[0] == "sklearn"
        and (any(_is_private(part) for part in target.split(".")) or (name is not None and _is_private(name)))
    ]
    assert private == []


def test_the_scan_sees_a_private_import(tmp_path):
    """The checks above can fail: a file with both kinds of import is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from .lasso import _start\ndef f():\n    from sklearn.utils._param_validation import StrOptions\n")
    found = list(_imports(bad))
    assert ("regbook.lasso", "_start", 1) in found
    assert ("sklearn.utils._param_validation", "StrOptions", 3) in found
