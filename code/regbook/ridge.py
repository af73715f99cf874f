"""Ridge regression in depth: direct solvers, the SVD view, gradient descent, choosing lambda, the Bayesian view.

Book convention, as in :mod:`regbook.linear`: the model is ``y_hat = X w + b`` and the objective is

    J(w, b) = (1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2

with the intercept ``b`` never penalized; ``sklearn.linear_model.Ridge(alpha=n * lam)`` minimizes
``2n J``. With ``fit_intercept=True`` every function here works, like :func:`regbook.linear.fit_ridge`,
with the centred data ``Xc = X - x_mean`` and ``yc = y - y_mean`` (the best ``b`` for any ``w`` is
``y_mean - x_mean @ w``), so that

    w(lam) = (Xc^T Xc + n lam I)^{-1} Xc^T yc,        b(lam) = y_mean - x_mean @ w(lam).

With the thin SVD ``Xc = U diag(d) V^T`` (only the ``r`` singular values that are non-zero up to
rounding are kept, ``r`` = numerical rank) this is

    w(lam) = V diag(d / (d^2 + n lam)) U^T yc,

and every ridge quantity for *any* lam follows from one decomposition: the shrinkage factors
``d^2 / (d^2 + n lam)``, the effective degrees of freedom (their sum), the hat matrix
``H = (1/n) 1 1^T + U diag(d^2 / (d^2 + n lam)) U^T`` (the first term only with an intercept), the
leave-one-out residuals ``(y_i - y_hat_i) / (1 - H_ii)``, generalized cross-validation and the
condition number ``(d_max^2 + n lam) / (d_min^2 + n lam)``. :class:`RidgeSVD` holds that decomposition;
the module-level functions are one-call conveniences built on it.

``lam = 0`` is allowed wherever it makes sense: the SVD solution is then the minimum-norm least-squares
fit, as returned by :func:`regbook.linear.fit_least_squares`.

**Sample weights.** :func:`fit_ridge_svd`, :func:`fit_ridge_cholesky`, :func:`ridge_path` and
:func:`fit_ridge_multioutput` take ``sample_weight=s`` (``s_i >= 0``, ``S = sum(s) > 0``) and then
minimize the weighted *mean* loss

    (1/(2S)) sum_i s_i (y_i - x_i w - b)^2 + (lam/2) ||w||^2,

which is ``Ridge(alpha=S * lam).fit(X, y, sample_weight=s)`` (scikit-learn's ``Ridge`` does not
rescale the weights, so its ``alpha`` multiplies ``S`` here). All ``s_i = 1`` is the unweighted
problem, and an integer weight ``k`` equals ``k`` copies of the row. The intercept uses the weighted
means ``x_bar = s @ X / S``, ``y_bar = s @ y / S``: ``b = y_bar - x_bar @ w``.

**Several targets.** :func:`fit_ridge_multioutput` solves ridge for every column of a 2-D ``Y``
from one decomposition (``Ridge`` with 2-D ``y``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

from ._numerics import centre, check_data
from ._validation import (
    warn_not_converged,
    as_finite_array,
    check_bool,
    check_finite_result,
    check_nonnegative,
    check_positive,
    check_positive_int,
)
from ._sample_weight import weighted_data
from .linear import LinearModel

__all__ = [
    "RidgeSVD",
    "ridge_svd",
    "fit_ridge_cholesky",
    "fit_ridge_svd",
    "fit_ridge_multioutput",
    "ridge_path",
    "shrinkage_factors",
    "effective_degrees_of_freedom",
    "hat_matrix_diagonal",
    "loo_residuals",
    "gcv_score",
    "ridge_condition_number",
    "max_stable_learning_rate",
    "GradientDescentResult",
    "fit_ridge_gradient_descent",
    "GaussianPosterior",
    "lam_for_gaussian_prior",
    "gaussian_posterior",
]

FloatArray = NDArray[np.float64]


def _check_lams(lambdas: ArrayLike) -> FloatArray:
    lambdas = as_finite_array(lambdas, "lambdas", ndim=1)
    if np.any(lambdas < 0):
        raise ValueError("lambdas must be non-negative in every entry")
    return lambdas


@dataclass(frozen=True, eq=False)
class RidgeSVD:
    """The thin SVD of the centred design, from which ridge quantities for any ``lam`` are cheap.

    Build it with :func:`ridge_svd`. Objective and scaling are those of the module docstring:
    ``(1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2``, intercept unpenalized, and every method that
    takes ``lam`` uses it in that convention (``sklearn`` ``alpha = n * lam``).

    Attributes
    ----------
    U : ndarray, shape (n, r)
        Left singular vectors of ``Xc`` (of ``X`` itself if ``fit_intercept=False``) belonging to the
        ``r`` non-zero singular values.
    singular_values : ndarray, shape (r,)
        The singular values ``d``, decreasing; those below ``max(n, p) * eps * d_max`` are dropped.
    Vt : ndarray, shape (r, p)
        Right singular vectors, as rows.
    x_mean : ndarray, shape (p,)
        Column means used for centring (zeros without an intercept).
    y_mean : float
        Mean of ``y`` (0 without an intercept or without ``y``).
    yc : ndarray, shape (n,) or None
        The centred targets ``y - y_mean``; None if the decomposition was built without ``y``.
    Uty : ndarray, shape (r,) or None
        ``U^T yc``; None without ``y``.
    fit_intercept : bool
        Whether ``b`` is fitted (by centring).
    """

    U: FloatArray
    singular_values: FloatArray
    Vt: FloatArray
    x_mean: FloatArray
    y_mean: float
    yc: FloatArray | None
    Uty: FloatArray | None
    fit_intercept: bool

    @property
    def n(self) -> int:
        """Number of examples."""
        return self.U.shape[0]

    @property
    def p(self) -> int:
        """Number of features."""
        return self.Vt.shape[1]

    @property
    def rank(self) -> int:
        """Numerical rank ``r`` of the centred design."""
        return self.singular_values.shape[0]

    def _needs_y(self) -> tuple[FloatArray, FloatArray]:
        """``(yc, U^T yc)``, or a ValueError if the decomposition was built without ``y``."""
        if self.yc is None or self.Uty is None:
            raise ValueError("y is required: build the decomposition with ridge_svd(X, y)")
        return self.yc, self.Uty

    # The public methods check ``lam`` once; the private ones below them trust it.
    def _shrink(self, lam: float) -> FloatArray:
        d2 = self.singular_values**2
        return d2 / (d2 + self.n * lam)

    def _filter(self, lam: float) -> FloatArray:
        """The spectral filter ``d / (d^2 + n lam)`` of the ridge solution."""
        d = self.singular_values
        return d / (d**2 + self.n * lam)

    def _coef(self, lam: float) -> FloatArray:
        return self.Vt.T @ (self._filter(lam) * self._needs_y()[1])

    def _model(self, lam: float) -> LinearModel:
        w = self._coef(lam)
        return LinearModel(coef=w, intercept=self.y_mean - self.x_mean @ w)

    def _hat(self, lam: float) -> FloatArray:
        diag = (self.U**2) @ self._shrink(lam)
        return diag + 1.0 / self.n if self.fit_intercept else diag

    def _rss(self, lam: float) -> float:
        residual = self._needs_y()[0] - self._centred_fit(lam)
        return float(residual @ residual)

    def _loo(self, lam: float) -> FloatArray:
        hat = self._hat(lam)
        # 1 - H_ii is a difference of numbers of size 1: treat it as zero below 1e-10.
        if np.any(1.0 - hat <= 1e-10):
            raise ValueError(
                f"lam={lam!r} gives H_ii = 1 for some example (the fit interpolates it); "
                "the leave-one-out shortcut is undefined there, use lam > 0"
            )
        return (self._needs_y()[0] - self._centred_fit(lam)) / (1.0 - hat)

    def _gcv(self, lam: float) -> float:
        trace = float(np.sum(self._shrink(lam))) + (1.0 if self.fit_intercept else 0.0)
        if 1.0 - trace / self.n <= 1e-10:
            raise ValueError(f"lam={lam!r} gives trace(H) = n (an interpolating fit); GCV is undefined")
        return self._rss(lam) / self.n / (1.0 - trace / self.n) ** 2

    def shrinkage_factors(self, lam: float) -> FloatArray:
        """``d_k^2 / (d_k^2 + n lam)`` for each of the ``r`` singular directions (decreasing in ``k``).

        The fitted values are ``y_mean + sum_k s_k u_k (u_k^T yc)``: ridge keeps the component of ``yc``
        along ``u_k`` scaled by ``s_k`` (least squares keeps it whole, ``s_k = 1``).

        Raises
        ------
        ValueError
            If ``lam`` is negative or not finite.

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return self._shrink(check_nonnegative(lam, "lam"))

    def effective_dof(self, lam: float) -> float:
        """Effective degrees of freedom of the weights, ``sum_k d_k^2 / (d_k^2 + n lam)``.

        It is the trace of the hat matrix of the centred problem; it falls from the rank ``r`` at
        ``lam = 0`` to 0 as ``lam`` grows. With an intercept, ``trace(H) = effective_dof + 1``.

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return float(np.sum(self.shrinkage_factors(lam)))

    def coef(self, lam: float) -> FloatArray:
        """The ridge weights ``w(lam) = V diag(d / (d^2 + n lam)) U^T yc``, shape (p,).

        At ``lam = 0`` this is the minimum-norm least-squares solution.

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return self._coef(check_nonnegative(lam, "lam"))

    def model(self, lam: float) -> LinearModel:
        """The fitted :class:`~regbook.linear.LinearModel` at ``lam`` (``b = y_mean - x_mean @ w``).

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return self._model(check_nonnegative(lam, "lam"))

    def path(self, lambdas: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Weights and intercepts for many ``lam`` at once, from the one decomposition.

        Parameters
        ----------
        lambdas : array_like, shape (k,)
            Non-negative strengths, in any order.

        Returns
        -------
        coefs : ndarray, shape (k, p)
            Row ``i`` is ``w(lambdas[i])``.
        intercepts : ndarray, shape (k,)

        Raises
        ------
        ValueError
            If ``lambdas`` is not a finite 1-D array of non-negative numbers.

        Notes
        -----
        Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
        float64, so float32 input gives float64 results.
        """
        return self._path(_check_lams(lambdas))

    def _path(self, lambdas: FloatArray) -> tuple[FloatArray, FloatArray]:
        d = self.singular_values
        filters = d / (d**2 + self.n * lambdas[:, None])  # shape (k, r)
        coefs = (filters * self._needs_y()[1]) @ self.Vt
        return coefs, self.y_mean - coefs @ self.x_mean

    def _centred_fit(self, lam: float) -> FloatArray:
        return self.U @ (self._shrink(lam) * self._needs_y()[1])

    def fitted(self, lam: float) -> FloatArray:
        """Fitted values ``y_hat = y_mean + U diag(shrinkage) U^T yc`` on the training rows, shape (n,).

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return self.y_mean + self._centred_fit(check_nonnegative(lam, "lam"))

    def hat_diagonal(self, lam: float) -> FloatArray:
        """Diagonal of the hat matrix ``H`` with ``y_hat = H y``, shape (n,).

        ``H_ii = 1/n + sum_k U_ik^2 d_k^2 / (d_k^2 + n lam)``; the ``1/n`` (the intercept's share)
        only with ``fit_intercept=True``.

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return self._hat(check_nonnegative(lam, "lam"))

    def residual_sum_of_squares(self, lam: float) -> float:
        """Training ``||y - y_hat||^2`` at ``lam`` (no factor 1/2, no 1/n).

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return self._rss(check_nonnegative(lam, "lam"))

    def loo_residuals(self, lam: float) -> FloatArray:
        """Exact leave-one-out residuals ``(y_i - y_hat_i) / (1 - H_ii)``, shape (n,).

        Entry ``i`` equals ``y_i`` minus the prediction at ``x_i`` of the model refitted without
        example ``i`` **with the same summed-loss strength** ``alpha = n lam``, that is with
        ``lam_{-i} = n lam / (n - 1)`` in the book's mean-loss convention on the ``n - 1`` remaining
        examples (the intercept and the centring are refitted too). This is what
        ``sklearn.linear_model.RidgeCV(alphas=[n * lam])`` computes.

        Raises
        ------
        ValueError
            If ``lam`` is negative, or ``H_ii = 1`` for some ``i`` (the fit interpolates that point,
            e.g. ``lam = 0`` with as many parameters as examples): the formula is then undefined.

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return self._loo(check_nonnegative(lam, "lam"))

    def loo_mse(self, lam: float) -> float:
        """Leave-one-out mean squared error ``mean(loo_residuals(lam)**2)`` (no factor 1/2).

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return float(np.mean(self.loo_residuals(lam) ** 2))

    def gcv(self, lam: float) -> float:
        """Generalized cross-validation ``(RSS / n) / (1 - trace(H) / n)^2``.

        ``trace(H) = effective_dof(lam) + 1`` with an intercept (``+ 0`` without). GCV replaces every
        ``H_ii`` in the leave-one-out formula by their mean (Golub, Heath and Wahba, 1979).

        Raises
        ------
        ValueError
            If ``lam`` is negative or ``trace(H) = n`` (an interpolating fit).

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return self._gcv(check_nonnegative(lam, "lam"))

    def condition_number(self, lam: float) -> float:
        """2-norm condition number of ``Xc^T Xc + n lam I`` (p x p): ``(d_max^2 + n lam)/(d_min^2 + n lam)``.

        ``d_min`` is 0 when the rank ``r`` is below ``p``; the result is ``inf`` when the matrix is
        singular (``lam = 0`` and ``r < p``).

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        return self._condition_number(check_nonnegative(lam, "lam"))

    def _condition_number(self, lam: float) -> float:
        d = self.singular_values
        d_max = d[0] if self.rank else 0.0
        d_min = d[-1] if self.rank == self.p else 0.0
        numerator, denominator = d_max**2 + self.n * lam, d_min**2 + self.n * lam
        return float(numerator / denominator) if denominator > 0 else float("inf")


def ridge_svd(X: ArrayLike, y: ArrayLike | None = None, *, fit_intercept: bool = True) -> RidgeSVD:
    """Decompose once for the ridge problem ``(1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2``.

    Centres ``X`` and ``y`` (if ``fit_intercept``) and takes the thin SVD ``Xc = U diag(d) V^T``,
    keeping the ``r`` singular values above ``max(n, p) * eps * d_max`` (NumPy's default rank
    tolerance). Cost ``O(n p min(n, p))``, once; afterwards each ``lam`` costs ``O((n + p) r)``.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Design matrix.
    y : array_like, shape (n,), optional
        Targets. Without ``y`` only the quantities that depend on ``X`` alone are available
        (shrinkage factors, degrees of freedom, hat diagonal, condition number).
    fit_intercept : bool, default True
        Fit the unpenalized intercept by centring; if False, ``b = 0``.

    Returns
    -------
    RidgeSVD

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array, ``y`` not a finite 1-D array with one entry per row of
        ``X``.

    Notes
    -----
    ``X`` may have rank 0 after centring (a single example, or every column constant): then
    ``r = 0``, every weight is 0 for every ``lam`` and the intercept is ``mean(y)``, as
    scikit-learn's ``Ridge`` returns.

    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    if y is None:
        return _ridge_svd(as_finite_array(X, "X", ndim=2), None, fit_intercept)
    return _ridge_svd(*check_data(X, y), fit_intercept)


def _ridge_svd(X: FloatArray, y: FloatArray | None, fit_intercept: bool) -> RidgeSVD:
    """:func:`ridge_svd` on checked arguments."""
    y_values = np.zeros(X.shape[0]) if y is None else y
    Xc, yc, x_mean, y_mean = centre(X, y_values, fit_intercept)
    if Xc.shape[0] >= Xc.shape[1]:
        U, d, Vt = np.linalg.svd(Xc, full_matrices=False)
    else:  # wide: LAPACK is faster on the tall transpose, Xc^T = V diag(d) U^T
        V, d, Ut = np.linalg.svd(Xc.T, full_matrices=False)
        U, Vt = Ut.T, V.T
    with np.errstate(over="ignore", invalid="ignore"):
        squares_finite = np.isfinite((d[0] if d.size else 0.0) ** 2) and np.isfinite(yc @ yc)
    if not squares_finite:
        raise ValueError("X, y: their squares overflow (entries too large in magnitude; rescale them)")
    tolerance = max(Xc.shape) * np.finfo(np.float64).eps * (d[0] if d.size else 0.0)
    # r = 0 (a single example, or every column constant, with an intercept) is allowed: then
    # w(lam) = 0 for every lam and b = mean(y), which is what scikit-learn's Ridge returns.
    r = int(np.sum(d > tolerance))
    U, d, Vt = U[:, :r], d[:r], Vt[:r]
    if y is None:
        return RidgeSVD(U=U, singular_values=d, Vt=Vt, x_mean=x_mean, y_mean=0.0, yc=None, Uty=None,
                        fit_intercept=fit_intercept)
    return RidgeSVD(U=U, singular_values=d, Vt=Vt, x_mean=x_mean, y_mean=y_mean, yc=yc, Uty=U.T @ yc,
                    fit_intercept=fit_intercept)


def fit_ridge_svd(
    X: ArrayLike, y: ArrayLike, lam: float, *, fit_intercept: bool = True, sample_weight: ArrayLike | None = None
) -> LinearModel:
    """Ridge by the SVD: minimize ``(1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2``.

    ``w = V diag(d / (d^2 + n lam)) U^T yc`` with ``Xc = U diag(d) V^T``; ``b = y_mean - x_mean @ w``.
    Equals ``sklearn.linear_model.Ridge(alpha=n * lam)``; ``lam = 0`` gives the minimum-norm
    least-squares solution. The most robust of the solvers here (no normal equations are formed).
    When ``X`` has rank 0 after centring (a single example, or only constant columns, with an
    intercept) the answer is ``w = 0`` and ``b = mean(y)``, as ``Ridge`` returns.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lam : float
        Penalty strength, ``lam >= 0``.
    fit_intercept : bool, default True
    sample_weight : array_like, shape (n,), optional
        Weights ``s_i >= 0`` with a positive sum: minimize the weighted mean loss
        ``(1/(2S)) sum_i s_i (y_i - x_i w - b)^2 + (lam/2) ||w||^2`` (``S = sum(s)``), which is
        ``Ridge(alpha=S * lam).fit(X, y, sample_weight=s)`` (see the module docstring).

    Returns
    -------
    LinearModel

    Raises
    ------
    ValueError
        On non-finite or mismatched ``X``/``y``, a negative or non-finite ``lam``, or a
        ``sample_weight`` that is not finite, non-negative, of length ``n`` and of positive sum.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    if sample_weight is not None:
        X, y = check_data(X, y)
        X_tilde, y_tilde, x_bar, y_bar = weighted_data(X, y, sample_weight, fit_intercept)
        w = _ridge_svd(X_tilde, y_tilde, False)._coef(lam)
        return LinearModel(coef=w, intercept=y_bar - x_bar @ w)
    return ridge_svd(X, y, fit_intercept=fit_intercept)._model(lam)


def fit_ridge_multioutput(
    X: ArrayLike,
    Y: ArrayLike,
    lam: float,
    *,
    fit_intercept: bool = True,
    sample_weight: ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Ridge for several targets at once: minimize ``(1/(2n)) ||Y[:, j] - X w_j - b_j||^2 + (lam/2) ||w_j||^2`` for every ``j``.

    The ``k`` problems share ``X``, so one thin SVD ``Xc = U diag(d) V^T`` solves them all:
    ``W = V diag(d / (d^2 + n lam)) U^T Yc`` and ``b = y_mean - x_mean @ W``. Equals
    ``sklearn.linear_model.Ridge(alpha=n * lam).fit(X, Y)`` with 2-D ``Y`` (whose ``coef_`` is
    ``W.T``); ``lam = 0`` gives the minimum-norm least-squares solutions. With ``sample_weight``
    the loss is the weighted mean ``(1/(2S)) sum_i s_i (...)^2`` of the module docstring
    (``Ridge(alpha=S * lam)`` with ``sample_weight=s``).

    Parameters
    ----------
    X : array_like, shape (n, p)
    Y : array_like, shape (n, k) or (n,)
        Targets, one column per problem (1-D: one problem, returned with ``k = 1``).
    lam : float
        Penalty strength, ``lam >= 0``.
    fit_intercept : bool, default True
    sample_weight : array_like, shape (n,), optional
        Non-negative weights with a positive sum.

    Returns
    -------
    coef : ndarray, shape (p, k)
        Column ``j`` is ``w_j`` (predictions are ``X @ coef + intercept``).
    intercept : ndarray, shape (k,)

    Raises
    ------
    ValueError
        On non-finite or mismatched ``X``/``Y``, ``Y`` with more than 2 dimensions, a negative or
        non-finite ``lam``, or a bad ``sample_weight``.

    Notes
    -----
    ``X`` of rank 0 after centring (a single example, or every column constant) gives zero weights
    and the (weighted) target means as intercepts, as scikit-learn's ``Ridge`` does. Array arguments
    may be lists or integer, float32 or float64 arrays; they are converted to float64, so float32
    input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    X = as_finite_array(X, "X", ndim=2)
    Y = as_finite_array(Y, "Y", ndim=(1, 2))
    if Y.shape[0] != X.shape[0]:
        raise ValueError(f"Y has {Y.shape[0]} rows but X has {X.shape[0]}; they must match")
    Y = Y.reshape(Y.shape[0], -1)
    if sample_weight is None:
        x_bar = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
        y_bar = Y.mean(axis=0) if fit_intercept else np.zeros(Y.shape[1])
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused just below
            X_tilde, Y_tilde = check_finite_result(X - x_bar, "X"), check_finite_result(Y - y_bar, "Y")
    else:
        X_tilde, Y_tilde, x_bar, y_bar = weighted_data(X, Y, sample_weight, fit_intercept, y_name="Y")
    decomposition = _ridge_svd(X_tilde, None, False)
    W = decomposition.Vt.T @ (decomposition._filter(lam)[:, None] * (decomposition.U.T @ Y_tilde))
    return W, y_bar - x_bar @ W


def fit_ridge_cholesky(
    X: ArrayLike, y: ArrayLike, lam: float, *, fit_intercept: bool = True, sample_weight: ArrayLike | None = None
) -> LinearModel:
    """Ridge by a Cholesky solve: minimize ``(1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2``.

    Solves the normal equations ``(Xc^T Xc + n lam I) w = Xc^T yc`` (p x p) when ``p <= n``, and the
    equivalent dual system ``w = Xc^T a`` with ``(Xc Xc^T + n lam I) a = yc`` (n x n) when ``p > n``
    (the "push-through" identity ``(A^T A + c I)^{-1} A^T = A^T (A A^T + c I)^{-1}``); then
    ``b = y_mean - x_mean @ w``. Equals ``sklearn.linear_model.Ridge(alpha=n * lam)``.

    Fast, but forming ``Xc^T Xc`` squares the condition number of ``Xc``: with ``lam`` near 0 and
    ill-conditioned features prefer :func:`fit_ridge_svd` or :func:`regbook.linear.fit_ridge`.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lam : float
        Penalty strength, ``lam >= 0``.
    fit_intercept : bool, default True
    sample_weight : array_like, shape (n,), optional
        Weights ``s_i >= 0`` with a positive sum: minimize the weighted mean loss
        ``(1/(2S)) sum_i s_i (y_i - x_i w - b)^2 + (lam/2) ||w||^2`` (``S = sum(s)``), which is
        ``Ridge(alpha=S * lam).fit(X, y, sample_weight=s)`` (see the module docstring).

    Returns
    -------
    LinearModel

    Raises
    ------
    ValueError
        On non-finite or mismatched ``X``/``y``, a negative or non-finite ``lam``, a bad
        ``sample_weight``, or ``lam = 0`` with a singular system (rank-deficient ``Xc``): use
        ``lam > 0`` or :func:`fit_ridge_svd`.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    lam = check_nonnegative(lam, "lam")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, p = X.shape
    if sample_weight is None:
        Xc, yc, x_mean, y_mean = centre(X, y, fit_intercept)
    else:
        Xc, yc, x_mean, y_mean = weighted_data(X, y, sample_weight, fit_intercept)
    primal = p <= n
    gram = Xc.T @ Xc if primal else Xc @ Xc.T
    gram[np.diag_indices_from(gram)] += n * lam
    if fit_intercept and not primal:
        # Xc Xc^T is exactly singular (Xc^T 1 = 0); with lam = 0 whether its Cholesky factorization
        # fails would depend on rounding (on the BLAS kernel). Adding (mean diagonal) 11^T / n changes
        # no Xc^T a (yc and the range of Xc Xc^T are orthogonal to 1, so a has no 1-component) and
        # removes that null direction.
        gram += max(float(np.trace(gram)) / n, 1.0) / n
    try:
        factor = scipy.linalg.cho_factor(gram, lower=True, check_finite=False)
    except np.linalg.LinAlgError as exc:
        raise ValueError(
            f"lam={lam!r}: the normal equations are singular (X has dependent columns after "
            "centring); use lam > 0 or fit_ridge_svd for the minimum-norm solution"
        ) from exc
    if primal:
        w = scipy.linalg.cho_solve(factor, Xc.T @ yc, check_finite=False)
    else:
        w = Xc.T @ scipy.linalg.cho_solve(factor, yc, check_finite=False)
    return LinearModel(coef=w, intercept=y_mean - x_mean @ w)


def ridge_path(
    X: ArrayLike, y: ArrayLike, lambdas: ArrayLike, *, fit_intercept: bool = True, sample_weight: ArrayLike | None = None
) -> tuple[FloatArray, FloatArray]:
    """Ridge solutions for many strengths from **one** SVD.

    For each ``lam`` in ``lambdas`` the minimizer of ``(1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2``
    (``sklearn`` ``Ridge(alpha=n * lam)``), computed as ``w = V diag(d / (d^2 + n lam)) U^T yc``
    from the single decomposition ``Xc = U diag(d) V^T``.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lambdas : array_like, shape (k,)
        Non-negative strengths.
    fit_intercept : bool, default True
    sample_weight : array_like, shape (n,), optional
        Non-negative weights with a positive sum: the weighted mean loss of the module docstring
        (``Ridge(alpha=S * lam)`` with ``sample_weight=s``, ``S = sum(s)``).

    Returns
    -------
    coefs : ndarray, shape (k, p)
    intercepts : ndarray, shape (k,)

    Raises
    ------
    ValueError
        On non-finite or mismatched ``X``/``y``, ``lambdas`` that are not a finite 1-D array of
        non-negative numbers, or a bad ``sample_weight``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lambdas = _check_lams(lambdas)
    if sample_weight is not None:
        X, y = check_data(X, y)
        X_tilde, y_tilde, x_bar, y_bar = weighted_data(X, y, sample_weight, fit_intercept)
        coefs, _ = _ridge_svd(X_tilde, y_tilde, False)._path(lambdas)
        return coefs, y_bar - coefs @ x_bar
    return ridge_svd(X, y, fit_intercept=fit_intercept)._path(lambdas)


def shrinkage_factors(X: ArrayLike, lam: float, *, fit_intercept: bool = True) -> FloatArray:
    """Shrinkage factors ``d_k^2 / (d_k^2 + n lam)`` of ridge on ``X``, one per non-zero singular value.

    ``d_k`` are the singular values of the centred ``X`` (of ``X`` if ``fit_intercept=False``), in
    decreasing order; ``lam`` is the book's (mean-loss) strength. See :meth:`RidgeSVD.shrinkage_factors`.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array or ``lam`` is negative or not finite.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    return ridge_svd(X, fit_intercept=fit_intercept)._shrink(lam)


def effective_degrees_of_freedom(X: ArrayLike, lam: float, *, fit_intercept: bool = True) -> float:
    """Effective degrees of freedom of ridge's weights, ``sum_k d_k^2 / (d_k^2 + n lam)``.

    Equal to ``trace(Xc (Xc^T Xc + n lam I)^{-1} Xc^T)``; it decreases from ``rank(Xc)`` at
    ``lam = 0`` to 0 as ``lam`` grows. The fitted intercept adds one more degree of freedom
    (``trace(H) = dof + 1``).

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array or ``lam`` is negative or not finite.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    return float(np.sum(ridge_svd(X, fit_intercept=fit_intercept)._shrink(lam)))


def hat_matrix_diagonal(X: ArrayLike, lam: float, *, fit_intercept: bool = True) -> FloatArray:
    """Diagonal of ridge's hat matrix ``H`` (``y_hat = H y``), shape (n,).

    ``H = (1/n) 1 1^T + Xc (Xc^T Xc + n lam I)^{-1} Xc^T`` with an intercept (the first term dropped
    and ``Xc = X`` without). ``lam`` is the book's strength (``sklearn`` ``alpha = n * lam``).

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array or ``lam`` is negative or not finite.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    return ridge_svd(X, fit_intercept=fit_intercept)._hat(lam)


def loo_residuals(X: ArrayLike, y: ArrayLike, lam: float, *, fit_intercept: bool = True) -> FloatArray:
    """Exact leave-one-out residuals of ridge, ``(y_i - y_hat_i) / (1 - H_ii)``, without refitting.

    Entry ``i`` is ``y_i`` minus the prediction of the model fitted on the other ``n - 1`` examples
    with the same summed-loss strength ``alpha = n lam`` (so ``lam_{-i} = n lam / (n - 1)`` in the
    book's convention); see :meth:`RidgeSVD.loo_residuals`. Equals the leave-one-out errors of
    ``sklearn.linear_model.RidgeCV(alphas=[n * lam])``.

    Raises
    ------
    ValueError
        On bad ``X``/``y``/``lam`` or when some ``H_ii = 1`` (an interpolated point).

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    return ridge_svd(X, y, fit_intercept=fit_intercept)._loo(lam)


def gcv_score(X: ArrayLike, y: ArrayLike, lam: float, *, fit_intercept: bool = True) -> float:
    """Generalized cross-validation score of ridge, ``(RSS / n) / (1 - trace(H) / n)^2``.

    ``RSS = ||y - y_hat||^2`` and ``trace(H) = dof(lam) + 1`` with an intercept; see
    :meth:`RidgeSVD.gcv`.

    Raises
    ------
    ValueError
        On bad ``X``/``y``/``lam`` or when ``trace(H) = n``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    return ridge_svd(X, y, fit_intercept=fit_intercept)._gcv(lam)


def ridge_condition_number(X: ArrayLike, lam: float, *, fit_intercept: bool = True) -> float:
    """Condition number of the ridge system matrix ``Xc^T Xc + n lam I``: ``(d_max^2 + n lam)/(d_min^2 + n lam)``.

    The 2-norm condition number, as ``numpy.linalg.cond`` of that p x p matrix computes it; ``d_min``
    is 0 if ``Xc`` has rank below ``p``, and the result is ``inf`` for a singular matrix.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array or ``lam`` is negative or not finite.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    return ridge_svd(X, fit_intercept=fit_intercept)._condition_number(lam)


def max_stable_learning_rate(X: ArrayLike, lam: float, *, fit_intercept: bool = True) -> float:
    """Largest learning rate for which gradient descent on the ridge objective converges: ``2 / L``.

    The gradient of ``J`` in ``w`` (intercept eliminated by centring) is ``A w - Xc^T yc / n`` with
    Hessian ``A = Xc^T Xc / n + lam I``, whose largest eigenvalue is ``L = d_max^2 / n + lam``.
    Gradient descent ``w <- w - eta (A w - Xc^T yc / n)`` converges for every start iff
    ``0 < eta < 2 / L`` (for ``lam = 0`` and rank-deficient ``Xc``: the components in the null space
    never move, the rest converges). Note that ``lam > 0`` makes this bound *smaller*.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array or ``lam`` is negative or not finite, or if ``lam = 0``
        and ``X`` has rank 0 after centring (no bound exists).

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    decomposition = ridge_svd(X, fit_intercept=fit_intercept)
    d_max = decomposition.singular_values[0] if decomposition.rank else 0.0
    if d_max == 0.0 and lam == 0.0:
        raise ValueError(
            "X has rank 0 after centring and lam = 0: the objective is flat in w and every learning rate "
            "is stable (there is no finite bound)"
        )
    return 2.0 / (d_max**2 / decomposition.n + lam)


@dataclass(frozen=True, eq=False)
class GradientDescentResult:
    """Outcome of :func:`fit_ridge_gradient_descent`.

    Attributes
    ----------
    model : LinearModel
        The last iterate ``w_t`` with its best intercept ``b = y_mean - x_mean @ w_t``.
    objective : ndarray, shape (t + 1,)
        ``J(w_s, b(w_s))`` for ``s = 0, ..., t`` (``w_0 = 0``), with ``J`` the book's objective.
    diverged : bool
        True if the run stopped early because the objective exceeded ``1e12`` times its start value
        or stopped being finite (overflow); ``model`` is then the last finite iterate, and
        :func:`fit_ridge_gradient_descent` issued a :class:`regbook.ConvergenceWarning`.
    """

    model: LinearModel
    objective: FloatArray
    diverged: bool

    @property
    def converged(self) -> bool:
        """``not diverged``: the package's ``converged`` flag (see :mod:`regbook`).

        A run of a fixed number of steps has no stopping test; divergence is the failure it detects.
        How close a stable run came to the minimizer is read from ``objective``.
        """
        return not self.diverged

    @property
    def n_steps(self) -> int:
        """Number of gradient steps taken (``len(objective) - 1``)."""
        return self.objective.shape[0] - 1


def fit_ridge_gradient_descent(
    X: ArrayLike,
    y: ArrayLike,
    lam: float,
    *,
    learning_rate: float,
    n_steps: int,
    fit_intercept: bool = True,
) -> GradientDescentResult:
    """Minimize ``(1/(2n)) ||y - X w - b||^2 + (lam/2) ||w||^2`` by plain gradient descent.

    The intercept is eliminated exactly by centring (for any ``w`` the best ``b`` is
    ``y_mean - x_mean @ w``), and the step on the weights, from ``w_0 = 0``, is

        w <- w - eta * ( -(1/n) Xc^T (yc - Xc w) + lam w ) = (1 - eta lam) w + (eta/n) Xc^T (yc - Xc w),

    so the L2 gradient ``lam w`` acts as a decay of the weights by the factor ``1 - eta lam``.
    Converges iff ``0 < eta < 2 / (d_max^2 / n + lam)`` (:func:`max_stable_learning_rate`).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lam : float
        Penalty strength, ``lam >= 0``.
    learning_rate : float
        Step size ``eta > 0``.
    n_steps : int
        Number of steps, ``>= 1``. The run stops earlier if it diverges (see
        :class:`GradientDescentResult`), before any overflow, and then issues a
        :class:`regbook.ConvergenceWarning` (the package's non-convergence policy).
    fit_intercept : bool, default True

    Returns
    -------
    GradientDescentResult

    Raises
    ------
    ValueError
        On non-finite or mismatched ``X``/``y``, negative ``lam``, non-positive ``learning_rate``,
        or ``n_steps`` not a positive integer.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    lam = check_nonnegative(lam, "lam")
    eta = check_positive(learning_rate, "learning_rate")
    n_steps = check_positive_int(n_steps, "n_steps")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, p = X.shape
    Xc, yc, x_mean, y_mean = centre(X, y, fit_intercept)

    def objective(residual: FloatArray, w: FloatArray) -> float:
        return float(residual @ residual / (2 * n) + 0.5 * lam * (w @ w))

    w = np.zeros(p)
    residual = yc.copy()
    with np.errstate(over="ignore"):
        values = [objective(residual, w)]
    if not np.isfinite(values[0]):
        raise ValueError("y: its squares overflow (entries too large in magnitude; rescale it)")
    limit = 1e12 * values[0]
    diverged = False
    for _ in range(n_steps):
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is caught just below
            w_next = (1.0 - eta * lam) * w + (eta / n) * (Xc.T @ residual)
            residual_next = yc - Xc @ w_next
            value = objective(residual_next, w_next)
        if not value <= limit:  # also a NaN or inf step (overflow), whichever the CPU's BLAS gives
            diverged = True
            warn_not_converged(
                f"gradient descent diverged after {len(values) - 1} steps (learning_rate={eta:g} is above the "
                f"stable limit max_stable_learning_rate(X, lam)); the result has diverged=True, converged=False"
            )
            break
        w, residual = w_next, residual_next
        values.append(value)
    return GradientDescentResult(
        model=LinearModel(coef=w, intercept=y_mean - x_mean @ w),
        objective=np.array(values),
        diverged=diverged,
    )


@dataclass(frozen=True, eq=False)
class GaussianPosterior:
    """Posterior of the weights of a linear-Gaussian model (see :func:`gaussian_posterior`).

    Attributes
    ----------
    mean : ndarray, shape (p,)
        Posterior mean of ``w`` (also its mode, the MAP estimate).
    cov : ndarray, shape (p, p)
        Posterior covariance of ``w``.
    intercept : float
        Posterior mean of ``b`` (flat prior), ``y_mean - x_mean @ mean``; 0 without an intercept.
    """

    mean: FloatArray
    cov: FloatArray
    intercept: float


def lam_for_gaussian_prior(n: int, *, noise_var: float, prior_var: float) -> float:
    """The book's ridge strength whose solution is the posterior mean under a Gaussian prior.

    With ``y = X w + b + eps``, ``eps ~ N(0, noise_var I)`` and prior ``w ~ N(0, prior_var I)``,
    the negative log posterior is ``n / noise_var`` times ``(1/(2n)) ||y - X w - b||^2 +
    (lam/2) ||w||^2`` (plus a constant) with ``n lam = noise_var / prior_var``, i.e.
    ``lam = noise_var / (n prior_var)`` (``sklearn`` ``alpha = noise_var / prior_var``).

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer or a variance is not positive and finite.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    n = check_positive_int(n, "n")
    noise_var = check_positive(noise_var, "noise_var")
    prior_var = check_positive(prior_var, "prior_var")
    return noise_var / (n * prior_var)


def gaussian_posterior(
    X: ArrayLike, y: ArrayLike, *, noise_var: float, prior_var: float, fit_intercept: bool = True
) -> GaussianPosterior:
    """Posterior of ``w`` for ``y = X w + b + eps``, ``eps ~ N(0, noise_var I)``, ``w ~ N(0, prior_var I)``.

    Computed from the precision matrix, independently of the ridge solvers:

        cov = (Xc^T Xc / noise_var + I / prior_var)^{-1},     mean = cov Xc^T yc / noise_var.

    With ``fit_intercept=True`` the intercept has a flat (improper) prior; integrating it out leaves
    the likelihood of the centred data, hence ``Xc``, ``yc``. The posterior mean equals the ridge
    solution with ``lam = noise_var / (n prior_var)`` (:func:`lam_for_gaussian_prior`).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    noise_var : float
        Noise variance ``sigma^2 > 0``.
    prior_var : float
        Prior variance ``tau^2 > 0`` of each weight.
    fit_intercept : bool, default True

    Returns
    -------
    GaussianPosterior

    Raises
    ------
    ValueError
        On non-finite or mismatched ``X``/``y`` or a variance that is not positive and finite.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    noise_var = check_positive(noise_var, "noise_var")
    prior_var = check_positive(prior_var, "prior_var")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    Xc, yc, x_mean, y_mean = centre(X, y, fit_intercept)
    precision = Xc.T @ Xc / noise_var + np.eye(X.shape[1]) / prior_var
    factor = scipy.linalg.cho_factor(precision, lower=True, check_finite=False)
    cov = scipy.linalg.cho_solve(factor, np.eye(X.shape[1]), check_finite=False)
    cov = 0.5 * (cov + cov.T)
    mean = scipy.linalg.cho_solve(factor, Xc.T @ yc / noise_var, check_finite=False)
    return GaussianPosterior(mean=mean, cov=cov, intercept=float(y_mean - x_mean @ mean))
