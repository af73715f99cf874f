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

from ._numerics import centre, check_data, check_weights_and_data
from ._validation import (
    as_finite_array,
    as_frozen_array,
    check_bool,
    check_finite_real,
    check_finite_result,
    check_nonnegative,
)

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

    Notes
    -----
    ``coef`` may be a list or an integer, float32 or float64 array; it is stored as float64.
    """

    coef: NDArray[np.float64]
    intercept: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "coef", as_frozen_array(self.coef, "coef", ndim=1))
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

        Notes
        -----
        Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
        float64, so float32 input gives float64 results.
        """
        X = as_finite_array(X, "X", ndim=2)
        if X.shape[1] != self.coef.shape[0]:
            raise ValueError(
                f"X has {X.shape[1]} columns but the model has {self.coef.shape[0]} coefficients"
            )
        return X @ self.coef + self.intercept


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

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    return _least_squares(X, y, check_bool(fit_intercept, "fit_intercept"))


def _least_squares(X: NDArray[np.float64], y: NDArray[np.float64], fit_intercept: bool) -> LinearModel:
    """:func:`fit_least_squares` on checked arguments."""
    Xc, yc, x_mean, y_mean = centre(X, y, fit_intercept)
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

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    lam = check_nonnegative(lam, "lam")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    if lam == 0.0:
        return _least_squares(X, y, fit_intercept)
    n, p = X.shape
    Xc, yc, x_mean, y_mean = centre(X, y, fit_intercept)
    X_augmented = np.vstack([Xc, np.sqrt(n * lam) * np.eye(p)])
    y_augmented = np.concatenate([yc, np.zeros(p)])
    w = _lstsq(X_augmented, y_augmented)
    return LinearModel(coef=w, intercept=y_mean - x_mean @ w)


def _check_objective_args(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lam: float, intercept: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float, float]:
    w, X, y = check_weights_and_data(w, X, y)
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

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    w, X, y, lam, intercept = _check_objective_args(w, X, y, lam, intercept)
    with np.errstate(over="ignore", invalid="ignore"):
        residual = y - (X @ w + intercept)
        value = 0.5 * float(np.mean(residual**2)) + 0.5 * lam * float(w @ w)  # half MSE + l2_penalty
    return check_finite_result(value, "w, X, y, lam, intercept")


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

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    w, X, y, lam, intercept = _check_objective_args(w, X, y, lam, intercept)
    with np.errstate(over="ignore", invalid="ignore"):
        residual = y - (X @ w + intercept)
        gradient = -(X.T @ residual) / X.shape[0] + lam * w  # + l2_penalty_gradient
    return check_finite_result(gradient, "w, X, y, lam, intercept")
