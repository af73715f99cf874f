"""regbook.estimators: the scikit-learn API (check_estimator) and agreement with scikit-learn's classes."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from regbook.estimators import (
    ElasticNetRegression,
    L2LogisticRegression,
    LassoCVRegression,
    LassoRegression,
    RidgeCVRegression,
    RidgeRegression,
)


def _expected_failures(estimator):
    if isinstance(estimator, RidgeCVRegression):
        # Leave-one-out is not invariant to repeating rows: leaving out one of k copies keeps k - 1 in
        # the fit, leaving out a row of weight k removes it all. RidgeCV behaves the same way (its
        # choice with weights is checked against RidgeCV's in test_ridge_cv_with_sample_weight_is_sklearns).
        return {"check_sample_weight_equivalence_on_dense_data": "leave-one-out differs for repeated rows"}
    return {}


@parametrize_with_checks([RidgeRegression(), LassoRegression(), ElasticNetRegression(), L2LogisticRegression(),
                          RidgeCVRegression(), LassoCVRegression()], expected_failed_checks=_expected_failures)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def regression(n=120, p=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    return X, X @ rng.normal(size=p) + 1.5 + 0.5 * rng.normal(size=n)


def test_ridge_estimator_is_sklearn_ridge_with_alpha_n_lam():
    X, y = regression()
    ours = RidgeRegression(lam=0.3).fit(X, y)
    sk = Ridge(alpha=0.3 * len(y)).fit(X, y)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=1e-10)
    assert ours.intercept_ == pytest.approx(sk.intercept_, rel=1e-10)
    np.testing.assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-10)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_and_elastic_net_estimators_are_sklearns_with_translated_parameters(fit_intercept):
    X, y = regression()
    tight = {"tol": 1e-14, "max_iter": 1_000_000, "fit_intercept": fit_intercept}
    ours = LassoRegression(lam=0.2, fit_intercept=fit_intercept).fit(X, y)
    sk = Lasso(alpha=0.2, **tight).fit(X, y)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-6)
    ours = ElasticNetRegression(lam1=0.2, lam2=0.5, fit_intercept=fit_intercept).fit(X, y)
    sk = ElasticNet(alpha=0.7, l1_ratio=0.2 / 0.7, **tight).fit(X, y)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(sk.intercept_, abs=1e-6)


def test_cross_validation_fold_by_fold():
    """In CV, our lam is per example: each fold's fit is Ridge(alpha = n_fold * lam)."""
    X, y = regression()
    ours = cross_val_score(RidgeRegression(lam=0.3), X, y, cv=KFold(4), scoring="neg_mean_squared_error")
    by_hand = []
    for train, test in KFold(4).split(X):
        fit = Ridge(alpha=0.3 * len(train)).fit(X[train], y[train])
        by_hand.append(-np.mean((y[test] - fit.predict(X[test])) ** 2))
    np.testing.assert_allclose(ours, by_hand, rtol=1e-10)


def test_grid_search_in_a_pipeline_finds_the_best_lam():
    X, y = regression(n=80, p=20, seed=1)
    grid = {"ridgeregression__lam": np.logspace(-3, 1, 9)}
    search = GridSearchCV(make_pipeline(StandardScaler(), RidgeRegression()), grid, cv=KFold(5),
                          scoring="neg_mean_squared_error").fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert search.best_params_["ridgeregression__lam"] == grid["ridgeregression__lam"][np.argmax(scores)]
    refit = search.best_estimator_[-1]
    assert refit.lam == search.best_params_["ridgeregression__lam"] and refit.coef_.shape == (20,)


@pytest.mark.parametrize("labels", [(0, 1), ("no", "yes"), (-1, 1)])
def test_logistic_estimator_is_sklearn_logistic_regression_with_C(labels):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(150, 3))
    raw = rng.uniform(size=150) < 1 / (1 + np.exp(-(X @ [1.0, -1.0, 0.5])))
    y = np.where(raw, labels[1], labels[0])
    ours = L2LogisticRegression(lam=0.02).fit(X, y)
    sk = LogisticRegression(C=1 / (150 * 0.02), tol=1e-12, max_iter=10_000).fit(X, y)
    assert list(ours.classes_) == list(sk.classes_)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), atol=1e-6)
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))


@pytest.mark.parametrize("estimator, match", [
    (RidgeRegression(lam=-1.0), "lam"),
    (LassoRegression(lam=0.0), "lam"),
    (ElasticNetRegression(lam2=-1.0), "lam2"),
    (L2LogisticRegression(lam=0.0), "lam"),
    (L2LogisticRegression(max_iter=0), "max_iter"),
])
def test_bad_parameters_are_refused_at_fit(estimator, match):
    X, y = regression(n=20)
    y = (y > np.median(y)).astype(int) if isinstance(estimator, L2LogisticRegression) else y
    with pytest.raises(ValueError, match=match):
        estimator.fit(X, y)


def test_multiclass_is_refused_with_a_clear_message():
    X, _ = regression(n=30)
    with pytest.raises(ValueError, match="Only binary"):
        L2LogisticRegression().fit(X, np.arange(30) % 3)


# -- sample_weight, 2-D y, n_iter_ and dual_gap_ ----------------------------------------------------
from sklearn.linear_model import LassoCV, RidgeCV  # noqa: E402

from regbook.lasso import duality_gap, lasso_objective  # noqa: E402
from regbook.pathwise import lambda_grid  # noqa: E402


def weights(n, seed=1):
    s = np.random.default_rng(seed).uniform(0.0, 3.0, n)
    s[:2] = 0.0
    return s


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_estimators_with_sample_weight_are_sklearns(fit_intercept):
    X, y = regression()
    s = weights(len(y))
    tight = {"tol": 1e-14, "max_iter": 1_000_000, "fit_intercept": fit_intercept}
    ours = RidgeRegression(lam=0.3, fit_intercept=fit_intercept).fit(X, y, sample_weight=s)
    sk = Ridge(alpha=0.3 * s.sum(), fit_intercept=fit_intercept).fit(X, y, sample_weight=s)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=1e-10)
    assert ours.intercept_ == pytest.approx(sk.intercept_, rel=1e-10, abs=1e-12)
    ours = LassoRegression(lam=0.2, fit_intercept=fit_intercept, tol=1e-14).fit(X, y, sample_weight=list(s))
    sk = Lasso(alpha=0.2, **tight).fit(X, y, sample_weight=s)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-9)
    assert ours.intercept_ == pytest.approx(sk.intercept_, abs=1e-9)
    ours = ElasticNetRegression(lam1=0.2, lam2=0.5, fit_intercept=fit_intercept, tol=1e-14).fit(X, y, sample_weight=s)
    sk = ElasticNet(alpha=0.7, l1_ratio=0.2 / 0.7, **tight).fit(X, y, sample_weight=s)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-9)
    assert ours.intercept_ == pytest.approx(sk.intercept_, abs=1e-9)
    with pytest.raises(ValueError, match="[Nn]egative"):
        LassoRegression().fit(X, y, sample_weight=-s)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_estimator_with_2d_y_is_sklearns(fit_intercept):
    X, y = regression()
    Y = np.column_stack([y, -2 * y + X[:, 0], np.ones_like(y)])
    ours = RidgeRegression(lam=0.1, fit_intercept=fit_intercept).fit(X, Y)
    sk = Ridge(alpha=0.1 * len(y), fit_intercept=fit_intercept).fit(X, Y)
    assert ours.coef_.shape == sk.coef_.shape == (3, X.shape[1])
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, sk.intercept_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-9, atol=1e-12)
    s = weights(len(y))
    ours = RidgeRegression(lam=0.1, fit_intercept=fit_intercept).fit(X, Y, sample_weight=s)
    sk = Ridge(alpha=0.1 * s.sum(), fit_intercept=fit_intercept).fit(X, Y, sample_weight=s)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=1e-9, atol=1e-12)


def test_lasso_estimator_reports_sweeps_and_a_certified_gap():
    X, y = regression()
    for est in (LassoRegression(lam=0.1, tol=1e-8), ElasticNetRegression(lam1=0.1, lam2=0.2, tol=1e-8)):
        est.fit(X, y)
        lam, lam2 = (est.lam, 0.0) if isinstance(est, LassoRegression) else (est.lam1, est.lam2)
        gap = duality_gap(est.coef_, X, y, lam, lam2=lam2)  # recomputed from the residuals
        # fit_lasso's active-set solutions are exact to rounding: both gaps are then rounding noise
        assert est.dual_gap_ == pytest.approx(gap, rel=1e-6, abs=1e-13 * np.var(y))
        assert 0.0 <= est.dual_gap_ <= 1e-8 * np.var(y)  # the stopping rule tol * ||yc||^2 / n
        assert isinstance(est.n_iter_, int) and est.n_iter_ >= 0  # 0: an active-set guess solved it (fit_lasso)
    loose = LassoRegression(lam=0.1, tol=1e-2).fit(X, y)
    assert loose.n_iter_ <= est.n_iter_
    # The gap bounds the distance to the optimum, which scikit-learn's tight fit approximates.
    sk = Lasso(alpha=0.1, tol=1e-14, max_iter=1_000_000).fit(X, y)
    excess = lasso_objective(loose.coef_, X, y, 0.1, intercept=loose.intercept_) - lasso_objective(
        sk.coef_, X, y, 0.1, intercept=sk.intercept_)
    assert -1e-14 <= excess <= loose.dual_gap_


# -- RidgeCVRegression and LassoCVRegression against RidgeCV and LassoCV -----------------------------
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("shape", [(120, 5), (30, 60)])
def test_ridge_cv_is_sklearns_ridge_cv(shape, fit_intercept):
    X, y = regression(*shape, seed=4)
    n = len(y)
    y = y + 4.0 * np.random.default_rng(7).standard_normal(n)  # noisy enough that shrinking pays
    lambdas = np.logspace(-4, 1, 21)
    ours = RidgeCVRegression(lambdas=lambdas, fit_intercept=fit_intercept).fit(X, y)
    sk = RidgeCV(alphas=n * lambdas, fit_intercept=fit_intercept).fit(X, y)
    assert ours.alpha_ == pytest.approx(sk.alpha_, rel=1e-12) and ours.lam_ in lambdas
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=1e-8, atol=1e-10)
    assert ours.intercept_ == pytest.approx(sk.intercept_, rel=1e-8, abs=1e-10)
    assert ours.best_score_ == pytest.approx(sk.best_score_, rel=1e-8)
    if shape[0] > shape[1]:  # an interior choice, so that the comparison means something
        assert 0 < np.argmin(ours.mse_path_) < len(lambdas) - 1


def test_ridge_cv_gcv_by_the_explicit_hat_matrix():
    X, y = regression(40, 6, seed=5)
    n = len(y)
    lambdas = np.logspace(-3, 1, 9)
    est = RidgeCVRegression(lambdas=lambdas, criterion="gcv").fit(X, y)
    Xc = X - X.mean(axis=0)
    expected = []
    for lam in lambdas:
        H = np.full((n, n), 1.0 / n) + Xc @ np.linalg.solve(Xc.T @ Xc + n * lam * np.eye(X.shape[1]), Xc.T)
        r = y - H @ y
        expected.append(np.mean(r**2) / (1 - np.trace(H) / n) ** 2)
    np.testing.assert_allclose(est.mse_path_, expected, rtol=1e-10)
    assert est.lam_ == lambdas[int(np.argmin(expected))]
    with pytest.raises(ValueError, match="lambdas"):
        RidgeCVRegression(lambdas=[0.1, -1.0]).fit(X, y)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("cv", [5, KFold(3, shuffle=True, random_state=0)])
def test_lasso_cv_is_sklearns_lasso_cv(cv, fit_intercept):
    rng = np.random.default_rng(6)
    X = rng.standard_normal((80, 10))
    y = X[:, :3] @ [1.5, -2.0, 0.7] + 0.8 * rng.standard_normal(80) + 2.0
    ours = LassoCVRegression(n_lambdas=40, cv=cv, fit_intercept=fit_intercept, tol=1e-12).fit(X, y)
    sk = LassoCV(alphas=40, cv=cv, fit_intercept=fit_intercept, tol=1e-12, max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(ours.lambdas_, sk.alphas_, rtol=1e-12)  # the same default grid
    np.testing.assert_allclose(ours.mse_path_, sk.mse_path_, rtol=1e-7)
    assert ours.lam_ == pytest.approx(sk.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-8)
    assert ours.intercept_ == pytest.approx(sk.intercept_, abs=1e-8)
    assert ours.dual_gap_ <= 1e-12 * np.mean((y - y.mean() * fit_intercept) ** 2)
    # A grid given out of order is solved decreasing, as LassoCV does.
    grid = lambda_grid(float(sk.alphas_[0]), n_lambdas=7)[::-1]
    ours = LassoCVRegression(lambdas=grid, cv=cv, fit_intercept=fit_intercept, tol=1e-12).fit(X, y)
    sk = LassoCV(alphas=grid, cv=cv, fit_intercept=fit_intercept, tol=1e-12, max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(ours.lambdas_, grid[::-1])
    assert ours.lam_ == pytest.approx(sk.alpha_, rel=1e-12)


def test_lasso_cv_refuses_a_constant_target_without_a_grid():
    X, _ = regression(30, 3)
    with pytest.raises(ValueError, match="lambda_max"):
        LassoCVRegression().fit(X, np.full(30, 2.0))
    with pytest.raises(ValueError, match="lambdas"):
        LassoCVRegression(lambdas=[]).fit(X, np.arange(30.0))
    s = np.ones(30)
    s[:6] = 0.0  # the first of KFold(5)'s held-out parts has no weight
    with pytest.raises(ValueError, match="sample_weight"):
        LassoCVRegression(cv=5).fit(X, np.arange(30.0), sample_weight=s)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_cv_with_sample_weight_is_sklearns(fit_intercept):
    rng = np.random.default_rng(8)
    X = rng.standard_normal((90, 8))
    y = X[:, :3] @ [1.5, -2.0, 0.7] + rng.standard_normal(90) + 1.0
    s = rng.uniform(0.2, 3.0, 90)
    cv = KFold(4, shuffle=True, random_state=1)
    ours = LassoCVRegression(n_lambdas=30, cv=cv, fit_intercept=fit_intercept, tol=1e-12).fit(X, y, sample_weight=s)
    sk = LassoCV(alphas=30, cv=cv, fit_intercept=fit_intercept, tol=1e-12, max_iter=1_000_000).fit(
        X, y, sample_weight=s)
    np.testing.assert_allclose(ours.lambdas_, sk.alphas_, rtol=1e-12)  # the weighted lambda_max
    np.testing.assert_allclose(ours.mse_path_, sk.mse_path_, rtol=1e-7)
    assert ours.lam_ == pytest.approx(sk.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-8)
    assert ours.intercept_ == pytest.approx(sk.intercept_, abs=1e-8)
    unweighted = LassoCVRegression(n_lambdas=30, cv=cv, fit_intercept=fit_intercept, tol=1e-12).fit(X, y)
    assert not np.allclose(unweighted.mse_path_, ours.mse_path_)  # the weights were used


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_cv_with_sample_weight_is_sklearns(fit_intercept):
    X, y = regression(50, 6, seed=9)
    y = y + 3.0 * np.random.default_rng(10).standard_normal(50)
    s = weights(50, seed=11)
    lambdas = np.logspace(-3, 1, 17)
    ours = RidgeCVRegression(lambdas=lambdas, fit_intercept=fit_intercept).fit(X, y, sample_weight=s)
    sk = RidgeCV(alphas=s.sum() * lambdas, fit_intercept=fit_intercept, store_cv_results=True).fit(X, y, sample_weight=s)
    assert ours.alpha_ == pytest.approx(sk.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.mse_path_, sk.cv_results_.mean(axis=0), rtol=1e-9)
    assert ours.best_score_ == pytest.approx(sk.best_score_, rel=1e-9)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=1e-9, atol=1e-12)
    assert ours.intercept_ == pytest.approx(sk.intercept_, rel=1e-9, abs=1e-12)
    # Unit weights are no weights; GCV with unit weights is the unweighted GCV.
    for criterion in ("loo", "gcv"):
        plain = RidgeCVRegression(lambdas=lambdas, fit_intercept=fit_intercept, criterion=criterion).fit(X, y)
        ones = RidgeCVRegression(lambdas=lambdas, fit_intercept=fit_intercept, criterion=criterion).fit(
            X, y, sample_weight=np.ones(50))
        np.testing.assert_allclose(ones.mse_path_, plain.mse_path_, rtol=1e-10)
