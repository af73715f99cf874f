"""Linear models fitted by least squares and by ridge regression.

Book convention: the model is ``y_hat = X w + b`` and the training objective is

    J(w, b) = (1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2

with the intercept ``b`` never penalized (``lam = 0`` is least squares).
With this scaling, ridge with strength ``lam`` is
``sklearn.linear_model.Ridge(alpha=n * lam)``.

How the intercept is handled: for fixed ``w`` the best ``b`` is
``mean(y - X w) = y_mean - x_mean @ w``. Substituting it back leaves the same
problem for ``w`` alone with the *centred* data ``Xc = X - x_mean`` and
``yc = y - y_mean``. So both fitters centre, solve for ``w``, and then set
``b = y_mean - x_mean @ w``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    as_finite_array,
    check_bool,
    check_finite_real,
    check_length,
    check_matching_rows,
    check_nonnegative,
)
from .metrics import mean_squared_error
from .penalties import l2_penalty, l2_penalty_gradient

__all__ = [
    "LinearModel",
    "fit_least_squares",
    "fit_ridge",
    "ridge_objective",
    "ridge_gradient",
]


@dataclass(frozen=True, eq=False)
class LinearModel:
    """A fitted linear model ``y_hat = X @ coef + intercept``.

    Attributes
    ----------
    coef : ndarray, shape (p,)
        The weights ``w`` (stored as a read-only copy).
    intercept : float
        The unpenalized intercept ``b``.
    """

    coef: NDArray[np.float64]
    intercept: float

    def __post_init__(self) -> None:
        coef = as_finite_array(self.coef, "coef", ndim=1).copy()
        coef.setflags(write=False)
        object.__setattr__(self, "coef", coef)
        object.__setattr__(self, "intercept", check_finite_real(self.intercept, "intercept"))

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predictions ``X @ coef + intercept``.

        Parameters
        ----------
        X : array_like, shape (n, p)
            One row per example, with the same ``p`` columns as in training.

        Returns
        -------
        ndarray, shape (n,)

        Raises
        ------
        ValueError
            If ``X`` is not a finite 2-D array with ``p`` columns.
        """
        X = as_finite_array(X, "X", ndim=2)
        if X.shape[1] != self.coef.shape[0]:
            raise ValueError(
                f"X has {X.shape[1]} columns but the model has {self.coef.shape[0]} coefficients"
            )
        return X @ self.coef + self.intercept


def _check_data(X: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    X = as_finite_array(X, "X", ndim=2)
    y = as_finite_array(y, "y", ndim=1)
    check_matching_rows(X, "X", y, "y")
    return X, y


def _centre(
    X: NDArray[np.float64], y: NDArray[np.float64], fit_intercept: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float]:
    """Return ``(Xc, yc, x_mean, y_mean)``; the means are zero without an intercept."""
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), float(y.mean())
    else:
        x_mean, y_mean = np.zeros(X.shape[1]), 0.0
    return X - x_mean, y - y_mean, x_mean, y_mean


def _lstsq(A: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Minimum-norm minimizer of ``||A w - b||^2`` (SVD based, no explicit inverse)."""
    return np.linalg.lstsq(A, b, rcond=None)[0]


def fit_least_squares(X: ArrayLike, y: ArrayLike, *, fit_intercept: bool = True) -> LinearModel:
    """Ordinary least squares: minimize ``(1/(2n)) ||y - X w - b||^2``.

    When the minimizer is not unique (``X`` has fewer rows than columns, or
    collinear columns) the minimum-norm ``w`` is returned; the intercept is
    not part of that norm. This is what ``numpy.linalg.lstsq`` and
    ``sklearn.linear_model.LinearRegression`` return.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Design matrix (one row per example).
    y : array_like, shape (n,)
        Targets.
    fit_intercept : bool, default True
        Fit ``b`` (by centring ``X`` and ``y``); if False, ``b = 0``.

    Returns
    -------
    LinearModel

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array, ``y`` not a finite 1-D array, or
        their numbers of rows differ.
    """
    X, y = _check_data(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    Xc, yc, x_mean, y_mean = _centre(X, y, fit_intercept)
    w = _lstsq(Xc, yc)
    return LinearModel(coef=w, intercept=y_mean - x_mean @ w)


def fit_ridge(X: ArrayLike, y: ArrayLike, lam: float, *, fit_intercept: bool = True) -> LinearModel:
    """Ridge regression: minimize ``(1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2``.

    The intercept ``b`` is not penalized. The solution is

        w = (Xc^T Xc + n lam I)^{-1} Xc^T yc,    b = y_mean - x_mean @ w

    with the centred data ``Xc``, ``yc`` (no centring if
    ``fit_intercept=False``). It equals
    ``sklearn.linear_model.Ridge(alpha=n * lam, fit_intercept=...)``.

    Numerics: the formula is not evaluated with an inverse, nor by a
    Cholesky solve of the normal equations (forming ``Xc^T Xc`` squares the
    condition number, which for raw polynomial features is already huge).
    Instead ridge is solved as the equivalent least-squares problem on
    augmented data: stacking ``sqrt(n lam) I`` under ``Xc`` and ``p`` zeros
    under ``yc`` adds exactly ``n lam ||w||^2`` to the residual sum of
    squares, and ``numpy.linalg.lstsq`` solves that stably. ``lam = 0`` is
    :func:`fit_least_squares`.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Design matrix (one row per example).
    y : array_like, shape (n,)
        Targets.
    lam : float
        Penalty strength, ``lam >= 0``.
    fit_intercept : bool, default True
        Fit the unpenalized ``b``; if False, ``b = 0``.

    Returns
    -------
    LinearModel

    Raises
    ------
    ValueError
        If ``X``/``y`` are not finite arrays of shapes ``(n, p)``/``(n,)``,
        or ``lam`` is negative or not finite.
    """
    X, y = _check_data(X, y)
    lam = check_nonnegative(lam, "lam")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    if lam == 0.0:
        return fit_least_squares(X, y, fit_intercept=fit_intercept)
    n, p = X.shape
    Xc, yc, x_mean, y_mean = _centre(X, y, fit_intercept)
    X_augmented = np.vstack([Xc, np.sqrt(n * lam) * np.eye(p)])
    y_augmented = np.concatenate([yc, np.zeros(p)])
    w = _lstsq(X_augmented, y_augmented)
    return LinearModel(coef=w, intercept=y_mean - x_mean @ w)


def _check_objective_args(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lam: float, intercept: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float, float]:
    X, y = _check_data(X, y)
    w = as_finite_array(w, "w", ndim=1)
    check_length(w, "w", X.shape[1], "the number of columns of X")
    lam = check_nonnegative(lam, "lam")
    intercept = check_finite_real(intercept, "intercept")
    return w, X, y, lam, intercept


def ridge_objective(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lam: float, *, intercept: float = 0.0
) -> float:
    """The ridge objective ``(1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2``.

    Parameters
    ----------
    w : array_like, shape (p,)
        Weights.
    X : array_like, shape (n, p)
        Design matrix.
    y : array_like, shape (n,)
        Targets.
    lam : float
        Penalty strength, ``lam >= 0`` (0 gives the least-squares loss).
    intercept : float, default 0.0
        The intercept ``b`` (not penalized).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On non-finite input, wrong shapes (``w`` must have one entry per
        column of ``X``), mismatched rows or negative ``lam``.
    """
    w, X, y, lam, intercept = _check_objective_args(w, X, y, lam, intercept)
    data_loss = 0.5 * mean_squared_error(y, X @ w + intercept)
    return data_loss + l2_penalty(w, lam)


def ridge_gradient(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lam: float, *, intercept: float = 0.0
) -> NDArray[np.float64]:
    """Gradient of :func:`ridge_objective` with respect to ``w``.

    ``grad_w J = -(1/n) X^T (y - X w - b) + lam w`` (the intercept ``b`` is
    held fixed; its own derivative is ``-(1/n) sum(y - X w - b)``).

    Parameters
    ----------
    w : array_like, shape (p,)
        Weights.
    X : array_like, shape (n, p)
        Design matrix.
    y : array_like, shape (n,)
        Targets.
    lam : float
        Penalty strength, ``lam >= 0``.
    intercept : float, default 0.0
        The intercept ``b``.

    Returns
    -------
    ndarray, shape (p,)

    Raises
    ------
    ValueError
        On non-finite input, wrong shapes, mismatched rows or negative ``lam``.
    """
    w, X, y, lam, intercept = _check_objective_args(w, X, y, lam, intercept)
    residual = y - (X @ w + intercept)
    return -(X.T @ residual) / X.shape[0] + l2_penalty_gradient(w, lam)
