"""Tests for regbook.linear."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression, Ridge

from regbook.features import polynomial_features
from regbook.linear import (
    LinearModel,
    fit_least_squares,
    fit_ridge,
    ridge_gradient,
    ridge_objective,
)



def _problem(seed, n=30, p=4):
    """A well-conditioned random regression problem with a non-zero mean."""
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=2.0, size=(n, p))
    y = X @ rng.normal(size=p) + 1.5 + 0.5 * rng.normal(size=n)
    return X, y


# --- LinearModel ---------------------------------------------------------------------------


def test_linear_model_predict():
    model = LinearModel(coef=np.array([2.0, -1.0]), intercept=0.5)
    np.testing.assert_allclose(model.predict([[1.0, 1.0], [0.0, 3.0]]), [1.5, -2.5])


def test_linear_model_is_frozen_with_read_only_coef():
    coef = np.array([1.0, 2.0])
    model = LinearModel(coef=coef, intercept=0.0)
    coef[0] = 100.0  # the model keeps its own copy
    assert model.coef[0] == 1.0
    with pytest.raises(ValueError):
        model.coef[0] = 5.0
    with pytest.raises(AttributeError):
        model.intercept = 1.0


@pytest.mark.parametrize(
    "coef, intercept, argname",
    [([1.0, np.nan], 0.0, "coef"), ([[1.0]], 0.0, "coef"), ([1.0], np.inf, "intercept")],
)
def test_linear_model_bad_construction(coef, intercept, argname):
    with pytest.raises(ValueError, match=argname):
        LinearModel(coef=coef, intercept=intercept)


@pytest.mark.parametrize("X", [[1.0, 2.0], [[1.0, 2.0, 3.0]], [[np.nan, 1.0]]])
def test_linear_model_predict_bad_X(X):
    with pytest.raises(ValueError, match="X"):
        LinearModel(coef=np.array([1.0, 2.0]), intercept=0.0).predict(X)


# --- least squares -------------------------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_least_squares_matches_sklearn(seed, fit_intercept):
    X, y = _problem(seed)
    ours = fit_least_squares(X, y, fit_intercept=fit_intercept)
    ref = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef, ref.coef_, rtol=1e-10)
    assert ours.intercept == pytest.approx(ref.intercept_, rel=1e-10, abs=1e-12)


def test_least_squares_recovers_exact_linear_relation():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(10, 3))
    model = fit_least_squares(X, X @ np.array([1.0, -2.0, 0.5]) + 4.0)
    np.testing.assert_allclose(model.coef, [1.0, -2.0, 0.5], rtol=1e-12)
    assert model.intercept == pytest.approx(4.0, rel=1e-12)


def test_least_squares_single_feature_closed_form():
    # One feature: w = sum(xc * yc) / sum(xc^2), b = y_mean - w x_mean.
    x = np.array([0.0, 1.0, 2.0, 4.0])
    y = np.array([1.0, 2.0, 2.0, 5.0])
    xc, yc = x - x.mean(), y - y.mean()
    w = np.sum(xc * yc) / np.sum(xc**2)
    model = fit_least_squares(x[:, None], y)
    assert model.coef[0] == pytest.approx(w, rel=1e-12)
    assert model.intercept == pytest.approx(y.mean() - w * x.mean(), rel=1e-12)


def test_least_squares_minimum_norm_when_rank_deficient():
    # A duplicated column: only w1 + w2 is determined; the minimum-norm solution splits it
    # equally, and matches LinearRegression (which is also minimum-norm).
    rng = np.random.default_rng(2)
    x = rng.normal(size=20)
    y = 3.0 * x + 1.0
    X = np.c_[x, x]
    model = fit_least_squares(X, y)
    np.testing.assert_allclose(model.coef, [1.5, 1.5], rtol=1e-10)
    ref = LinearRegression().fit(X, y)
    np.testing.assert_allclose(model.coef, ref.coef_, rtol=1e-10)


def test_polynomial_of_degree_n_minus_1_interpolates():
    # The overfitting extreme: n points, n parameters -> zero training error.
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, 7)
    y = rng.normal(size=7)
    X = polynomial_features(x, 6, include_bias=False)
    np.testing.assert_allclose(fit_least_squares(X, y).predict(X), y, atol=1e-8)


# --- ridge ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("lam", [1e-4, 0.01, 0.3, 5.0])
def test_ridge_matches_sklearn_with_alpha_n_lam(lam, fit_intercept):
    X, y = _problem(4)
    n = X.shape[0]
    ours = fit_ridge(X, y, lam, fit_intercept=fit_intercept)
    ref = Ridge(alpha=n * lam, fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef, ref.coef_, rtol=1e-8)
    assert ours.intercept == pytest.approx(ref.intercept_, rel=1e-8, abs=1e-12)


def test_ridge_matches_sklearn_when_more_features_than_examples():
    X, y = _problem(5, n=8, p=15)
    ours = fit_ridge(X, y, 0.05)
    ref = Ridge(alpha=8 * 0.05).fit(X, y)
    np.testing.assert_allclose(ours.coef, ref.coef_, rtol=1e-8)
    assert ours.intercept == pytest.approx(ref.intercept_, rel=1e-8)


def _orthonormal_centred_columns(seed, n=25, p=3):
    """Columns with Q^T Q = I that are also orthogonal to the ones vector (mean zero)."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(np.c_[np.ones(n), rng.normal(size=(n, p))])
    return Q[:, 1:]


@pytest.mark.parametrize("lam", [0.0, 0.01, 1.0])
def test_ridge_closed_form_orthonormal_design(lam):
    # With Q^T Q = I the gradient -(1/n) Q^T (y - Q w) + lam w = 0 gives
    #     w = Q^T y / (1 + n lam).
    # If the columns also have mean zero, the intercept is just mean(y).
    Q = _orthonormal_centred_columns(6)
    n = Q.shape[0]
    y = np.random.default_rng(7).normal(loc=3.0, size=n)
    expected = Q.T @ y / (1 + n * lam)
    no_intercept = fit_ridge(Q, y, lam, fit_intercept=False)
    np.testing.assert_allclose(no_intercept.coef, expected, rtol=1e-10)
    assert no_intercept.intercept == 0.0
    with_intercept = fit_ridge(Q, y, lam)
    np.testing.assert_allclose(with_intercept.coef, expected, rtol=1e-10)
    assert with_intercept.intercept == pytest.approx(y.mean(), rel=1e-12)


def test_ridge_single_feature_closed_form():
    # One feature: w = sum(xc yc) / (sum(xc^2) + n lam).
    x = np.array([0.0, 1.0, 2.0, 4.0])
    y = np.array([1.0, 2.0, 2.0, 5.0])
    lam, n = 0.5, 4
    xc, yc = x - x.mean(), y - y.mean()
    w = np.sum(xc * yc) / (np.sum(xc**2) + n * lam)
    model = fit_ridge(x[:, None], y, lam)
    assert model.coef[0] == pytest.approx(w, rel=1e-12)
    assert model.intercept == pytest.approx(y.mean() - w * x.mean(), rel=1e-12)


def test_ridge_lam_zero_is_least_squares():
    X, y = _problem(8)
    ridge, ols = fit_ridge(X, y, 0.0), fit_least_squares(X, y)
    np.testing.assert_array_equal(ridge.coef, ols.coef)
    assert ridge.intercept == ols.intercept


def test_ridge_tends_to_minimum_norm_least_squares_as_lam_shrinks():
    X, y = _problem(9, n=6, p=10)  # underdetermined: many interpolating solutions
    ols = fit_least_squares(X, y)
    np.testing.assert_allclose(fit_ridge(X, y, 1e-10).coef, ols.coef, rtol=1e-6)


def test_huge_lam_shrinks_weights_to_zero_but_not_the_intercept():
    X, y = _problem(10)
    model = fit_ridge(X, y, 1e12)
    np.testing.assert_allclose(model.coef, 0.0, atol=1e-10)
    assert model.intercept == pytest.approx(y.mean(), rel=1e-8)


def test_ridge_solution_is_a_stationary_point_and_a_minimum():
    X, y = _problem(11)
    lam = 0.2
    model = fit_ridge(X, y, lam)
    w, b = model.coef, model.intercept
    # Gradient in w vanishes; derivative in b (the mean residual) vanishes.
    np.testing.assert_allclose(ridge_gradient(w, X, y, lam, intercept=b), 0.0, atol=1e-12)
    assert np.mean(y - model.predict(X)) == pytest.approx(0.0, abs=1e-12)
    # Any perturbation increases the objective.
    best = ridge_objective(w, X, y, lam, intercept=b)
    rng = np.random.default_rng(0)
    for _ in range(20):
        dw, db = 1e-3 * rng.normal(size=w.size), 1e-3 * rng.normal()
        assert ridge_objective(w + dw, X, y, lam, intercept=b + db) > best


def test_ridge_is_accurate_on_ill_conditioned_polynomial_features():
    # Raw degree-12 polynomial features on [0, 1] are extremely ill-conditioned. Compare
    # with the explicit spectral formula w = V diag(s / (s^2 + n lam)) U^T yc.
    rng = np.random.default_rng(12)
    x = rng.uniform(0, 1, 20)
    y = np.sin(2 * np.pi * x) + 0.3 * rng.normal(size=20)
    X = polynomial_features(x, 12, include_bias=False)
    n, lam = 20, 1e-10
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    expected = Vt.T @ (s / (s**2 + n * lam) * (U.T @ yc))
    np.testing.assert_allclose(fit_ridge(X, y, lam).coef, expected, rtol=1e-6)


@given(
    seed=st.integers(0, 2**32 - 1),
    lambdas=st.lists(st.floats(1e-6, 1e3), min_size=2, max_size=6),
    fit_intercept=st.booleans(),
)
def test_weight_norm_and_training_error_are_monotone_in_lam(seed, lambdas, fit_intercept):
    X, y = _problem(seed, n=15, p=5)
    lambdas = sorted(lambdas)
    models = [fit_ridge(X, y, lam, fit_intercept=fit_intercept) for lam in lambdas]
    norms = [np.linalg.norm(m.coef) for m in models]
    train_sse = [np.sum((y - m.predict(X)) ** 2) for m in models]
    assert all(a >= b * (1 - 1e-9) for a, b in zip(norms, norms[1:]))
    assert all(a <= b * (1 + 1e-9) + 1e-12 for a, b in zip(train_sse, train_sse[1:]))


@given(
    seed=st.integers(0, 2**32 - 1),
    lam=st.floats(1e-4, 10),
    c=st.floats(0.1, 10),
    shift=st.floats(-5, 5),
)
def test_ridge_rescaling_and_shift_invariances(seed, lam, c, shift):
    X, y = _problem(seed, n=12, p=3)
    base = fit_ridge(X, y, lam)
    # Features scaled by c, strength lam2: with v = c w the objective becomes
    # (1/(2n))||y - X v||^2 + (lam2 / c^2)/2 ||v||^2, the original one when lam2 = lam c^2, so
    # w(c X, lam c^2) = w(X, lam) / c.
    np.testing.assert_allclose(
        fit_ridge(c * X, y, lam * c**2).coef, base.coef / c, rtol=1e-7, atol=1e-10
    )
    # Targets scaled by c: the solution is linear in y.
    scaled = fit_ridge(X, c * y, lam)
    np.testing.assert_allclose(scaled.coef, c * base.coef, rtol=1e-7, atol=1e-10)
    # Shifting y or the columns of X only moves the (unpenalized) intercept.
    shifted = fit_ridge(X + shift, y + shift, lam)
    np.testing.assert_allclose(shifted.coef, base.coef, rtol=1e-7, atol=1e-10)


# --- objective and gradient ----------------------------------------------------------------


def test_objective_by_hand():
    # residuals y - Xw - b = [0, -1]: (1/(2*2)) * 1 = 0.25; penalty (2/2) * 1^2 = 1.
    assert ridge_objective([1.0], [[1.0], [2.0]], [1.0, 1.0], 2.0) == pytest.approx(1.25)
    # with intercept 1: residuals [-1, -2] -> 5/4; penalty unchanged (b is not penalized).
    value = ridge_objective([1.0], [[1.0], [2.0]], [1.0, 1.0], 2.0, intercept=1.0)
    assert value == pytest.approx(2.25)


def test_gradient_by_hand():
    # -(1/2) [1, 2] . [0, -1] + 2 * 1 = 1 + 2 = 3
    np.testing.assert_allclose(ridge_gradient([1.0], [[1.0], [2.0]], [1.0, 1.0], 2.0), [3.0])


@pytest.mark.parametrize("lam", [0.0, 0.3])
@pytest.mark.parametrize("intercept", [0.0, -0.7])
def test_gradient_matches_central_finite_differences(lam, intercept):
    X, y = _problem(13, n=10, p=4)
    w = np.random.default_rng(14).normal(size=4)
    grad = ridge_gradient(w, X, y, lam, intercept=intercept)
    h = 1e-6
    numeric = np.empty(4)
    for j in range(4):
        e = np.zeros(4)
        e[j] = h
        numeric[j] = (
            ridge_objective(w + e, X, y, lam, intercept=intercept)
            - ridge_objective(w - e, X, y, lam, intercept=intercept)
        ) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


# --- bad input -----------------------------------------------------------------------------

GOOD_X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
GOOD_Y = np.array([1.0, 2.0, 4.0])

BAD_XY = [
    ({"X": GOOD_X[:, 0]}, "X"),  # 1-D X
    ({"X": np.where(GOOD_X == 1.0, np.nan, GOOD_X)}, "X"),
    ({"X": np.where(GOOD_X == 1.0, np.inf, GOOD_X)}, "X"),
    ({"y": GOOD_Y[:, None]}, "y"),  # 2-D y
    ({"y": np.array([1.0, np.nan, 2.0])}, "y"),
    ({"y": GOOD_Y[:2]}, "y"),  # mismatched rows
]


@pytest.mark.parametrize("fit", [fit_least_squares, lambda X, y, **kw: fit_ridge(X, y, 0.1, **kw)])
@pytest.mark.parametrize("kwargs, argname", BAD_XY + [({"fit_intercept": "yes"}, "fit_intercept")])
def test_fitters_bad_input(fit, kwargs, argname):
    arguments = {"X": GOOD_X, "y": GOOD_Y, **kwargs}
    with pytest.raises(ValueError, match=argname):
        fit(**arguments)


@pytest.mark.parametrize("lam", [-1e-3, np.nan, np.inf, None])
def test_ridge_bad_lam(lam):
    with pytest.raises(ValueError, match="lam"):
        fit_ridge(GOOD_X, GOOD_Y, lam)


@pytest.mark.parametrize("fun", [ridge_objective, ridge_gradient])
@pytest.mark.parametrize(
    "kwargs, argname",
    BAD_XY
    + [
        ({"w": np.array([1.0])}, "w"),  # wrong length
        ({"w": np.array([1.0, np.nan])}, "w"),
        ({"w": np.ones((2, 1))}, "w"),
        ({"lam": -1.0}, "lam"),
        ({"intercept": np.nan}, "intercept"),
    ],
)
def test_objective_and_gradient_bad_input(fun, kwargs, argname):
    arguments = {"w": np.ones(2), "X": GOOD_X, "y": GOOD_Y, "lam": 0.1, **kwargs}
    with pytest.raises(ValueError, match=argname):
        fun(**arguments)
