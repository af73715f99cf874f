"""Tests for regbook.lasso: objective, certificates and single-lambda solvers."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso

from regbook.lasso import (
    LassoFit,
    coordinate_descent,
    duality_gap,
    fista,
    fit_elastic_net,
    ista,
    kkt_violation,
    lambda_max,
    lasso_objective,
    subgradient_descent,
)
from regbook import ConvergenceWarning
from regbook.conventions import lams_from_sklearn_elastic_net, sklearn_elastic_net_params
from regbook.linear import LinearModel

TIGHT = {"tol": 1e-14, "max_iter": 1_000_000}  # scikit-learn side


def _problem(seed, n=40, p=6, *, offset=1.5):
    """Random regression data with a sparse truth and non-zero means (so the intercept matters)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=offset, size=(n, p))
    w = np.zeros(p)
    w[: min(3, p)] = [2.0, -1.5, 0.7][: min(3, p)]
    y = X @ w + 3.0 + 0.5 * rng.normal(size=n)
    return X, y


def _sklearn_lasso(X, y, lam, fit_intercept=True):
    return Lasso(alpha=lam, fit_intercept=fit_intercept, **TIGHT).fit(X, y)


# --- objective, lambda_max, certificates -----------------------------------------------------


def test_objective_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 2.0]])
    y = np.array([1.0, 1.0])
    w = np.array([1.0, -1.0])
    # residual y - Xw - b with b = 0.5: [-0.5, 2.5]; (1/4)(0.25 + 6.25) + 0.3 * 2 + (0.2/2) * 2
    assert lasso_objective(w, X, y, 0.3, intercept=0.5, lam2=0.2) == pytest.approx(1.625 + 0.6 + 0.2)


def test_lambda_max_by_hand_and_with_intercept():
    X = np.array([[1.0, 2.0], [3.0, 0.0], [5.0, 1.0]])
    y = np.array([1.0, 2.0, 6.0])
    # centred: Xc = [[-2, 1], [0, -1], [2, 0]], yc = [-2, -1, 3]; Xc^T yc / 3 = [10/3, -1/3]
    assert lambda_max(X, y) == pytest.approx(10 / 3)
    assert lambda_max(X, y, fit_intercept=False) == pytest.approx(abs(X.T @ y).max() / 3)


@pytest.mark.parametrize("seed", range(3))
def test_duality_gap_equals_sklearn_dual_gap_and_bounds_suboptimality(seed):
    X, y = _problem(seed)
    lam1, lam2 = 0.14, 0.06
    alpha, l1_ratio = sklearn_elastic_net_params(lam1, lam2)
    exact = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    best = lasso_objective(exact.coef_, X, y, lam1, intercept=exact.intercept_, lam2=lam2)
    for max_iter in (1, 2, 5):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            early = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, max_iter=max_iter, tol=1e-30).fit(X, y)
        gap = duality_gap(early.coef_, X, y, lam1, lam2=lam2)
        assert gap == pytest.approx(early.dual_gap_, rel=1e-9)
        suboptimality = lasso_objective(early.coef_, X, y, lam1, intercept=early.intercept_, lam2=lam2) - best
        assert 0 <= suboptimality <= gap + 1e-12
    assert duality_gap(exact.coef_, X, y, lam1, lam2=lam2) < 1e-12


def test_kkt_violation_zero_at_sklearn_solution_and_positive_elsewhere():
    X, y = _problem(0)
    model = _sklearn_lasso(X, y, 0.2)
    assert 0 < np.sum(model.coef_ == 0) < X.shape[1]  # both kinds of condition are exercised
    assert kkt_violation(model.coef_, X, y, 0.2, intercept=model.intercept_) < 1e-10
    assert kkt_violation(model.coef_ * 1.01, X, y, 0.2, intercept=model.intercept_) > 1e-4
    # the intercept condition: a shifted intercept violates mean(r) = 0 by the shift (and,
    # because the columns of X have non-zero means, the stationarity in w as well)
    shifted = kkt_violation(model.coef_, X, y, 0.2, intercept=model.intercept_ + 0.3)
    assert shifted >= 0.3 - 1e-9
    Xc = X - X.mean(axis=0)  # with centred columns only the intercept condition is violated
    centred = _sklearn_lasso(Xc, y, 0.2)
    assert kkt_violation(centred.coef_, Xc, y, 0.2, intercept=centred.intercept_ + 0.3) == pytest.approx(0.3)
    # a weight that is tiny but not zero claims sign +-1: the stationarity condition fails
    w = model.coef_.copy()
    w[w == 0] = 1e-9
    assert kkt_violation(w, X, y, 0.2, intercept=model.intercept_) > 0.05


# --- solvers agree with scikit-learn ---------------------------------------------------------


@pytest.mark.parametrize("solver", [coordinate_descent, ista, fista])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("seed", range(2))
def test_solvers_match_sklearn_lasso(solver, fit_intercept, seed):
    X, y = _problem(seed)
    lam = 0.1
    ours = solver(X, y, lam, fit_intercept=fit_intercept, tol=1e-15)
    ref = _sklearn_lasso(X, y, lam, fit_intercept)
    assert ours.converged
    np.testing.assert_allclose(ours.coef, ref.coef_, atol=1e-6)
    assert ours.intercept == pytest.approx(ref.intercept_, abs=1e-6)
    # exact zeros where scikit-learn has exact zeros
    np.testing.assert_array_equal(ours.coef == 0, ref.coef_ == 0)
    intercept = ours.intercept if fit_intercept else None
    assert kkt_violation(ours.coef, X, y, lam, intercept=intercept) < 1e-6


def test_coordinate_descent_more_features_than_rows():
    X, y = _problem(3, n=15, p=40)
    ours = coordinate_descent(X, y, 0.05, tol=1e-15)
    ref = _sklearn_lasso(X, y, 0.05)
    np.testing.assert_allclose(ours.coef, ref.coef_, atol=1e-6)
    assert np.count_nonzero(ours.coef) <= X.shape[0] - 1


@pytest.mark.parametrize("lam1, lam2", [(0.1, 0.5), (0.02, 2.0), (0.3, 0.01)])
def test_elastic_net_matches_sklearn(lam1, lam2):
    X, y = _problem(4)
    alpha, l1_ratio = sklearn_elastic_net_params(lam1, lam2)
    ref = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    for ours in (fit_elastic_net(X, y, lam1, lam2, tol=1e-15), fista(X, y, lam1, lam2=lam2, tol=1e-15)):
        np.testing.assert_allclose(ours.coef, ref.coef_, atol=1e-6)
        assert ours.intercept == pytest.approx(ref.intercept_, abs=1e-6)
        assert kkt_violation(ours.coef, X, y, lam1, intercept=ours.intercept, lam2=lam2) < 1e-6


@given(lam1=st.floats(1e-3, 10), lam2=st.floats(0, 10))
def test_elastic_net_parameter_maps_are_inverse(lam1, lam2):
    back = lams_from_sklearn_elastic_net(*sklearn_elastic_net_params(lam1, lam2))
    np.testing.assert_allclose(back, (lam1, lam2), rtol=1e-12, atol=1e-12)


# --- properties ------------------------------------------------------------------------------


@given(seed=st.integers(0, 10_000), factor=st.floats(1.0, 100.0))
def test_zero_solution_for_every_lambda_at_or_above_lambda_max(seed, factor):
    X, y = _problem(seed, n=20, p=5)
    lam = factor * lambda_max(X, y)
    fit = coordinate_descent(X, y, lam)
    assert np.all(fit.coef == 0.0) and fit.n_iter == 0  # w = 0 already has duality gap 0
    assert fit.intercept == pytest.approx(y.mean())
    assert np.all(_sklearn_lasso(X, y, lam).coef_ == 0.0)
    # just below lambda_max the most correlated feature enters, with the sign of its correlation
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    first = np.argmax(np.abs(Xc.T @ yc))
    below = coordinate_descent(X, y, (1 - 1e-3) * lambda_max(X, y), tol=1e-15)
    assert np.sign(below.coef[first]) == np.sign(Xc[:, first] @ yc)


@given(seed=st.integers(0, 10_000), fraction=st.floats(0.01, 0.99), lam2=st.sampled_from([0.0, 0.3]))
def test_kkt_conditions_hold_at_returned_solutions(seed, fraction, lam2):
    X, y = _problem(seed, n=25, p=8)
    lam = fraction * lambda_max(X, y)
    fit = coordinate_descent(X, y, lam, lam2=lam2, tol=1e-14)
    assert fit.converged and fit.gap <= 1e-14 * np.var(y)
    assert kkt_violation(fit.coef, X, y, lam, intercept=fit.intercept, lam2=lam2) < 1e-6
    # the objective never increases from one sweep to the next (exact coordinate minimization)
    assert np.all(np.diff(fit.objective) <= 1e-12 * fit.objective[0])


def test_ista_objective_is_monotone():
    # ISTA is a majorize-minimize method: J never increases. (FISTA's may; and FISTA is not
    # always faster: on well-conditioned problems ISTA converges linearly and can win.)
    X, y = _problem(5, n=60, p=10)
    fit = ista(X, y, 0.05, tol=1e-12)
    assert fit.converged and np.all(np.diff(fit.objective) <= 1e-12)


def test_fit_records_and_is_a_linear_model():
    X, y = _problem(6)
    fit = coordinate_descent(X, y, 0.1)
    assert isinstance(fit, LassoFit) and isinstance(fit, LinearModel)
    np.testing.assert_allclose(fit.predict(X), X @ fit.coef + fit.intercept)
    assert fit.objective.shape == (fit.n_iter + 1,) and not fit.objective.flags.writeable
    assert fit.lam == 0.1 and fit.lam2 == 0.0
    with pytest.warns(ConvergenceWarning, match="converged=False"):
        capped = coordinate_descent(X, y, 0.1, tol=1e-15, max_iter=1)
    assert capped.n_iter == 1 and not capped.converged and capped.gap > 1e-15 * np.var(y)
    # a warm start at the solution needs no sweep
    assert coordinate_descent(X, y, 0.1, w0=fit.coef).n_iter == 0


# --- subgradient descent ---------------------------------------------------------------------


def test_subgradient_first_step_by_hand():
    X, y = _problem(7, n=10, p=3)
    w0 = np.array([0.5, -0.2, 0.0])
    run = subgradient_descent(X, y, 0.3, step=0.1, n_steps=1, w0=w0)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    grad = -Xc.T @ (yc - Xc @ w0) / 10 + 0.3 * np.array([1.0, -1.0, 0.0])
    np.testing.assert_allclose(run.weights[1], w0 - 0.1 * grad, rtol=1e-12)
    np.testing.assert_allclose(run.intercepts, y.mean() - run.weights @ X.mean(axis=0))
    assert run.objective[0] == pytest.approx(lasso_objective(w0, X, y, 0.3, intercept=run.intercepts[0]))


@pytest.mark.parametrize("step", [0.1, 0.03])
def test_subgradient_descent_chatters_instead_of_reaching_zero(step):
    X, y = _problem(8, n=50, p=8)
    lam = 0.3
    exact = _sklearn_lasso(X, y, lam)
    zero = exact.coef_ == 0
    assert zero.any()
    run = subgradient_descent(X, y, lam, step=step, n_steps=3000)
    tail = run.weights[-500:, zero]
    assert np.count_nonzero(tail == 0.0) == 0  # never exactly zero
    amplitude = np.abs(tail).max()
    # a zero-at-optimum weight overshoots by up to step * (lam + |g_j|) <= 2 step lam
    assert 0.2 * step * lam < amplitude <= 2.05 * step * lam
    # and the exact solution's KKT test fails on the subgradient iterate
    assert kkt_violation(run.weights[-1], X, y, lam, intercept=run.intercepts[-1]) > 0.5 * lam


# --- bad input -------------------------------------------------------------------------------

X_OK, Y_OK = _problem(9, n=8, p=3)


@pytest.mark.parametrize(
    "call, argname",
    [
        (lambda: coordinate_descent(X_OK, Y_OK, 0.0), "lam"),
        (lambda: coordinate_descent(X_OK, Y_OK, -1.0), "lam"),
        (lambda: coordinate_descent(X_OK, Y_OK, 0.1, lam2=-1.0), "lam2"),
        (lambda: coordinate_descent(X_OK, Y_OK, 0.1, tol=0.0), "tol"),
        (lambda: coordinate_descent(X_OK, Y_OK, 0.1, max_iter=0), "max_iter"),
        (lambda: coordinate_descent(X_OK, Y_OK, 0.1, w0=[1.0]), "w0"),
        (lambda: coordinate_descent(X_OK, Y_OK, 0.1, fit_intercept=1), "fit_intercept"),
        (lambda: coordinate_descent(np.where(X_OK > 2, np.nan, X_OK), Y_OK, 0.1), "X"),
        (lambda: coordinate_descent(X_OK, Y_OK[:-1], 0.1), "y"),
        (lambda: ista(X_OK, Y_OK, 0.1, max_iter=0), "max_iter"),
        (lambda: fista(X_OK, Y_OK, np.inf), "lam"),
        (lambda: fit_elastic_net(X_OK, Y_OK, 0.1, -0.1), "lam2"),
        (lambda: subgradient_descent(X_OK, Y_OK, 0.1, step=0.0, n_steps=5), "step"),
        (lambda: subgradient_descent(X_OK, Y_OK, 0.1, step=0.1, n_steps=0), "n_steps"),
        (lambda: subgradient_descent(X_OK, Y_OK, -0.1, step=0.1, n_steps=5), "lam"),
        (lambda: lasso_objective([1.0, 2.0], X_OK, Y_OK, 0.1), "w"),
        (lambda: lasso_objective(np.ones(3), X_OK, Y_OK, 0.1, intercept=np.nan), "intercept"),
        (lambda: duality_gap(np.ones(3), X_OK, Y_OK, 0.0), "lam"),
        (lambda: kkt_violation(np.ones(3), X_OK, Y_OK, -0.1), "lam"),
        (lambda: lambda_max(X_OK[:, 0], Y_OK), "X"),
        (lambda: sklearn_elastic_net_params(0.0, 1.0), "lam1"),
        (lambda: lams_from_sklearn_elastic_net(-1.0, 0.5), "alpha"),
        (lambda: lams_from_sklearn_elastic_net(1.0, 0.0), "l1_ratio"),
        (lambda: lams_from_sklearn_elastic_net(1.0, 1.5), "l1_ratio"),
    ],
)
def test_bad_input(call, argname):
    with pytest.raises(ValueError, match=argname):
        call()


# -- sample_weight ----------------------------------------------------------------------------------
from regbook.pathwise import fit_lasso, lasso_path  # noqa: E402


def weighted_problem(n=50, p=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-1, 1, p)
    w = np.zeros(p)
    w[:3] = [2.0, -1.5, 1.0]
    y = X @ w + 1.0 + 0.5 * rng.standard_normal(n)
    s = rng.uniform(0.0, 4.0, n)
    s[:4] = 0.0
    return X, y, s


def weighted_objective(X, y, s, w, b, lam, lam2=0.0):
    """The documented objective (1/(2S)) sum s_i r_i^2 + lam ||w||_1 + (lam2/2) ||w||^2."""
    r = y - X @ w - b
    return 0.5 * (s @ r**2) / s.sum() + lam * np.abs(w).sum() + 0.5 * lam2 * w @ w


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", ["cd", "pathwise", "path", "elastic_net"])
def test_sample_weight_is_sklearns_lasso_and_elastic_net(solver, fit_intercept):
    X, y, s = weighted_problem()
    lam, lam2 = 0.08, 0.0 if solver != "elastic_net" else 0.3
    if lam2:
        sk = ElasticNet(alpha=lam + lam2, l1_ratio=lam / (lam + lam2), fit_intercept=fit_intercept, **TIGHT)
    else:
        sk = Lasso(alpha=lam, fit_intercept=fit_intercept, **TIGHT)
    sk.fit(X, y, sample_weight=s)
    kw = {"fit_intercept": fit_intercept, "sample_weight": s, "tol": 1e-14}
    if solver == "cd":
        fit = coordinate_descent(X, y, lam, **kw)
    elif solver == "pathwise":
        fit = fit_lasso(X, y, lam, **kw)
    elif solver == "elastic_net":
        fit = fit_elastic_net(X, y, lam, lam2, **kw)
    else:
        path = lasso_path(X, y, lambdas=[0.5, 0.2, lam], **kw)
        fit = LinearModel(coef=path.coefs[-1], intercept=path.intercepts[-1])
        assert path.converged
    np.testing.assert_allclose(fit.coef, sk.coef_, atol=1e-9)
    assert fit.intercept == pytest.approx(sk.intercept_, abs=1e-9)
    assert np.sum(fit.coef == 0.0) == np.sum(sk.coef_ == 0.0) > 0  # the same exact zeros
    ours = weighted_objective(X, y, s, fit.coef, fit.intercept, lam, lam2)
    theirs = weighted_objective(X, y, s, sk.coef_, sk.intercept_, lam, lam2)
    assert ours <= theirs + 1e-14
    if isinstance(fit, LassoFit):  # the reported gap certifies the weighted objective
        assert fit.converged and ours - theirs <= fit.gap + 1e-15


@given(seed=st.integers(0, 2**16), fit_intercept=st.booleans())
def test_lasso_integer_weights_equal_repeated_rows(seed, fit_intercept):
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((12, 5)), rng.standard_normal(12)
    counts = rng.integers(0, 4, 12)
    counts[:2] = [1, 2]
    lam = 0.3 * lambda_max(X, y, fit_intercept=fit_intercept) + 1e-3
    weighted = fit_lasso(X, y, lam, fit_intercept=fit_intercept, sample_weight=counts, tol=1e-14)
    repeated = fit_lasso(np.repeat(X, counts, axis=0), np.repeat(y, counts), lam, fit_intercept=fit_intercept,
                         tol=1e-14)
    np.testing.assert_allclose(weighted.coef, repeated.coef, atol=1e-9)
    assert weighted.intercept == pytest.approx(repeated.intercept, abs=1e-9)
    ones = coordinate_descent(X, y, lam, fit_intercept=fit_intercept, sample_weight=np.ones(12))
    plain = coordinate_descent(X, y, lam, fit_intercept=fit_intercept)
    np.testing.assert_allclose(ones.coef, plain.coef, atol=1e-12)


def test_lasso_bad_sample_weight_raises_naming_it():
    X, y, s = weighted_problem()
    for bad in (-s, s[:-1], np.zeros_like(s), np.full_like(s, np.inf), s + 1j):
        for call in (lambda: coordinate_descent(X, y, 0.1, sample_weight=bad),
                     lambda: fit_lasso(X, y, 0.1, sample_weight=bad),
                     lambda: lasso_path(X, y, sample_weight=bad),
                     lambda: fit_elastic_net(X, y, 0.1, 0.1, sample_weight=bad)):
            with pytest.raises(ValueError, match="sample_weight"):
                call()
