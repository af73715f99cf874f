"""Weight penalties and their (sub)gradients.

Book convention: the L2 penalty is ``(lam/2) ||w||_2^2`` and the L1 penalty is
``lam ||w||_1``. Only the weights ``w`` are passed here: the intercept is
never penalized.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_finite_array, check_nonnegative

__all__ = ["l2_penalty", "l2_penalty_gradient", "l1_penalty", "l1_subgradient"]


def _check(w: ArrayLike, lam: float) -> tuple[NDArray[np.float64], float]:
    return as_finite_array(w, "w", ndim=1), check_nonnegative(lam, "lam")


def l2_penalty(w: ArrayLike, lam: float) -> float:
    """The L2 (ridge, weight-decay) penalty ``(lam/2) * sum(w**2)``.

    Parameters
    ----------
    w : array_like, shape (p,)
        The weights (without the intercept).
    lam : float
        Penalty strength, ``lam >= 0``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``w`` is not a finite 1-D array or ``lam`` is negative or not finite.
    """
    w, lam = _check(w, lam)
    return 0.5 * lam * float(w @ w)


def l2_penalty_gradient(w: ArrayLike, lam: float) -> NDArray[np.float64]:
    """Gradient of :func:`l2_penalty` with respect to ``w``: ``lam * w``.

    Parameters
    ----------
    w : array_like, shape (p,)
        The weights (without the intercept).
    lam : float
        Penalty strength, ``lam >= 0``.

    Returns
    -------
    ndarray, shape (p,)

    Raises
    ------
    ValueError
        If ``w`` is not a finite 1-D array or ``lam`` is negative or not finite.
    """
    w, lam = _check(w, lam)
    return lam * w


def l1_penalty(w: ArrayLike, lam: float) -> float:
    """The L1 (lasso) penalty ``lam * sum(|w|)``.

    Parameters
    ----------
    w : array_like, shape (p,)
        The weights (without the intercept).
    lam : float
        Penalty strength, ``lam >= 0``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``w`` is not a finite 1-D array or ``lam`` is negative or not finite.
    """
    w, lam = _check(w, lam)
    return lam * float(np.sum(np.abs(w)))


def l1_subgradient(w: ArrayLike, lam: float) -> NDArray[np.float64]:
    """A subgradient of :func:`l1_penalty`: ``lam * sign(w)``.

    Where ``w_j != 0`` the penalty is differentiable and this is its
    gradient. Where ``w_j == 0`` the subdifferential is the interval
    ``[-lam, lam]``; this function returns 0, its element of minimum norm.

    Parameters
    ----------
    w : array_like, shape (p,)
        The weights (without the intercept).
    lam : float
        Penalty strength, ``lam >= 0``.

    Returns
    -------
    ndarray, shape (p,)

    Raises
    ------
    ValueError
        If ``w`` is not a finite 1-D array or ``lam`` is negative or not finite.
    """
    w, lam = _check(w, lam)
    return lam * np.sign(w)
