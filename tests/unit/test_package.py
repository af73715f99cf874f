"""The package itself: every submodule is importable by name, and lazily."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import numpy as np
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


# --- one non-convergence policy: converged=False on the result and a ConvergenceWarning -----------


def _policy_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 8)) @ np.triu(np.ones((8, 8)))  # correlated columns: slow to solve
    y = X[:, 0] - 2 * X[:, 3] + rng.normal(size=30)
    return X, y


def _unconverged_runs():
    """``(name, run)``: each iterative solver, given too little work to pass its stopping test."""
    from regbook import implicit, lasso, logistic, pathwise, ridge

    X, y = _policy_data()
    labels = (y > np.median(y)).astype(float)
    return [
        ("lasso.coordinate_descent", lambda: lasso.coordinate_descent(X, y, 0.01, tol=1e-15, max_iter=1)),
        ("lasso.fit_elastic_net", lambda: lasso.fit_elastic_net(X, y, 0.01, 0.1, tol=1e-15, max_iter=1)),
        ("lasso.ista", lambda: lasso.ista(X, y, 0.01, tol=1e-15, max_iter=1)),
        ("lasso.fista", lambda: lasso.fista(X, y, 0.01, tol=1e-15, max_iter=1)),
        ("pathwise.lasso_path", lambda: pathwise.lasso_path(X, y, n_lambdas=5, tol=1e-15, max_iter=1, polish=False)),
        ("pathwise.fit_lasso", lambda: pathwise.fit_lasso(X, y, 0.001, tol=1e-300, max_iter=1)),
        ("logistic.fit_logistic_l2", lambda: logistic.fit_logistic_l2(X, labels, 1e-3, max_iter=1)),
        ("ridge.fit_ridge_gradient_descent", lambda: ridge.fit_ridge_gradient_descent(
            X, y, 0.0, learning_rate=1.1 * ridge.max_stable_learning_rate(X, 0.0), n_steps=10_000)),
        ("implicit.evidence_fixed_point", lambda: implicit.evidence_fixed_point(X, y, max_iter=1)),
    ]


@pytest.mark.parametrize("name, run", _unconverged_runs(), ids=[name for name, _ in _unconverged_runs()])
def test_an_unconverged_solver_warns_and_says_so_on_its_result(name, run):
    with pytest.warns(regbook.ConvergenceWarning):
        result = run()
    assert result.converged is False


def test_a_converged_solver_does_not_warn():
    import warnings

    from regbook import implicit, lasso, logistic, pathwise, ridge

    X, y = _policy_data()
    labels = (y > np.median(y)).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("error", regbook.ConvergenceWarning)
        results = [
            lasso.coordinate_descent(X, y, 0.1), lasso.fista(X, y, 0.1), pathwise.fit_lasso(X, y, 0.1),
            pathwise.lasso_path(X, y, n_lambdas=5), logistic.fit_logistic_l2(X, labels, 0.1),
            ridge.fit_ridge_gradient_descent(X, y, 0.1, learning_rate=0.5 * ridge.max_stable_learning_rate(X, 0.1),
                                             n_steps=100),
            implicit.evidence_fixed_point(X, y),
        ]
    assert all(result.converged for result in results)


def test_the_policy_is_documented_in_the_package_docstring():
    assert "ConvergenceWarning" in regbook.__doc__ and "converged" in regbook.__doc__
    assert issubclass(regbook.ConvergenceWarning, UserWarning)


@pytest.mark.parametrize("name", [name for name, _ in _unconverged_runs()] + ["implicit.max_margin_direction"])
def test_each_solver_documents_the_policy(name):
    module, function = name.split(".")
    assert "ConvergenceWarning" in getattr(getattr(regbook, module), function).__doc__
