"""Proximal operators of the L1 and elastic-net penalties.

The proximal operator of a convex function ``h`` with step ``t > 0`` is

    prox_{t h}(z) = argmin_w  (1/2) ||w - z||^2 + t h(w).

For the L1 penalty ``h(w) = lam ||w||_1`` it acts coordinate by coordinate and
is soft-thresholding, ``S(z, t lam)``; for the elastic-net penalty
``lam1 ||w||_1 + (lam2/2) ||w||^2`` it is soft-thresholding followed by a
division by ``1 + t lam2``. These are the steps that give the lasso its exact
zeros: a coordinate with ``|z_j| <= threshold`` is mapped to ``0.0`` exactly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_finite_array, check_nonnegative, check_positive

__all__ = ["soft_threshold", "prox_elastic_net"]


def soft_threshold(z: ArrayLike, threshold: float) -> NDArray[np.float64]:
    """Soft-thresholding ``S(z, t) = sign(z) * max(|z| - t, 0)``, elementwise.

    It is the proximal operator of ``t * |.|``: for every real ``z``,
    ``S(z, t) = argmin_w (1/2)(w - z)^2 + t |w|``. Entries with
    ``|z| <= t`` become exactly ``0.0``; the others move towards zero by ``t``.

    Parameters
    ----------
    z : array_like
        Any shape (a scalar gives a 0-d array).
    threshold : float
        ``t >= 0``.

    Returns
    -------
    ndarray
        Same shape as ``z``.

    Raises
    ------
    ValueError
        If ``z`` holds NaN or infinite values or ``threshold`` is negative or not finite.
    """
    z = as_finite_array(z, "z")
    threshold = check_nonnegative(threshold, "threshold")
    return np.sign(z) * np.maximum(np.abs(z) - threshold, 0.0)


def prox_elastic_net(z: ArrayLike, step: float, lam1: float, lam2: float) -> NDArray[np.float64]:
    """Proximal operator of the elastic-net penalty ``lam1 ||w||_1 + (lam2/2) ||w||^2``.

    ``argmin_w (1/2)||w - z||^2 + step * (lam1 ||w||_1 + (lam2/2)||w||^2)
    = S(z, step * lam1) / (1 + step * lam2)``.

    Parameters
    ----------
    z : array_like
        Any shape.
    step : float
        The step ``t > 0``.
    lam1, lam2 : float
        The L1 and L2 strengths, both ``>= 0`` (``lam2 = 0``: :func:`soft_threshold`).

    Returns
    -------
    ndarray
        Same shape as ``z``.

    Raises
    ------
    ValueError
        On non-finite ``z``, ``step <= 0``, or negative ``lam1``/``lam2``.
    """
    step = check_positive(step, "step")
    lam1 = check_nonnegative(lam1, "lam1")
    lam2 = check_nonnegative(lam2, "lam2")
    return soft_threshold(z, step * lam1) / (1.0 + step * lam2)
