"""Lasso path: regbook (NumPy) against scikit-learn's compiled coordinate descent.

The first problem: n = 1000 rows, p = 100 Gaussian features with correlation 0.5^|j - k|
between features j and k, 10 non-zero true weights, unit noise; 100 values of lambda
from lambda_max down to 1e-3 lambda_max (scikit-learn's default grid), the same grid
for both. The data are centred and neither side fits an intercept
(``sklearn.linear_model.lasso_path`` never does). Both sides stop at the same
duality-gap test (relative tolerance 1e-10, scikit-learn's ``tol``), and both
compute the Gram matrix inside the timed call (scikit-learn's ``precompute='auto'``
does for n > p).

A second problem has p > n: n = 200, p = 1000 (same design), timed for the shipped
path only.

Rows:

* ``regbook.pathwise.lasso_path`` as shipped: warm starts, active-set guesses solved
  as linear systems, coordinate descent only as the fallback;
* the same with ``polish=False``: plain warm-started coordinate descent with
  strong-rule screening, one Python-level loop iteration per coordinate update
  (kept to show why the default is needed);
* the same with ``polish=False, screen=False``: cyclic coordinate descent over all
  coordinates.

The target (issue 4): within 3x of scikit-learn's time, that is ratio >= 0.33x.
"""

from __future__ import annotations

import numpy as np
from harness import Result, median_time
from sklearn.linear_model import lasso_path as sklearn_lasso_path

from regbook.lasso import lambda_max
from regbook.pathwise import lambda_grid, lasso_path

TOL = 1e-10


def make_problem(n: int, p: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Centred ``X`` (n x p, AR(1) correlation 0.5) and ``y`` with 10 true features."""
    rng = np.random.default_rng(seed)
    idx = np.arange(p)
    chol = np.linalg.cholesky(0.5 ** np.abs(np.subtract.outer(idx, idx)))
    X = rng.standard_normal((n, p)) @ chol.T
    w = np.zeros(p)
    w[: min(10, p)] = 2.0 * rng.standard_normal(min(10, p))
    y = X @ w + rng.standard_normal(n)
    return X - X.mean(axis=0), y - y.mean()


def _time_problem(n: int, p: int, k: int, repeat: int, variants) -> list[Result]:
    X, y = make_problem(n, p)
    lambdas = lambda_grid(lambda_max(X, y, fit_intercept=False), n_lambdas=k, eps=1e-3)

    def reference():
        return sklearn_lasso_path(X, y, alphas=lambdas, tol=TOL, max_iter=100_000)[1].T

    reference_time = median_time(reference, repeat=repeat)
    reference_coefs = reference()
    name = f"sklearn lasso_path (tol={TOL:g})"
    results = []
    for label, options in variants:

        def ours(options=options):
            return lasso_path(X, y, lambdas=lambdas, fit_intercept=False, tol=TOL, **options)

        # the slow variants are timed once: a median of several runs adds nothing
        ours_time = median_time(ours, repeat=repeat if not options else 1, warmup=0 if options else 1)
        path = ours()
        speedup = reference_time / ours_time
        results.append(
            Result(
                figure=f"lasso path {k} lambdas, n={n}, p={p}: {label}" + ("" if path.converged else " (NOT converged)"),
                ours=ours_time,
                reference=reference_time,
                reference_name=name,
                max_abs_diff=float(np.abs(path.coefs - reference_coefs).max()),
                tolerance=1e-6,
                target="within 3x (ratio >= 0.33x)",
                met=speedup >= 1 / 3 and path.converged,
            )
        )
    return results


def run(*, quick: bool = False) -> list[Result]:
    repeat = 1 if quick else 7
    shipped = [("as shipped", {})]
    all_variants = shipped + [
        ("polish=False (CD + strong rule)", {"polish": False}),
        ("polish=False, screen=False (plain CD)", {"polish": False, "screen": False}),
    ]
    if quick:
        return _time_problem(200, 20, 20, repeat, all_variants) + _time_problem(40, 100, 20, repeat, shipped)
    # p > n: only the shipped path (coordinate descent alone is far slower near the interpolating end)
    return _time_problem(1000, 100, 100, repeat, all_variants) + _time_problem(200, 1000, 100, 3, shipped)
