"""regbook.logistic: the book's L2 logistic regression against scikit-learn and its own optimality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from regbook import ConvergenceWarning
from regbook.logistic import fit_logistic_l2, logistic_gradient, logistic_objective


def make(n=150, p=3, seed=0, shift=0.3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(X @ rng.normal(size=p) + shift)))).astype(float)
    return X, y


def test_objective_is_the_mean_log_loss_plus_the_penalty():
    X, y = make()
    w, b, lam = np.array([0.5, -1.0, 2.0]), 0.4, 0.3
    z = X @ w + b
    p = 1 / (1 + np.exp(-z))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + lam / 2 * w @ w
    assert logistic_objective(w, X, y, lam, intercept=b) == pytest.approx(expected, rel=1e-12)


def test_objective_does_not_overflow_for_huge_scores():
    X = np.array([[1000.0], [-1000.0]])
    assert np.isfinite(logistic_objective([1.0], X, [0.0, 1.0], 0.0))
    assert logistic_objective([1.0], X, [0.0, 1.0], 0.0) == pytest.approx(1000.0)


def test_gradient_matches_finite_differences():
    X, y = make()
    w, b, lam = np.array([0.5, -1.0, 2.0]), 0.4, 0.3
    gw, gb = logistic_gradient(w, X, y, lam, intercept=b)
    h = 1e-6
    num = [(logistic_objective(w + h * e, X, y, lam, intercept=b) - logistic_objective(w - h * e, X, y, lam, intercept=b))
           / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(gw, num, atol=1e-8)
    num_b = (logistic_objective(w, X, y, lam, intercept=b + h) - logistic_objective(w, X, y, lam, intercept=b - h)) / (2 * h)
    assert gb == pytest.approx(num_b, abs=1e-8)


@pytest.mark.parametrize("lam", [1e-3, 0.05, 1.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_agrees_with_sklearn(lam, fit_intercept):
    X, y = make()
    n = len(y)
    ours = fit_logistic_l2(X, y, lam, fit_intercept=fit_intercept)
    sk = LogisticRegression(C=1 / (n * lam), fit_intercept=fit_intercept, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.coef, sk.coef_[0], atol=1e-6)
    assert ours.intercept == pytest.approx(float(sk.intercept_[0]) if fit_intercept else 0.0, abs=1e-6)
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X)[:, 1], atol=1e-6)


@given(seed=st.integers(0, 10_000), lam=st.floats(1e-3, 10.0))
def test_gradient_vanishes_at_the_solution(seed, lam):
    X, y = make(n=60, seed=seed)
    model = fit_logistic_l2(X, y, lam)
    gw, gb = logistic_gradient(model.coef, X, y, lam, intercept=model.intercept)
    assert np.max(np.abs(gw)) < 1e-9 and abs(gb) < 1e-9


def test_intercept_is_not_penalized():
    X, y = make(shift=3.0)
    huge = fit_logistic_l2(X, y, 1e4)
    assert np.max(np.abs(huge.coef)) < 1e-3
    assert huge.intercept == pytest.approx(np.log(y.mean() / (1 - y.mean())), abs=1e-3)  # the base rate


def test_separable_data_needs_a_penalty():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0.0, 0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="lam"):
        fit_logistic_l2(X, y, 0.0)  # no minimizer: the loss falls forever as w grows
    small, smaller = fit_logistic_l2(X, y, 1e-2), fit_logistic_l2(X, y, 1e-4)
    assert 0 < small.coef[0] < smaller.coef[0]  # weights grow without bound as lam -> 0


def test_too_few_iterations_warn_and_return_the_unconverged_iterate():
    X, y = make()
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        capped = fit_logistic_l2(X, y, 1e-3, max_iter=1)
    assert not capped.converged and capped.n_iter == 1
    full = fit_logistic_l2(X, y, 1e-3)
    assert full.converged
    # the capped iterate is one damped Newton step: it has not reached the minimizer
    assert logistic_objective(capped.coef, X, y, 1e-3, intercept=capped.intercept) > logistic_objective(
        full.coef, X, y, 1e-3, intercept=full.intercept)


@pytest.mark.parametrize("kwargs, match", [
    ({"y": [0.0, 2.0, 1.0]}, "labels"),
    ({"lam": -1.0}, "lam"),
    ({"X": [[np.nan], [1.0], [2.0]]}, "X"),
    ({"y": [0.0, 1.0]}, "rows"),
    ({"tol": 0.0}, "tol"),
    ({"max_iter": 0}, "max_iter"),
])
def test_bad_input(kwargs, match):
    args = {"X": [[0.0], [1.0], [2.0]], "y": [0.0, 1.0, 1.0], "lam": 0.1}
    extra = {k: kwargs.pop(k) for k in ("tol", "max_iter") if k in kwargs}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        fit_logistic_l2(args["X"], args["y"], args["lam"], **extra)
