"""scikit-learn estimators over the book's solvers, in the book's convention for ``lam``.

They follow the scikit-learn estimator API (``get_params``/``set_params``, ``fit`` returning
``self``, fitted attributes ending in ``_``, input validation), so they work with
``cross_val_score``, ``GridSearchCV`` and ``Pipeline``, and they pass
``sklearn.utils.estimator_checks.check_estimator`` (run in the tests). What differs from
scikit-learn's own classes is only the meaning of the strength:

==========================  ==================================================  =================================
estimator                   minimizes (``L``: mean loss, intercept unpenalized)  scikit-learn equivalent
==========================  ==================================================  =================================
``RidgeRegression(lam)``     ``(1/(2n)) ||y - Xw - b||^2 + (lam/2) ||w||^2``     ``Ridge(alpha=n*lam)``
``LassoRegression(lam)``     ``(1/(2n)) ||y - Xw - b||^2 + lam ||w||_1``         ``Lasso(alpha=lam)``
``ElasticNetRegression``     ``... + lam1 ||w||_1 + (lam2/2) ||w||^2``            ``ElasticNet(lam1+lam2, lam1/(lam1+lam2))``
``L2LogisticRegression``     ``mean log loss + (lam/2) ||w||^2``                 ``LogisticRegression(C=1/(n*lam))``
==========================  ==================================================  =================================

Because ``lam`` multiplies a *mean* loss, the same ``lam`` means the same amount of
regularization per example whatever the size of the training set -- which is what a grid over
``lam`` in cross-validation needs (each fold has fewer rows than the full set).
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from .lasso import coordinate_descent
from .linear import fit_ridge
from .logistic import fit_logistic_l2

__all__ = ["RidgeRegression", "LassoRegression", "ElasticNetRegression", "L2LogisticRegression"]


class _LinearRegressor(RegressorMixin, BaseEstimator):
    """Shared ``fit``/``predict`` of the regressors; subclasses implement ``_solve``."""

    def _solve(self, X: np.ndarray, y: np.ndarray):  # -> LinearModel
        raise NotImplementedError

    def fit(self, X, y):
        """Fit on ``X`` (n, p) and ``y`` (n,); returns ``self``."""
        self._validate_params()
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64)
        model = self._solve(X, y)
        self.coef_ = np.array(model.coef)
        self.intercept_ = float(model.intercept)
        return self

    def predict(self, X):
        """Predictions ``X @ coef_ + intercept_``, shape (n,)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + self.intercept_


class RidgeRegression(_LinearRegressor):
    """Ridge regression with the book's ``lam``: ``(1/(2n)) ||y - Xw - b||^2 + (lam/2) ||w||^2``.

    Parameters
    ----------
    lam : float, default 0.01
        Penalty strength, ``>= 0`` (``Ridge(alpha=n*lam)``).
    fit_intercept : bool, default True
        Fit an unpenalized intercept.

    Attributes
    ----------
    coef_ : ndarray, shape (p,)
    intercept_ : float
    n_features_in_ : int
    """

    _parameter_constraints = {"lam": [Interval(numbers.Real, 0, None, closed="left")], "fit_intercept": ["boolean"]}

    def __init__(self, lam: float = 0.01, *, fit_intercept: bool = True):
        self.lam = lam
        self.fit_intercept = fit_intercept

    def _solve(self, X, y):
        return fit_ridge(X, y, self.lam, fit_intercept=self.fit_intercept)


class LassoRegression(_LinearRegressor):
    """The lasso with the book's ``lam``: ``(1/(2n)) ||y - Xw - b||^2 + lam ||w||_1`` (= ``Lasso(alpha=lam)``).

    Solved by :func:`regbook.lasso.coordinate_descent` to a duality gap of ``tol * ||yc||^2 / n``
    (scikit-learn's stopping rule); the weights it sets to zero are exactly zero.

    Parameters
    ----------
    lam : float, default 0.01
        Penalty strength, ``> 0``.
    fit_intercept : bool, default True
    tol : float, default 1e-10

    Attributes
    ----------
    coef_ : ndarray, shape (p,)
    intercept_ : float
    n_features_in_ : int
    """

    _parameter_constraints = {
        "lam": [Interval(numbers.Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
    }

    def __init__(self, lam: float = 0.01, *, fit_intercept: bool = True, tol: float = 1e-10):
        self.lam = lam
        self.fit_intercept = fit_intercept
        self.tol = tol

    def _solve(self, X, y):
        return coordinate_descent(X, y, self.lam, fit_intercept=self.fit_intercept, tol=self.tol)


class ElasticNetRegression(_LinearRegressor):
    """The elastic net in the book's terms: ``(1/(2n)) ||y - Xw - b||^2 + lam1 ||w||_1 + (lam2/2) ||w||^2``.

    Equals ``ElasticNet(alpha=lam1 + lam2, l1_ratio=lam1 / (lam1 + lam2))``
    (:func:`regbook.conventions.sklearn_elastic_net_params`). Solved by coordinate descent.

    Parameters
    ----------
    lam1 : float, default 0.01
        L1 strength, ``> 0``.
    lam2 : float, default 0.01
        L2 strength, ``>= 0``.
    fit_intercept : bool, default True
    tol : float, default 1e-10

    Attributes
    ----------
    coef_ : ndarray, shape (p,)
    intercept_ : float
    n_features_in_ : int
    """

    _parameter_constraints = {
        "lam1": [Interval(numbers.Real, 0, None, closed="neither")],
        "lam2": [Interval(numbers.Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
    }

    def __init__(self, lam1: float = 0.01, lam2: float = 0.01, *, fit_intercept: bool = True, tol: float = 1e-10):
        self.lam1 = lam1
        self.lam2 = lam2
        self.fit_intercept = fit_intercept
        self.tol = tol

    def _solve(self, X, y):
        return coordinate_descent(X, y, self.lam1, lam2=self.lam2, fit_intercept=self.fit_intercept, tol=self.tol)


class L2LogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression with the book's ``lam``: ``mean log loss + (lam/2) ||w||^2``.

    Equivalent to ``LogisticRegression(C=1/(n*lam))``. Any two class labels are accepted
    (``classes_`` holds them sorted; the second is the positive class). Solved by Newton's method
    (:func:`regbook.logistic.fit_logistic_l2`).

    Parameters
    ----------
    lam : float, default 0.01
        Penalty strength, ``> 0``.
    fit_intercept : bool, default True
    tol : float, default 1e-10
        Newton stops when the largest gradient entry is below ``tol``.
    max_iter : int, default 100

    Attributes
    ----------
    classes_ : ndarray, shape (2,)
    coef_ : ndarray, shape (1, p)
        As in scikit-learn's binary ``LogisticRegression``.
    intercept_ : ndarray, shape (1,)
    n_features_in_ : int
    """

    _parameter_constraints = {
        "lam": [Interval(numbers.Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(self, lam: float = 0.01, *, fit_intercept: bool = True, tol: float = 1e-10, max_iter: int = 100):
        self.lam = lam
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X, y):
        """Fit on ``X`` (n, p) and binary labels ``y`` (n,); returns ``self``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2 or type_of_target(y) != "binary":
            raise ValueError(
                f"Only binary classification is supported; y has {len(self.classes_)} classes "
                "(wrap the estimator in sklearn.multiclass.OneVsRestClassifier for more)"
            )
        model = fit_logistic_l2(X, (y == self.classes_[1]).astype(np.float64), self.lam,
                                fit_intercept=self.fit_intercept, tol=self.tol, max_iter=self.max_iter)
        self.coef_ = model.coef[np.newaxis, :].copy()
        self.intercept_ = np.array([model.intercept])
        self.n_iter_ = np.array([model.n_iter])
        return self

    def decision_function(self, X):
        """Scores ``X @ coef_[0] + intercept_[0]`` (positive: the class ``classes_[1]``), shape (n,)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X):
        """Class probabilities, shape (n, 2), columns in the order of ``classes_``."""
        from scipy.special import expit

        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        """The more probable class label of each row."""
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]
