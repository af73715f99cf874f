"""Error measures for reporting.

Note the scaling: the *reported* mean squared error has no factor 1/2, while
the *training objective* of the book uses ``(1/(2n)) ||y - X w - b||^2``,
which is half of :func:`mean_squared_error`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validation import as_finite_array, check_matching_rows

__all__ = ["mean_squared_error", "root_mean_squared_error"]


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean squared error ``mean((y_true - y_pred)**2)`` (no factor 1/2).

    Equals ``sklearn.metrics.mean_squared_error`` for 1-D inputs.

    Parameters
    ----------
    y_true : array_like, shape (n,)
        Observed targets.
    y_pred : array_like, shape (n,)
        Predictions.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If either input is not a finite 1-D array or their lengths differ.
    """
    y_true = as_finite_array(y_true, "y_true", ndim=1)
    y_pred = as_finite_array(y_pred, "y_pred", ndim=1)
    check_matching_rows(y_true, "y_true", y_pred, "y_pred")
    residual = y_true - y_pred
    return float(np.mean(residual**2))


def root_mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Root mean squared error ``sqrt(mean((y_true - y_pred)**2))``.

    It is in the units of ``y``. Equals
    ``sklearn.metrics.root_mean_squared_error`` for 1-D inputs.

    Parameters
    ----------
    y_true : array_like, shape (n,)
        Observed targets.
    y_pred : array_like, shape (n,)
        Predictions.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If either input is not a finite 1-D array or their lengths differ.
    """
    return float(np.sqrt(mean_squared_error(y_true, y_pred)))
