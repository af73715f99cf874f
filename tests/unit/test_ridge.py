"""Tests for regbook.ridge: solvers against scikit-learn, the SVD quantities against explicit matrices,
leave-one-out against brute-force refits and RidgeCV, gradient descent, the Bayesian view, bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import Ridge, RidgeCV

from regbook import ConvergenceWarning
from regbook.linear import fit_least_squares, fit_ridge, ridge_objective
from regbook.ridge import (
    effective_degrees_of_freedom,
    fit_ridge_cholesky,
    fit_ridge_gradient_descent,
    fit_ridge_svd,
    gaussian_posterior,
    gcv_score,
    hat_matrix_diagonal,
    lam_for_gaussian_prior,
    loo_residuals,
    max_stable_learning_rate,
    ridge_condition_number,
    ridge_path,
    ridge_svd,
    shrinkage_factors,
)

SOLVERS = [fit_ridge_svd, fit_ridge_cholesky]


def _problem(seed, n=30, p=4):
    """A random regression problem with non-zero means and correlated columns."""
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=2.0, size=(n, p)) @ (np.eye(p) + 0.5 * rng.normal(size=(p, p)))
    y = X @ rng.normal(size=p) + 1.5 + 0.5 * rng.normal(size=n)
    return X, y


def _explicit_hat(X, lam, fit_intercept):
    """H = A (A^T A + P)^{-1} A^T with A = [1, X] and P = diag(0, n lam I): no centring, no SVD."""
    n, p = X.shape
    if fit_intercept:
        A = np.c_[np.ones(n), X]
        P = np.diag(np.r_[0.0, np.full(p, n * lam)])
    else:
        A, P = X, n * lam * np.eye(p)
    return A @ np.linalg.solve(A.T @ A + P, A.T)


# --- solvers against scikit-learn ----------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("shape", [(30, 4), (12, 25)])  # tall (primal) and wide (dual for Cholesky)
@pytest.mark.parametrize("lam", [1e-4, 0.05, 3.0])
def test_solvers_match_sklearn_ridge_alpha_n_lam(solver, fit_intercept, shape, lam):
    X, y = _problem(1, *shape)
    n = shape[0]
    ours = solver(X, y, lam, fit_intercept=fit_intercept)
    ref = Ridge(alpha=n * lam, fit_intercept=fit_intercept, solver="svd").fit(X, y)
    np.testing.assert_allclose(ours.coef, ref.coef_, rtol=1e-8, atol=1e-12)
    assert ours.intercept == pytest.approx(ref.intercept_, rel=1e-8, abs=1e-12)
    # ... and with the augmented least-squares solver of regbook.linear
    np.testing.assert_allclose(ours.coef, fit_ridge(X, y, lam, fit_intercept=fit_intercept).coef, rtol=1e-8)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_path_from_one_svd_equals_separate_fits_and_sklearn(fit_intercept):
    X, y = _problem(2, 40, 6)
    lambdas = np.array([3.0, 0.0, 1e-3, 0.2])  # any order, zero included
    coefs, intercepts = ridge_path(X, y, lambdas, fit_intercept=fit_intercept)
    assert coefs.shape == (4, 6) and intercepts.shape == (4,)
    for lam, w, b in zip(lambdas, coefs, intercepts):
        single = fit_ridge_svd(X, y, lam, fit_intercept=fit_intercept)
        np.testing.assert_allclose(w, single.coef, rtol=1e-12, atol=1e-14)
        assert b == pytest.approx(single.intercept, rel=1e-12, abs=1e-14)
        if lam > 0:
            ref = Ridge(alpha=40 * lam, fit_intercept=fit_intercept).fit(X, y)
            np.testing.assert_allclose(w, ref.coef_, rtol=1e-8)


@pytest.mark.parametrize("shape", [(30, 4), (8, 15)])
def test_svd_at_lam_zero_is_minimum_norm_least_squares(shape):
    X, y = _problem(3, *shape)
    np.testing.assert_allclose(fit_ridge_svd(X, y, 0.0).coef, fit_least_squares(X, y).coef, rtol=1e-9)


def test_duplicated_column_singular_for_cholesky_shared_equally_by_ridge():
    rng = np.random.default_rng(4)
    x = rng.normal(size=25)
    X = np.c_[x, x]
    y = 2.0 * x + rng.normal(size=25)
    with pytest.raises(ValueError, match="lam"):
        fit_ridge_cholesky(X, y, 0.0)
    for lam in (1e-3, 0.1, 10.0):
        w = fit_ridge_cholesky(X, y, lam).coef
        assert w[0] == pytest.approx(w[1], rel=1e-10)
        np.testing.assert_allclose(w, fit_ridge_svd(X, y, lam).coef, rtol=1e-8)
    # For tiny lam the system is nearly singular (condition number ~ ||x||^2 / (n lam)); the SVD solver,
    # which never forms X^T X, still splits the weight equally to rounding error.
    w = fit_ridge_svd(X, y, 1e-9).coef
    assert w[0] == pytest.approx(w[1], rel=1e-12)


def test_orthonormal_design_divides_least_squares_by_one_plus_lam():
    # Centred columns with Xc^T Xc = n I: w(lam) = w_ols / (1 + lam), shrinkage factors 1 / (1 + lam).
    n, p = 50, 3
    rng = np.random.default_rng(5)
    Q, _ = np.linalg.qr(np.c_[np.ones(n), rng.normal(size=(n, p))])
    X = np.sqrt(n) * Q[:, 1:]
    y = rng.normal(loc=1.0, size=n)
    ols = fit_least_squares(X, y).coef
    for lam in (0.0, 0.5, 4.0):
        np.testing.assert_allclose(fit_ridge_svd(X, y, lam).coef, ols / (1 + lam), rtol=1e-10)
        np.testing.assert_allclose(shrinkage_factors(X, lam), np.full(p, 1 / (1 + lam)), rtol=1e-10)


# --- the SVD quantities against explicit matrices ------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("shape", [(20, 5), (10, 14)])
def test_hat_diagonal_dof_and_gcv_against_explicit_hat_matrix(fit_intercept, shape):
    X, y = _problem(6, *shape)
    n = shape[0]
    for lam in (1e-3, 0.3):
        H = _explicit_hat(X, lam, fit_intercept)
        np.testing.assert_allclose(hat_matrix_diagonal(X, lam, fit_intercept=fit_intercept), np.diag(H), rtol=1e-9)
        dof = effective_degrees_of_freedom(X, lam, fit_intercept=fit_intercept)
        assert dof + fit_intercept == pytest.approx(np.trace(H), rel=1e-9)
        residual = y - H @ y
        gcv = (residual @ residual / n) / (1 - np.trace(H) / n) ** 2
        assert gcv_score(X, y, lam, fit_intercept=fit_intercept) == pytest.approx(gcv, rel=1e-8)
        np.testing.assert_allclose(
            ridge_svd(X, y, fit_intercept=fit_intercept).fitted(lam),
            fit_ridge(X, y, lam, fit_intercept=fit_intercept).predict(X), rtol=1e-9,
        )


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_condition_number_matches_numpy(fit_intercept):
    for shape in [(30, 5), (6, 9)]:
        X, _ = _problem(7, *shape)
        n, p = shape
        Xc = X - X.mean(axis=0) if fit_intercept else X
        for lam in (1e-4, 0.1, 10.0):
            expected = np.linalg.cond(Xc.T @ Xc + n * lam * np.eye(p))
            got = ridge_condition_number(X, lam, fit_intercept=fit_intercept)
            assert got == pytest.approx(expected, rel=1e-6)
    # singular at lam = 0 when p > rank
    assert ridge_condition_number(_problem(7, 6, 9)[0], 0.0) == np.inf


# --- leave-one-out -------------------------------------------------------------------------


@given(seed=st.integers(0, 2**32 - 1), lam=st.floats(1e-4, 10.0), fit_intercept=st.booleans(),
       wide=st.booleans())
def test_loo_shortcut_equals_brute_force_refits(seed, lam, fit_intercept, wide):
    X, y = _problem(seed, *((8, 12) if wide else (15, 4)))
    n = X.shape[0]
    shortcut = loo_residuals(X, y, lam, fit_intercept=fit_intercept)
    # Refit without example i at the same *summed* strength alpha = n lam, i.e. lam' = n lam / (n - 1).
    brute = np.empty(n)
    for i in range(n):
        keep = np.arange(n) != i
        model = fit_ridge(X[keep], y[keep], n * lam / (n - 1), fit_intercept=fit_intercept)
        brute[i] = y[i] - model.predict(X[i:i + 1])[0]
    np.testing.assert_allclose(shortcut, brute, rtol=1e-7, atol=1e-9)


def test_loo_shortcut_is_not_the_refit_at_the_same_mean_loss_lam():
    # The distinction above is real: refitting with the same lam (not n lam / (n - 1)) differs.
    X, y = _problem(8, 15, 4)
    lam, n = 0.5, 15
    brute_same_lam = np.array([
        y[i] - fit_ridge(np.delete(X, i, 0), np.delete(y, i), lam).predict(X[i:i + 1])[0] for i in range(n)
    ])
    assert np.max(np.abs(loo_residuals(X, y, lam) - brute_same_lam)) > 1e-3


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("gcv_mode", ["auto", "svd"])
@pytest.mark.parametrize("shape", [(40, 6), (15, 30)])
def test_loo_matches_ridgecv(fit_intercept, gcv_mode, shape):
    # RidgeCV(cv=None) computes exact leave-one-out errors at fixed alpha = n lam; its alphas must be
    # passed explicitly (the default grid is (0.1, 1, 10)) and be strictly positive.
    X, y = _problem(9, *shape)
    n = shape[0]
    lambdas = np.logspace(-3, 1, 9)
    cv = RidgeCV(alphas=n * lambdas, fit_intercept=fit_intercept, gcv_mode=gcv_mode, store_cv_results=True)
    cv.fit(X, y)
    decomposition = ridge_svd(X, y, fit_intercept=fit_intercept)
    ours = np.column_stack([decomposition.loo_residuals(lam) ** 2 for lam in lambdas])
    np.testing.assert_allclose(ours, cv.cv_results_, rtol=1e-8, atol=1e-10)
    loo_mse = np.array([decomposition.loo_mse(lam) for lam in lambdas])
    assert cv.alpha_ == pytest.approx(n * lambdas[np.argmin(loo_mse)])
    assert cv.best_score_ == pytest.approx(-loo_mse.min(), rel=1e-8)


def test_loo_undefined_for_an_interpolating_fit():
    X, y = _problem(10, 8, 12)
    with pytest.raises(ValueError, match="lam"):
        loo_residuals(X, y, 0.0)
    with pytest.raises(ValueError, match="lam"):
        gcv_score(X, y, 0.0)


# --- invariants ----------------------------------------------------------------------------


@given(seed=st.integers(0, 2**32 - 1), lambdas=st.lists(st.floats(0.0, 1e3), min_size=2, max_size=8),
       fit_intercept=st.booleans(), wide=st.booleans())
def test_norm_non_increasing_and_dof_decreasing_in_lam(seed, lambdas, fit_intercept, wide):
    X, y = _problem(seed, *((9, 14) if wide else (20, 5)))
    lambdas = np.sort(lambdas)
    decomposition = ridge_svd(X, y, fit_intercept=fit_intercept)
    coefs, _ = decomposition.path(lambdas)
    norms = np.linalg.norm(coefs, axis=1)
    assert np.all(np.diff(norms) <= 1e-9 * norms[:-1] + 1e-300)
    dof = np.array([decomposition.effective_dof(lam) for lam in lambdas])
    assert np.all(np.diff(dof) <= 1e-12)
    assert np.all((dof >= 0) & (dof <= decomposition.rank + 1e-12))
    # the bound ||w|| <= ||yc|| / (2 sqrt(n lam)), whatever X is
    yc = y - y.mean() if fit_intercept else y
    positive = lambdas > 0
    bound = np.linalg.norm(yc) / (2 * np.sqrt(X.shape[0] * lambdas[positive]))
    assert np.all(norms[positive] <= bound * (1 + 1e-9))


def test_dof_runs_from_rank_to_zero():
    X, _ = _problem(11, 10, 20)  # rank of the centred X is n - 1 = 9
    assert effective_degrees_of_freedom(X, 0.0) == pytest.approx(9.0)
    assert effective_degrees_of_freedom(X, 0.0, fit_intercept=False) == pytest.approx(10.0)
    assert effective_degrees_of_freedom(X, 1e12) < 1e-8


# --- gradient descent ----------------------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_gradient_descent_converges_to_closed_form_monotonically(fit_intercept):
    X, y = _problem(12, 40, 5)
    lam = 0.3
    eta = 0.5 * max_stable_learning_rate(X, lam, fit_intercept=fit_intercept)
    result = fit_ridge_gradient_descent(X, y, lam, learning_rate=eta, n_steps=5000, fit_intercept=fit_intercept)
    exact = fit_ridge_svd(X, y, lam, fit_intercept=fit_intercept)
    assert not result.diverged and result.n_steps == 5000
    np.testing.assert_allclose(result.model.coef, exact.coef, rtol=1e-9, atol=1e-12)
    assert result.model.intercept == pytest.approx(exact.intercept, rel=1e-9)
    assert np.all(np.diff(result.objective) <= 1e-12)
    # the recorded objective is the book's J at (w_t, b(w_t))
    assert result.objective[-1] == pytest.approx(
        ridge_objective(result.model.coef, X, y, lam, intercept=result.model.intercept), rel=1e-12)


def test_first_gradient_step_is_weight_decay_plus_data_step():
    X, y = _problem(13, 10, 3)
    lam, eta, n = 0.2, 0.01, 10
    one = fit_ridge_gradient_descent(X, y, lam, learning_rate=eta, n_steps=1).model.coef
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    np.testing.assert_allclose(one, (1 - eta * lam) * 0.0 + eta / n * Xc.T @ yc, rtol=1e-12)


@pytest.mark.parametrize("lam", [0.0, 0.5])
def test_stability_threshold_of_gradient_descent(lam):
    X, y = _problem(14, 30, 4)
    eta_max = max_stable_learning_rate(X, lam)
    below = fit_ridge_gradient_descent(X, y, lam, learning_rate=0.98 * eta_max, n_steps=3000)
    with pytest.warns(ConvergenceWarning, match="diverged"):
        above = fit_ridge_gradient_descent(X, y, lam, learning_rate=1.02 * eta_max, n_steps=3000)
    assert not below.diverged and above.diverged and above.n_steps < 3000
    assert below.converged and not above.converged
    # lam > 0 lowers the threshold: 2 / (d_max^2 / n + lam) < 2 / (d_max^2 / n)
    if lam > 0:
        assert eta_max < max_stable_learning_rate(X, 0.0)


def test_gradient_descent_that_overflows_stops_at_its_last_finite_iterate():
    # X ~ 1e200: the first step's gradient overflows. Whether the objective then reads inf or NaN
    # depends on the CPU's BLAS kernel; either way the run reports divergence with a finite model.
    X, y = _problem(15, 30, 4)
    result = fit_ridge_gradient_descent(1e200 * X, y, 0.1, learning_rate=0.1, n_steps=10)
    assert result.diverged and result.n_steps == 0
    assert np.all(np.isfinite(result.model.coef)) and np.isfinite(result.model.intercept)
    assert np.all(np.isfinite(result.objective))


# --- Bayesian view -------------------------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_posterior_mean_is_ridge_at_lam_sigma2_over_n_tau2(fit_intercept):
    X, y = _problem(15, 25, 6)
    n, p = X.shape
    noise_var, prior_var = 0.7, 0.2
    post = gaussian_posterior(X, y, noise_var=noise_var, prior_var=prior_var, fit_intercept=fit_intercept)
    lam = lam_for_gaussian_prior(n, noise_var=noise_var, prior_var=prior_var)
    assert lam == pytest.approx(noise_var / (n * prior_var))
    ridge = fit_ridge_svd(X, y, lam, fit_intercept=fit_intercept)
    np.testing.assert_allclose(post.mean, ridge.coef, rtol=1e-9)
    assert post.intercept == pytest.approx(ridge.intercept, rel=1e-9, abs=1e-12)
    # covariance sigma^2 (Xc^T Xc + n lam I)^{-1}
    Xc = X - X.mean(axis=0) if fit_intercept else X
    np.testing.assert_allclose(post.cov, noise_var * np.linalg.inv(Xc.T @ Xc + n * lam * np.eye(p)), rtol=1e-9)


def test_posterior_mean_by_gaussian_conditioning():
    # Joint Gaussian (w, y): E[w | y] = tau^2 X^T (tau^2 X X^T + sigma^2 I)^{-1} y  (n x n system).
    X, y = _problem(16, 12, 20)
    noise_var, prior_var = 0.3, 1.5
    conditional = prior_var * X.T @ np.linalg.solve(prior_var * X @ X.T + noise_var * np.eye(12), y)
    post = gaussian_posterior(X, y, noise_var=noise_var, prior_var=prior_var, fit_intercept=False)
    np.testing.assert_allclose(post.mean, conditional, rtol=1e-9)


# --- bad input -----------------------------------------------------------------------------

GOOD_X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0], [2.0, 0.0]])
GOOD_Y = np.array([1.0, 2.0, 4.0, 0.5])


@pytest.mark.parametrize("fun", [fit_ridge_svd, fit_ridge_cholesky, loo_residuals, gcv_score])
@pytest.mark.parametrize("kwargs, argname", [
    ({"X": GOOD_X[:, 0]}, "X"),
    ({"X": np.where(GOOD_X == 1.0, np.nan, GOOD_X)}, "X"),
    ({"y": GOOD_Y[:3]}, "y"),
    ({"y": np.array([1.0, np.inf, 2.0, 0.0])}, "y"),
    ({"lam": -0.1}, "lam"),
    ({"lam": np.nan}, "lam"),
    ({"fit_intercept": 1}, "fit_intercept"),
])
def test_bad_input_names_the_argument(fun, kwargs, argname):
    arguments = {"X": GOOD_X, "y": GOOD_Y, "lam": 0.1, **kwargs}
    with pytest.raises(ValueError, match=argname):
        fun(**arguments)


@pytest.mark.parametrize("fun", [shrinkage_factors, effective_degrees_of_freedom, hat_matrix_diagonal,
                                 ridge_condition_number, max_stable_learning_rate])
@pytest.mark.parametrize("kwargs, argname", [({"X": [1.0, 2.0]}, "X"), ({"lam": -1.0}, "lam"),
                                              ({"lam": np.inf}, "lam")])
def test_bad_input_x_only_functions(fun, kwargs, argname):
    with pytest.raises(ValueError, match=argname):
        fun(**{"X": GOOD_X, "lam": 0.1, **kwargs})


@pytest.mark.parametrize("lambdas", [[0.1, -1.0], [[0.1]], [np.nan]])
def test_bad_lams(lambdas):
    with pytest.raises(ValueError, match="lambdas"):
        ridge_path(GOOD_X, GOOD_Y, lambdas)


@pytest.mark.parametrize("kwargs, argname", [
    ({"learning_rate": 0.0}, "learning_rate"), ({"learning_rate": -1.0}, "learning_rate"),
    ({"n_steps": 0}, "n_steps"), ({"n_steps": 2.5}, "n_steps"), ({"lam": -1.0}, "lam"),
])
def test_gradient_descent_bad_input(kwargs, argname):
    arguments = {"X": GOOD_X, "y": GOOD_Y, "lam": 0.1, "learning_rate": 0.01, "n_steps": 10, **kwargs}
    with pytest.raises(ValueError, match=argname):
        fit_ridge_gradient_descent(**arguments)


@pytest.mark.parametrize("kwargs, argname", [({"noise_var": 0.0}, "noise_var"), ({"prior_var": -1.0}, "prior_var"),
                                              ({"noise_var": np.nan}, "noise_var")])
def test_bayesian_bad_input(kwargs, argname):
    with pytest.raises(ValueError, match=argname):
        gaussian_posterior(GOOD_X, GOOD_Y, **{"noise_var": 1.0, "prior_var": 1.0, **kwargs})
    with pytest.raises(ValueError, match=argname):
        lam_for_gaussian_prior(4, **{"noise_var": 1.0, "prior_var": 1.0, **kwargs})
    with pytest.raises(ValueError, match="n"):
        lam_for_gaussian_prior(0, noise_var=1.0, prior_var=1.0)


def test_methods_needing_y_refuse_a_decomposition_without_y():
    decomposition = ridge_svd(GOOD_X)
    assert decomposition.effective_dof(0.1) > 0  # X-only quantities work
    for method in (decomposition.coef, decomposition.loo_residuals, decomposition.gcv, decomposition.fitted):
        with pytest.raises(ValueError, match="y"):
            method(0.1)


@pytest.mark.parametrize("X, y", [(np.full((5, 2), 3.0), np.arange(5.0)), (np.array([[1.0, 2.0]]), np.array([4.0]))])
def test_rank_zero_after_centring_gives_sklearns_answer(X, y):
    # Constant columns, or a single example: Xc = 0, so w = 0 and b = mean(y), as sklearn's Ridge returns.
    reference = Ridge(alpha=X.shape[0] * 0.1).fit(X, y)
    for lam in (0.0, 0.1):
        model = fit_ridge_svd(X, y, lam)
        np.testing.assert_array_equal(model.coef, np.zeros(2))
        assert model.intercept == pytest.approx(y.mean(), rel=1e-15)
    np.testing.assert_allclose(fit_ridge_svd(X, y, 0.1).coef, reference.coef_, atol=1e-15)
    assert fit_ridge_svd(X, y, 0.1).intercept == pytest.approx(reference.intercept_, rel=1e-12)
    decomposition = ridge_svd(X, y)
    assert decomposition.rank == 0 and decomposition.effective_dof(0.1) == 0.0
    coefs, intercepts = ridge_path(X, y, [0.0, 1.0])
    np.testing.assert_array_equal(coefs, 0.0)
    np.testing.assert_allclose(intercepts, y.mean(), rtol=1e-15)
    assert ridge_condition_number(X, 0.1) == 1.0  # n lam I
    with pytest.raises(ValueError, match="rank 0"):
        max_stable_learning_rate(X, 0.0)
    if X.shape[0] > 1:
        np.testing.assert_allclose(loo_residuals(X, y, 0.1), (y - y.mean()) * X.shape[0] / (X.shape[0] - 1))
        assert gcv_score(X, y, 0.1) == pytest.approx(np.var(y) / (1 - 1 / X.shape[0]) ** 2)


# -- sample_weight and several targets -------------------------------------------------------------
from regbook.ridge import fit_ridge_multioutput  # noqa: E402


def weighted_data(n=40, p=6, seed=0, zeros=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-2, 2, p)
    y = X @ rng.standard_normal(p) + 2.0 + 0.5 * rng.standard_normal(n)
    s = rng.uniform(0.0, 3.0, n)
    s[:zeros] = 0.0  # rows of weight zero take no part
    return X, y, s


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", SOLVERS)
def test_sample_weight_is_sklearn_ridge_with_alpha_sum_of_weights_times_lam(solver, fit_intercept):
    X, y, s = weighted_data()
    lam = 0.2
    ours = solver(X, y, lam, fit_intercept=fit_intercept, sample_weight=s)
    sk = Ridge(alpha=s.sum() * lam, fit_intercept=fit_intercept, solver="svd").fit(X, y, sample_weight=s)
    np.testing.assert_allclose(ours.coef, sk.coef_, rtol=1e-10, atol=1e-12)
    assert ours.intercept == pytest.approx(sk.intercept_, rel=1e-10, abs=1e-12)
    coefs, intercepts = ridge_path(X, y, [1.0, lam, 0.01], fit_intercept=fit_intercept, sample_weight=s)
    np.testing.assert_allclose(coefs[1], sk.coef_, rtol=1e-10, atol=1e-12)
    assert intercepts[1] == pytest.approx(sk.intercept_, rel=1e-10, abs=1e-12)


def test_sample_weight_minimizes_the_weighted_mean_objective():
    # The documented objective (1/(2S)) sum s_i r_i^2 + (lam/2)||w||^2: its gradient vanishes at the fit.
    X, y, s = weighted_data(seed=1)
    lam = 0.05
    m = fit_ridge_svd(X, y, lam, sample_weight=s)
    r = y - X @ m.coef - m.intercept
    np.testing.assert_allclose(-(s * r) @ X / s.sum() + lam * m.coef, 0.0, atol=1e-13)
    assert abs(s @ r) / s.sum() < 1e-13  # the intercept's derivative


@given(seed=st.integers(0, 2**16), solver=st.sampled_from(SOLVERS), fit_intercept=st.booleans())
def test_integer_weights_equal_repeated_rows_and_scale_does_not_matter(seed, solver, fit_intercept):
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((15, 4)), rng.standard_normal(15)
    counts = rng.integers(0, 4, 15)
    counts[0] = max(counts[0], 1)
    weighted = solver(X, y, 0.1, fit_intercept=fit_intercept, sample_weight=counts)
    repeated = solver(np.repeat(X, counts, axis=0), np.repeat(y, counts), 0.1, fit_intercept=fit_intercept)
    np.testing.assert_allclose(weighted.coef, repeated.coef, rtol=1e-9, atol=1e-12)
    assert weighted.intercept == pytest.approx(repeated.intercept, rel=1e-9, abs=1e-12)
    scaled = solver(X, y, 0.1, fit_intercept=fit_intercept, sample_weight=7.5 * counts)
    np.testing.assert_allclose(scaled.coef, weighted.coef, rtol=1e-9, atol=1e-12)
    ones = solver(X, y, 0.1, fit_intercept=fit_intercept, sample_weight=np.ones(15))
    plain = solver(X, y, 0.1, fit_intercept=fit_intercept)
    np.testing.assert_allclose(ones.coef, plain.coef, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("bad, match", [
    (-np.ones(40), "non-negative"),
    (np.ones(39), "length"),
    (np.zeros(40), "zero"),
    (np.full(40, np.nan), "NaN"),
    (np.ones((40, 1)), "dimension"),
    (np.ones(40) + 1j, "complex"),
    ("heavy", "sample_weight"),
])
def test_bad_sample_weight_raises_naming_it(bad, match):
    X, y, _ = weighted_data()
    for call in (lambda: fit_ridge_svd(X, y, 0.1, sample_weight=bad),
                 lambda: fit_ridge_cholesky(X, y, 0.1, sample_weight=bad),
                 lambda: ridge_path(X, y, [0.1], sample_weight=bad),
                 lambda: fit_ridge_multioutput(X, y, 0.1, sample_weight=bad)):
        with pytest.raises(ValueError, match="sample_weight") as info:
            call()
        assert match in str(info.value)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("shape", [(40, 6), (8, 20)])  # tall, and wide (p > n)
def test_multioutput_is_sklearn_ridge_with_2d_y(shape, fit_intercept):
    rng = np.random.default_rng(2)
    n, p = shape
    X = rng.standard_normal((n, p))
    Y = X @ rng.standard_normal((p, 3)) + rng.standard_normal((n, 3)) + [1.0, -2.0, 0.0]
    lam = 0.3
    W, b = fit_ridge_multioutput(X, Y, lam, fit_intercept=fit_intercept)
    sk = Ridge(alpha=n * lam, fit_intercept=fit_intercept).fit(X, Y)
    assert W.shape == (p, 3) and b.shape == (3,)
    np.testing.assert_allclose(W.T, sk.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b, sk.intercept_, rtol=1e-9, atol=1e-12)
    for j in range(3):  # column j is the single-target fit of Y[:, j]
        single = fit_ridge_svd(X, Y[:, j], lam, fit_intercept=fit_intercept)
        np.testing.assert_allclose(W[:, j], single.coef, rtol=1e-12, atol=1e-13)
    _, _, s = weighted_data(n=n, p=p, zeros=1)
    W, b = fit_ridge_multioutput(X, Y, lam, fit_intercept=fit_intercept, sample_weight=s)
    sk = Ridge(alpha=s.sum() * lam, fit_intercept=fit_intercept).fit(X, Y, sample_weight=s)
    np.testing.assert_allclose(W.T, sk.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b, sk.intercept_, rtol=1e-9, atol=1e-12)


def test_multioutput_lam_zero_is_minimum_norm_least_squares_and_1d_y_is_one_column():
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((6, 10)), rng.standard_normal((6, 2))
    W, b = fit_ridge_multioutput(X, Y, 0.0)
    for j in range(2):
        ls = fit_least_squares(X, Y[:, j])
        np.testing.assert_allclose(W[:, j], ls.coef, atol=1e-12)
        assert b[j] == pytest.approx(ls.intercept, abs=1e-12)
    W1, b1 = fit_ridge_multioutput(X, Y[:, 0], 0.5)
    assert W1.shape == (10, 1) and b1.shape == (1,)
    with pytest.raises(ValueError, match="Y"):
        fit_ridge_multioutput(X, np.ones((6, 2, 1)), 0.5)
    with pytest.raises(ValueError, match="rows"):
        fit_ridge_multioutput(X, np.ones((5, 2)), 0.5)
    with pytest.raises(ValueError, match="lam"):
        fit_ridge_multioutput(X, Y, -1.0)


@pytest.mark.parametrize("seed", range(10))
def test_cholesky_dual_with_intercept_and_lam_zero_is_the_minimum_norm_solution(seed):
    # p > n with an intercept: Xc Xc^T is exactly singular (Xc^T 1 = 0). The solver must neither
    # fail nor succeed depending on rounding (on the BLAS kernel): it removes that null direction.
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((20, 50)) + 1.0, rng.standard_normal(20)
    for lam in (0.0, 0.1):
        np.testing.assert_allclose(fit_ridge_cholesky(X, y, lam).coef, fit_ridge_svd(X, y, lam).coef, atol=1e-8)


@pytest.mark.parametrize("weighted", [False, True])
def test_centring_that_overflows_is_refused_naming_the_data(weighted):
    # Finite X whose centred values overflow (in any order of summation of the mean). The weighted paths and the
    # multi-output solver centre once and then use the unchecked decomposition, so the overflow
    # must be refused before it, naming the argument to rescale.
    X = np.array([[1.7e308, 1.0], [-1.7e308, 2.0], [-1.7e308, 0.5]])  # centred: 2.27e308 overflows
    y = np.array([1.0, 2.0, 3.0])
    weights = np.ones(3) if weighted else None
    with pytest.raises(ValueError, match=r"^X"):
        fit_ridge_multioutput(X, np.column_stack([y, y]), 0.1, sample_weight=weights)
    if weighted:
        for call in (lambda: fit_ridge_svd(X, y, 0.1, sample_weight=weights),
                     lambda: ridge_path(X, y, [0.1, 1.0], sample_weight=weights)):
            with pytest.raises(ValueError, match=r"^X"):  # refused when X's squares are checked
                call()
        with pytest.raises(ValueError, match=r"^Y, sample_weight"):
            # the mean is about -5.7e307 in any order of summation, and 1.7e308 minus it overflows
            Y_big = np.array([[1.7e308], [-1.7e308], [-1.7e308]])
            fit_ridge_multioutput(np.ones((3, 2)) + np.eye(3, 2), Y_big, 0.1, sample_weight=np.ones(3))
