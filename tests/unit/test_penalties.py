"""Tests for regbook.penalties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.linear_model import Lasso

from regbook.linear import ridge_gradient
from regbook.penalties import l1_penalty, l1_subgradient, l2_penalty, l2_penalty_gradient

weights = arrays(np.float64, st.integers(1, 8), elements=st.floats(-10, 10))
weight_pairs = st.integers(1, 8).flatmap(
    lambda p: st.tuples(*[arrays(np.float64, p, elements=st.floats(-10, 10))] * 2)
)
lambdas = st.floats(0, 10)


def test_values_by_hand():
    w = np.array([3.0, -4.0, 0.0])
    assert l2_penalty(w, 2.0) == pytest.approx(25.0)  # (2/2) * (9 + 16)
    assert l1_penalty(w, 2.0) == pytest.approx(14.0)  # 2 * (3 + 4)
    np.testing.assert_allclose(l2_penalty_gradient(w, 2.0), [6.0, -8.0, 0.0])
    np.testing.assert_array_equal(l1_subgradient(w, 2.0), [2.0, -2.0, 0.0])


def test_zero_strength_gives_zero_penalty():
    w = np.array([1.0, -2.0])
    assert l2_penalty(w, 0) == 0.0 and l1_penalty(w, 0) == 0.0
    np.testing.assert_array_equal(l2_penalty_gradient(w, 0), 0.0)
    np.testing.assert_array_equal(l1_subgradient(w, 0), 0.0)


@given(w=weights, lam=lambdas, c=st.floats(-5, 5))
def test_homogeneity(w, lam, c):
    # L2 is homogeneous of degree 2, L1 of degree 1 (absolute), both linear in lam.
    close = {"rel": 1e-12, "abs": 1e-12}
    assert l2_penalty(c * w, lam) == pytest.approx(c**2 * l2_penalty(w, lam), **close)
    assert l1_penalty(c * w, lam) == pytest.approx(abs(c) * l1_penalty(w, lam), **close)
    assert l2_penalty(w, 3 * lam) == pytest.approx(3 * l2_penalty(w, lam), rel=1e-12, abs=1e-300)
    assert l1_penalty(w, 3 * lam) == pytest.approx(3 * l1_penalty(w, lam), rel=1e-12, abs=1e-300)


@given(pair=weight_pairs, lam=lambdas)
def test_l1_subgradient_inequality(pair, lam):
    # Defining property of a subgradient g of a convex P: P(v) >= P(w) + g . (v - w).
    w, v = pair
    g = l1_subgradient(w, lam)
    assert np.all(np.abs(g) <= lam)
    assert l1_penalty(v, lam) >= l1_penalty(w, lam) + g @ (v - w) - 1e-9 * (1 + lam)


@given(pair=weight_pairs, lam=lambdas)
def test_l2_gradient_inequality(pair, lam):
    # For a convex differentiable P the tangent plane lies below: P(v) >= P(w) + grad . (v - w).
    w, v = pair
    slack = l2_penalty(v, lam) - l2_penalty(w, lam) - l2_penalty_gradient(w, lam) @ (v - w)
    # For this quadratic the slack is exactly (lam/2)||v - w||^2.
    assert slack == pytest.approx(0.5 * lam * np.sum((v - w) ** 2), rel=1e-9, abs=1e-9)


def _central_difference(fun, w, h=1e-6):
    grad = np.empty_like(w)
    for j in range(w.size):
        step = np.zeros_like(w)
        step[j] = h
        grad[j] = (fun(w + step) - fun(w - step)) / (2 * h)
    return grad


def test_gradients_match_finite_differences():
    w = np.array([0.7, -1.3, 2.1, -0.2])
    lam = 0.8
    np.testing.assert_allclose(
        l2_penalty_gradient(w, lam), _central_difference(lambda v: l2_penalty(v, lam), w), rtol=1e-7
    )
    # Away from 0, |.| is differentiable and the subgradient is the gradient.
    np.testing.assert_allclose(
        l1_subgradient(w, lam), _central_difference(lambda v: l1_penalty(v, lam), w), rtol=1e-7
    )


def test_l1_convention_matches_sklearn_lasso():
    # sklearn's Lasso(alpha) minimizes (1/(2n))||y - Xw - b||^2 + alpha ||w||_1, the book's
    # L1 objective with lam = alpha. Check the optimality (KKT) conditions of its solution with
    # our data-loss gradient and our L1 subgradient:
    #   w_j != 0:  grad_j + lam sign(w_j) = 0;     w_j == 0:  |grad_j| <= lam.
    rng = np.random.default_rng(0)
    n, lam = 60, 0.1
    X = rng.normal(size=(n, 6))
    y = X @ np.array([1.5, 0.0, -2.0, 0.0, 0.05, 0.0]) + 0.3 * rng.normal(size=n)
    lasso = Lasso(alpha=lam, tol=1e-14, max_iter=100_000, fit_intercept=False).fit(X, y)
    w = lasso.coef_
    active = w != 0
    assert 0 < active.sum() < w.size  # the test checks both cases
    data_gradient = ridge_gradient(w, X, y, 0.0)
    np.testing.assert_allclose(
        data_gradient[active] + l1_subgradient(w, lam)[active], 0.0, atol=1e-8
    )
    assert np.all(np.abs(data_gradient[~active]) <= lam + 1e-8)


ALL = [l2_penalty, l2_penalty_gradient, l1_penalty, l1_subgradient]


@pytest.mark.parametrize("fun", ALL)
@pytest.mark.parametrize(
    "w, lam, argname",
    [
        ([1.0, np.nan], 1.0, "w"),
        ([1.0, np.inf], 1.0, "w"),
        ([[1.0, 2.0]], 1.0, "w"),
        (1.0, 1.0, "w"),
        ([1.0], -0.5, "lam"),
        ([1.0], np.nan, "lam"),
        ([1.0], np.inf, "lam"),
        ([1.0], "1", "lam"),
    ],
)
def test_bad_input(fun, w, lam, argname):
    with pytest.raises(ValueError, match=argname):
        fun(w, lam)
