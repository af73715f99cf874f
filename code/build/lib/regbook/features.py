"""Feature maps: polynomial features of a 1-D input and column standardization."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import as_finite_array, check_bool, check_length, check_positive_int

__all__ = ["polynomial_features", "standardize"]


def polynomial_features(
    x: ArrayLike, degree: int, *, include_bias: bool = True
) -> NDArray[np.float64]:
    """Powers of a 1-D input, ``[x^0, x^1, ..., x^degree]`` as columns.

    This is the design matrix of polynomial regression; it equals
    ``sklearn.preprocessing.PolynomialFeatures(degree, include_bias=...)``
    applied to ``x[:, None]``.

    Parameters
    ----------
    x : array_like, shape (n,)
        The inputs.
    degree : int
        Highest power, ``degree >= 0``.
    include_bias : bool, default True
        Whether to include the constant column ``x^0 = 1``. Leave it out
        when the model fits its own (unpenalized) intercept.

    Returns
    -------
    ndarray, shape (n, degree + 1) or (n, degree)
        Column ``k`` holds ``x^k`` (``x^(k+1)`` without the bias column), in
        increasing order of the power.

    Raises
    ------
    ValueError
        If ``x`` is not a finite 1-D array, ``degree`` is not an integer
        ``>= 0``, or ``degree == 0`` with ``include_bias=False`` (no columns).
    """
    x = as_finite_array(x, "x", ndim=1)
    degree = check_positive_int(degree, "degree", minimum=0)
    include_bias = check_bool(include_bias, "include_bias")
    if degree == 0 and not include_bias:
        raise ValueError(
            "degree must be >= 1 when include_bias=False (otherwise no columns remain)"
        )
    powers = np.vander(x, degree + 1, increasing=True)
    return powers if include_bias else powers[:, 1:]


def standardize(
    X: ArrayLike,
    *,
    mean: ArrayLike | None = None,
    scale: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Centre and scale every column: ``Z = (X - mean) / scale``.

    Without ``mean`` and ``scale`` they are estimated from ``X`` like
    ``sklearn.preprocessing.StandardScaler``: ``mean`` is the column mean and
    ``scale`` the population standard deviation (``ddof=0``). A column whose
    variance is zero up to rounding error gets ``scale = 1`` (so it maps to
    zeros instead of NaN); "up to rounding error" is the bound used by
    scikit-learn, ``var <= n eps var + (n eps mean)^2``.

    To transform validation or test data with the statistics of the training
    data, pass the ``mean`` and ``scale`` returned for the training data.

    Parameters
    ----------
    X : array_like, shape (n, p)
        The data, one row per example.
    mean : array_like, shape (p,), optional
        Column means to subtract; give it together with ``scale``.
    scale : array_like, shape (p,), optional
        Positive column scales to divide by; give it together with ``mean``.

    Returns
    -------
    Z : ndarray, shape (n, p)
        The standardized data.
    mean : ndarray, shape (p,)
        The means used.
    scale : ndarray, shape (p,)
        The scales used.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array, only one of ``mean`` and ``scale``
        is given, or they are non-finite, of the wrong length, or ``scale``
        has an entry ``<= 0``.
    """
    X = as_finite_array(X, "X", ndim=2)
    n, p = X.shape
    if (mean is None) != (scale is None):
        missing = "scale" if scale is None else "mean"
        raise ValueError(f"{missing} must be given together with the other of mean and scale")
    if mean is None:
        mean = X.mean(axis=0)
        var = X.var(axis=0)
        eps = np.finfo(np.float64).eps
        constant = var <= n * eps * var + (n * eps * mean) ** 2
        scale = np.where(constant, 1.0, np.sqrt(var))
    else:
        mean = as_finite_array(mean, "mean", ndim=1)
        scale = as_finite_array(scale, "scale", ndim=1)
        check_length(mean, "mean", p, "the number of columns of X")
        check_length(scale, "scale", p, "the number of columns of X")
        if np.any(scale <= 0):
            raise ValueError("scale must be positive in every entry")
    return (X - mean) / scale, mean, scale
