"""Shared numerical kernels of the solvers (private: the public modules import them, users do not).

Every function here works on arguments its public caller has already checked, except
:func:`check_data`, the one data check of the least-squares family (``X`` a finite 2-D array,
``y`` a finite 1-D array with as many rows). Their homes:

* :func:`check_data`, :func:`check_weights_and_data`, :func:`centre`: the data checks and the centring every linear solver uses
  (the intercept is handled as in :mod:`regbook.linear`);
* :class:`GramProblem`, :func:`certified`, :func:`cd_sweep`: the lasso / elastic-net problem on the
  Gram matrix (sample weights included), its duality-gap certificate and the coordinate-descent sweep, shared by
  :mod:`regbook.lasso` and :mod:`regbook.pathwise`;
* :func:`draw_regression`, :func:`evaluate_function`: the sampling kernels of :mod:`regbook.data`,
  shared with :mod:`regbook.bias_variance`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._sample_weight import weighted_data
from ._validation import as_finite_array, check_bool, check_length, check_matching_rows

__all__: list[str] = []


def check_data(X: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    X = as_finite_array(X, "X", ndim=2)
    y = as_finite_array(y, "y", ndim=1)
    check_matching_rows(X, "X", y, "y")
    return X, y


def check_weights_and_data(
    w: ArrayLike, X: ArrayLike, y: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """``(w, X, y)`` checked: :func:`check_data`, and ``w`` finite 1-D with one entry per column of ``X``."""
    X, y = check_data(X, y)
    w = as_finite_array(w, "w", ndim=1)
    check_length(w, "w", X.shape[1], "the number of columns of X")
    return w, X, y


def centre(
    X: NDArray[np.float64], y: NDArray[np.float64], fit_intercept: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float]:
    """Return ``(Xc, yc, x_mean, y_mean)``; the means are zero without an intercept."""
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), float(y.mean())
    else:
        x_mean, y_mean = np.zeros(X.shape[1]), 0.0
    return X - x_mean, y - y_mean, x_mean, y_mean


@dataclass(frozen=True, eq=False)
class GramProblem:
    """``J(w) = (1/2) w^T H w - c^T w + yy/2 + lam ||w||_1`` on centred data.

    ``H = Xc^T Xc / n + lam2 I``, ``c = Xc^T yc / n``, ``yy = ||yc||^2 / n``;
    this equals the book objective with the optimal intercept. The centred
    data ``Xc``, ``yc`` are kept for :meth:`certify`.

    Two duality gaps. :meth:`gap` works on ``rho = c - H w`` alone, in
    ``O(p)``: the solvers' cheap running test. It subtracts terms of size
    ``||H|| ||w||^2``, so at a huge ``w`` (a wrong solve of a singular system)
    it can cancel to about zero, and a ``rho`` updated in place drifts. Success
    is therefore only reported by :meth:`accepts`, which recomputes the gap from
    the residual ``r = yc - Xc w`` (every term of that formula is bounded by the
    objective, so it cannot cancel) and checks the bound
    ``lam ||w||_1 <= J(w) <= ||yc||^2 / (2n) + gap`` that holds at every
    point within ``gap`` of the minimum (``J(0) = ||yc||^2 / (2n)``).
    """

    H: NDArray[np.float64]
    c: NDArray[np.float64]
    yy: float
    x_mean: NDArray[np.float64]
    y_mean: float
    lam2: float
    Xc: NDArray[np.float64]
    yc: NDArray[np.float64]
    fit_intercept: bool

    @classmethod
    def from_data(
        cls, X: ArrayLike, y: ArrayLike, lam2: float, fit_intercept: bool, sample_weight: ArrayLike | None = None
    ) -> GramProblem:
        """The problem of ``X``, ``y`` (checked here, once), optionally with sample weights.

        With ``sample_weight`` it is the unweighted problem without intercept on the transformed
        data of :func:`regbook._sample_weight.weighted_data`, whose intercept ``y_bar - x_bar @ w``
        uses the weighted means (kept as ``x_mean``, ``y_mean``).
        """
        X, y = check_data(X, y)
        fit_intercept = check_bool(fit_intercept, "fit_intercept")
        if sample_weight is None:
            Xc, yc, x_mean, y_mean = centre(X, y, fit_intercept)
        else:
            Xc, yc, x_mean, y_mean = weighted_data(X, y, sample_weight, fit_intercept)
            fit_intercept = False  # the transformed problem has no intercept of its own
        n = X.shape[0]
        with np.errstate(over="ignore", invalid="ignore"):
            H = Xc.T @ Xc / n
            H[np.diag_indices_from(H)] += lam2
            c, yy = Xc.T @ yc / n, float(yc @ yc) / n
        if not (np.isfinite(yy) and np.all(np.isfinite(H)) and np.all(np.isfinite(c))):
            raise ValueError("X, y: their squares overflow (entries too large in magnitude; rescale them)")
        return cls(H, c, yy, x_mean, y_mean, lam2, Xc, yc, fit_intercept)

    @property
    def rank_bound(self) -> int:
        """An upper bound on the rank of ``Xc`` (``n - 1`` when centred, else ``n``)."""
        n, p = self.Xc.shape
        return min(p, n - 1 if self.fit_intercept else n)

    def objective(self, lam: float, w: NDArray[np.float64], rho: NDArray[np.float64]) -> float:
        """``J(w)`` given ``rho = c - H w``, without forming a residual."""
        return 0.5 * (self.yy - self.c @ w - w @ rho) + lam * float(np.abs(w).sum())

    def gap(self, lam: float, w: NDArray[np.float64], rho: NDArray[np.float64]) -> float:
        """Duality gap at ``w`` given ``rho = c - H w`` (fast; can cancel, see the class docstring)."""
        dual_norm = float(np.abs(rho).max()) if rho.size else 0.0
        s = 1.0 if dual_norm <= lam else lam / dual_norm
        q = self.yy - self.c @ w - w @ rho  # ||r||^2/n + lam2 ||w||^2
        gap = 0.5 * q * (1.0 + s * s) - s * (self.yy - self.c @ w) + lam * float(np.abs(w).sum())
        return max(gap, 0.0)

    def certify(self, lam: float, w: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        """``(gap, rho)`` at ``w`` from the residual ``r = yc - Xc w`` (see :func:`duality_gap`).

        ``rho = Xc^T r / n - lam2 w`` is ``c - H w`` recomputed without drift.
        """
        n = self.yc.shape[0]
        r = self.yc - self.Xc @ w
        rho = self.Xc.T @ r / n - self.lam2 * w
        dual_norm = float(np.abs(rho).max()) if rho.size else 0.0
        s = 1.0 if dual_norm <= lam else lam / dual_norm
        rt2 = float(r @ r) / n + self.lam2 * float(w @ w)
        gap = 0.5 * rt2 * (1.0 + s * s) - s * float(r @ self.yc) / n + lam * float(np.abs(w).sum())
        return max(gap, 0.0), rho

    def accepts(self, lam: float, w: NDArray[np.float64], tol_abs: float) -> tuple[bool, float, NDArray[np.float64]]:
        """``(ok, gap, rho)``: the certificate of the class docstring, from the residual."""
        gap, rho = self.certify(lam, w)
        bounded = lam * float(np.abs(w).sum()) <= 0.5 * self.yy + tol_abs
        return bool(np.isfinite(gap) and gap <= tol_abs and bounded), gap, rho

    def intercept(self, w: NDArray[np.float64]) -> float:
        """The optimal intercept ``y_mean - x_mean @ w`` for the weights ``w``."""
        return self.y_mean - float(self.x_mean @ w)


def certified(
    problem: GramProblem, lam: float, w: NDArray[np.float64], rho: NDArray[np.float64], tol_abs: float
) -> tuple[bool, float, NDArray[np.float64]]:
    """``(done, gap, rho)``: the fast gap first; if it passes, the certificate from the residual.

    When the certificate fails, ``rho`` comes back recomputed from the residual
    (without drift) and the solver goes on from there.
    """
    gap = problem.gap(lam, w, rho)
    if gap > tol_abs:
        return False, gap, rho
    return problem.accepts(lam, w, tol_abs)


def cd_sweep(H: NDArray[np.float64], lam: float, w: NDArray[np.float64], rho: NDArray[np.float64], coords) -> None:
    """One cycle of exact coordinate minimizations over ``coords``, in place.

    Keeps ``rho = c - H w`` up to date. The minimizer of ``J`` in coordinate
    ``j`` (others fixed) is ``S(z, lam) / H_jj`` with ``z = rho_j + H_jj w_j``
    (soft-thresholding, written out in scalars because this loop is the hot
    spot). A coordinate with ``H_jj = 0`` (a constant column) stays at 0.
    """
    for j in coords:
        h = H[j, j]
        if h <= 0.0:
            continue
        wj = w[j]
        z = rho[j] + h * wj
        new = (z - lam) / h if z > lam else (z + lam) / h if z < -lam else 0.0
        if new != wj:
            rho -= (new - wj) * H[j]
            w[j] = new


def draw_regression(n, noise_sd, rng, x_low, x_high, function):
    """:func:`regbook.data.make_regression_1d` on checked arguments."""
    x = rng.uniform(x_low, x_high, size=n)
    noise = rng.normal(0.0, noise_sd, size=n)
    y = evaluate_function(function, x) + noise
    if not np.all(np.isfinite(y)):
        raise ValueError("noise_sd: the noisy targets overflowed (noise_sd too large)")
    return x, y


def evaluate_function(function, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """:func:`regbook.data.evaluate_target` on checked arguments."""
    values = as_finite_array(function(x), "function(x)", ndim=1)
    check_length(values, "function(x)", x.shape[0], "one value per input point")
    return values
