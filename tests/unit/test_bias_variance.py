"""Tests for regbook.bias_variance."""

import numpy as np
import pytest

from regbook.bias_variance import BiasVariance, bias_variance_decomposition
from regbook.data import true_function
from regbook.features import polynomial_features
from regbook.linear import fit_ridge

X_TEST = np.arange(40) / 40  # one full period of sin(2 pi x), equally spaced


def polynomial_fit_predict(degree, lam=1e-8):
    def fit_predict(x_train, y_train, x_test):
        model = fit_ridge(polynomial_features(x_train, degree, include_bias=False), y_train, lam)
        return model.predict(polynomial_features(x_test, degree, include_bias=False))

    return fit_predict


def mean_of_training_targets(x_train, y_train, x_test):
    return np.full(x_test.shape, y_train.mean())


def run(fit_predict=None, **kwargs):
    arguments = {
        "x_test": X_TEST,
        "function": true_function,
        "noise_sd": 0.5,
        "n_train": 20,
        "n_trials": 300,
        "rng": 0,
        **kwargs,
    }
    return bias_variance_decomposition(fit_predict or polynomial_fit_predict(3), **arguments)


def test_result_type_and_shapes():
    result = run(n_trials=10)
    assert isinstance(result, BiasVariance)
    assert result.predictions.shape == (10, X_TEST.size)
    assert result.noise == pytest.approx(0.25)


def test_identity_is_exact():
    result = run()
    P, f = result.predictions, true_function(X_TEST)
    # Recompute every term from the raw predictions.
    mean_squared_distance = np.mean((f - P) ** 2)
    assert result.bias_squared == pytest.approx(np.mean((P.mean(axis=0) - f) ** 2), rel=1e-12)
    assert result.variance == pytest.approx(np.mean(np.var(P, axis=0)), rel=1e-12)
    assert abs(mean_squared_distance - (result.bias_squared + result.variance)) < 1e-10
    total = result.bias_squared + result.variance + result.noise
    assert abs(result.expected_error - total) < 1e-10


def test_measured_error_is_close_to_bias2_plus_variance_plus_noise():
    noise_sd, n_trials = 0.5, 1000
    result = run(noise_sd=noise_sd, n_trials=n_trials)
    # Given the predictions, measured - expected is an average of T * n_test independent
    # terms (d + e)^2 - d^2 - sigma^2 with d = f - yhat, e ~ N(0, sigma^2), whose variance
    # is 4 d^2 sigma^2 + 2 sigma^4.
    d2 = np.mean((true_function(X_TEST) - result.predictions) ** 2)
    standard_error = np.sqrt((4 * d2 * noise_sd**2 + 2 * noise_sd**4) / (n_trials * X_TEST.size))
    total = result.bias_squared + result.variance + result.noise
    assert abs(result.measured_error - total) < 5 * standard_error
    assert standard_error < 0.01 * total  # the check above is a tight one


def test_mean_predictor_against_closed_form():
    # yhat = mean(y_train) everywhere. With x ~ U(0, 1) and f = sin(2 pi x):
    #   E f(x) = 0 and Var f(x) = 1/2  =>  variance = Var(mean y) = (1/2 + sigma^2) / n_train,
    #   E yhat = 0                     =>  bias^2 = mean_x f(x)^2 = 1/2 on these test points.
    noise_sd, n_train, n_trials = 0.5, 10, 2000
    result = run(
        mean_of_training_targets, noise_sd=noise_sd, n_train=n_train, n_trials=n_trials, rng=1
    )
    variance = (0.5 + noise_sd**2) / n_train
    assert result.variance == pytest.approx(variance, rel=0.15)  # ~5 Monte Carlo std. errors
    assert result.bias_squared == pytest.approx(0.5, abs=1e-3)
    assert result.measured_error == pytest.approx(0.5 + variance + noise_sd**2, rel=0.05)


def test_deterministic_predictors():
    f = true_function(X_TEST)
    # A fixed constant c: no variance at all, bias^2 = mean (c - f)^2.
    constant = run(lambda x_train, y_train, x_test: np.full(x_test.shape, 0.7), n_trials=5)
    assert constant.variance == 0.0
    assert constant.bias_squared == pytest.approx(np.mean((0.7 - f) ** 2), rel=1e-12)
    # The true function without noise: every error term vanishes.
    oracle = run(lambda x_train, y_train, x_test: true_function(x_test), noise_sd=0.0, n_trials=5)
    terms = (oracle.bias_squared, oracle.variance, oracle.expected_error, oracle.measured_error)
    for value in terms:
        assert value == pytest.approx(0.0, abs=1e-30)  # zero up to rounding in the trial mean
    assert oracle.noise == 0.0


def test_complexity_trades_bias_for_variance():
    # The chapter's central picture: a straight line underfits (high bias, low variance),
    # a degree-9 polynomial on 20 points overfits (low bias, high variance).
    line = run(polynomial_fit_predict(1), noise_sd=0.3, n_trials=200)
    wiggly = run(polynomial_fit_predict(9), noise_sd=0.3, n_trials=200)
    assert line.bias_squared > 10 * wiggly.bias_squared
    assert wiggly.variance > 3 * line.variance


def test_training_inputs_follow_x_low_x_high():
    seen = []

    def record(x_train, y_train, x_test):
        seen.append(x_train)
        return np.zeros(x_test.shape)

    run(record, n_trials=5, x_low=2.0, x_high=3.0)
    assert len(seen) == 5 and all(np.all((x >= 2.0) & (x <= 3.0)) for x in seen)


def test_reproducible_for_the_same_seed():
    a, b, c = run(rng=7, n_trials=20), run(rng=7, n_trials=20), run(rng=8, n_trials=20)
    np.testing.assert_array_equal(a.predictions, b.predictions)
    assert a.measured_error == b.measured_error
    assert not np.array_equal(a.predictions, c.predictions)
    with pytest.raises(ValueError):
        a.predictions[0, 0] = 1.0  # read-only


@pytest.mark.parametrize(
    "change, argname",
    [
        ({"fit_predict": "model"}, "fit_predict"),
        ({"fit_predict": lambda x, y, t: t[:-1]}, "fit_predict"),
        ({"fit_predict": lambda x, y, t: np.full_like(t, np.nan)}, "fit_predict"),
        ({"fit_predict": lambda x, y, t: np.c_[t, t]}, "fit_predict"),
        ({"x_test": X_TEST[:, None]}, "x_test"),
        ({"x_test": [0.1, np.nan]}, "x_test"),
        ({"function": None}, "function"),
        ({"noise_sd": -0.1}, "noise_sd"),
        ({"n_train": 0}, "n_train"),
        ({"n_trials": 1}, "n_trials"),
        ({"n_trials": 10.0}, "n_trials"),
        ({"rng": None}, "rng"),
        ({"x_low": 1.0, "x_high": 0.0}, "x_high"),
    ],
)
def test_bad_input(change, argname):
    fit_predict = change.pop("fit_predict", polynomial_fit_predict(1))
    with pytest.raises(ValueError, match=argname):
        run(fit_predict, **{"n_trials": 3, **change})
