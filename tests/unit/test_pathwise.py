"""Tests for regbook.pathwise: the warm-started path and the one-lambda fast solver."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import ElasticNet, Lasso
from sklearn.linear_model import lasso_path as sklearn_lasso_path

from regbook import ConvergenceWarning
from regbook._numerics import GramProblem
from regbook.conventions import sklearn_elastic_net_params
from regbook.lasso import (
    coordinate_descent,
    duality_gap,
    kkt_violation,
    lambda_max,
)
from regbook.pathwise import LassoPath, _solve_support, fit_lasso, lambda_grid, lasso_path

TIGHT = {"tol": 1e-14, "max_iter": 1_000_000}


def _problem(seed, n=50, p=12, *, correlation=0.5, offset=2.0):
    """Correlated features (AR(1)), a sparse truth, non-zero means."""
    rng = np.random.default_rng(seed)
    idx = np.arange(p)
    chol = np.linalg.cholesky(correlation ** np.abs(np.subtract.outer(idx, idx)))
    X = rng.standard_normal((n, p)) @ chol.T + offset
    w = np.zeros(p)
    w[:4] = [3.0, -2.0, 1.0, 0.5]
    y = X @ w + 1.0 + rng.standard_normal(n)
    return X, y


def _max_kkt(path, X, y, fit_intercept=True):
    return max(
        kkt_violation(w, X, y, lam, intercept=b if fit_intercept else None, lam2=path.lam2)
        for w, lam, b in zip(path.coefs, path.lambdas, path.intercepts)
    )


def test_default_grid_is_sklearns():
    X, y = _problem(0)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    sk_alphas = sklearn_lasso_path(Xc, yc, alphas=30, eps=1e-2)[0]
    np.testing.assert_allclose(lambda_grid(lambda_max(X, y), n_lambdas=30, eps=1e-2), sk_alphas, rtol=1e-12)
    np.testing.assert_allclose(lasso_path(X, y, n_lambdas=30, eps=1e-2).lambdas, sk_alphas, rtol=1e-12)


SHIPPED, CD_SCREENED, CD_PLAIN = {}, {"polish": False}, {"polish": False, "screen": False}


@pytest.mark.parametrize(
    "seed, n, p, eps, options",
    [
        (1, 50, 12, 1e-3, SHIPPED),
        (1, 50, 12, 1e-3, CD_SCREENED),
        (1, 50, 12, 1e-3, CD_PLAIN),
        (2, 20, 60, 1e-3, SHIPPED),
        # with p > n plain coordinate descent is slow near the interpolating end of the path
        (2, 20, 60, 1e-1, CD_SCREENED),
    ],
)
def test_path_matches_sklearn_lasso_path(seed, n, p, eps, options):
    X, y = _problem(seed, n, p)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    ours = lasso_path(Xc, yc, n_lambdas=40, eps=eps, fit_intercept=False, tol=1e-14, **options)
    _, ref, _ = sklearn_lasso_path(Xc, yc, alphas=ours.lambdas, **TIGHT)
    assert ours.converged
    np.testing.assert_allclose(ours.coefs, ref.T, atol=1e-6)
    assert _max_kkt(ours, Xc, yc, fit_intercept=False) < 1e-6
    # with the intercept fitted, the raw (uncentred) data give the same weights
    with_intercept = lasso_path(X, y, lambdas=ours.lambdas, tol=1e-14, **options)
    np.testing.assert_allclose(with_intercept.coefs, ours.coefs, atol=1e-8)


def test_path_points_match_sklearn_lasso_with_intercept():
    X, y = _problem(3)
    path = lasso_path(X, y, n_lambdas=25, tol=1e-14)
    for i in (3, 12, 24):
        ref = Lasso(alpha=path.lambdas[i], **TIGHT).fit(X, y)
        np.testing.assert_allclose(path.coefs[i], ref.coef_, atol=1e-6)
        assert path.intercepts[i] == pytest.approx(ref.intercept_, abs=1e-6)


@pytest.mark.parametrize("lam2", [0.1, 1.0])
def test_elastic_net_path_points_match_sklearn(lam2):
    X, y = _problem(4)
    path = lasso_path(X, y, n_lambdas=15, lam2=lam2, tol=1e-14)
    assert path.lam2 == lam2 and path.converged
    for i in (2, 8, 14):
        alpha, l1_ratio = sklearn_elastic_net_params(path.lambdas[i], lam2)
        ref = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
        np.testing.assert_allclose(path.coefs[i], ref.coef_, atol=1e-6)
    assert _max_kkt(path, X, y) < 1e-6


@given(seed=st.integers(0, 10_000), correlation=st.floats(0.0, 0.99), lam2=st.sampled_from([0.0, 0.5]))
def test_kkt_holds_along_the_path_and_zero_above_lambda_max(seed, correlation, lam2):
    X, y = _problem(seed, n=30, p=10, correlation=correlation)
    lam_max = lambda_max(X, y)
    lambdas = np.concatenate([lam_max * np.array([10.0, 1.0]), lambda_grid(lam_max, n_lambdas=15, eps=1e-3)])
    path = lasso_path(X, y, lambdas=lambdas, lam2=lam2, tol=1e-12)
    assert path.converged
    assert np.all(path.coefs[:3] == 0.0)  # lambda >= lambda_max: exactly zero
    assert _max_kkt(path, X, y) < 1e-5


def test_at_most_n_minus_one_nonzeros_when_p_exceeds_n():
    # With an intercept, the centred data have rank n - 1: a lasso solution (unique for data in
    # general position) has at most n - 1 non-zero weights. The elastic net has no such limit.
    X, y = _problem(5, n=15, p=40, correlation=0.0)
    lasso = lasso_path(X, y, eps=1e-4)
    enet = lasso_path(X, y, eps=1e-4, lam2=0.1)
    assert np.count_nonzero(lasso.coefs, axis=1).max() == X.shape[0] - 1
    assert np.count_nonzero(enet.coefs, axis=1).max() > X.shape[0]
    assert _max_kkt(lasso, X, y) < 1e-6 and _max_kkt(enet, X, y) < 1e-6


def test_duplicated_column_singular_gram_still_converges():
    X, y = _problem(6, n=40, p=6)
    X[:, 1] = X[:, 0]  # the Gram matrix is singular; the lasso solution is not unique
    path = lasso_path(X, y, n_lambdas=30)
    assert path.converged
    assert _max_kkt(path, X, y) < 1e-6
    # every solution has the same w_0 + w_1 as scikit-learn's (the split may differ)
    ref = Lasso(alpha=path.lambdas[20], **TIGHT).fit(X, y)
    assert path.coefs[20, :2].sum() == pytest.approx(ref.coef_[:2].sum(), abs=1e-6)


def test_warm_starts_and_active_set_guesses_save_sweeps():
    X, y = _problem(7, n=80, p=15)
    shipped = lasso_path(X, y, n_lambdas=50)
    plain = lasso_path(X, y, n_lambdas=50, polish=False, screen=False)
    assert shipped.sweeps.sum() < plain.sweeps.sum()
    np.testing.assert_allclose(shipped.coefs, plain.coefs, atol=1e-6)
    cold = sum(coordinate_descent(X, y, lam).n_iter for lam in plain.lambdas)
    assert plain.sweeps.sum() < cold  # warm starts alone already help plain coordinate descent


def test_path_is_read_only_and_shaped():
    X, y = _problem(8)
    path = lasso_path(X, y, n_lambdas=7)
    assert isinstance(path, LassoPath)
    assert path.coefs.shape == (7, X.shape[1]) and path.intercepts.shape == (7,)
    for name in ("lambdas", "coefs", "intercepts", "gaps", "sweeps"):
        assert not getattr(path, name).flags.writeable


@pytest.mark.parametrize("seed", range(3))
def test_fit_lasso_matches_sklearn_and_coordinate_descent(seed):
    X, y = _problem(seed, correlation=0.95)
    lam = 0.05 * lambda_max(X, y)
    fit = fit_lasso(X, y, lam, tol=1e-14)
    ref = Lasso(alpha=lam, **TIGHT).fit(X, y)
    np.testing.assert_allclose(fit.coef, ref.coef_, atol=1e-6)
    assert fit.intercept == pytest.approx(ref.intercept_, abs=1e-6)
    assert fit.converged and fit.objective.shape == (1,)
    np.testing.assert_allclose(fit.coef, coordinate_descent(X, y, lam, tol=1e-14).coef, atol=1e-6)


# --- regression: no wrong answer marked converged ------------------------------------------
# The shipped path once solved guessed supports larger than n with np.linalg.solve on a singular
# system and accepted coefficients of ~1e15 because the fast O(p) gap formula cancels at huge ||w||;
# which points failed depended on the OpenBLAS kernel. Every reported success must now pass KKT
# computed from the residuals, on many random shapes, in every mode.

SHAPES = [(20, 60), (50, 12), (15, 100), (40, 40)]  # p > n, p < n, p >> n, p = n


def _random_problem(seed):
    """Shape from SHAPES, AR(1) correlation in [0, 0.99), offset means, a sparse truth."""
    rng = np.random.default_rng(seed)
    n, p = SHAPES[seed % len(SHAPES)]
    corr = rng.uniform(0.0, 0.99) if seed % 3 else 0.0
    idx = np.arange(p)
    X = rng.standard_normal((n, p)) @ np.linalg.cholesky(corr ** np.abs(np.subtract.outer(idx, idx))).T
    X += rng.uniform(-3.0, 3.0)
    w = np.zeros(p)
    w[rng.choice(p, 5, replace=False)] = 2.0 * rng.standard_normal(5)
    y = X @ w + 1.0 + rng.standard_normal(n)
    fit_intercept = bool(seed % 2)
    if not fit_intercept:
        X, y = X - X.mean(axis=0), y - y.mean()
    return X, y, fit_intercept


def _assert_certified(path, X, y, fit_intercept, tol):
    """Every point of a converged path: KKT from the residuals, the gap, and the l1 bound."""
    yc = y - y.mean() if fit_intercept else y
    yy = float(yc @ yc) / len(y)
    for w, lam, b in zip(path.coefs, path.lambdas, path.intercepts):
        assert kkt_violation(w, X, y, lam, intercept=b if fit_intercept else None, lam2=path.lam2) < 1e-5 * lam
        gap = duality_gap(w, X, y, lam, lam2=path.lam2, fit_intercept=fit_intercept)
        assert gap <= 10 * tol * yy
        assert lam * np.abs(w).sum() <= 0.5 * yy + gap


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["shipped", "screened", "plain"])
@pytest.mark.parametrize("seed", range(16))
def test_random_paths_pass_kkt_at_every_point(seed, mode):
    X, y, fit_intercept = _random_problem(seed)
    if mode != "shipped" and X.shape[1] > X.shape[0]:
        pytest.skip("coordinate descent alone with p > n is slow near the interpolating end")
    options = {"shipped": SHIPPED, "screened": CD_SCREENED, "plain": CD_PLAIN}[mode]
    path = lasso_path(X, y, n_lambdas=30, fit_intercept=fit_intercept, tol=1e-12, **options)
    assert path.converged  # max_iter is ample for these sizes
    _assert_certified(path, X, y, fit_intercept, 1e-12)
    fit = fit_lasso(X, y, float(path.lambdas[10]), fit_intercept=fit_intercept, tol=1e-12)  # cold start
    assert fit.converged
    assert kkt_violation(fit.coef, X, y, fit.lam, intercept=fit.intercept if fit_intercept else None) < 1e-5 * fit.lam


def test_an_unconverged_point_is_reported_with_its_true_gap():
    X, y, fit_intercept = _random_problem(2)  # p > n, where coordinate descent is slow
    with pytest.warns(ConvergenceWarning, match="converged=False"):
        path = lasso_path(X, y, n_lambdas=30, fit_intercept=fit_intercept, max_iter=1, polish=False)
    assert not path.converged
    for w, lam, gap in zip(path.coefs, path.lambdas, path.gaps):
        assert gap == pytest.approx(duality_gap(w, X, y, lam, fit_intercept=fit_intercept), rel=1e-6, abs=1e-15)


def test_certificate_rejects_a_huge_null_space_point_the_fast_gap_accepts():
    X, y, _ = _random_problem(2)
    problem = GramProblem.from_data(X, y, 0.0, True)
    lam = 0.01 * lambda_max(X, y)
    w = coordinate_descent(X, y, lam, tol=1e-14).coef
    null = np.linalg.svd(X - X.mean(axis=0))[2][-1]  # Xc @ null = 0 (p > n)
    huge = w + 1e15 * null
    assert not problem.accepts(lam, huge, 1e-10 * problem.yy)[0]
    assert problem.accepts(lam, w, 1e-10 * problem.yy)[0]


def test_support_larger_than_the_rank_is_not_solved():
    X, y, _ = _random_problem(2)  # n = 20, p = 60, centred: rank 19
    problem = GramProblem.from_data(X, y, 0.0, True)
    A = np.arange(problem.rank_bound + 1)
    assert _solve_support(problem, 0.1, A, np.ones(A.size)) is None
    assert _solve_support(problem, 0.1, A[:-2], np.ones(A.size - 2)) is not None
    X[:, 1] = X[:, 0]  # H_AA exactly singular with two columns
    problem = GramProblem.from_data(X, y, 0.0, True)
    assert _solve_support(problem, 0.1, np.array([0, 1]), np.ones(2)) is None


KERNELS = ["SkylakeX", "Sandybridge", "Haswell"]
_KERNEL_SCRIPT = """
import numpy as np
from test_pathwise import _random_problem, _assert_certified
from regbook.pathwise import lasso_path
for seed in range(12):
    X, y, fit_intercept = _random_problem(seed)
    path = lasso_path(X, y, n_lambdas=30, fit_intercept=fit_intercept, tol=1e-12)
    assert path.converged, seed
    _assert_certified(path, X, y, fit_intercept, 1e-12)
print("ok")
"""


@pytest.mark.slow
@pytest.mark.parametrize("kernel", KERNELS)
def test_random_paths_certified_under_other_openblas_kernels(kernel):
    # OpenBLAS picks its kernel when it loads: only a fresh process can use another one.
    env = {**os.environ, "OPENBLAS_CORETYPE": kernel, "PYTHONPATH": str(Path(__file__).parent)}
    done = subprocess.run([sys.executable, "-c", _KERNEL_SCRIPT], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


X_OK, Y_OK = _problem(9, n=10, p=4)


@pytest.mark.parametrize(
    "call, argname",
    [
        (lambda: lasso_path(X_OK, Y_OK, lambdas=[0.1, 0.0]), "lambdas"),
        (lambda: lasso_path(X_OK, Y_OK, lambdas=[[0.1]]), "lambdas"),
        (lambda: lasso_path(X_OK, Y_OK, n_lambdas=0), "n_lambdas"),
        (lambda: lasso_path(X_OK, Y_OK, eps=0.0), "eps"),
        (lambda: lasso_path(X_OK, Y_OK, eps=2.0), "eps"),
        (lambda: lasso_path(X_OK, Y_OK, lam2=-1.0), "lam2"),
        (lambda: lasso_path(X_OK, Y_OK, tol=-1.0), "tol"),
        (lambda: lasso_path(X_OK, Y_OK, max_iter=0), "max_iter"),
        (lambda: lasso_path(X_OK, Y_OK, screen="yes"), "screen"),
        (lambda: lasso_path(X_OK, Y_OK, polish=None), "polish"),
        (lambda: lasso_path(X_OK, np.full(10, 3.0)), "y"),
        (lambda: lasso_path(X_OK, Y_OK[:5]), "y"),
        (lambda: lambda_grid(0.0), "lam_max"),
        (lambda: fit_lasso(X_OK, Y_OK, 0.0), "lam"),
        (lambda: fit_lasso(X_OK, Y_OK, 0.1, lam2=np.nan), "lam2"),
    ],
)
def test_bad_input(call, argname):
    with pytest.raises(ValueError, match=argname):
        call()
