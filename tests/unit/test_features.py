"""Tests for regbook.features."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from regbook.features import polynomial_features, standardize

finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@given(
    x=arrays(np.float64, st.integers(1, 20), elements=finite),
    degree=st.integers(0, 8),
    include_bias=st.booleans(),
)
def test_polynomial_features_match_sklearn(x, degree, include_bias):
    if degree == 0 and not include_bias:
        return  # no columns at all: a ValueError, tested below
    ours = polynomial_features(x, degree, include_bias=include_bias)
    ref = PolynomialFeatures(degree, include_bias=include_bias).fit_transform(x[:, None])
    assert ours.shape == ref.shape == (x.size, degree + include_bias)
    np.testing.assert_allclose(ours, ref, rtol=1e-13, atol=0)


def test_polynomial_features_are_a_polynomial_evaluator():
    # X @ c must be the polynomial with coefficients c (increasing powers).
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 30)
    c = rng.normal(size=6)
    np.testing.assert_allclose(
        polynomial_features(x, 5) @ c, np.polynomial.polynomial.polyval(x, c), rtol=1e-12
    )
    np.testing.assert_allclose(
        polynomial_features(x, 5, include_bias=False) @ c[1:],
        np.polynomial.polynomial.polyval(x, c) - c[0],
        rtol=1e-12,
        atol=1e-14,
    )


def test_polynomial_features_small_example_by_hand():
    X = polynomial_features([2.0, -1.0], 3)
    np.testing.assert_array_equal(X, [[1, 2, 4, 8], [1, -1, 1, -1]])
    np.testing.assert_array_equal(polynomial_features([3.0], 0), [[1.0]])


@pytest.mark.parametrize("degree", [-1, 2.5, "3", None, True])
def test_polynomial_features_bad_degree(degree):
    with pytest.raises(ValueError, match="degree"):
        polynomial_features([0.1, 0.2], degree)


def test_polynomial_features_degree_zero_without_bias():
    with pytest.raises(ValueError, match="degree"):
        polynomial_features([0.1, 0.2], 0, include_bias=False)


@pytest.mark.parametrize("x", [[[0.1], [0.2]], [0.1, np.nan], [np.inf], [], 0.5])
def test_polynomial_features_bad_x(x):
    with pytest.raises(ValueError, match="x"):
        polynomial_features(x, 2)


def test_polynomial_features_bad_include_bias():
    with pytest.raises(ValueError, match="include_bias"):
        polynomial_features([0.1, 0.2], 2, include_bias=1)


def _data(seed=0, n=40):
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=[0.0, 5.0, -3.0, 0.1], scale=[1.0, 10.0, 0.01, 1.0], size=(n, 4))
    X[:, 3] = 0.1  # a constant column
    return X


def test_standardize_matches_standard_scaler():
    X = _data()
    scaler = StandardScaler().fit(X)
    Z, mean, scale = standardize(X)
    np.testing.assert_allclose(mean, scaler.mean_, rtol=1e-12)
    np.testing.assert_allclose(scale, scaler.scale_, rtol=1e-12)
    np.testing.assert_allclose(Z, scaler.transform(X), rtol=1e-10, atol=1e-12)
    # Validation data is transformed with the training statistics.
    X_val = _data(seed=1, n=7)
    Z_val, mean_val, scale_val = standardize(X_val, mean=mean, scale=scale)
    np.testing.assert_allclose(Z_val, scaler.transform(X_val), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(mean_val, mean)
    np.testing.assert_array_equal(scale_val, scale)


def test_standardize_properties():
    X = _data(seed=3)
    Z, mean, scale = standardize(X)
    np.testing.assert_allclose(Z[:, :3].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z[:, :3].std(axis=0), 1, rtol=1e-12)
    # Constant column: scale 1 and zeros up to the rounding of its mean, no NaN.
    assert scale[3] == 1.0
    np.testing.assert_allclose(Z[:, 3], 0.0, atol=1e-15)
    # Round trip.
    np.testing.assert_allclose(Z * scale + mean, X, rtol=1e-12, atol=1e-12)


@given(
    X=arrays(np.float64, st.tuples(st.integers(2, 15), st.integers(1, 4)), elements=finite),
    shift=finite,
    factor=st.floats(0.1, 10),
)
def test_standardize_is_invariant_to_affine_changes_of_units(X, shift, factor):
    # Changing units (x -> factor * x + shift) does not change the standardized data.
    Z, _, scale = standardize(X)
    Z2, _, _ = standardize(factor * X + shift)
    ok = scale > 1e-3 * np.abs(X).max(axis=0) + 1e-6  # columns far from constant
    np.testing.assert_allclose(Z2[:, ok], Z[:, ok], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, argname",
    [
        ({"X": [1.0, 2.0]}, "X"),
        ({"X": [[1.0], [np.nan]]}, "X"),
        ({"X": [[1.0], [2.0]], "mean": [0.0]}, "scale"),
        ({"X": [[1.0], [2.0]], "scale": [1.0]}, "mean"),
        ({"X": [[1.0], [2.0]], "mean": [0.0, 0.0], "scale": [1.0]}, "mean"),
        ({"X": [[1.0], [2.0]], "mean": [0.0], "scale": [1.0, 1.0]}, "scale"),
        ({"X": [[1.0], [2.0]], "mean": [0.0], "scale": [0.0]}, "scale"),
        ({"X": [[1.0], [2.0]], "mean": [np.inf], "scale": [1.0]}, "mean"),
    ],
)
def test_standardize_bad_input(kwargs, argname):
    with pytest.raises(ValueError, match=argname):
        standardize(**kwargs)
