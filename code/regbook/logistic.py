"""L2-regularized logistic regression in the book's convention, solved by Newton's method.

Book convention, labels ``y_i`` in ``{0, 1}``, scores ``z_i = x_i . w + b``:

    J(w, b) = (1/n) sum_i [ log(1 + exp(z_i)) - y_i z_i ] + (lam/2) ||w||^2

the mean log loss plus the L2 penalty, with the intercept ``b`` not penalized. This equals
``sklearn.linear_model.LogisticRegression(C=1/(n*lam))`` (see :mod:`regbook.conventions`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit, log_expit

from ._numerics import check_data, check_weights_and_data
from ._validation import (
    warn_not_converged,
    as_finite_array,
    as_frozen_array,
    check_bool,
    check_finite_real,
    check_finite_result,
    check_length,
    check_nonnegative,
    check_positive,
    check_positive_int,
)

__all__ = [
    "LogisticModel",
    "logistic_objective",
    "logistic_gradient",
    "fit_logistic_l2",
]


@dataclass(frozen=True, eq=False)
class LogisticModel:
    """A fitted logistic regression ``P(y = 1 | x) = sigmoid(x . coef + intercept)``.

    Attributes
    ----------
    coef : ndarray, shape (p,)
        Finite weights (stored as a read-only float64 copy; lists, integer and float32 arrays are
        accepted).
    intercept : float
        Finite.
    n_iter : int
        Newton iterations used, ``>= 0``.
    converged : bool, default True
        False if Newton's method stopped at ``max_iter`` before the gradient test was met (it then
        issued a :class:`regbook.ConvergenceWarning`).

    Raises
    ------
    ValueError or TypeError
        Naming ``coef``, ``intercept`` or ``n_iter``, as :class:`regbook.linear.LinearModel` does.

    Notes
    -----
    ``coef`` may be a list or an integer, float32 or float64 array; it is stored as float64.
    """

    coef: NDArray[np.float64]
    intercept: float
    n_iter: int = 0
    converged: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "coef", as_frozen_array(self.coef, "coef", ndim=1))
        object.__setattr__(self, "intercept", check_finite_real(self.intercept, "intercept"))
        object.__setattr__(self, "n_iter", check_positive_int(self.n_iter, "n_iter", minimum=0))
        object.__setattr__(self, "converged", check_bool(self.converged, "converged"))

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """Scores ``X @ coef + intercept``, shape (n,).

        Notes
        -----
        Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
        float64, so float32 input gives float64 results.
        """
        X = as_finite_array(X, "X", ndim=2)
        check_length(X.T, "X's columns", self.coef.shape[0], "the number of coefficients")
        return X @ self.coef + self.intercept

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """``P(y = 1 | x)`` for each row, shape (n,).

        Notes
        -----
        Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
        float64, so float32 input gives float64 results.
        """
        return expit(self.decision_function(X))

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """Labels in {0, 1}: 1 where the score is positive.

        Notes
        -----
        Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
        float64, so float32 input gives float64 results.
        """
        return (self.decision_function(X) > 0).astype(np.int64)


def _check(X, y, lam, *, positive: bool = False):
    X, y = check_data(X, y)
    return X, y, _check_labels_and_lam(y, lam, positive)


def _check_labels_and_lam(y, lam, positive: bool = False) -> float:
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must contain only the labels 0 and 1")
    return check_positive(lam, "lam") if positive else check_nonnegative(lam, "lam")


def _check_objective_args(w, X, y, lam, intercept):
    w, X, y = check_weights_and_data(w, X, y)
    lam = _check_labels_and_lam(y, lam)
    return w, X, y, lam, check_finite_real(intercept, "intercept")


def logistic_objective(w: ArrayLike, X: ArrayLike, y: ArrayLike, lam: float, *, intercept: float = 0.0) -> float:
    """``J(w, b) = mean(log(1 + exp(z)) - y z) + (lam/2) ||w||^2`` with ``z = X w + b``.

    Parameters
    ----------
    w : array_like, shape (p,)
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
        Labels in {0, 1}.
    lam : float
        ``>= 0``.
    intercept : float, default 0.0
        ``b``, not penalized.

    Raises
    ------
    ValueError
        On non-finite input, wrong shapes, labels other than 0/1, or negative ``lam``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    w, X, y, lam, b = _check_objective_args(w, X, y, lam, intercept)
    with np.errstate(over="ignore", invalid="ignore"):
        z = X @ w + b
        # log(1 + e^z) - y z = -log sigmoid(z) + (1 - y) z, computed without overflow
        value = float(np.mean(-log_expit(z) + (1.0 - y) * z) + 0.5 * lam * (w @ w))
    return check_finite_result(value, "w, X, intercept")


def logistic_gradient(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lam: float, *, intercept: float = 0.0
) -> tuple[NDArray[np.float64], float]:
    """Gradient of :func:`logistic_objective`: ``(X^T (p - y)/n + lam w, mean(p - y))``, ``p = sigmoid(z)``.

    Returns
    -------
    grad_w : ndarray, shape (p,)
    grad_b : float

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    w, X, y, lam, b = _check_objective_args(w, X, y, lam, intercept)
    with np.errstate(over="ignore", invalid="ignore"):
        error = expit(X @ w + b) - y
        grad_w = X.T @ error / X.shape[0] + lam * w
    return check_finite_result(grad_w, "w, X, intercept"), float(error.mean())


def fit_logistic_l2(
    X: ArrayLike,
    y: ArrayLike,
    lam: float,
    *,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> LogisticModel:
    """Minimize :func:`logistic_objective` over ``w`` (and ``b``) by damped Newton steps.

    Each step solves ``H d = -g`` for the Hessian ``H = A^T diag(p(1-p)) A / n + lam I_w`` (``A``
    is ``X`` with a column of ones when ``fit_intercept``; the intercept's diagonal entry gets no
    ``lam``) and halves the step until the objective decreases enough (Armijo). It stops when the
    largest gradient entry is below ``tol``. The objective is strictly convex for ``lam > 0``,
    so the minimizer is unique and Newton converges quadratically near it.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
        Labels in {0, 1}.
    lam : float
        ``> 0``. (With ``lam = 0`` a minimizer need not exist: on separable data the loss keeps
        falling as ``||w||`` grows.)
    fit_intercept : bool, default True
    tol : float, default 1e-10
        Stop when ``max |gradient| <= tol``.
    max_iter : int, default 100

    Returns
    -------
    LogisticModel
        If the tolerance is not reached in ``max_iter`` iterations: the last iterate, with
        ``converged=False``, and a :class:`regbook.ConvergenceWarning` (the package's policy).

    Raises
    ------
    ValueError
        On bad input (non-finite, shapes, labels, ``lam <= 0``, non-positive ``tol``).

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y, lam = _check(X, y, lam, positive=True)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    tol = check_positive(tol, "tol")
    max_iter = check_positive_int(max_iter, "max_iter")
    n, p = X.shape
    A = np.column_stack([X, np.ones(n)]) if fit_intercept else X
    ridge = np.full(A.shape[1], lam)
    if fit_intercept:
        ridge[-1] = 0.0
    theta = np.zeros(A.shape[1])

    def objective(t: NDArray[np.float64]) -> float:
        z = A @ t
        return float(np.mean(-log_expit(z) + (1.0 - y) * z) + 0.5 * (ridge * t) @ t)

    value = objective(theta)
    converged = True
    # max_iter Newton steps, with the gradient tested before each step and once after the last
    for iteration in range(1, max_iter + 2):
        prob = expit(A @ theta)
        grad = A.T @ (prob - y) / n + ridge * theta
        if not np.all(np.isfinite(grad)):
            raise ValueError("X: the gradient overflowed (entries of X too large in magnitude; standardize X)")
        if np.max(np.abs(grad)) <= tol:
            break
        if iteration > max_iter:
            converged = False
            warn_not_converged(
                f"Newton's method did not reach tol={tol:g} in {max_iter} iterations "
                f"(max |gradient| = {np.max(np.abs(grad)):.3g}); increase max_iter or tol (converged=False)"
            )
            break
        hessian = (A.T * (prob * (1.0 - prob))) @ A / n + np.diag(ridge)
        try:
            step = -np.linalg.solve(hessian, grad)
        except np.linalg.LinAlgError:
            step = -np.linalg.lstsq(hessian, grad, rcond=None)[0]
        t = 1.0
        while t > 1e-12:
            candidate = theta + t * step
            new_value = objective(candidate)
            # Armijo, with slack for rounding: near the minimum the objective no longer resolves
            # the decrease, and the Newton step is then taken as it is.
            if new_value <= value + 1e-4 * t * (grad @ step) + 1e-14 * max(1.0, abs(value)):
                break
            t *= 0.5
        theta, value = candidate, new_value
    coef = theta[:p].copy()
    return LogisticModel(coef=coef, intercept=float(theta[p]) if fit_intercept else 0.0, n_iter=min(iteration, max_iter),
                         converged=converged)
