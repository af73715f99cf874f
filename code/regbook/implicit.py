"""Regularization you did not write down: early stopping, input noise, dropout, separable logistic
regression, and choosing lambda by the Bayesian evidence.

Book convention, as everywhere in :mod:`regbook`: the squared-error objective is

    J(w, b) = (1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2,

intercept unpenalized, ``sklearn`` ``Ridge(alpha=n * lam)``. With the thin SVD of the centred design
``Xc = U diag(d) V^T`` ridge keeps the component of ``yc`` along ``u_k`` with the *filter factor*
``d_k^2 / (d_k^2 + n lam)``.

* **Early stopping.** Gradient descent on ``(1/(2n)) ||yc - Xc w||^2`` from ``w_0 = 0`` with learning
  rate ``eta`` has after ``t`` steps the filter factors ``1 - (1 - eta d_k^2 / n)^t``
  (:func:`early_stopping_filter`, :func:`early_stopping_path`).
* **Input noise.** Replacing ``X`` by ``X + E`` with ``E_ij ~ N(0, sigma^2)`` independent adds
  ``(sigma^2 / 2) ||w||^2`` to the expected objective: ridge with ``lam = sigma^2``
  (:func:`input_noise_sgd`).
* **Dropout.** Inverted dropout on the inputs (keep probability ``q``, kept inputs divided by ``q``)
  adds ``(1/2) w^T diag(d_jj) w`` with ``d_jj = ((1 - q) / q) (X^T X)_jj / n`` to the expected objective
  (:func:`dropout_penalty_diagonal`, :func:`expected_dropout_objective`, :func:`fit_dropout_ridge`).
* **Separable logistic regression** without intercept: :func:`logistic_gradient_descent` and the
  hard-margin SVM direction :func:`max_margin_direction`.
* **Evidence.** MacKay's fixed point for the noise and prior precisions (:func:`evidence_fixed_point`)
  and the log evidence itself (:func:`log_evidence`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
import scipy.optimize
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from ._numerics import centre, check_data
from ._validation import (
    warn_not_converged,
    as_finite_array,
    as_rng,
    check_bool,
    check_finite_real,
    check_finite_result,
    check_length,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_probability,
)
from .linear import LinearModel

__all__ = [
    "early_stopping_filter",
    "ridge_filter",
    "matched_lam",
    "early_stopping_path",
    "input_noise_sgd",
    "dropout_penalty_diagonal",
    "expected_dropout_objective",
    "enumerated_dropout_objective",
    "fit_dropout_ridge",
    "logistic_gradient_descent",
    "MaxMargin",
    "max_margin_direction",
    "EvidenceResult",
    "log_evidence",
    "evidence_fixed_point",
]

FloatArray = NDArray[np.float64]


# --------------------------------------------------------------------------------------------------
# Early stopping


def early_stopping_filter(singular_values: ArrayLike, n: int, *, learning_rate: float, n_steps: int) -> FloatArray:
    """Filter factors ``1 - (1 - eta d^2 / n)^t`` of ``t`` gradient-descent steps from zero.

    Gradient descent ``w <- w + (eta/n) Xc^T (yc - Xc w)`` from ``w_0 = 0`` on the mean loss
    ``(1/(2n)) ||yc - Xc w||^2`` gives ``w_t = V diag(f_t / d) U^T yc`` with these factors ``f_t``.

    Parameters
    ----------
    singular_values : array_like, shape (r,)
        Singular values ``d`` of the centred design, ``>= 0``.
    n : int
        Number of examples.
    learning_rate : float
        ``eta > 0``.
    n_steps : int
        ``t >= 0``.

    Raises
    ------
    ValueError
        On negative or non-finite singular values, ``n < 1``, ``eta <= 0`` or ``t < 0``, or when
        the factors overflow (``|1 - eta d^2 / n| > 1``: gradient descent diverges).

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    d = as_finite_array(singular_values, "singular_values", ndim=1)
    if np.any(d < 0):
        raise ValueError("singular_values must be non-negative")
    n = check_positive_int(n, "n")
    eta = check_positive(learning_rate, "learning_rate")
    t = check_positive_int(n_steps, "n_steps", minimum=0)
    x = eta * d**2 / n
    # 1 - (1 - x)^t = -expm1(t log1p(-x)), accurate when x is tiny (the direct formula loses every
    # digit below eps); for x >= 1 the base is <= 0 and the power is used as it is.
    with np.errstate(divide="ignore"):
        accurate = -np.expm1(t * np.log1p(-np.minimum(x, 0.5)))
    with np.errstate(over="ignore", invalid="ignore"):
        factors = np.where(x < 0.5, accurate, 1.0 - (1.0 - x) ** t)
    return check_finite_result(factors, "singular_values, learning_rate and n_steps")


def ridge_filter(singular_values: ArrayLike, n: int, lam: float) -> FloatArray:
    """Ridge filter factors ``d^2 / (d^2 + n lam)`` (book convention).

    Raises
    ------
    ValueError
        On negative or non-finite singular values, ``n < 1`` or negative ``lam``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    d = as_finite_array(singular_values, "singular_values", ndim=1)
    if np.any(d < 0):
        raise ValueError("singular_values must be non-negative")
    n = check_positive_int(n, "n")
    lam = check_nonnegative(lam, "lam")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        factors = np.where(d > 0, d**2 / (d**2 + n * lam), 0.0)
        # d^2 overflowing: the same ratio written as 1 / (1 + n lam / d^2) (only where needed, so
        # finite input keeps its rounding).
        factors = np.where(np.isfinite(factors), factors, 1.0 / (1.0 + (n * lam / d) / d))
    return check_finite_result(factors, "singular_values, n and lam")


def matched_lam(*, learning_rate: float, n_steps: int) -> float:
    """The ridge strength ``lam = 1 / (eta t)`` whose filter matches ``t`` early-stopped steps.

    For ``eta d^2 / n`` small both filters are functions of ``s = d^2 / n``: ``1 - exp(-eta t s)``
    and ``s / (s + lam)``; both equal about ``eta t s`` for small ``s``, tend to 1 for large ``s``
    and cross 1/2 near ``s = lam``, ``s = log(2) / (eta t)``.

    Raises
    ------
    ValueError
        If ``learning_rate <= 0`` or ``n_steps < 1``, or if ``1 / (eta t)`` overflows.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as
    float64, and a number returned is a Python float.
    """
    eta = check_positive(learning_rate, "learning_rate")
    t = check_positive_int(n_steps, "n_steps")
    return check_finite_result(1.0 / (eta * t), "learning_rate and n_steps")


def early_stopping_path(
    X: ArrayLike, y: ArrayLike, *, learning_rate: float, n_steps: int, fit_intercept: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Every iterate of gradient descent from zero on ``(1/(2n)) ||y - X w - b||^2``.

    The intercept is eliminated by centring (best ``b = y_mean - x_mean @ w``), and the step is
    ``w <- w + (eta/n) Xc^T (yc - Xc w)``, run explicitly (not from the filter formula).

    Returns
    -------
    coefs : ndarray, shape (n_steps + 1, p)
        ``w_0 = 0, w_1, ..., w_t``.
    intercepts : ndarray, shape (n_steps + 1,)

    Raises
    ------
    ValueError
        On bad ``X``/``y``, ``learning_rate <= 0`` or ``n_steps < 1``, or if the iterates overflow
        (a learning rate above the stable ``2 n / d_max^2`` diverges).

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    eta = check_positive(learning_rate, "learning_rate")
    t = check_positive_int(n_steps, "n_steps")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, p = X.shape
    Xc, yc, x_mean, y_mean = centre(X, y, fit_intercept)
    coefs = np.zeros((t + 1, p))
    w = np.zeros(p)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, t + 1):
            w = w + (eta / n) * (Xc.T @ (yc - Xc @ w))
            coefs[k] = w
        intercepts = y_mean - coefs @ x_mean
    names = "X, y and learning_rate"
    return check_finite_result(coefs, names), check_finite_result(intercepts, names)


# --------------------------------------------------------------------------------------------------
# Input noise


def input_noise_sgd(
    X: ArrayLike,
    y: ArrayLike,
    *,
    noise_std: float,
    learning_rate: float,
    epochs: int,
    rng,
    average_from: int | None = None,
) -> LinearModel:
    """Stochastic gradient descent on the squared loss with fresh Gaussian noise on the inputs.

    At each step one example ``i`` is drawn uniformly, its input is corrupted, ``x~ = x_i + e`` with
    ``e ~ N(0, noise_std^2 I)`` drawn anew, and ``(w, b)`` takes a step on ``(1/2)(y_i - x~ w - b)^2``.
    In expectation over ``i`` and ``e`` that loss is ``(1/(2n)) ||y - X w - b||^2 + (noise_std^2/2) ||w||^2``:
    the book's ridge objective with ``lam = noise_std^2``. The returned weights are the average of the
    iterates from step ``average_from`` on (Polyak-Ruppert averaging), which removes most of the
    noise of the last iterate.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    noise_std : float
        ``sigma >= 0``.
    learning_rate : float
        ``eta > 0`` (constant).
    epochs : int
        Number of passes; each pass is ``n`` steps.
    rng : int or numpy.random.Generator
        Source of the example indices and of the noise.
    average_from : int, optional
        First step included in the average; default: half of the steps.

    Returns
    -------
    LinearModel

    Raises
    ------
    ValueError
        On bad ``X``/``y``, negative ``noise_std``, ``learning_rate <= 0``, ``epochs < 1`` or an
        ``average_from`` outside ``[0, total steps)``, or if the iterates overflow (too large a
        learning rate, noise or data).

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    sigma = check_nonnegative(noise_std, "noise_std")
    eta = check_positive(learning_rate, "learning_rate")
    epochs = check_positive_int(epochs, "epochs")
    generator = as_rng(rng)
    n, p = X.shape
    total = n * epochs
    start = total // 2 if average_from is None else check_positive_int(average_from, "average_from", minimum=0)
    if start >= total:
        raise ValueError("average_from must be smaller than the number of steps n * epochs")
    order = generator.integers(0, n, size=total)
    noise = sigma * generator.standard_normal((total, p))
    w, b = np.zeros(p), 0.0
    w_sum, b_sum = np.zeros(p), 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(total):
            x = X[order[k]] + noise[k]
            residual = y[order[k]] - x @ w - b
            w = w + eta * residual * x
            b = b + eta * residual
            if k >= start:
                w_sum += w
                b_sum += b
        count = total - start
        coef, intercept = w_sum / count, b_sum / count
    names = "X, y, noise_std and learning_rate"
    return LinearModel(coef=check_finite_result(coef, names), intercept=check_finite_result(intercept, names))


# --------------------------------------------------------------------------------------------------
# Dropout


def _check_dropout(X: ArrayLike, keep_prob: float) -> tuple[FloatArray, float]:
    X = as_finite_array(X, "X", ndim=2)
    q = check_probability(keep_prob, "keep_prob", open_interval=False)
    if q == 0:
        raise ValueError("keep_prob must be in (0, 1]")
    return X, q


def dropout_penalty_diagonal(X: ArrayLike, keep_prob: float) -> FloatArray:
    """The weights ``c_j = ((1 - q) / q) (X^T X)_jj / n`` of dropout's implicit penalty ``(1/2) sum_j c_j w_j^2``.

    With inverted dropout on the inputs, ``x~_ij = m_ij x_ij / q`` with independent ``m_ij ~ Bernoulli(q)``,
    ``E x~_ij = x_ij`` and ``Var x~_ij = ((1 - q)/q) x_ij^2``, so

        E (1/(2n)) ||y - X~ w - b||^2 = (1/(2n)) ||y - X w - b||^2 + (1/2) sum_j c_j w_j^2

    (Wager, Wang & Liang 2013). ``X`` is the matrix dropout is applied to (not centred here).

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array, ``keep_prob`` is not in ``(0, 1]``, or the weights
        overflow.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, q = _check_dropout(X, keep_prob)
    with np.errstate(over="ignore", invalid="ignore"):
        c = (1.0 - q) / q * np.sum(X**2, axis=0) / X.shape[0]
    return check_finite_result(c, "X and keep_prob")


def expected_dropout_objective(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, keep_prob: float, *, intercept: float = 0.0
) -> float:
    """Closed form of ``E (1/(2n)) ||y - X~ w - b||^2`` under inverted input dropout (see
    :func:`dropout_penalty_diagonal`).

    Raises
    ------
    ValueError
        On bad shapes or values, ``keep_prob`` not in ``(0, 1]``, or an objective that overflows.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    w = as_finite_array(w, "w", ndim=1)
    check_length(w, "w", X.shape[1], "the number of columns of X")
    intercept = check_finite_real(intercept, "intercept")
    c = dropout_penalty_diagonal(X, keep_prob)
    with np.errstate(over="ignore", invalid="ignore"):
        residual = y - X @ w - intercept
        value = float(residual @ residual / (2 * X.shape[0]) + 0.5 * (c @ w**2))
    return check_finite_result(value, "w, X, y, keep_prob and intercept")


def enumerated_dropout_objective(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, keep_prob: float, *, intercept: float = 0.0
) -> float:
    """``E (1/(2n)) ||y - X~ w - b||^2`` computed exactly by summing over every dropout mask.

    The masks of different rows are independent and the loss is a sum over rows, so the expectation
    is the sum over rows of an average over the ``2^p`` masks of one row, each with probability
    ``q^k (1 - q)^(p - k)`` (``k`` inputs kept). Independent of :func:`expected_dropout_objective`.

    Raises
    ------
    ValueError
        On bad input, ``keep_prob`` not in ``(0, 1]``, ``p > 20`` (too many masks), or an
        objective that overflows.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    w = as_finite_array(w, "w", ndim=1)
    check_length(w, "w", X.shape[1], "the number of columns of X")
    intercept = check_finite_real(intercept, "intercept")
    X, q = _check_dropout(X, keep_prob)
    n, p = X.shape
    if p > 20:
        raise ValueError("X has too many columns to enumerate the 2^p masks (at most 20)")
    masks = np.array(list(product((0.0, 1.0), repeat=p)))  # (2^p, p)
    kept = masks.sum(axis=1)
    probabilities = q**kept * (1.0 - q) ** (p - kept)
    with np.errstate(over="ignore", invalid="ignore"):
        predictions = (X[:, None, :] * masks[None, :, :] / q) @ w + intercept  # (n, 2^p)
        losses = (y[:, None] - predictions) ** 2 / (2 * n)
        value = float(losses.sum(axis=0) @ probabilities)
    return check_finite_result(value, "w, X, y, keep_prob and intercept")


def fit_dropout_ridge(X: ArrayLike, y: ArrayLike, keep_prob: float, *, fit_intercept: bool = True) -> LinearModel:
    """Minimize the expected dropout objective: ``(1/(2n)) ||y - X w - b||^2 + (1/2) sum_j c_j w_j^2``.

    ``c`` is :func:`dropout_penalty_diagonal` of ``X`` itself (dropout acts on the raw inputs), the
    intercept is unpenalized and eliminated by centring the data term:
    ``w = (Xc^T Xc + n diag(c))^{-1} Xc^T yc``, ``b = y_mean - x_mean @ w``. For centred ``X`` this is
    ridge with the penalty weighted by ``diag(X^T X)``; for features of equal scale it is plain ridge
    with ``lam = (1 - q)/q * (X^T X)_jj / n``.

    Raises
    ------
    ValueError
        On bad ``X``/``y`` or ``keep_prob`` not in ``(0, 1]``, or if the solution overflows.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    c = dropout_penalty_diagonal(X, keep_prob)
    n = X.shape[0]
    Xc, yc, x_mean, y_mean = centre(X, y, fit_intercept)
    with np.errstate(over="ignore", invalid="ignore"):
        w = np.linalg.solve(Xc.T @ Xc + n * np.diag(c), Xc.T @ yc)
        intercept = y_mean - x_mean @ w
    names = "X, y and keep_prob"
    return LinearModel(coef=check_finite_result(w, names), intercept=check_finite_result(intercept, names))


# --------------------------------------------------------------------------------------------------
# Separable logistic regression


def _signed_rows(X: ArrayLike, y: ArrayLike) -> FloatArray:
    X = as_finite_array(X, "X", ndim=2)
    y = as_finite_array(y, "y", ndim=1)
    check_length(y, "y", X.shape[0], "the number of rows of X")
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("y must hold labels -1 and +1")
    return X * y[:, None]


def logistic_gradient_descent(
    X: ArrayLike, y: ArrayLike, *, learning_rate: float, n_steps: int, checkpoints: ArrayLike
) -> FloatArray:
    """Plain gradient descent from ``w = 0`` on the unregularized logistic loss, no intercept.

    The loss is ``L(w) = (1/n) sum_i log(1 + exp(-y_i x_i^T w))`` with labels ``y_i`` in {-1, +1};
    the step is ``w <- w - eta grad L(w)``, ``grad L = -(1/n) sum_i y_i x_i sigmoid(-y_i x_i^T w)``.
    On separable data ``L`` has no minimizer and ``||w_t||`` grows without bound.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
        Labels -1 or +1.
    learning_rate : float
        ``eta > 0``; stable for ``eta < 2 / K`` with ``K = ||X||_2^2 / (4 n)`` the Lipschitz constant
        of ``grad L``.
    n_steps : int
    checkpoints : array_like of int
        Step counts ``t`` (``0 <= t <= n_steps``) at which ``w_t`` is recorded.

    Returns
    -------
    ndarray, shape (len(checkpoints), p)

    Raises
    ------
    ValueError
        On bad input, labels other than -1/+1, ``learning_rate <= 0``, checkpoints out of range, or
        iterates that overflow.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    A = _signed_rows(X, y)
    eta = check_positive(learning_rate, "learning_rate")
    t_max = check_positive_int(n_steps, "n_steps")
    as_finite_array(checkpoints, "checkpoints", ndim=1)  # types, NaN, shape and emptiness
    marks = np.asarray(checkpoints)
    if marks.ndim != 1 or not np.issubdtype(marks.dtype, np.integer) or np.any(marks < 0) or np.any(marks > t_max):
        raise ValueError("checkpoints must be a 1-D array of integers in [0, n_steps]")
    n, p = A.shape
    wanted = {int(t): k for k, t in enumerate(marks)}
    out = np.zeros((marks.shape[0], p))
    w = np.zeros(p)
    scale = eta / n
    At = A.T.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(t_max + 1):
            if t in wanted:
                out[[k for k, m in enumerate(marks) if m == t]] = w
            if t == t_max:
                break
            w = w + scale * (At @ expit(-(A @ w)))
    return check_finite_result(out, "X and learning_rate")


@dataclass(frozen=True, eq=False)
class MaxMargin:
    """The hard-margin SVM through the origin (see :func:`max_margin_direction`).

    Attributes
    ----------
    w : ndarray, shape (p,)
        The minimum-norm ``w`` with ``y_i x_i^T w >= 1`` for all ``i``.
    margin : float
        The geometric margin ``1 / ||w||``.
    dual : ndarray, shape (n,)
        The dual variables ``alpha_i >= 0``, ``w = sum_i alpha_i y_i x_i``.
    kkt_violation : float
        Largest violation of the KKT conditions (primal feasibility, stationarity relative to
        ``||w||``, complementary slackness).
    converged : bool
        True if ``kkt_violation`` is below the ``tol`` of :func:`max_margin_direction`; if not, that
        function issued a :class:`regbook.ConvergenceWarning`.
    """

    w: FloatArray
    margin: float
    dual: FloatArray
    kkt_violation: float
    converged: bool = True


def max_margin_direction(X: ArrayLike, y: ArrayLike, *, tol: float = 1e-8) -> MaxMargin:
    """Hard-margin linear SVM without intercept: ``min (1/2) ||w||^2`` subject to ``y_i x_i^T w >= 1``.

    The primal is solved by SLSQP; the dual variables then by non-negative least squares on the
    stationarity condition ``w = sum_i alpha_i y_i x_i`` restricted to the active constraints. The
    answer is reported converged only with a KKT certificate: primal feasibility ``y_i x_i^T w >= 1 - tol``,
    ``alpha >= 0``, stationarity ``||w - A^T alpha|| <= tol ||w||`` and complementary slackness
    ``alpha_i |y_i x_i^T w - 1| <= tol`` (rows of ``A`` are ``y_i x_i``).

    Raises
    ------
    ValueError
        On bad input, labels other than -1/+1, ``tol`` below the machine epsilon, or data that are not
        linearly separable through the origin.

    If the certificate fails, the answer is returned with ``converged=False`` and a
    :class:`regbook.ConvergenceWarning` is issued (the package's non-convergence policy).

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    A = _signed_rows(X, y)
    tol = check_positive(tol, "tol")
    if tol < np.finfo(np.float64).eps:
        raise ValueError(f"tol must be at least the float64 machine epsilon (2.2e-16): a KKT violation below "
                         f"rounding level cannot be certified; got {tol!r}")
    n, p = A.shape
    start, *_ = np.linalg.lstsq(A, np.ones(n), rcond=None)
    result = scipy.optimize.minimize(
        lambda w: (0.5 * (w @ w), w), start, jac=True, method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda w: A @ w - 1.0, "jac": lambda w: A}],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    w = result.x
    slack = A @ w - 1.0
    if not result.success or slack.min() < -1e-6:
        raise ValueError("X, y: the data are not linearly separable through the origin (no w with "
                         "y_i x_i^T w >= 1 was found; or X is too large in magnitude for the solver)")
    active = slack <= 1e-6 * max(1.0, float(np.abs(A @ w).max()))
    alpha = np.zeros(n)
    alpha[active], _ = scipy.optimize.nnls(A[active].T, w)
    scale = float(np.linalg.norm(w))
    violation = float(max(-slack.min(), np.linalg.norm(w - A.T @ alpha) / scale, np.max(alpha * np.abs(slack)), 0.0))
    if violation > tol:
        warn_not_converged(f"max-margin solution not certified: KKT violation {violation:.2e} > tol {tol:.0e} "
                           f"(the result has converged=False)")
    return MaxMargin(w=w, margin=1.0 / scale, dual=alpha, kkt_violation=violation, converged=bool(violation <= tol))


# --------------------------------------------------------------------------------------------------
# Bayesian evidence


def _eigen(X: ArrayLike, y: ArrayLike, fit_intercept: bool):
    X, y = check_data(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    Xc, yc, x_mean, y_mean = centre(X, y, fit_intercept)
    U, d, Vt = np.linalg.svd(Xc, full_matrices=False)
    return Xc, yc, x_mean, y_mean, U, d, Vt


def log_evidence(X: ArrayLike, y: ArrayLike, *, alpha: float, beta: float, fit_intercept: bool = False) -> float:
    """Log marginal likelihood ``log p(y | alpha, beta)`` of the linear-Gaussian model.

    ``y = X w + eps``, ``w ~ N(0, alpha^{-1} I)``, ``eps ~ N(0, beta^{-1} I)``: ``y ~ N(0, C)`` with
    ``C = I / beta + X X^T / alpha``, computed from the SVD of ``X``:

        log p = -(1/2) [ n log(2 pi) + sum_k log(1/beta + d_k^2/alpha) + (n - r) log(1/beta)
                         + sum_k (u_k^T y)^2 / (1/beta + d_k^2/alpha) + beta ||y - U U^T y||^2 ].

    With ``fit_intercept=True`` the data are centred first (the evidence of the centred data, which
    is scikit-learn's ``BayesianRidge`` convention).

    Raises
    ------
    ValueError
        On bad ``X``/``y``, non-positive precisions, or a log evidence that overflows.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    alpha = check_positive(alpha, "alpha")
    beta = check_positive(beta, "beta")
    _, yc, _, _, U, d, _ = _eigen(X, y, fit_intercept)
    n = yc.shape[0]
    variances = 1.0 / beta + d**2 / alpha
    Uty = U.T @ yc
    rest = yc - U @ Uty
    r = d.shape[0]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        value = float(-0.5 * (n * np.log(2 * np.pi) + np.log(variances).sum() + (n - r) * np.log(1.0 / beta)
                              + (Uty**2 / variances).sum() + beta * (rest @ rest)))
    return check_finite_result(value, "X, y, alpha and beta")


@dataclass(frozen=True, eq=False)
class EvidenceResult:
    """Outcome of :func:`evidence_fixed_point`.

    Attributes
    ----------
    alpha : float
        Prior precision of the weights (``BayesianRidge.lambda_``).
    beta : float
        Noise precision (``BayesianRidge.alpha_``).
    lam : float
        The book's ridge strength, ``lam = alpha / (n beta)``.
    gamma : float
        The number of well-determined parameters ``sum_k d_k^2 / (d_k^2 + n lam)`` = effective
        degrees of freedom of ridge at ``lam``.
    model : LinearModel
        The posterior mean (= ridge solution at ``lam``) with its intercept.
    n_iter : int
        Iterations used.
    converged : bool
        False if ``max_iter`` iterations passed without the relative-change test being met (a
        :class:`regbook.ConvergenceWarning` was then issued).
    """

    alpha: float
    beta: float
    lam: float
    gamma: float
    model: LinearModel
    n_iter: int
    converged: bool = True


def evidence_fixed_point(
    X: ArrayLike,
    y: ArrayLike,
    *,
    fit_intercept: bool = True,
    tol: float = 1e-12,
    max_iter: int = 10_000,
    alpha_init: float = 1.0,
    beta_init: float | None = None,
) -> EvidenceResult:
    """MacKay's fixed point for the evidence-maximizing precisions ``alpha`` (prior) and ``beta`` (noise).

    Iterates, with ``m`` the posterior mean ``(X^T X + (alpha/beta) I)^{-1} X^T y`` (centred data with an
    intercept) and ``d_k`` the singular values:

        gamma = sum_k beta d_k^2 / (beta d_k^2 + alpha),  alpha <- gamma / ||m||^2,
        beta <- (n - gamma) / ||y - X m||^2,

    until the relative change of ``alpha`` and ``beta`` is below ``tol``. These are the stationarity
    conditions of :func:`log_evidence`; ``gamma`` equals ridge's effective degrees of freedom at
    ``lam = alpha / (n beta)``. The updates are scikit-learn's ``BayesianRidge`` with its Gamma
    hyperpriors switched off (``alpha_1 = alpha_2 = lambda_1 = lambda_2 = 0``; note its names:
    ``alpha_`` is our ``beta``, ``lambda_`` our ``alpha``). Default start as ``BayesianRidge``:
    ``beta = 1 / var(y)``, ``alpha = 1``.

    Raises
    ------
    ValueError
        On bad input or non-positive ``tol``/``max_iter``/initial values, or if the iteration breaks
        down (``y`` exactly fitted, ``m = 0``, or sums of squares that overflow).

    If the iteration does not converge in ``max_iter`` steps, the last iterate is returned with
    ``converged=False`` and a :class:`regbook.ConvergenceWarning` is issued (the package's policy).

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    tol = check_positive(tol, "tol")
    max_iter = check_positive_int(max_iter, "max_iter")
    Xc, yc, x_mean, y_mean, U, d, Vt = _eigen(X, y, fit_intercept)
    n = Xc.shape[0]
    alpha = check_positive(alpha_init, "alpha_init")
    beta = check_positive(1.0 / np.var(yc) if beta_init is None else beta_init, "beta_init")
    Uty = U.T @ yc
    d2 = d**2
    for k in range(1, max_iter + 1):
        coef_u = d * Uty / (d2 + alpha / beta)  # posterior mean in the V basis
        m = Vt.T @ coef_u
        gamma = float(np.sum(beta * d2 / (beta * d2 + alpha)))
        residual = yc - Xc @ m
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            alpha_new = float(np.float64(gamma) / (m @ m))
            beta_new = float((n - gamma) / (residual @ residual))
        if not (np.isfinite(alpha_new) and np.isfinite(beta_new) and alpha_new > 0 and beta_new > 0):
            raise ValueError("X, y, alpha_init and beta_init: the evidence iteration broke down (a perfect fit, "
                             "zero weights, or values so large that the sums of squares overflow)")
        done = abs(alpha_new - alpha) <= tol * alpha and abs(beta_new - beta) <= tol * beta
        alpha, beta = alpha_new, beta_new
        if done:
            break
    converged = bool(done)
    if not converged:
        warn_not_converged(f"the evidence fixed point did not converge in {max_iter} iterations "
                           f"(tol={tol:g}); the result has converged=False")
    lam = alpha / (n * beta)
    coef = Vt.T @ (d * Uty / (d2 + n * lam))
    gamma = float(np.sum(d2 / (d2 + n * lam)))
    return EvidenceResult(alpha=alpha, beta=beta, lam=lam, gamma=gamma,
                          model=LinearModel(coef=coef, intercept=y_mean - x_mean @ coef), n_iter=k, converged=converged)
