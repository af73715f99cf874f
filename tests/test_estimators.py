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


@parametrize_with_checks([RidgeRegression(), LassoRegression(), ElasticNetRegression(), L2LogisticRegression(),
                          RidgeCVRegression(), LassoCVRegression()])
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
