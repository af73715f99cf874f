"""Tests for regbook.data."""

import numpy as np
import pytest

from regbook.data import evaluate_target, make_regression_1d, true_function


def test_true_function_known_values():
    # sin(2 pi x): zero at 0, 1/2, 1; +1 at 1/4; -1 at 3/4.
    x = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(true_function(x), [0.0, 1.0, 0.0, -1.0, 0.0], atol=1e-15)


def test_true_function_keeps_shape_and_is_periodic():
    x = np.linspace(-1, 1, 12).reshape(3, 4)
    assert true_function(x).shape == (3, 4)
    np.testing.assert_allclose(true_function(x + 1.0), true_function(x), atol=1e-12)


@pytest.mark.parametrize("bad", [np.nan, np.inf, [0.1, np.nan]])
def test_true_function_rejects_non_finite(bad):
    with pytest.raises(ValueError, match="x"):
        true_function(bad)


def test_make_regression_1d_shapes_and_range():
    x, y = make_regression_1d(50, rng=0, x_low=-2.0, x_high=3.0)
    assert x.shape == (50,) and y.shape == (50,)
    assert np.all((x >= -2.0) & (x <= 3.0))


def test_noise_free_data_lies_on_the_function():
    x, y = make_regression_1d(40, noise_sd=0.0, rng=1)
    np.testing.assert_array_equal(y, np.sin(2 * np.pi * x))


def test_custom_function_is_used():
    x, y = make_regression_1d(30, noise_sd=0.0, rng=2, function=lambda t: 3 * t - 1)
    np.testing.assert_allclose(y, 3 * x - 1)


def test_documented_draw_order_x_first_then_noise():
    x, y = make_regression_1d(20, noise_sd=0.5, rng=np.random.default_rng(7), x_low=1, x_high=2)
    reference = np.random.default_rng(7)
    x_ref = reference.uniform(1, 2, size=20)
    noise_ref = reference.normal(0.0, 0.5, size=20)
    np.testing.assert_array_equal(x, x_ref)  # draw order, not sorted
    np.testing.assert_allclose(y, np.sin(2 * np.pi * x_ref) + noise_ref)


def test_same_seed_same_data_different_seed_different_data():
    a = make_regression_1d(25, rng=123)
    b = make_regression_1d(25, rng=123)
    c = make_regression_1d(25, rng=124)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_generator_is_advanced_so_successive_draws_differ():
    gen = np.random.default_rng(5)
    x1, _ = make_regression_1d(10, rng=gen)
    x2, _ = make_regression_1d(10, rng=gen)
    assert not np.array_equal(x1, x2)


def test_distribution_moments():
    # x ~ U(0, 2): mean 1, variance 4/12; noise ~ N(0, 0.3^2).
    n = 40_000
    x, y = make_regression_1d(n, noise_sd=0.3, rng=11, x_low=0.0, x_high=2.0)
    noise = y - np.sin(2 * np.pi * x)
    assert abs(x.mean() - 1.0) < 5 * np.sqrt(4 / 12 / n)
    assert abs(x.var() - 4 / 12) < 0.01
    assert abs(noise.mean()) < 5 * 0.3 / np.sqrt(n)
    assert abs(noise.std() - 0.3) < 0.01


@pytest.mark.parametrize(
    "kwargs, argname",
    [
        ({"n": 0}, "n"),
        ({"n": 2.5}, "n"),
        ({"noise_sd": -0.1}, "noise_sd"),
        ({"noise_sd": np.nan}, "noise_sd"),
        ({"rng": None}, "rng"),
        ({"x_low": 1.0, "x_high": 1.0}, "x_high"),
        ({"x_low": 2.0, "x_high": 1.0}, "x_high"),
        ({"x_low": -np.inf}, "x_low"),
        ({"function": "sin"}, "function"),
        ({"function": lambda t: t[:-1]}, "function"),
        ({"function": lambda t: np.full_like(t, np.nan)}, "function"),
        ({"function": lambda t: np.c_[t, t]}, "function"),
    ],
)
def test_make_regression_1d_bad_input(kwargs, argname):
    arguments = {"n": 10, "rng": 0, **kwargs}
    with pytest.raises(ValueError, match=argname):
        make_regression_1d(**arguments)


def test_evaluate_target_checks_output():
    x = np.linspace(0, 1, 5)
    np.testing.assert_allclose(evaluate_target(np.cos, x), np.cos(x))
    with pytest.raises(ValueError, match="function"):
        evaluate_target(lambda t: 1.0, x)
    with pytest.raises(ValueError, match="function"):
        evaluate_target(None, x)
