"""Tests for regbook.random_features."""

import numpy as np
import pytest

from regbook.random_features import RandomReLUFeatures, random_relu_features


def test_transform_is_relu_of_x_times_weights():
    phi = RandomReLUFeatures(weights=np.array([[1.0, -1.0, 2.0]]))
    np.testing.assert_array_equal(phi.transform([[2.0], [-1.0]]), [[2.0, 0.0, 4.0], [0.0, 1.0, 0.0]])
    np.testing.assert_array_equal(phi.transform([[2.0]], n_features=2), [[2.0, 0.0]])


def test_same_seed_same_map_and_nested_feature_sets():
    a, b = random_relu_features(4, 50, rng=3), random_relu_features(4, 50, rng=3)
    np.testing.assert_array_equal(a.weights, b.weights)
    X = np.random.default_rng(0).normal(size=(7, 4))
    np.testing.assert_array_equal(a.transform(X, 10), a.transform(X)[:, :10])
    assert a.transform(X).shape == (7, 50) and np.all(a.transform(X) >= 0)


def test_weight_scale_gives_unit_variance_preactivations():
    # w ~ N(0, 1/d) and x ~ N(0, I_d): x^T w ~ N(0, ||x||^2 / d), variance 1 on average.
    phi = random_relu_features(20, 4000, rng=1)
    X = np.random.default_rng(2).normal(size=(200, 20))
    pre = X @ phi.weights
    assert abs(pre.var() - 1.0) < 0.05
    # and a ReLU of a standard normal has mean 1/sqrt(2 pi)
    assert abs(phi.transform(X).mean() - 1 / np.sqrt(2 * np.pi)) < 0.02


def test_weights_are_a_read_only_copy():
    w = np.ones((2, 3))
    phi = RandomReLUFeatures(weights=w)
    w[0, 0] = 5.0
    assert phi.weights[0, 0] == 1.0
    with pytest.raises(ValueError):
        phi.weights[0, 0] = 2.0


@pytest.mark.parametrize("kwargs, argname", [
    ({"n_inputs": 0}, "n_inputs"), ({"n_features": 2.5}, "n_features"), ({"rng": None}, "rng"),
])
def test_random_relu_features_bad_input(kwargs, argname):
    with pytest.raises(ValueError, match=argname):
        random_relu_features(**{"n_inputs": 2, "n_features": 3, "rng": 0, **kwargs})


@pytest.mark.parametrize("X, n_features, argname", [
    ([[1.0, 2.0, 3.0]], None, "X"), ([1.0, 2.0], None, "X"), ([[np.nan, 1.0]], None, "X"),
    ([[1.0, 2.0]], 0, "n_features"), ([[1.0, 2.0]], 4, "n_features"),
])
def test_transform_bad_input(X, n_features, argname):
    with pytest.raises(ValueError, match=argname):
        random_relu_features(2, 3, rng=0).transform(X, n_features)


def test_bad_weights():
    with pytest.raises(ValueError, match="weights"):
        RandomReLUFeatures(weights=np.array([1.0, 2.0]))
