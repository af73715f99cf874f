"""Monte Carlo bias-variance decomposition of a learning procedure.

Draw many training sets from the same distribution, fit on each, and predict
at fixed test points ``x``. With ``yhat_t(x)`` the prediction of trial ``t``
and ``f`` the noise-free target,

    mean_t (f(x) - yhat_t(x))^2 = (mean_t yhat_t(x) - f(x))^2 + var_t yhat_t(x)
                                =            bias^2(x)       +   variance(x)

holds *exactly* (with the population variance, ``ddof=0``). A fresh noisy
label ``y = f(x) + eps`` adds the irreducible ``noise = noise_sd^2`` on
average. All reported quantities are averaged over the test points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    SeedLike,
    as_finite_array,
    as_rng,
    check_callable,
    check_finite_real,
    check_length,
    check_nonnegative,
    check_positive_int,
)
from ._numerics import draw_regression, evaluate_function

__all__ = ["BiasVariance", "bias_variance_decomposition"]

FitPredict = Callable[[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]], ArrayLike]


@dataclass(frozen=True, eq=False)
class BiasVariance:
    """Result of :func:`bias_variance_decomposition` (averages over the test points).

    Attributes
    ----------
    bias_squared : float
        ``mean_x (mean_t yhat_t(x) - f(x))^2``.
    variance : float
        ``mean_x var_t yhat_t(x)`` (population variance over trials, ``ddof=0``).
    noise : float
        ``noise_sd^2``, the error no model can remove.
    expected_error : float
        ``mean_{t,x} (f(x) - yhat_t(x))^2 + noise``; the first term equals
        ``bias_squared + variance`` exactly (up to rounding).
    measured_error : float
        ``mean_{t,x} (y_t(x) - yhat_t(x))^2`` against fresh noisy labels
        ``y_t(x) = f(x) + eps`` drawn in every trial; close to
        ``expected_error`` up to Monte Carlo error.
    predictions : ndarray, shape (n_trials, n_test)
        ``yhat_t(x)``, one row per trial (read-only).
    """

    bias_squared: float
    variance: float
    noise: float
    expected_error: float
    measured_error: float
    predictions: NDArray[np.float64]


def bias_variance_decomposition(
    fit_predict: FitPredict,
    *,
    x_test: ArrayLike,
    function: Callable[[NDArray[np.float64]], ArrayLike],
    noise_sd: float,
    n_train: int,
    n_trials: int,
    rng: SeedLike,
    x_low: float = 0.0,
    x_high: float = 1.0,
) -> BiasVariance:
    """Estimate bias^2, variance and noise of a learning procedure by simulation.

    Each of the ``n_trials`` trials draws a training set with
    ``make_regression_1d(n_train, noise_sd=noise_sd, rng=rng, x_low=x_low,
    x_high=x_high, function=function)``, computes
    ``yhat = fit_predict(x_train, y_train, x_test)``, and then draws fresh
    test labels ``function(x_test) + N(0, noise_sd^2)`` for
    ``measured_error``. See :class:`BiasVariance` for the formulas.

    Parameters
    ----------
    fit_predict : callable
        ``fit_predict(x_train, y_train, x_test)`` fits on the 1-D training
        data and returns the predictions at ``x_test``, shape ``(n_test,)``.
    x_test : array_like, shape (n_test,)
        Fixed test inputs.
    function : callable
        The noise-free target ``f``.
    noise_sd : float
        Noise standard deviation, ``>= 0``.
    n_train : int
        Training-set size of every trial, ``>= 1``.
    n_trials : int
        Number of simulated training sets, ``>= 2``.
    rng : int or numpy.random.Generator
        Seed or generator (required); the same seed gives the same result.
    x_low, x_high : float, default 0.0 and 1.0
        Interval of the training inputs.

    Returns
    -------
    BiasVariance

    Raises
    ------
    ValueError
        On bad arguments (non-callable ``fit_predict``/``function``,
        non-finite or non-1-D ``x_test``, negative ``noise_sd``,
        ``n_train < 1``, ``n_trials < 2``, missing ``rng``, ``x_low >= x_high``)
        or if ``fit_predict`` does not return ``n_test`` finite values.

    Notes
    -----
    Array arguments may be lists or integer, float32 or float64 arrays; they are converted to
    float64, so float32 input gives float64 results.
    """
    check_callable(fit_predict, "fit_predict")
    check_callable(function, "function")
    x_test = as_finite_array(x_test, "x_test", ndim=1)
    noise_sd = check_nonnegative(noise_sd, "noise_sd")
    if noise_sd > 1e150:  # its square, the noise variance, would overflow
        raise ValueError(f"noise_sd must be below 1e150 (its square is the noise variance); got {noise_sd!r}")
    n_train = check_positive_int(n_train, "n_train")
    n_trials = check_positive_int(n_trials, "n_trials", minimum=2)
    rng = as_rng(rng)
    x_low, x_high = check_finite_real(x_low, "x_low"), check_finite_real(x_high, "x_high")
    if not (x_low < x_high and np.isfinite(x_high - x_low)):
        raise ValueError(f"x_high must be greater than x_low (by a finite amount); got x_low={x_low}, x_high={x_high}")
    f_test = evaluate_function(function, x_test)

    predictions = np.empty((n_trials, x_test.shape[0]))
    measured = np.empty(n_trials)
    for t in range(n_trials):
        x_train, y_train = draw_regression(n_train, noise_sd, rng, x_low, x_high, function)
        y_hat = as_finite_array(fit_predict(x_train, y_train, x_test), "fit_predict", ndim=1)
        check_length(y_hat, "fit_predict output", x_test.shape[0], "one prediction per x_test")
        predictions[t] = y_hat
        y_fresh = f_test + rng.normal(0.0, noise_sd, size=x_test.shape[0])
        measured[t] = np.mean((y_fresh - y_hat) ** 2)  # mean_squared_error, on checked arrays

    predictions.setflags(write=False)
    noise = noise_sd**2
    return BiasVariance(
        bias_squared=float(np.mean((predictions.mean(axis=0) - f_test) ** 2)),
        variance=float(np.mean(predictions.var(axis=0))),
        noise=noise,
        expected_error=float(np.mean((f_test - predictions) ** 2)) + noise,
        measured_error=float(np.mean(measured)),
        predictions=predictions,
    )
