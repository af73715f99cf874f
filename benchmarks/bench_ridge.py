"""Ridge for many lambdas: one SVD (``regbook.ridge``) against scikit-learn refitted once per lambda.

The problem: ``n = 2000`` examples, ``p = 200`` correlated, non-centred features, 100 strengths
``lam`` log-spaced over ``[1e-4, 1e2]`` (book convention, ``Ridge(alpha=n * lam)``), intercept fitted.

* **ours**: :func:`regbook.ridge.ridge_path`: centre, one thin SVD (``O(n p^2)``), then each ``lam``
  costs ``O(p^2)``.
* **reference**: ``sklearn.linear_model.Ridge(alpha=n * lam).fit(X, y)`` for each ``lam``, with
  ``solver="cholesky"`` (what ``solver="auto"`` picks for this dense problem: it forms ``X^T X`` and
  solves, ``O(n p^2)`` per fit) and with ``solver="svd"`` (the same algorithm as ours, redone per fit).

Both are direct solvers, exact up to rounding, so the comparison is at equal accuracy: the table reports
the largest absolute difference between all 100 x 200 coefficients and all 100 intercepts, which must
stay below ``TOLERANCE``. A third row compares the leave-one-out errors for the same 100 strengths
with ``RidgeCV(alphas=n * lambdas, store_cv_results=True)``, which also decomposes once.
"""

from __future__ import annotations

import numpy as np
from harness import Result, median_time
from sklearn.linear_model import Ridge, RidgeCV

from regbook.ridge import ridge_path, ridge_svd

TOLERANCE = 1e-8  # coefficients are O(1) here; both sides are direct solvers (differences ~1e-13)


def problem(n: int, p: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Correlated Gaussian features with non-zero means, and a noisy linear target."""
    rng = np.random.default_rng(seed)
    mixing = np.eye(p) + rng.normal(scale=0.3 / np.sqrt(p), size=(p, p))
    X = rng.normal(size=(n, p)) @ mixing + rng.normal(size=p)
    y = X @ rng.normal(size=p) / np.sqrt(p) + 3.0 + rng.normal(size=n)
    return X, y


def sklearn_path(X, y, lambdas, solver: str) -> tuple[np.ndarray, np.ndarray]:
    n = X.shape[0]
    fits = [Ridge(alpha=n * lam, solver=solver).fit(X, y) for lam in lambdas]
    return np.array([f.coef_ for f in fits]), np.array([f.intercept_ for f in fits])


def run(*, quick: bool = False) -> list[Result]:
    n, p, k = (60, 8, 5) if quick else (2000, 200, 100)
    repeat = 1 if quick else 3
    X, y = problem(n, p)
    lambdas = np.logspace(-4, 2, k)
    size = f"{k} lambdas, n={n}, p={p}"
    results = []

    coefs, intercepts = ridge_path(X, y, lambdas)
    ours = median_time(lambda: ridge_path(X, y, lambdas), repeat=repeat)
    for solver in ("cholesky", "svd"):
        ref_coefs, ref_intercepts = sklearn_path(X, y, lambdas, solver)
        diff = max(np.max(np.abs(coefs - ref_coefs)), np.max(np.abs(intercepts - ref_intercepts)))
        reference = median_time(lambda: sklearn_path(X, y, lambdas, solver), repeat=repeat)
        results.append(Result(
            figure=f"ridge path, {size}: one SVD",
            ours=ours,
            reference=reference,
            reference_name=f"sklearn Ridge(solver='{solver}') refitted x {k}",
            max_abs_diff=float(diff),
            tolerance=TOLERANCE,
            target=">= 5x faster" if solver == "cholesky" else "-",
            met=(reference / ours >= 5.0) if solver == "cholesky" and not quick else None,
        ))

    def our_loo():
        decomposition = ridge_svd(X, y)
        return np.column_stack([decomposition.loo_residuals(lam) ** 2 for lam in lambdas])

    def sklearn_loo():
        return RidgeCV(alphas=n * lambdas, store_cv_results=True).fit(X, y).cv_results_

    diff = np.max(np.abs(our_loo() - sklearn_loo()))
    results.append(Result(
        figure=f"leave-one-out squared errors, {size}",
        ours=median_time(our_loo, repeat=repeat),
        reference=median_time(sklearn_loo, repeat=repeat),
        reference_name="sklearn RidgeCV (exact LOO, one decomposition)",
        max_abs_diff=float(diff),
        tolerance=1e-6,  # squared errors of size ~1-10; RidgeCV's 'auto' mode eigendecomposes X^T X
        target="-",
    ))
    return results
