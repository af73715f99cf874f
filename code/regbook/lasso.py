"""The lasso and the elastic net: objective, optimality certificates and solvers.

Book convention (``lam2 = 0`` is the lasso):

    J(w, b) = (1/(2n)) ||y - X w - b||^2 + lam ||w||_1 + (lam2/2) ||w||^2

with the intercept ``b`` never penalized. In scikit-learn terms the lasso is
``Lasso(alpha=lam)`` and the elastic net is ``ElasticNet(alpha=lam + lam2,
l1_ratio=lam / (lam + lam2))`` (see :func:`regbook.conventions.sklearn_elastic_net_params`).

The intercept is handled as in :mod:`regbook.linear`: for fixed ``w`` the
best ``b`` is ``y_mean - x_mean @ w``, and substituting it leaves the same
problem for ``w`` on the centred data ``Xc``, ``yc``. Every function below
that takes ``fit_intercept`` works on the centred data when it is True.

Certificates. A returned solution is checked, not trusted:

* the **duality gap** (:func:`duality_gap`) bounds how far the objective is
  from its minimum: ``J(w) - min J <= gap``;
* the **KKT conditions** (:func:`kkt_violation`) say that ``w`` is a
  minimizer iff, with ``g = Xc^T (yc - Xc w) / n - lam2 w``,
  ``g_j = lam * sign(w_j)`` where ``w_j != 0`` and ``|g_j| <= lam`` where
  ``w_j == 0``.

Solvers (all work on the ``p x p`` Gram matrix ``Xc^T Xc / n``, formed once
in ``O(n p^2)``; suited to ``p`` up to a few thousand). Each stops when the
duality gap is at most ``tol * ||yc||^2 / n``, which is scikit-learn's
stopping rule (its ``tol``, scaled the same way), or at an iteration cap,
and reports which happened. The running test uses a fast ``O(p)`` form of
the gap; ``converged=True`` is only reported after the gap has been
recomputed from the residual ``yc - Xc w`` (a form that cannot cancel) and
``lam ||w||_1 <= ||yc||^2 / (2n) + gap`` (true near every minimizer) has
been checked. If that check fails, the solver goes on:

* :func:`coordinate_descent`: cyclic coordinate descent; each coordinate
  update is an exact one-dimensional minimization, a soft-thresholding;
* :func:`ista` and :func:`fista`: proximal gradient, plain and accelerated;
* :func:`subgradient_descent`: fixed-step subgradient descent, for
  demonstration only: it does not produce exact zeros and does not converge
  to the minimizer with a fixed step.

The whole regularization path, with warm starts, is :func:`regbook.pathwise.lasso_path`.

Sample weights. :func:`coordinate_descent`, :func:`fit_elastic_net` and the
solvers of :mod:`regbook.pathwise` take ``sample_weight=s`` (``s_i >= 0``,
``S = sum(s) > 0``) and then minimize the weighted *mean* loss

    (1/(2S)) sum_i s_i (y_i - x_i w - b)^2 + lam ||w||_1 + (lam2/2) ||w||^2,

which is ``Lasso(alpha=lam).fit(X, y, sample_weight=s)`` (scikit-learn
rescales the weights to sum to ``n``, which gives exactly this objective) and
``ElasticNet`` likewise. All ``s_i = 1`` is the unweighted problem; an integer
weight ``k`` equals ``k`` copies of the row. The problem is solved as the
unweighted one on rows scaled by ``sqrt(n s_i / S)`` after weighted centring,
so the gap, the tolerance ``tol * ||yc||^2 / n`` and the objective reported
are those of the weighted problem (``||yc||^2 / n`` becomes the weighted
variance ``sum_i s_i (y_i - y_bar)^2 / S``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import GramProblem, cd_sweep, centre, certified, check_data, check_weights_and_data
from ._validation import (
    warn_not_converged,
    as_finite_array,
    check_bool,
    check_finite_result,
    check_finite_real,
    check_length,
    check_nonnegative,
    check_positive,
    check_positive_int,
)
from .linear import LinearModel
from .proximal import prox_elastic_net

__all__ = [
    "LassoFit",
    "SubgradientRun",
    "lasso_objective",
    "lambda_max",
    "duality_gap",
    "kkt_violation",
    "coordinate_descent",
    "ista",
    "fista",
    "fit_elastic_net",
    "subgradient_descent",
]


@dataclass(frozen=True, eq=False)
class LassoFit(LinearModel):
    """A fitted lasso / elastic-net model with its convergence record.

    A :class:`regbook.linear.LinearModel` (``coef``, ``intercept``,
    ``predict``) with these extra attributes:

    Attributes
    ----------
    lam, lam2 : float
        The L1 and L2 strengths of the objective that was minimized.
    gap : float
        Duality gap at ``coef`` (mean scaling, as :func:`duality_gap`): an
        upper bound on ``J(coef) - min J``.
    n_iter : int
        Sweeps (coordinate descent) or iterations (ISTA/FISTA) performed.
    converged : bool
        True if the gap reached ``tol * ||yc||^2 / n`` before the cap. When it is False the solver
        has also issued a :class:`regbook.ConvergenceWarning` (the package's policy, see
        :mod:`regbook`).
    objective : ndarray
        ``J`` at the starting point and after every sweep/iteration
        (length ``n_iter + 1``, read-only).
    """

    lam: float = 0.0
    lam2: float = 0.0
    gap: float = 0.0
    n_iter: int = 0
    converged: bool = False
    objective: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        super().__post_init__()
        objective = np.array(self.objective, dtype=np.float64)
        objective.setflags(write=False)
        object.__setattr__(self, "objective", objective)


@dataclass(frozen=True, eq=False)
class SubgradientRun:
    """The trajectory of :func:`subgradient_descent`.

    Attributes
    ----------
    weights : ndarray, shape (n_steps + 1, p)
        ``w`` at the start and after every step (read-only).
    intercepts : ndarray, shape (n_steps + 1,)
        The optimal intercept ``y_mean - x_mean @ w`` for each row of ``weights``.
    objective : ndarray, shape (n_steps + 1,)
        The lasso objective ``J`` along the trajectory.
    """

    weights: NDArray[np.float64]
    intercepts: NDArray[np.float64]
    objective: NDArray[np.float64]


# --- the problem on the Gram matrix --------------------------------------------------------


def _lasso_fit(problem: GramProblem, w: NDArray[np.float64], lam: float, **record) -> LassoFit:
    """The :class:`LassoFit` of the weights ``w``, with the optimal intercept and ``record``.

    Issues :class:`regbook.ConvergenceWarning` if ``record["converged"]`` is False.
    """
    if not record["converged"]:
        warn_not_converged(
            f"the lasso solver stopped after {record['n_iter']} iterations with duality gap {record['gap']:.3g}, "
            f"above tol * ||yc||^2 / n; increase max_iter or tol (the result has converged=False)"
        )
    return LassoFit(coef=w, intercept=problem.intercept(w), lam=lam, lam2=problem.lam2, **record)


def _start(problem: GramProblem, w0: ArrayLike | None) -> NDArray[np.float64]:
    p = problem.c.shape[0]
    if w0 is None:
        return np.zeros(p)
    w0 = as_finite_array(w0, "w0", ndim=1).copy()
    check_length(w0, "w0", p, "the number of columns of X")
    return w0


def _check_solver_args(lam, lam2, tol, max_iter, max_name, lam_name="lam"):
    return (
        check_positive(lam, lam_name),
        check_nonnegative(lam2, "lam2"),
        check_positive(tol, "tol"),
        check_positive_int(max_iter, max_name),
    )


# --- objective and certificates ------------------------------------------------------------


def _residual(w, X, y, intercept):
    w, X, y = check_weights_and_data(w, X, y)
    return w, X, y - X @ w - intercept


def lasso_objective(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lam: float, *, intercept: float = 0.0, lam2: float = 0.0
) -> float:
    """``J(w, b) = (1/(2n)) ||y - X w - b||^2 + lam ||w||_1 + (lam2/2) ||w||^2``.

    Parameters
    ----------
    w : array_like, shape (p,)
        Weights.
    X : array_like, shape (n, p)
        Design matrix.
    y : array_like, shape (n,)
        Targets.
    lam : float
        L1 strength, ``>= 0`` (sklearn ``Lasso(alpha=lam)``).
    intercept : float, default 0.0
        The intercept ``b`` (not penalized).
    lam2 : float, default 0.0
        L2 strength, ``>= 0`` (``> 0``: elastic net).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On non-finite input, wrong shapes, or negative ``lam``/``lam2``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam, lam2 = check_nonnegative(lam, "lam"), check_nonnegative(lam2, "lam2")
    w, X, r = _residual(w, X, y, check_finite_real(intercept, "intercept"))
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(r @ r) / (2 * X.shape[0]) + lam * float(np.abs(w).sum()) + 0.5 * lam2 * float(w @ w)
    return check_finite_result(value, "w, X, y, lam, intercept")


def lambda_max(X: ArrayLike, y: ArrayLike, *, fit_intercept: bool = True) -> float:
    """The smallest L1 strength whose solution is ``w = 0``: ``||Xc^T yc||_inf / n``.

    At ``w = 0`` the KKT conditions read ``|xc_j^T yc / n| <= lam`` for every
    ``j``; so ``w = 0`` is optimal iff ``lam >= lambda_max``. This holds for
    the elastic net too (the L2 term has zero gradient at ``w = 0``).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    fit_intercept : bool, default True
        Centre ``X`` and ``y`` first (the intercept is unpenalized).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On non-finite or mismatched ``X``/``y``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    X, y = check_data(X, y)
    Xc, yc, _, _ = centre(X, y, check_bool(fit_intercept, "fit_intercept"))
    return float(np.abs(Xc.T @ yc).max()) / X.shape[0]


def duality_gap(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lam: float, *, lam2: float = 0.0, fit_intercept: bool = True
) -> float:
    """Duality gap of the lasso / elastic net at ``w`` (with the optimal intercept).

    With the centred residual ``r = yc - Xc w``, the augmented residual
    ``rt = [r; -sqrt(n lam2) w]`` (the elastic net is a lasso on augmented
    data) and the dual point ``u = s rt``, scaled by
    ``s = min(1, n lam / ||Xc^T r - n lam2 w||_inf)`` to be dual feasible,

        gap = J(w) - D(u) = [ ||rt||^2 (1 + s^2)/2 - s r^T yc ] / n + lam ||w||_1 .

    It is ``>= J(w) - min J >= 0``, and 0 exactly at the minimizer. It equals
    the ``dual_gap_`` that scikit-learn's ``Lasso``/``ElasticNet`` report.

    Parameters
    ----------
    w : array_like, shape (p,)
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lam : float
        L1 strength, ``> 0``.
    lam2 : float, default 0.0
        L2 strength, ``>= 0``.
    fit_intercept : bool, default True
        Use the optimal intercept for ``w`` (centred data); False: ``b = 0``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On non-finite input, wrong shapes, ``lam <= 0`` or ``lam2 < 0``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam, lam2 = check_positive(lam, "lam"), check_nonnegative(lam2, "lam2")
    X, y = check_data(X, y)
    Xc, yc, _, _ = centre(X, y, check_bool(fit_intercept, "fit_intercept"))
    w = as_finite_array(w, "w", ndim=1)
    check_length(w, "w", X.shape[1], "the number of columns of X")
    n = X.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        r = yc - Xc @ w
        dual_norm = float(np.abs(Xc.T @ r / n - lam2 * w).max())
        s = 1.0 if dual_norm <= lam else lam / dual_norm
        rt2 = float(r @ r) + n * lam2 * float(w @ w)
        gap = (0.5 * rt2 * (1 + s * s) - s * float(r @ yc)) / n + lam * float(np.abs(w).sum())
    return max(check_finite_result(gap, "w, X, y"), 0.0)


def kkt_violation(
    w: ArrayLike,
    X: ArrayLike,
    y: ArrayLike,
    lam: float,
    *,
    intercept: float | None = None,
    lam2: float = 0.0,
) -> float:
    """Largest violation of the optimality (KKT) conditions of the lasso / elastic net.

    With ``r = y - X w - b`` and ``g = X^T r / n - lam2 w`` (minus the
    gradient of the smooth part), ``w`` minimizes ``J`` iff

    * ``g_j = lam * sign(w_j)`` for every ``w_j != 0``, and
    * ``|g_j| <= lam`` for every ``w_j == 0`` (exactly zero), and
    * ``mean(r) = 0`` if the intercept is fitted.

    The result is the largest of ``|g_j - lam sign(w_j)|`` (non-zero
    ``w_j``), ``max(|g_j| - lam, 0)`` (zero ``w_j``) and ``|mean(r)|``, in the
    units of ``lam``: 0 at an exact minimizer. A weight that is tiny but not
    exactly zero counts as non-zero, so a solver that only gets *near* zero
    fails this check.

    Parameters
    ----------
    w : array_like, shape (p,)
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lam : float
        L1 strength, ``>= 0``.
    intercept : float or None, default None
        None: the model has no intercept (``b = 0``, no condition on it). A
        number: the fitted intercept ``b``, whose condition ``mean(r) = 0`` is
        checked as well.
    lam2 : float, default 0.0
        L2 strength, ``>= 0``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On non-finite input, wrong shapes or negative ``lam``/``lam2``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam, lam2 = check_nonnegative(lam, "lam"), check_nonnegative(lam2, "lam2")
    b = 0.0 if intercept is None else check_finite_real(intercept, "intercept")
    w, X, r = _residual(w, X, y, b)
    with np.errstate(over="ignore", invalid="ignore"):
        g = X.T @ r / X.shape[0] - lam2 * w
        nonzero = w != 0
        violation = np.where(nonzero, np.abs(g - lam * np.sign(w)), np.maximum(np.abs(g) - lam, 0.0))
        worst = float(violation.max())
        if intercept is not None:
            worst = max(worst, abs(float(r.mean())))
    return check_finite_result(worst, "w, X, y")


# --- solvers -------------------------------------------------------------------------------


def coordinate_descent(
    X: ArrayLike,
    y: ArrayLike,
    lam: float,
    *,
    lam2: float = 0.0,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100_000,
    w0: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
) -> LassoFit:
    """Minimize the lasso / elastic-net objective by cyclic coordinate descent.

    Objective (see the module docstring)::

        (1/(2n)) ||y - X w - b||^2 + lam ||w||_1 + (lam2/2) ||w||^2

    = ``sklearn.linear_model.Lasso(alpha=lam)`` when ``lam2 = 0``. Each sweep
    minimizes exactly over ``w_1, ..., w_p`` in turn; with ``H = Xc^T Xc / n``
    and the others fixed, the minimizer over ``w_j`` is the soft-threshold
    ``S(xc_j^T r_{-j} / n, lam) / (H_jj + lam2)``, where ``r_{-j}`` is the residual
    without feature ``j``. Updates that land at zero are exactly ``0.0``.

    Stops when the duality gap is at most ``tol * ||yc||^2 / n`` (checked
    after every sweep), or after ``max_iter`` sweeps.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lam : float
        L1 strength, ``> 0``.
    lam2 : float, default 0.0
        L2 strength, ``>= 0``.
    fit_intercept : bool, default True
        Fit the unpenalized intercept (by centring).
    tol : float, default 1e-10
        Relative duality-gap tolerance (scikit-learn's ``tol``), ``> 0``.
    max_iter : int, default 100000
        Cap on the number of sweeps (one sweep is a pass over all coordinates).
    w0 : array_like, shape (p,), optional
        Starting point (default zeros): a warm start.
    sample_weight : array_like, shape (n,), optional
        Weights ``s_i >= 0`` with a positive sum: minimize the weighted mean
        loss ``(1/(2S)) sum_i s_i (y_i - x_i w - b)^2`` plus the penalties
        (``S = sum(s)``; ``Lasso(alpha=lam)`` with ``sample_weight=s``; see
        the module docstring).

    Returns
    -------
    LassoFit
        ``converged`` tells whether the gap test was met; if not, a
        :class:`regbook.ConvergenceWarning` is issued and the last iterate returned.

    Raises
    ------
    ValueError
        On non-finite or mismatched data, ``lam <= 0``, ``lam2 < 0``,
        ``tol <= 0``, ``max_iter < 1``, a bad ``w0`` or a ``sample_weight``
        that is not finite, non-negative, of length ``n`` and of positive sum.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam, lam2, tol, max_iter = _check_solver_args(lam, lam2, tol, max_iter, "max_iter")
    problem = GramProblem.from_data(X, y, lam2, fit_intercept, sample_weight)
    return _coordinate_descent(problem, lam, tol, max_iter, _start(problem, w0))


def _coordinate_descent(problem: GramProblem, lam: float, tol: float, max_iter: int, w) -> LassoFit:
    """:func:`coordinate_descent` on checked arguments."""
    rho = problem.c - problem.H @ w
    coords = range(w.size)
    objective = [problem.objective(lam, w, rho)]
    tol_abs = tol * problem.yy
    converged, gap, rho = certified(problem, lam, w, rho, tol_abs)
    sweeps = 0
    while not converged and sweeps < max_iter:
        cd_sweep(problem.H, lam, w, rho, coords)
        sweeps += 1
        objective.append(problem.objective(lam, w, rho))
        converged, gap, rho = certified(problem, lam, w, rho, tol_abs)
    if not converged:
        gap = problem.certify(lam, w)[0]
    return _lasso_fit(problem, w, lam, gap=gap, n_iter=sweeps, converged=converged, objective=objective)


def _proximal_gradient(X, y, lam, lam2, fit_intercept, tol, max_iter, w0, accelerated) -> LassoFit:
    lam, lam2, tol, max_iter = _check_solver_args(lam, lam2, tol, max_iter, "max_iter")
    problem = GramProblem.from_data(X, y, lam2, fit_intercept)
    # Smooth part f(w) = (1/2) w^T G w - c^T w with G = H - lam2 I = Xc^T Xc / n; the penalty
    # lam ||w||_1 + (lam2/2) ||w||^2 is handled by its prox. Step 1/L, L = largest eigenvalue of G.
    lipschitz = float(np.linalg.eigvalsh(problem.H)[-1]) - lam2
    step = 1.0 / max(lipschitz, np.finfo(float).tiny)
    w = _start(problem, w0)
    v, t = w.copy(), 1.0  # FISTA's extrapolated point and momentum parameter
    rho = problem.c - problem.H @ w
    objective = [problem.objective(lam, w, rho)]
    tol_abs = tol * problem.yy
    converged, gap, rho = certified(problem, lam, w, rho, tol_abs)
    it = 0
    while not converged and it < max_iter:
        grad = problem.H @ v - lam2 * v - problem.c
        w_next = prox_elastic_net(v - step * grad, step, lam, lam2)
        if accelerated:
            t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
            v = w_next + ((t - 1.0) / t_next) * (w_next - w)
            t = t_next
        else:
            v = w_next
        w = w_next
        it += 1
        rho = problem.c - problem.H @ w
        objective.append(problem.objective(lam, w, rho))
        converged, gap, rho = certified(problem, lam, w, rho, tol_abs)
    if not converged:
        gap = problem.certify(lam, w)[0]
    return _lasso_fit(problem, w, lam, gap=gap, n_iter=it, converged=converged, objective=objective)


_PROX_DOC = """Minimize the lasso / elastic-net objective by {name}.

    Objective::

        (1/(2n)) ||y - X w - b||^2 + lam ||w||_1 + (lam2/2) ||w||^2

    Writing ``f`` for the squared-error part and ``L`` for the largest
    eigenvalue of ``Xc^T Xc / n`` (the Lipschitz constant of ``grad f``), every
    iteration is a gradient step on ``f`` with step ``1/L`` followed by the
    proximal step of the penalty: soft-thresholding at ``lam / L``, then
    division by ``1 + lam2 / L`` (:func:`regbook.proximal.prox_elastic_net`):
    {update}
    Stops when the duality gap is at most ``tol * ||yc||^2 / n`` (checked
    after every iteration), or after ``max_iter`` iterations.

    Parameters
    ----------
    X, y, lam, lam2, fit_intercept, tol, w0
        As in :func:`coordinate_descent`.
    max_iter : int, default 100000
        Cap on the number of iterations, ``>= 1``.

    Returns
    -------
    LassoFit
        If the gap test is not met in ``max_iter`` iterations: ``converged=False`` and a
        :class:`regbook.ConvergenceWarning`.

    Raises
    ------
    ValueError
        As :func:`coordinate_descent`.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """


def ista(
    X: ArrayLike,
    y: ArrayLike,
    lam: float,
    *,
    lam2: float = 0.0,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100_000,
    w0: ArrayLike | None = None,
) -> LassoFit:
    return _proximal_gradient(X, y, lam, lam2, fit_intercept, tol, max_iter, w0, accelerated=False)


def fista(
    X: ArrayLike,
    y: ArrayLike,
    lam: float,
    *,
    lam2: float = 0.0,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100_000,
    w0: ArrayLike | None = None,
) -> LassoFit:
    return _proximal_gradient(X, y, lam, lam2, fit_intercept, tol, max_iter, w0, accelerated=True)


ista.__doc__ = _PROX_DOC.format(
    name="ISTA (iterative soft-thresholding, proximal gradient descent)",
    update="\n        w <- S(w - grad f(w) / L, lam / L) / (1 + lam2 / L)\n\n    The objective never increases; "
    "``J(w_k) - min J = O(1/k)``.\n",
)
fista.__doc__ = _PROX_DOC.format(
    name="FISTA (ISTA with Nesterov momentum, Beck & Teboulle 2009)",
    update="\n        w_k = S(v - grad f(v) / L, lam / L) / (1 + lam2 / L),\n"
    "        t_{k+1} = (1 + sqrt(1 + 4 t_k^2)) / 2,\n"
    "        v <- w_k + ((t_k - 1) / t_{k+1}) (w_k - w_{k-1}),\n\n"
    "    with ``t_1 = 1`` and ``v = w_0``. The objective may increase on some "
    "steps, but ``J(w_k) - min J = O(1/k^2)``.\n",
)


def fit_elastic_net(
    X: ArrayLike,
    y: ArrayLike,
    lam1: float,
    lam2: float,
    *,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100_000,
    sample_weight: ArrayLike | None = None,
) -> LassoFit:
    """The elastic net by coordinate descent (Zou & Hastie 2005, "naive" form).

    Minimizes ``(1/(2n)) ||y - X w - b||^2 + lam1 ||w||_1 + (lam2/2) ||w||^2``,
    which is ``sklearn.linear_model.ElasticNet(alpha=lam1 + lam2,
    l1_ratio=lam1 / (lam1 + lam2))`` (:func:`regbook.conventions.sklearn_elastic_net_params`). It is
    :func:`coordinate_descent` with ``lam=lam1``; see there for ``tol``,
    ``max_iter`` and ``sample_weight`` (the weighted mean loss
    ``(1/(2S)) sum_i s_i (...)^2``, = ``ElasticNet`` with ``sample_weight``).

    Returns
    -------
    LassoFit
        If the gap test is not met in the sweeps allowed: ``converged=False`` and a
        :class:`regbook.ConvergenceWarning`.

    Raises
    ------
    ValueError
        On bad data, ``lam1 <= 0`` or ``lam2 < 0`` (named ``lam1``/``lam2``), ``tol <= 0`` or
        ``max_iter < 1``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam1, lam2, tol, max_iter = _check_solver_args(lam1, lam2, tol, max_iter, "max_iter", "lam1")
    problem = GramProblem.from_data(X, y, lam2, fit_intercept, sample_weight)
    return _coordinate_descent(problem, lam1, tol, max_iter, np.zeros(problem.c.shape[0]))


def subgradient_descent(
    X: ArrayLike,
    y: ArrayLike,
    lam: float,
    *,
    step: float,
    n_steps: int,
    fit_intercept: bool = True,
    w0: ArrayLike | None = None,
) -> SubgradientRun:
    """Fixed-step subgradient descent on the lasso objective (a demonstration).

    ``w <- w - step * (-Xc^T (yc - Xc w) / n + lam * sign(w))`` with
    ``sign(0) = 0`` (:func:`regbook.penalties.l1_subgradient`), the intercept
    kept at its optimum ``y_mean - x_mean @ w``. This is what "add ``lam *
    sign(w)`` to the gradient" means. With a fixed step it does **not**
    converge to the minimizer: a weight whose optimal value is zero
    overshoots zero on almost every step and keeps oscillating around it,
    with an amplitude of order ``step * lam``; it is essentially never
    exactly ``0.0``. Use :func:`coordinate_descent`, :func:`ista` or
    :func:`fista` to solve the lasso.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lam : float
        L1 strength, ``>= 0``.
    step : float
        The fixed step size, ``> 0``.
    n_steps : int
        Number of steps, ``>= 1``.
    fit_intercept : bool, default True
    w0 : array_like, shape (p,), optional
        Starting point (default zeros).

    Returns
    -------
    SubgradientRun

    Raises
    ------
    ValueError
        On bad data, ``lam < 0``, ``step <= 0``, ``n_steps < 1`` or a bad ``w0``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_nonnegative(lam, "lam")
    step = check_positive(step, "step")
    n_steps = check_positive_int(n_steps, "n_steps")
    problem = GramProblem.from_data(X, y, 0.0, fit_intercept)
    w = _start(problem, w0)
    weights = np.empty((n_steps + 1, w.size))
    weights[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n_steps):
            # lam * sign(w) is l1_subgradient(w, lam), inlined: the checks cost more than the step
            w = w - step * (problem.H @ w - problem.c + lam * np.sign(w))
            weights[k + 1] = w
        rho = problem.c - weights @ problem.H  # row k: c - H w_k (H is symmetric)
        # problem.objective for every row at once
        objective = 0.5 * (problem.yy - weights @ problem.c - np.einsum("ij,ij->i", weights, rho))
        objective += lam * np.abs(weights).sum(axis=1)
    intercepts = problem.y_mean - weights @ problem.x_mean
    if not (np.all(np.isfinite(weights)) and np.all(np.isfinite(objective))):
        raise ValueError("step, lam: the iteration overflowed (step or lam too large); use a smaller step")
    for a in (weights, intercepts, objective):
        a.setflags(write=False)
    return SubgradientRun(weights=weights, intercepts=intercepts, objective=objective)
