"""Synthetic one-dimensional regression data.

The running example of the book is a smooth target ``f(x) = sin(2 pi x)`` on
``[0, 1]``, observed with Gaussian noise: ``y = f(x) + eps`` with
``eps ~ N(0, noise_sd^2)``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import draw_regression, evaluate_function
from ._validation import (
    SeedLike,
    as_finite_array,
    as_rng,
    check_callable,
    check_finite_real,
    check_nonnegative,
    check_positive_int,
)

__all__ = ["true_function", "make_regression_1d", "evaluate_target"]


def true_function(x: ArrayLike) -> NDArray[np.float64]:
    """The smooth target of the running example, ``f(x) = sin(2 pi x)``.

    Parameters
    ----------
    x : array_like
        Input points, any shape (one period of ``f`` is ``[0, 1]``).

    Returns
    -------
    ndarray
        ``sin(2 pi x)``, same shape as ``x``.

    Raises
    ------
    ValueError
        If ``x`` is empty or holds NaN or infinite values.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    x = as_finite_array(x, "x")
    return np.sin(2.0 * np.pi * x)


def make_regression_1d(
    n: int,
    *,
    noise_sd: float = 0.3,
    rng: SeedLike,
    x_low: float = 0.0,
    x_high: float = 1.0,
    function: Callable[[NDArray[np.float64]], ArrayLike] = true_function,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Draw a noisy regression data set ``y = function(x) + eps``.

    The inputs are ``x ~ Uniform(x_low, x_high)`` and the noise is
    ``eps ~ N(0, noise_sd^2)``, all independent. The random numbers are drawn
    in a fixed order (first all ``n`` inputs with ``rng.uniform``, then all
    ``n`` noise values with ``rng.normal``), so the same seed always gives the
    same data.

    Parameters
    ----------
    n : int
        Number of points, ``n >= 1``.
    noise_sd : float, default 0.3
        Standard deviation of the noise, ``>= 0`` (0 gives noise-free data).
    rng : int or numpy.random.Generator
        Seed or generator; required, so that every data set is reproducible.
    x_low, x_high : float, default 0.0 and 1.0
        The input interval; ``x_low < x_high``.
    function : callable, default :func:`true_function`
        The noise-free target; maps an array of shape ``(n,)`` to an array of
        shape ``(n,)``.

    Returns
    -------
    x : ndarray, shape (n,)
        The inputs, in draw order (not sorted).
    y : ndarray, shape (n,)
        The noisy targets.

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer, ``noise_sd`` is negative,
        ``x_low >= x_high``, ``rng`` is not a seed or generator, or
        ``function`` is not callable or returns a non-finite array of the
        wrong shape.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); the arrays returned are
    float64.
    """
    n = check_positive_int(n, "n")
    noise_sd = check_nonnegative(noise_sd, "noise_sd")
    x_low = check_finite_real(x_low, "x_low")
    x_high = check_finite_real(x_high, "x_high")
    if not x_low < x_high:
        raise ValueError(f"x_high must be greater than x_low; got x_low={x_low}, x_high={x_high}")
    check_callable(function, "function")
    rng = as_rng(rng)
    if not np.isfinite(x_high - x_low):
        raise ValueError(f"x_high - x_low must be finite; got x_low={x_low}, x_high={x_high}")
    return draw_regression(n, noise_sd, rng, x_low, x_high, function)


def evaluate_target(
    function: Callable[[NDArray[np.float64]], ArrayLike], x: ArrayLike
) -> NDArray[np.float64]:
    """Evaluate a target ``function`` on 1-D inputs ``x`` and check the result.

    Parameters
    ----------
    function : callable
        Maps an array of shape ``(n,)`` to ``n`` values.
    x : array_like, shape (n,)
        Finite inputs (a list, integers or float32 are converted to float64 first).

    Returns
    -------
    ndarray, shape (len(x),)
        ``function(x)`` as a finite float64 array.

    Raises
    ------
    ValueError
        Naming ``x`` if it is not a finite non-empty 1-D array, or ``function(x)`` if the output
        is not a finite array of shape ``(len(x),)``.
    TypeError
        Naming ``function`` if it is not callable, or ``x`` if it is not real.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    check_callable(function, "function")
    return evaluate_function(function, as_finite_array(x, "x", ndim=1))
