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

**Sample weights.** The three regressors' ``fit(X, y, sample_weight=s)`` replace the mean loss by
the weighted mean ``(1/(2S)) sum_i s_i (y_i - x_i w - b)^2`` with ``S = sum(s)``: that is
``Lasso(alpha=lam)`` and ``ElasticNet`` with the same ``sample_weight`` (scikit-learn rescales the
weights of those two to sum to ``n``) and ``Ridge(alpha=S * lam)`` (``Ridge`` does not rescale).
An integer weight ``k`` equals ``k`` copies of the row.

**Choosing the strength.** :class:`RidgeCVRegression` picks ``lam`` from a grid by the exact
leave-one-out error of :meth:`regbook.ridge.RidgeSVD.loo_mse` (``RidgeCV(alphas=n * lambdas)``), or by
GCV; :class:`LassoCVRegression` by K-fold cross-validation over the lasso path of
:func:`regbook.pathwise.lasso_path` (``LassoCV`` with the same grid and folds).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.model_selection import check_cv
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d, validate_data

from .lasso import lambda_max
from .linear import LinearModel, fit_ridge
from .logistic import fit_logistic_l2
from .pathwise import fit_lasso, lambda_grid, lasso_path
from ._sample_weight import check_sample_weight, weighted_data
from ._validation import InputTypeError, check_bool, check_choice, check_nonnegative, check_positive, check_positive_int
from .ridge import fit_ridge_multioutput, fit_ridge_svd, ridge_svd

__all__ = [
    "RidgeRegression",
    "LassoRegression",
    "ElasticNetRegression",
    "L2LogisticRegression",
    "RidgeCVRegression",
    "LassoCVRegression",
]


def _check_eps(value, name: str) -> float:
    value = check_positive(value, name)
    if value > 1:
        raise ValueError(f"{name} must lie in (0, 1]; got {value!r}")
    return value


class _Checked:
    """Checks the constructor parameters at ``fit``, as scikit-learn's estimators do.

    ``_parameter_checks`` maps each parameter to a function ``check(value, name)`` of
    :mod:`regbook._validation` that raises a ``ValueError`` (a ``TypeError`` too, for a wrong type)
    naming the parameter. Parameters are checked, never changed (``get_params`` returns them as set).
    """

    _parameter_checks: dict = {}

    def _check_parameters(self) -> None:
        for name, check in self._parameter_checks.items():
            check(getattr(self, name), name)


def _check_X(estimator, X):
    """``X`` of ``predict``, checked as scikit-learn's linear models check it (same messages)."""
    check_is_fitted(estimator)
    return validate_data(estimator, X, reset=False).astype(np.float64, copy=False)


class _LinearRegressor(_Checked, RegressorMixin, BaseEstimator):
    """Shared ``fit``/``predict`` of the regressors; subclasses implement ``_solve``.

    Bad data is refused with exactly the error of scikit-learn's own ``Ridge``/``Lasso``/
    ``ElasticNet`` for the same data (the same ``validate_data`` call); the solvers then get float64
    arrays (float32 input is fitted in float64; ``coef_`` and the predictions are float64).
    """

    _multi_output = False

    def _solve(self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None):  # -> LinearModel
        raise NotImplementedError

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (n, p) and ``y`` (n,) with optional weights ``sample_weight`` (n,); returns ``self``.

        Lists and integer, float32 or float64 arrays are accepted; float32 input is fitted in float64.
        An estimator that takes several targets also accepts ``y`` of shape (n, k); the others flatten a
        column ``y`` of shape (n, 1) with a DataConversionWarning, as scikit-learn's linear models do.
        """
        self._check_parameters()
        X, y = self._validate_Xy(X, y)
        X, y = X.astype(np.float64, copy=False), y.astype(np.float64, copy=False)
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight)
            if sample_weight.ndim == 0:  # a number weighs every row alike, as in scikit-learn
                sample_weight = np.full(X.shape[0], sample_weight)
            sample_weight = check_sample_weight(sample_weight, X.shape[0])
        model = self._solve(X, y, sample_weight)
        self.coef_ = np.array(model.coef)
        self.intercept_ = float(model.intercept) if np.ndim(model.intercept) == 0 else np.array(model.intercept)
        return self

    def _validate_Xy(self, X, y):
        """``X`` and ``y`` checked as the scikit-learn twin checks them (so bad data gets its messages)."""
        # scikit-learn's Ridge, Lasso, ElasticNet (and RidgeCV) validate y as multi-output first
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        if not self._multi_output:
            y = column_or_1d(y, warn=True)
        return X, y

    def predict(self, X):
        """Predictions ``X @ coef_.T + intercept_``, shape (n,) (or (n, k) for a 2-D ``y``), float64."""
        return _check_X(self, X) @ self.coef_.T + self.intercept_


class _MultiOutput:
    """Weights (k, p) and intercepts (k,) of a fit with several targets."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.coef, self.intercept = coef, intercept


class RidgeRegression(_LinearRegressor):
    """Ridge regression with the book's ``lam``: ``(1/(2n)) ||y - Xw - b||^2 + (lam/2) ||w||^2``.

    Parameters
    ----------
    lam : float, default 0.01
        Penalty strength, ``>= 0`` (``Ridge(alpha=n*lam)``).
    fit_intercept : bool, default True
        Fit an unpenalized intercept.

    ``fit(X, y, sample_weight=s)`` minimizes ``(1/(2S)) sum_i s_i (y_i - x_i w - b)^2 + (lam/2) ||w||^2``
    (``S = sum(s)``; ``Ridge(alpha=S*lam)`` with ``sample_weight=s``). A 2-D ``y`` of shape (n, k)
    fits the ``k`` targets independently with the same ``lam``, from one SVD, as ``Ridge`` does.

    Attributes
    ----------
    coef_ : ndarray, shape (p,), or (k, p) for a 2-D ``y`` (as ``Ridge``)
    intercept_ : float, or ndarray of shape (k,) for a 2-D ``y``
    n_features_in_ : int

    Notes
    -----
    ``X`` and ``y`` may be lists or integer, float32 or float64 arrays; float32 input is fitted in
    float64, and ``coef_``, ``intercept_`` and the predictions are float64.
    """

    _multi_output = True

    _parameter_checks = {"lam": check_nonnegative, "fit_intercept": check_bool}

    def __init__(self, lam: float = 0.01, *, fit_intercept: bool = True):
        self.lam = lam
        self.fit_intercept = fit_intercept

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _solve(self, X, y, sample_weight):
        if y.ndim == 2:
            W, b = fit_ridge_multioutput(X, y, self.lam, fit_intercept=self.fit_intercept, sample_weight=sample_weight)
            return _MultiOutput(W.T, b)
        if sample_weight is not None:
            return fit_ridge_svd(X, y, self.lam, fit_intercept=self.fit_intercept, sample_weight=sample_weight)
        return fit_ridge(X, y, self.lam, fit_intercept=self.fit_intercept)


class LassoRegression(_LinearRegressor):
    """The lasso with the book's ``lam``: ``(1/(2n)) ||y - Xw - b||^2 + lam ||w||_1`` (= ``Lasso(alpha=lam)``).

    Solved by :func:`regbook.pathwise.fit_lasso` (active-set guesses, with coordinate descent as the
    safety net) to a duality gap of ``tol * ||yc||^2 / n`` (scikit-learn's stopping rule); the weights
    it sets to zero are exactly zero.

    Parameters
    ----------
    lam : float, default 0.01
        Penalty strength, ``> 0``.
    fit_intercept : bool, default True
    tol : float, default 1e-10

    ``fit(X, y, sample_weight=s)`` minimizes ``(1/(2S)) sum_i s_i (y_i - x_i w - b)^2 + lam ||w||_1``
    (``S = sum(s)``), which is ``Lasso(alpha=lam).fit(X, y, sample_weight=s)``.

    Attributes
    ----------
    coef_ : ndarray, shape (p,)
    intercept_ : float
    n_features_in_ : int
    n_iter_ : int
        Coordinate-descent sweeps performed (``Lasso.n_iter_`` counts the same); 0 when an
        active-set guess alone solved the problem.
    dual_gap_ : float
        Duality gap at ``coef_`` in the mean scaling of the objective above (``Lasso.dual_gap_``'s
        scaling): ``J(coef_) - min J <= dual_gap_``.

    Notes
    -----
    ``X`` and ``y`` may be lists or integer, float32 or float64 arrays; float32 input is fitted in
    float64, and ``coef_``, ``intercept_`` and the predictions are float64.
    """

    _parameter_checks = {"lam": check_positive, "fit_intercept": check_bool, "tol": check_positive}

    def __init__(self, lam: float = 0.01, *, fit_intercept: bool = True, tol: float = 1e-10):
        self.lam = lam
        self.fit_intercept = fit_intercept
        self.tol = tol

    def _solve(self, X, y, sample_weight):
        fit = fit_lasso(X, y, self.lam, fit_intercept=self.fit_intercept, tol=self.tol, sample_weight=sample_weight)
        self.n_iter_, self.dual_gap_ = fit.n_iter, fit.gap
        return fit


class ElasticNetRegression(_LinearRegressor):
    """The elastic net in the book's terms: ``(1/(2n)) ||y - Xw - b||^2 + lam1 ||w||_1 + (lam2/2) ||w||^2``.

    Equals ``ElasticNet(alpha=lam1 + lam2, l1_ratio=lam1 / (lam1 + lam2))``
    (:func:`regbook.conventions.sklearn_elastic_net_params`). Solved by
    :func:`regbook.pathwise.fit_lasso`, as :class:`LassoRegression`.

    Parameters
    ----------
    lam1 : float, default 0.01
        L1 strength, ``> 0``.
    lam2 : float, default 0.01
        L2 strength, ``>= 0``.
    fit_intercept : bool, default True
    tol : float, default 1e-10

    ``fit(X, y, sample_weight=s)`` replaces the mean loss by ``(1/(2S)) sum_i s_i (...)^2``
    (``ElasticNet`` with ``sample_weight=s``).

    Attributes
    ----------
    coef_ : ndarray, shape (p,)
    intercept_ : float
    n_features_in_ : int
    n_iter_ : int
        Coordinate-descent sweeps performed (0 when an active-set guess alone solved the problem).
    dual_gap_ : float
        Duality gap at ``coef_`` (mean scaling, as ``ElasticNet.dual_gap_``).

    Notes
    -----
    ``X`` and ``y`` may be lists or integer, float32 or float64 arrays; float32 input is fitted in
    float64, and ``coef_``, ``intercept_`` and the predictions are float64.
    """

    _parameter_checks = {"lam1": check_positive, "lam2": check_nonnegative, "fit_intercept": check_bool,
                         "tol": check_positive}

    def __init__(self, lam1: float = 0.01, lam2: float = 0.01, *, fit_intercept: bool = True, tol: float = 1e-10):
        self.lam1 = lam1
        self.lam2 = lam2
        self.fit_intercept = fit_intercept
        self.tol = tol

    def _solve(self, X, y, sample_weight):
        fit = fit_lasso(X, y, self.lam1, lam2=self.lam2, fit_intercept=self.fit_intercept, tol=self.tol,
                        sample_weight=sample_weight)
        self.n_iter_, self.dual_gap_ = fit.n_iter, fit.gap
        return fit


class L2LogisticRegression(_Checked, ClassifierMixin, BaseEstimator):
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

    Notes
    -----
    ``X`` and ``y`` may be lists or integer, float32 or float64 arrays; float32 input is fitted in
    float64, and ``coef_``, ``intercept_`` and the predictions are float64.
    """

    _parameter_checks = {"lam": check_positive, "fit_intercept": check_bool, "tol": check_positive,
                         "max_iter": check_positive_int}

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
        """Fit on ``X`` (n, p) and binary labels ``y`` (n,); returns ``self``.

        Notes
        -----
        Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
        float64, so float32 input gives float64 results.
        """
        self._check_parameters()
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        X = X.astype(np.float64, copy=False)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:  # scikit-learn's LogisticRegression says the same
            raise ValueError(
                "This solver needs samples of at least 2 classes in the data, but the data contains only "
                f"one class: {self.classes_[0]!r}"
            )
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
        """Scores ``X @ coef_[0] + intercept_[0]`` (positive: the class ``classes_[1]``), shape (n,).

        Notes
        -----
        Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
        float64, so float32 input gives float64 results.
        """
        return _check_X(self, X) @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X):
        """Class probabilities, shape (n, 2), columns in the order of ``classes_``.

        Notes
        -----
        Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
        float64, so float32 input gives float64 results.
        """
        from scipy.special import expit

        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        """The more probable class label of each row.

        Notes
        -----
        Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
        float64, so float32 input gives float64 results.
        """
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class RidgeCVRegression(_LinearRegressor):
    """Ridge with ``lam`` chosen from a grid by exact leave-one-out error (or GCV), from one SVD.

    For every ``lam`` of ``lambdas`` the objective is ``RidgeRegression``'s,
    ``(1/(2n)) ||y - Xw - b||^2 + (lam/2) ||w||^2``. One thin SVD of the centred ``X``
    (:func:`regbook.ridge.ridge_svd`) gives, for each ``lam``, the exact leave-one-out residuals
    ``(y_i - y_hat_i) / (1 - H_ii)`` (:meth:`regbook.ridge.RidgeSVD.loo_mse`; the left-out fits keep
    the summed-loss strength ``alpha = n lam``) or the GCV score (:meth:`regbook.ridge.RidgeSVD.gcv`).
    The ``lam`` with the smallest score (the first of equal ones) is kept and the model refitted on
    all the data at it. With ``criterion="loo"`` this is ``RidgeCV(alphas=n * lambdas)`` (its default
    efficient leave-one-out, ``scoring=None``): same choice and coefficients.

    Parameters
    ----------
    lambdas : array_like of float, default (1e-3, 1e-2, 1e-1, 1, 10)
        Candidate strengths, each ``> 0``, in the book's (mean-loss) convention.
    fit_intercept : bool, default True
    criterion : {"loo", "gcv"}, default "loo"
        Leave-one-out mean squared error, or generalized cross-validation (every ``H_ii`` replaced
        by their mean).

    Attributes
    ----------
    lam_ : float
        The chosen strength.
    alpha_ : float
        ``n * lam_``: ``RidgeCV.alpha_`` of the same fit.
    mse_path_ : ndarray, shape (len(lambdas),)
        The leave-one-out MSE (or GCV score) of every candidate, in the order of ``lambdas``.
    best_score_ : float
        ``-min(mse_path_)`` (``RidgeCV.best_score_``, a negative MSE).
    coef_ : ndarray, shape (p,)
    intercept_ : float
    n_features_in_ : int

    Notes
    -----
    ``X`` and ``y`` may be lists or integer, float32 or float64 arrays; float32 input is fitted in
    float64, and ``coef_``, ``intercept_``, ``mse_path_`` and the predictions are float64.
    """

    _parameter_checks = {  # lambdas: checked in _solve (_check_grid)
        "fit_intercept": check_bool,
        "criterion": lambda value, name: check_choice(value, name, ("loo", "gcv")),
    }

    def __init__(self, lambdas=(1e-3, 1e-2, 1e-1, 1.0, 10.0), *, fit_intercept: bool = True, criterion: str = "loo"):
        self.lambdas = lambdas
        self.fit_intercept = fit_intercept
        self.criterion = criterion

    def _solve(self, X, y, sample_weight):
        lambdas = _check_grid(self.lambdas, "lambdas")
        n = X.shape[0]
        if n < 2:
            raise ValueError(f"leave-one-out needs at least 2 samples; got n_samples = {n}")
        if sample_weight is None:
            decomposition = ridge_svd(X, y, fit_intercept=self.fit_intercept)
            score = decomposition.loo_mse if self.criterion == "loo" else decomposition.gcv
            self.mse_path_ = np.array([score(lam) for lam in lambdas])
        else:
            X_tilde, y_tilde, x_bar, y_bar = weighted_data(X, y, sample_weight, self.fit_intercept)
            decomposition = ridge_svd(X_tilde, y_tilde, fit_intercept=False)
            self.mse_path_ = np.array([_weighted_loo_mse(decomposition, lam, sample_weight, self.fit_intercept,
                                                         gcv=self.criterion == "gcv") for lam in lambdas])
        best = int(np.argmin(self.mse_path_))
        self.lam_ = float(lambdas[best])
        self.alpha_ = (n if sample_weight is None else float(sample_weight.sum())) * self.lam_
        self.best_score_ = -float(self.mse_path_[best])
        if sample_weight is None:
            return decomposition.model(self.lam_)
        w = decomposition.coef(self.lam_)
        return LinearModel(coef=w, intercept=y_bar - x_bar @ w)

    def fit(self, X, y, sample_weight=None):
        """Choose ``lam_`` on ``X`` (n, p), ``y`` (n,) and refit at it; returns ``self``.

        With ``sample_weight`` (n,) the fits minimize the weighted mean loss of
        :class:`RidgeRegression` (``Ridge(alpha=S * lam)``, ``S = sum(s)``; then ``alpha_ = S * lam_``),
        and the score is scikit-learn's weighted leave-one-out error ``(1/n) sum_i s_i e_i^2``, where
        ``e_i = r_i / (1 - H_ii)`` with the residual ``r_i`` and the hat matrix ``H`` of the weighted
        problem (``H_ii = s_i / S + ...`` with an intercept); GCV replaces every ``H_ii`` by their mean.
        This is ``RidgeCV(alphas=S * lambdas).fit(X, y, sample_weight=s)``.

        Lists and integer, float32 or float64 arrays are accepted; float32 input is fitted in float64.
        """
        return super().fit(X, y, sample_weight=sample_weight)


class LassoCVRegression(_LinearRegressor):
    """The lasso with ``lam`` chosen by K-fold cross-validation over the regularization path.

    The objective is ``LassoRegression``'s, ``(1/(2n)) ||y - Xw - b||^2 + lam ||w||_1``. The grid is
    ``lambdas`` or, by default, ``n_lambdas`` values from ``lambda_max`` of the whole data down to
    ``eps * lambda_max`` (:func:`regbook.pathwise.lambda_grid`), solved in decreasing order. On every
    training fold the whole path is computed by :func:`regbook.pathwise.lasso_path` (warm starts,
    each point certified by its duality gap) and scored by the mean squared error on the held-out
    fold. The ``lam`` with the smallest mean over the folds is kept and the lasso refitted on all
    the data by :func:`regbook.pathwise.fit_lasso`. With the same grid and folds this is
    ``LassoCV(alphas=lambdas, cv=cv)``: same choice, same coefficients to solver tolerance.

    Parameters
    ----------
    lambdas : array_like of float, optional
        Candidate strengths, each ``> 0`` (sorted into decreasing order).
    n_lambdas : int, default 100
    eps : float, default 1e-3
        ``n_lambdas`` and ``eps`` define the default grid (used only if ``lambdas`` is None).
    cv : int, cross-validation splitter, iterable of (train, test) or None, default 5
        As scikit-learn's ``cv``: an int ``K`` means ``KFold(K)`` (contiguous folds, no shuffling);
        None means 5 folds.
    fit_intercept : bool, default True
    tol : float, default 1e-10
        Relative duality-gap tolerance of every fit (scikit-learn's ``tol``).

    Raises
    ------
    ValueError
        From ``fit``, besides scikit-learn's input checks: if ``lambdas`` is None and ``y`` is constant
        (``lambda_max = 0``, every lasso solution is 0), or ``lambdas`` is not a 1-D array of finite
        positive numbers.

    Attributes
    ----------
    lam_ : float
        The chosen strength (``LassoCV.alpha_``).
    lambdas_ : ndarray, shape (k,)
        The grid, decreasing (``LassoCV.alphas_``).
    mse_path_ : ndarray, shape (k, n_folds)
        Held-out mean squared error of every grid point on every fold (``LassoCV.mse_path_``).
    coef_ : ndarray, shape (p,)
    intercept_ : float
    n_iter_ : int
        Coordinate-descent sweeps of the final refit.
    dual_gap_ : float
        Duality gap of the final refit (mean scaling).
    n_features_in_ : int

    Notes
    -----
    ``X`` and ``y`` may be lists or integer, float32 or float64 arrays; float32 input is fitted in
    float64, and ``coef_``, ``intercept_``, the paths and the predictions are float64.
    """

    _parameter_checks = {  # lambdas and cv: checked in _solve (_check_grid, check_cv)
        "n_lambdas": check_positive_int,
        "eps": _check_eps,
        "fit_intercept": check_bool,
        "tol": check_positive,
    }

    def __init__(self, lambdas=None, *, n_lambdas: int = 100, eps: float = 1e-3, cv=5, fit_intercept: bool = True,
                 tol: float = 1e-10):
        self.lambdas = lambdas
        self.n_lambdas = n_lambdas
        self.eps = eps
        self.cv = cv
        self.fit_intercept = fit_intercept
        self.tol = tol

    def _validate_Xy(self, X, y):
        # LassoCV checks X and y separately (y with check_array, before any length check), then
        # their lengths, then refuses several targets: the same order gives the same messages.
        X, y = validate_data(self, X, y, validate_separately=(
            {"accept_sparse": False, "dtype": [np.float64, np.float32]},
            {"copy": False, "dtype": [np.float64, np.float32], "ensure_2d": False}))
        check_consistent_length(X, y)
        if y.ndim > 1 and y.shape[1] > 1:
            raise ValueError(f"y has {y.shape[1]} columns; LassoCVRegression fits a single target")
        return X, column_or_1d(y, warn=True)

    def _solve(self, X, y, sample_weight):
        try:
            folds = [(np.asarray(train), np.asarray(test)) for train, test in check_cv(self.cv).split(X, y)]
        except (TypeError, ValueError) as exc:
            raise InputTypeError(f"cv must be an int >= 2, a cross-validation splitter or an iterable of "
                                 f"(train, test) index arrays for the {X.shape[0]} samples; got {self.cv!r} ({exc})") from exc
        if self.lambdas is None:
            if sample_weight is None:
                lam_max = lambda_max(X, y, fit_intercept=self.fit_intercept)
            else:  # the weighted lambda_max: lambda_max of the transformed, centred data
                X_tilde, y_tilde, _, _ = weighted_data(X, y, sample_weight, self.fit_intercept)
                lam_max = lambda_max(X_tilde, y_tilde, fit_intercept=False)
            if lam_max == 0.0:
                raise ValueError("y is constant (after centring), so lambda_max is 0: give lambdas explicitly")
            lambdas = lambda_grid(lam_max, n_lambdas=self.n_lambdas, eps=self.eps)
        else:
            lambdas = np.sort(_check_grid(self.lambdas, "lambdas"))[::-1]
        mse = np.empty((lambdas.size, len(folds)))
        for k, (train, test) in enumerate(folds):
            sw_train = None if sample_weight is None else sample_weight[train]
            sw_test = None if sample_weight is None else sample_weight[test]
            if sample_weight is not None and not (sw_train.sum() > 0 and sw_test.sum() > 0):
                raise ValueError(f"sample_weight: fold {k} has a training or held-out part whose weights are all zero")
            path = lasso_path(X[train], y[train], lambdas=lambdas, fit_intercept=self.fit_intercept, tol=self.tol,
                              sample_weight=sw_train)
            residuals = y[test][:, None] - (X[test] @ path.coefs.T + path.intercepts)
            mse[:, k] = np.average(residuals**2, axis=0, weights=sw_test)
        self.lambdas_, self.mse_path_ = lambdas, mse
        self.lam_ = float(lambdas[int(np.argmin(mse.mean(axis=1)))])
        fit = fit_lasso(X, y, self.lam_, fit_intercept=self.fit_intercept, tol=self.tol, sample_weight=sample_weight)
        self.n_iter_, self.dual_gap_ = fit.n_iter, fit.gap
        return fit

    def fit(self, X, y, sample_weight=None):
        """Cross-validate the grid on ``X`` (n, p), ``y`` (n,) and refit at ``lam_``; returns ``self``.

        With ``sample_weight`` (n,) every fit minimizes the weighted mean loss of
        :class:`LassoRegression`, the default grid starts at the weighted ``lambda_max``, and the
        held-out error of a fold is the weighted mean ``sum_test s_i r_i^2 / sum_test s_i`` (as
        ``LassoCV.fit(X, y, sample_weight=s)``); the folds are averaged unweighted.

        Lists and integer, float32 or float64 arrays are accepted; float32 input is fitted in float64.
        """
        return super().fit(X, y, sample_weight=sample_weight)


def _weighted_loo_mse(decomposition, lam: float, sample_weight: np.ndarray, fit_intercept: bool, *, gcv: bool) -> float:
    """``(1/n) sum_i s_i (r_i / (1 - H_ii))^2`` of ridge at ``lam`` on the weighted problem.

    ``decomposition`` is the SVD of the transformed data ``sqrt(n s_i / S) (x_i - x_bar)`` of
    :mod:`regbook._sample_weight`, whose residuals are ``sqrt(n s_i / S) r_i``; the intercept's
    column of the weighted problem adds ``s_i / S`` to ``H_ii``.
    """
    n, total = sample_weight.size, float(sample_weight.sum())
    factors = decomposition.shrinkage_factors(lam)
    h = (decomposition.U**2) @ factors + (sample_weight / total if fit_intercept else 0.0)
    if gcv:
        h = np.full(n, h.mean())
    if np.any(1.0 - h <= 1e-10):
        raise ValueError(f"lam={lam!r} interpolates a training point (H_ii = 1): the leave-one-out error is undefined")
    residual = decomposition.yc - decomposition.U @ (factors * decomposition.Uty)
    return float(np.mean((residual / (1.0 - h)) ** 2) * total / n)


def _check_grid(values, name: str) -> np.ndarray:
    grid = np.asarray(values)
    if np.iscomplexobj(grid):
        raise InputTypeError(f"{name} must be real numbers; got complex values")
    try:
        grid = np.asarray(grid, dtype=np.float64).reshape(-1) if grid.ndim <= 1 else None
    except (TypeError, ValueError) as exc:
        raise InputTypeError(f"{name} must be a 1-D array of positive numbers; got {values!r}") from exc
    if grid is None or grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid <= 0):
        raise ValueError(f"{name} must be a non-empty 1-D array of finite positive numbers; got {values!r}")
    return grid
