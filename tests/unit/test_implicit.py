"""regbook.implicit against closed forms, brute force and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from sklearn.linear_model import BayesianRidge
from sklearn.svm import SVC

from regbook.implicit import (
    dropout_penalty_diagonal,
    early_stopping_filter,
    early_stopping_path,
    enumerated_dropout_objective,
    evidence_fixed_point,
    expected_dropout_objective,
    fit_dropout_ridge,
    input_noise_sgd,
    log_evidence,
    logistic_gradient_descent,
    matched_lam,
    max_margin_direction,
    ridge_filter,
)
from regbook.linear import fit_ridge
from regbook.ridge import effective_degrees_of_freedom, ridge_svd


def regression(n=40, p=5, seed=0, scales=None):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * (1.0 if scales is None else np.asarray(scales))
    y = X @ rng.standard_normal(p) + 0.5 + 0.3 * rng.standard_normal(n)
    return X, y


def separable(n=30, seed=1):
    """Two clouds separable through the origin, symmetric under x -> -x, y -> -y."""
    rng = np.random.default_rng(seed)
    half = rng.standard_normal((n // 2, 2)) + np.array([0.0, 0.5])
    half[:, 0] = np.abs(half[:, 0]) + 0.3  # x_1 > 0.3 on one side: separable by w = (1, 0)
    X = np.vstack([half, -half])
    y = np.concatenate([np.ones(n // 2), -np.ones(n // 2)])
    return X, y


# --- early stopping ----------------------------------------------------------------------------


def test_gradient_descent_iterates_have_the_filter_factors():
    X, y = regression()
    eta, t = 0.3, 60
    coefs, intercepts = early_stopping_path(X, y, learning_rate=eta, n_steps=t)
    svd = ridge_svd(X, y)
    for k in (0, 1, 7, 60):
        f = early_stopping_filter(svd.singular_values, svd.n, learning_rate=eta, n_steps=k)
        expected = svd.Vt.T @ (f / svd.singular_values * svd.Uty)
        np.testing.assert_allclose(coefs[k], expected, atol=1e-12)
        np.testing.assert_allclose(intercepts[k], svd.y_mean - svd.x_mean @ expected, atol=1e-12)


def test_ridge_filter_matches_ridge_svd_and_the_matched_lam():
    X, y = regression()
    svd = ridge_svd(X, y)
    np.testing.assert_allclose(ridge_filter(svd.singular_values, svd.n, 0.1), svd.shrinkage_factors(0.1), rtol=1e-14)
    assert matched_lam(learning_rate=0.5, n_steps=20) == pytest.approx(0.1)
    np.testing.assert_array_equal(ridge_filter([0.0, 1.0], 4, 0.0), [0.0, 1.0])


@given(st.floats(1e-3, 0.5), st.integers(1, 10_000), st.floats(1e-4, 1.0))
def test_filters_agree_to_first_order_and_both_in_unit_interval(eta, t, s):
    """For s = d^2/n small, both filters are eta t s (1 + O(eta t s)); both lie in [0, 1] when eta s <= 1."""
    d = np.array([np.sqrt(s)])
    f_es = early_stopping_filter(d, 1, learning_rate=eta, n_steps=t)[0]
    f_r = ridge_filter(d, 1, matched_lam(learning_rate=eta, n_steps=t))[0]
    assert 0 <= f_es <= 1 and 0 <= f_r <= 1
    x = eta * t * s
    if x < 1e-3:
        assert f_es == pytest.approx(x, rel=2e-3) and f_r == pytest.approx(x, rel=2e-3)


def test_early_stopping_rejects_bad_input():
    with pytest.raises(ValueError, match="learning_rate"):
        early_stopping_filter([1.0], 3, learning_rate=0.0, n_steps=2)
    with pytest.raises(ValueError, match="singular_values"):
        early_stopping_filter([-1.0], 3, learning_rate=0.1, n_steps=2)
    with pytest.raises(ValueError, match="lam"):
        ridge_filter([1.0], 3, -1.0)
    with pytest.raises(ValueError, match="n_steps"):
        early_stopping_path(*regression(), learning_rate=0.1, n_steps=0)


# --- input noise -------------------------------------------------------------------------------


def test_input_noise_sgd_tends_to_ridge_with_lam_sigma_squared():
    X, y = regression(n=30, p=3, seed=4)
    sigma = 0.7
    model = input_noise_sgd(X, y, noise_std=sigma, learning_rate=0.002, epochs=3000, rng=0)
    ridge = fit_ridge(X, y, sigma**2)
    np.testing.assert_allclose(model.coef, ridge.coef, atol=0.02)
    assert abs(model.intercept - ridge.intercept) < 0.02
    # ... and clearly not least squares
    assert np.abs(model.coef - fit_ridge(X, y, 0.0).coef).max() > 0.1


def test_input_noise_sgd_is_reproducible_and_validates():
    X, y = regression(n=10, p=2)
    a = input_noise_sgd(X, y, noise_std=0.1, learning_rate=0.01, epochs=5, rng=3)
    b = input_noise_sgd(X, y, noise_std=0.1, learning_rate=0.01, epochs=5, rng=3)
    np.testing.assert_array_equal(a.coef, b.coef)
    with pytest.raises(ValueError, match="noise_std"):
        input_noise_sgd(X, y, noise_std=-1.0, learning_rate=0.01, epochs=5, rng=3)
    with pytest.raises(ValueError, match="rng"):
        input_noise_sgd(X, y, noise_std=1.0, learning_rate=0.01, epochs=5, rng=None)
    with pytest.raises(ValueError, match="average_from"):
        input_noise_sgd(X, y, noise_std=1.0, learning_rate=0.01, epochs=1, rng=0, average_from=10)


# --- dropout -----------------------------------------------------------------------------------


@pytest.mark.parametrize("q", [0.3, 0.8, 1.0])
def test_dropout_closed_form_equals_enumeration_of_masks(q):
    X, y = regression(n=12, p=4, seed=2, scales=[1, 10, 0.1, 3])
    w = np.array([0.3, -0.2, 1.5, 0.7])
    exact = enumerated_dropout_objective(w, X, y, q, intercept=0.4)
    closed = expected_dropout_objective(w, X, y, q, intercept=0.4)
    assert closed == pytest.approx(exact, rel=1e-12)


def test_dropout_closed_form_against_monte_carlo():
    X, y = regression(n=8, p=3, seed=5)
    w, q = np.array([1.0, -2.0, 0.5]), 0.6
    rng = np.random.default_rng(0)
    masks = rng.random((40_000, *X.shape)) < q
    losses = ((y - (X * masks / q) @ w) ** 2).mean(axis=1) / 2
    closed = expected_dropout_objective(w, X, y, q)
    assert abs(losses.mean() - closed) < 4 * losses.std() / np.sqrt(len(losses))


def test_fit_dropout_ridge_minimizes_the_expected_objective():
    X, y = regression(n=30, p=3, seed=6, scales=[1, 20, 0.05])
    X = X - X.mean(axis=0)
    q = 0.7
    model = fit_dropout_ridge(X, y, q)
    c = dropout_penalty_diagonal(X, q)
    gradient = -X.T @ (y - X @ model.coef - model.intercept) / len(y) + c * model.coef
    assert np.abs(gradient).max() < 1e-10
    # equal feature scales: plain ridge with lam = (1 - q)/q * mean square of a feature
    Z = X / np.sqrt((X**2).mean(axis=0))
    np.testing.assert_allclose(fit_dropout_ridge(Z, y, q).coef, fit_ridge(Z, y, (1 - q) / q).coef, atol=1e-12)


def test_dropout_rejects_bad_keep_prob_and_too_many_masks():
    X, y = regression(n=5, p=2)
    for q in (0.0, 1.5, np.nan):
        with pytest.raises(ValueError, match="keep_prob"):
            dropout_penalty_diagonal(X, q)
    Xw, yw = regression(n=3, p=21)
    with pytest.raises(ValueError, match="X"):
        enumerated_dropout_objective(np.zeros(21), Xw, yw, 0.5)


# --- separable logistic regression -------------------------------------------------------------


def test_max_margin_matches_sklearn_svc_on_symmetric_data():
    X, y = separable()
    mm = max_margin_direction(X, y)
    svc = SVC(kernel="linear", C=1e8, tol=1e-10).fit(X, y)
    assert abs(svc.intercept_[0]) < 1e-6  # symmetric data: the unpenalized intercept is 0
    np.testing.assert_allclose(mm.w, svc.coef_[0], rtol=1e-6)
    assert np.min(y * (X @ mm.w)) == pytest.approx(1.0, abs=1e-8)


def test_max_margin_of_two_points_is_known():
    X = np.array([[2.0, 0.0], [0.0, 1.0]])
    mm = max_margin_direction(X, np.array([1.0, -1.0]))
    # min ||w|| s.t. 2 w1 >= 1, -w2 >= 1: w = (1/2, -1)
    np.testing.assert_allclose(mm.w, [0.5, -1.0], atol=1e-10)


def test_max_margin_rejects_non_separable_data_and_bad_labels():
    X = np.array([[1.0, 0.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="separable"):
        max_margin_direction(X, np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="y"):
        max_margin_direction(X, np.array([1.0, 0.0]))


def test_logistic_gradient_descent_grows_like_log_t_towards_the_max_margin():
    X, y = separable()
    mm = max_margin_direction(X, y)
    K = np.linalg.norm(X, 2) ** 2 / (4 * len(y))
    marks = np.array([10, 100, 1_000, 10_000])
    W = logistic_gradient_descent(X, y, learning_rate=1 / K, n_steps=10_000, checkpoints=marks)
    norms = np.linalg.norm(W, axis=1)
    cosines = W @ mm.w / (norms * np.linalg.norm(mm.w))
    assert cosines[-1] > 0.995 and cosines[-1] > cosines[0]
    # w_t = w_svm log t + rho_t with rho_t growing more slowly: the growth per decade nears ||w_svm|| ln 10
    growth = np.diff(norms) / (np.linalg.norm(mm.w) * np.log(10))
    assert abs(growth[-1] - 1) < 0.15 and abs(growth[-1] - 1) < abs(growth[0] - 1)


def test_logistic_gradient_descent_validates():
    X, y = separable()
    with pytest.raises(ValueError, match="checkpoints"):
        logistic_gradient_descent(X, y, learning_rate=1.0, n_steps=5, checkpoints=[6])
    with pytest.raises(ValueError, match="y"):
        logistic_gradient_descent(X, (y + 1) / 2, learning_rate=1.0, n_steps=5, checkpoints=[1])


# --- evidence ----------------------------------------------------------------------------------


def test_log_evidence_equals_the_gaussian_density():
    X, y = regression(n=15, p=4, seed=3)
    alpha, beta = 0.7, 3.0
    cov = np.eye(15) / beta + X @ X.T / alpha
    expected = stats.multivariate_normal(mean=np.zeros(15), cov=cov).logpdf(y)
    assert log_evidence(X, y, alpha=alpha, beta=beta) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_evidence_fixed_point_matches_bayesian_ridge(fit_intercept):
    X, y = regression(n=50, p=6, seed=8)
    result = evidence_fixed_point(X, y, fit_intercept=fit_intercept)
    sk = BayesianRidge(alpha_1=0, alpha_2=0, lambda_1=0, lambda_2=0, tol=1e-14, max_iter=100_000,
                       fit_intercept=fit_intercept).fit(X, y)
    assert result.beta == pytest.approx(sk.alpha_, rel=1e-8)
    assert result.alpha == pytest.approx(sk.lambda_, rel=1e-8)
    np.testing.assert_allclose(result.model.coef, sk.coef_, rtol=1e-8)
    assert result.model.intercept == pytest.approx(sk.intercept_, rel=1e-8, abs=1e-10)
    np.testing.assert_allclose(result.model.coef, fit_ridge(X, y, result.lam, fit_intercept=fit_intercept).coef,
                               atol=1e-10)
    assert result.gamma == pytest.approx(effective_degrees_of_freedom(X, result.lam, fit_intercept=fit_intercept))


def test_evidence_fixed_point_is_a_maximum_of_the_log_evidence():
    X, y = regression(n=50, p=6, seed=9)
    r = evidence_fixed_point(X, y, fit_intercept=False)
    best = log_evidence(X, y, alpha=r.alpha, beta=r.beta)
    for fa in (0.9, 1.1):
        for fb in (0.9, 1.0, 1.1):
            if (fa, fb) != (1.0, 1.0):
                assert log_evidence(X, y, alpha=r.alpha * fa, beta=r.beta * fb) < best
    for fb in (0.9, 1.1):
        assert log_evidence(X, y, alpha=r.alpha, beta=r.beta * fb) < best


def test_evidence_rejects_bad_input():
    X, y = regression()
    with pytest.raises(ValueError, match="alpha"):
        log_evidence(X, y, alpha=0.0, beta=1.0)
    with pytest.raises(ValueError, match="tol"):
        evidence_fixed_point(X, y, tol=-1.0)
    with pytest.raises(ValueError, match="y"):
        evidence_fixed_point(X, y[:-1])
