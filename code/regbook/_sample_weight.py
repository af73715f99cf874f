"""Sample weights for the least-squares solvers, by a change of data.

With weights ``s_i >= 0`` (``S = sum(s) > 0``) the book's weighted objectives are

    (1/(2S)) sum_i s_i (y_i - x_i w - b)^2 + penalty(w),

a weighted *mean* loss: with all ``s_i = 1`` it is the unweighted objective, and an integer weight
``s_i = k`` is the same as ``k`` copies of row ``i``. For fixed ``w`` the best ``b`` is
``y_bar - x_bar @ w`` with the weighted means ``x_bar = s @ X / S``, ``y_bar = s @ y / S``;
substituting it and scaling row ``i`` of the centred data by ``sqrt(n s_i / S)`` gives

    (1/(2n)) ||y_tilde - X_tilde w||^2 + penalty(w),

the unweighted objective without intercept on the transformed data. Every solver with a
``sample_weight`` option solves that problem and sets ``b = y_bar - x_bar @ w``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_finite_array, check_bool, check_finite_result, check_length

__all__: list[str] = []


def check_sample_weight(sample_weight: ArrayLike, n: int) -> NDArray[np.float64]:
    """``sample_weight`` as a finite, non-negative float array of length ``n`` with a positive sum."""
    sw = np.asarray(sample_weight)
    if np.iscomplexobj(sw):
        raise ValueError("sample_weight must be real; got complex values")
    sw = as_finite_array(sw, "sample_weight", ndim=1)
    check_length(sw, "sample_weight", n, "the number of rows of X")
    if np.any(sw < 0):
        raise ValueError("sample_weight must be non-negative in every entry")
    if not sw.sum() > 0:
        raise ValueError("sample_weight must have a positive sum: the weights must not all be zero")
    return sw


def weighted_data(
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    sample_weight: ArrayLike,
    fit_intercept: bool,
    *,
    y_name: str = "y",
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64] | float]:
    """Return ``(X_tilde, y_tilde, x_bar, y_bar)`` of the module docstring.

    ``X`` (n, p) and ``y`` (n,) or (n, k) must already be checked; ``y_bar`` is a float for 1-D
    ``y`` and an array of shape (k,) for 2-D ``y``. Without an intercept the means are zero.
    ``y_name`` names ``y`` in errors. The transformed data are checked to be finite here (centring and scaling can overflow), so
    the solvers may pass them to their unchecked kernels.
    """
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n = X.shape[0]
    sw = check_sample_weight(sample_weight, n)
    total = sw.sum()
    scale = np.sqrt(sw * (n / total))
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused just below
        if fit_intercept:
            x_bar = sw @ X / total
            y_bar = sw @ y / total
        else:
            x_bar, y_bar = np.zeros(X.shape[1]), np.zeros(y.shape[1:]) if y.ndim == 2 else 0.0
        X_tilde = (X - x_bar) * scale[:, None]
        y_tilde = (y - y_bar) * (scale[:, None] if y.ndim == 2 else scale)
    check_finite_result(X_tilde, "X, sample_weight")
    check_finite_result(y_tilde, f"{y_name}, sample_weight")
    return X_tilde, y_tilde, x_bar, (float(y_bar) if y.ndim == 1 else np.asarray(y_bar))
