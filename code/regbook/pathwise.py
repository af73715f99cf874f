"""Pathwise solvers: the lasso / elastic-net regularization path, with warm starts.

The path is the solution ``w(lam)`` of

    (1/(2n)) ||y - X w - b||^2 + lam ||w||_1 + (lam2/2) ||w||^2

on a decreasing grid of ``lam`` values, from ``lambda_max`` (where ``w = 0``)
down to ``eps * lambda_max``: the grid of ``sklearn.linear_model.lasso_path``
(``alphas`` there). Every solution starts from the previous one (a *warm
start*), which is close because ``w(lam)`` is continuous (piecewise linear for
the lasso).

How each grid point is solved (all on the ``p x p`` Gram matrix):

1. **Active-set guess.** Take the support ``A`` and signs ``s`` of the
   warm start. If they are those of the solution, the KKT conditions on
   ``A`` are the linear system ``H_AA w_A = c_A - lam s`` (``H`` the Gram matrix
   plus ``lam2 I``, ``c = Xc^T yc / n``): solve it. The candidate is accepted
   only if its duality gap passes the test below. Otherwise the guess is
   corrected (coordinates whose sign disagrees leave, coordinates that
   violate ``|g_j| <= lam`` enter with the sign of ``g_j``) and solved again, a
   few times at most.
2. **Coordinate descent on a working set**, if no guess passed: sweeps over
   the warm start's support plus the coordinates the *sequential strong
   rule* (Tibshirani et al. 2012) does not discard, ``|g_j(previous)| >=
   2 lam - lam_previous``; coordinates outside that violate the KKT
   conditions are added. After every sweep the support and signs of the
   iterate are tried as in step 1.

A grid point is done when the duality gap (:func:`regbook.lasso.duality_gap`)
is at most ``tol * ||yc||^2 / n``, scikit-learn's test. Step 1 alone solves
most grid points exactly (to rounding error); coordinate descent is the safety
net that guarantees convergence when the support changes in a way the
guesses miss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

from ._numerics import GramProblem, cd_sweep, certified
from ._validation import (
    warn_not_converged,
    as_finite_array,
    check_bool,
    check_nonnegative,
    check_positive,
    check_positive_int,
)
from .lasso import LassoFit

__all__ = ["LassoPath", "lambda_grid", "lasso_path", "fit_lasso"]

_MAX_GUESSES = 4
# A Cholesky factor whose diagonal spans more than this ratio belongs to a numerically singular
# matrix (condition number above ~1e13): its solve is not trusted (see _solve_support).
_SINGULAR_RATIO = 3e-7


@dataclass(frozen=True, eq=False)
class LassoPath:
    """Solutions along a regularization path (arrays are read-only).

    Attributes
    ----------
    lambdas : ndarray, shape (k,)
        The L1 strengths, in the order given (decreasing for the default grid).
    coefs : ndarray, shape (k, p)
        ``coefs[i]`` is ``w(lambdas[i])`` (the transpose of scikit-learn's
        ``lasso_path`` output, which is ``(p, k)``).
    intercepts : ndarray, shape (k,)
        The unpenalized intercepts.
    gaps : ndarray, shape (k,)
        Duality gap of every solution (mean scaling).
    sweeps : ndarray of int, shape (k,)
        Coordinate-descent sweeps used at every grid point (0: solved by the
        active-set guess alone).
    converged : bool
        True if every grid point passed the gap test. When it is False, :func:`lasso_path` has
        issued a :class:`regbook.ConvergenceWarning` (the package's policy, see :mod:`regbook`).
    lam2 : float
        The L2 strength (0 for the lasso).
    """

    lambdas: NDArray[np.float64]
    coefs: NDArray[np.float64]
    intercepts: NDArray[np.float64]
    gaps: NDArray[np.float64]
    sweeps: NDArray[np.int64]
    converged: bool
    lam2: float

    def __post_init__(self) -> None:
        for name in ("lambdas", "coefs", "intercepts", "gaps", "sweeps"):
            getattr(self, name).setflags(write=False)


def lambda_grid(lam_max: float, *, n_lambdas: int = 100, eps: float = 1e-3) -> NDArray[np.float64]:
    """``n_lambdas`` values from ``lam_max`` down to ``eps * lam_max``, evenly spaced in log.

    This is scikit-learn's default grid for ``lasso_path(alphas=n_lambdas, eps=eps)``.

    Raises
    ------
    ValueError
        If ``lam_max <= 0``, ``n_lambdas < 1`` or ``eps`` is not in ``(0, 1]``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    lam_max = check_positive(lam_max, "lam_max")
    n_lambdas, eps = _check_grid_args(n_lambdas, eps)
    return np.geomspace(lam_max, eps * lam_max, n_lambdas)


def _check_grid_args(n_lambdas, eps) -> tuple[int, float]:
    n_lambdas = check_positive_int(n_lambdas, "n_lambdas")
    eps = check_positive(eps, "eps")
    if eps > 1:
        raise ValueError(f"eps must lie in (0, 1]; got {eps!r}")
    return n_lambdas, eps


def _solve_support(
    problem: GramProblem, lam: float, A: NDArray[np.intp], s: NDArray[np.float64]
) -> NDArray[np.float64] | None:
    """Solve ``H_AA w_A = c_A - lam s`` by Cholesky; None if ``H_AA`` is singular.

    ``H_AA`` is singular for sure when the lasso's ``A`` has more entries than
    the rank of ``Xc``, and Cholesky fails when it is numerically singular; then
    the system does not determine ``w_A`` and the guess is abandoned (a solve
    would return a huge, meaningless ``w``). Cholesky may also succeed on an
    exactly singular ``H_AA`` through rounding, so a factor whose smallest
    diagonal entry is below ``_SINGULAR_RATIO`` times its largest (condition
    number above about 1e13) counts as singular too. A nearly singular
    ``H_AA`` that passes gives a candidate the certificate then judges.
    """
    w = np.zeros(problem.c.shape[0])
    if A.size:
        if problem.lam2 == 0.0 and A.size > problem.rank_bound:
            return None
        H_AA = problem.H[np.ix_(A, A)]
        try:
            factor = np.linalg.cholesky(H_AA)
        except np.linalg.LinAlgError:
            return None
        # An exactly singular H_AA may still factor on rounding (whether it does depends on the
        # CPU's BLAS kernel), leaving a diagonal entry at rounding level relative to the largest.
        diagonal = np.diag(factor)
        if diagonal.min() <= _SINGULAR_RATIO * diagonal.max():
            return None
        w[A] = scipy.linalg.cho_solve((factor, True), problem.c[A] - lam * s, check_finite=False)
    return w


def _guess(problem: GramProblem, lam: float, w: NDArray[np.float64], tol_abs: float):
    """Step 1 of the module docstring; ``(w, rho, gap)`` of a certified candidate, or None.

    A candidate whose fast gap passes but whose certificate fails ends the
    guesses: the caller falls back to coordinate descent.
    """
    A = np.flatnonzero(w)
    s = np.sign(w[A])
    for _ in range(_MAX_GUESSES):
        cand = _solve_support(problem, lam, A, s)
        if cand is None:
            return None
        rho = problem.c - problem.H[:, A] @ cand[A]
        if problem.gap(lam, cand, rho) <= tol_abs:
            ok, gap, rho = problem.accepts(lam, cand, tol_abs)
            return (cand, rho, gap) if ok else None
        wrong = np.flatnonzero(np.sign(cand[A]) != s)
        keep = np.ones(A.size, dtype=bool)
        keep[wrong] = False
        outside = np.ones(cand.size, dtype=bool)
        outside[A] = False
        enter = np.flatnonzero(outside & (np.abs(rho) > lam))
        if keep.all() and enter.size == 0:
            return None
        A = np.concatenate([A[keep], enter])
        s = np.concatenate([s[keep], np.sign(rho[enter])])
    return None


def _solve_point(problem, lam, lam_prev, w, rho, tol_abs, max_iter, screen, polish):
    """Solve at one grid point from the warm start ``(w, rho)``.

    Returns ``(w, rho, gap, sweeps, certified)``; ``gap`` is always the one
    computed from the residual when ``certified`` is False.
    """
    if polish:
        accepted = _guess(problem, lam, w, tol_abs)
        if accepted is not None:
            return (*accepted, 0, True)
    p = w.size
    if screen:
        working = (w != 0) | (np.abs(rho) >= 2 * lam - lam_prev)
    else:
        working = np.ones(p, dtype=bool)
    done, gap, rho = certified(problem, lam, w, rho, tol_abs)
    sweeps = 0
    while not done and sweeps < max_iter:
        cd_sweep(problem.H, lam, w, rho, np.flatnonzero(working).tolist())
        sweeps += 1
        done, gap, rho = certified(problem, lam, w, rho, tol_abs)
        if done:
            break
        violators = ~working & (np.abs(rho) > lam)
        if violators.any():
            working |= violators
            continue
        if polish:
            accepted = _guess(problem, lam, w, tol_abs)
            if accepted is not None:
                return (*accepted, sweeps, True)
    if not done:
        gap = problem.certify(lam, w)[0]
    return w, rho, gap, sweeps, done


def _run_path(problem: GramProblem, lambdas, tol_abs, max_iter, screen, polish):
    """Solve at every ``lambdas[i]`` in turn, warm-starting each from the last.

    Returns ``(coefs, gaps, sweeps, certified)``, the last a boolean array.
    """
    p, k = problem.c.shape[0], lambdas.shape[0]
    coefs, gaps, sweeps = np.zeros((k, p)), np.zeros(k), np.zeros(k, dtype=np.int64)
    certified = np.zeros(k, dtype=bool)
    w, rho = np.zeros(p), problem.c.copy()
    lam_prev = float(np.abs(problem.c).max())  # the solution at lambda_max is the start, w = 0
    for i, lam in enumerate(lambdas):
        lam = float(lam)
        w, rho, gaps[i], sweeps[i], certified[i] = _solve_point(
            problem, lam, max(lam_prev, lam), w.copy(), rho.copy(), tol_abs, max_iter, screen, polish
        )
        coefs[i] = w
        lam_prev = lam
    return coefs, gaps, sweeps, certified


def lasso_path(
    X: ArrayLike,
    y: ArrayLike,
    *,
    lambdas: ArrayLike | None = None,
    n_lambdas: int = 100,
    eps: float = 1e-3,
    lam2: float = 0.0,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100_000,
    screen: bool = True,
    polish: bool = True,
    sample_weight: ArrayLike | None = None,
) -> LassoPath:
    """Lasso (``lam2 = 0``) or elastic-net solutions along a path of L1 strengths.

    Minimizes, for every ``lam`` of the grid,
    ``(1/(2n)) ||y - X w - b||^2 + lam ||w||_1 + (lam2/2) ||w||^2``
    (intercept unpenalized), each from the previous solution (warm start);
    see the module docstring for the method. With ``fit_intercept=False``
    and ``lam2 = 0`` this is ``sklearn.linear_model.lasso_path(X, y,
    alphas=lambdas)`` (which never fits an intercept).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lambdas : array_like, shape (k,), optional
        The L1 strengths, all ``> 0``, solved in the order given (decreasing
        order makes warm starts effective). Default: :func:`lambda_grid` of
        ``lambda_max(X, y)`` with ``n_lambdas`` and ``eps``.
    n_lambdas : int, default 100
    eps : float, default 1e-3
        Used only when ``lambdas`` is None.
    lam2 : float, default 0.0
        L2 strength, ``>= 0``.
    fit_intercept : bool, default True
    tol : float, default 1e-10
        Relative duality-gap tolerance at every grid point, ``> 0``.
    max_iter : int, default 100000
        Cap on coordinate-descent sweeps per grid point.
    screen : bool, default True
        Restrict the sweeps to a working set chosen by the strong rule
        (False: sweep over all coordinates).
    polish : bool, default True
        Try active-set guesses (step 1 of the module docstring); False gives
        plain warm-started coordinate descent.
    sample_weight : array_like, shape (n,), optional
        Weights ``s_i >= 0`` with a positive sum: the loss becomes the
        weighted mean ``(1/(2S)) sum_i s_i (y_i - x_i w - b)^2`` (``S =
        sum(s)``; see :mod:`regbook.lasso`), and the default grid starts at
        the weighted ``lambda_max``.

    Returns
    -------
    LassoPath
        If a grid point does not pass the gap test in the sweeps allowed: ``converged=False`` (its
        ``gaps`` entry is its true gap) and a :class:`regbook.ConvergenceWarning`.

    Raises
    ------
    ValueError
        On non-finite or mismatched data, a ``lambdas`` entry ``<= 0``, bad
        ``n_lambdas``/``eps``, ``lam2 < 0``, ``tol <= 0`` or ``max_iter < 1``;
        also if ``lambdas`` is None and ``y`` is constant after centring
        (``lambda_max = 0``: every solution is zero).

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam2, tol = check_nonnegative(lam2, "lam2"), check_positive(tol, "tol")
    max_iter = check_positive_int(max_iter, "max_iter")
    screen, polish = check_bool(screen, "screen"), check_bool(polish, "polish")
    n_lambdas, eps = _check_grid_args(n_lambdas, eps)  # checked even when lambdas is given
    if lambdas is not None:
        lambdas = as_finite_array(lambdas, "lambdas", ndim=1).copy()
        if np.any(lambdas <= 0):
            raise ValueError("lambdas must all be positive")
    problem = GramProblem.from_data(X, y, lam2, fit_intercept, sample_weight)
    if lambdas is None:
        lam_max = float(np.abs(problem.c).max())
        if lam_max == 0.0:
            raise ValueError("y must not be constant (after centring): lambda_max is 0")
        lambdas = np.geomspace(lam_max, eps * lam_max, n_lambdas)  # lambda_grid, on checked arguments

    coefs, gaps, sweeps, certified = _run_path(problem, lambdas, tol * problem.yy, max_iter, screen, polish)
    if not certified.all():
        warn_not_converged(
            f"lasso_path: {int((~certified).sum())} of {certified.size} grid points did not reach the duality-gap "
            f"test in max_iter sweeps (largest gap {float(gaps.max()):.3g}); the path has converged=False"
        )
    return LassoPath(
        lambdas=lambdas,
        coefs=coefs,
        intercepts=problem.y_mean - coefs @ problem.x_mean,
        gaps=gaps,
        sweeps=sweeps,
        converged=bool(certified.all()),
        lam2=lam2,
    )


def fit_lasso(
    X: ArrayLike,
    y: ArrayLike,
    lam: float,
    *,
    lam2: float = 0.0,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100_000,
    sample_weight: ArrayLike | None = None,
) -> LassoFit:
    """The lasso (or elastic net) at one ``lam``, by the method of :func:`lasso_path`.

    Minimizes ``(1/(2n)) ||y - X w - b||^2 + lam ||w||_1 + (lam2/2) ||w||^2``
    (= ``sklearn.linear_model.Lasso(alpha=lam)`` for ``lam2 = 0``) as a path
    with the single point ``lam``, started at ``w = 0``. It is usually far
    faster than :func:`regbook.lasso.coordinate_descent` on correlated
    features, and exact to rounding error when an active-set guess succeeds.

    Parameters
    ----------
    X, y, lam2, fit_intercept, tol, max_iter, sample_weight
        As in :func:`lasso_path` (``sample_weight``: the weighted mean loss).
    lam : float
        L1 strength, ``> 0``.

    Returns
    -------
    LassoFit
        ``n_iter`` counts coordinate-descent sweeps (0 if the active-set guess
        alone solved the problem) and ``objective`` holds only the final value.
        If the gap test is not met: ``converged=False`` and a :class:`regbook.ConvergenceWarning`.

    Raises
    ------
    ValueError
        As :func:`lasso_path`, and if ``lam <= 0``.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    lam = check_positive(lam, "lam")
    lam2, tol = check_nonnegative(lam2, "lam2"), check_positive(tol, "tol")
    max_iter = check_positive_int(max_iter, "max_iter")
    problem = GramProblem.from_data(X, y, lam2, fit_intercept, sample_weight)
    coefs, gaps, sweeps, certified = _run_path(problem, np.array([lam]), tol * problem.yy, max_iter, True, True)
    w = coefs[0]
    if not certified[0]:
        warn_not_converged(
            f"fit_lasso stopped after {int(sweeps[0])} sweeps with duality gap {float(gaps[0]):.3g}, above "
            f"tol * ||yc||^2 / n; increase max_iter or tol (the result has converged=False)"
        )
    return LassoFit(
        coef=w,
        intercept=problem.intercept(w),
        lam=lam,
        lam2=problem.lam2,
        gap=float(gaps[0]),
        n_iter=int(sweeps[0]),
        converged=bool(certified[0]),
        objective=[problem.objective(lam, w, problem.c - problem.H @ w)],
    )
