"""Tests of regbook._validation: every bad input is refused with a ValueError naming the argument."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regbook import _validation as v


def test_as_finite_array_converts_and_keeps_values():
    out = v.as_finite_array([[1, 2], [3, 4]], "X", ndim=2)
    assert out.dtype == np.float64 and out.shape == (2, 2)
    np.testing.assert_array_equal(out, [[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize("bad", [[1.0, np.nan], [np.inf, 1.0], [-np.inf]])
def test_as_finite_array_refuses_nan_and_inf(bad):
    with pytest.raises(ValueError, match="^y contains NaN or infinite"):
        v.as_finite_array(bad, "y")


def test_as_finite_array_refuses_wrong_ndim_empty_and_non_numeric():
    with pytest.raises(ValueError, match="^X must have 2 dimension"):
        v.as_finite_array([1.0, 2.0], "X", ndim=2)
    with pytest.raises(ValueError, match="^x must have 1 or 2"):
        v.as_finite_array(np.zeros((1, 1, 1)), "x", ndim=(1, 2))
    with pytest.raises(ValueError, match="^y must not be empty"):
        v.as_finite_array([], "y")
    with pytest.raises(ValueError, match="^y must be numeric"):
        v.as_finite_array(["a", "b"], "y")


def test_check_matching_rows():
    v.check_matching_rows(np.zeros((3, 2)), "X", np.zeros(3), "y")
    with pytest.raises(ValueError, match="^y has 2 rows but X has 3"):
        v.check_matching_rows(np.zeros((3, 2)), "X", np.zeros(2), "y")


@given(st.floats(min_value=0, max_value=1e300))
def test_check_nonnegative_accepts_every_nonnegative_float(value):
    assert v.check_nonnegative(value, "lam") == value


@pytest.mark.parametrize("bad", [-1e-12, -1, np.nan, np.inf, "1", None, True])
def test_check_nonnegative_refuses(bad):
    with pytest.raises(ValueError, match="^lam must"):
        v.check_nonnegative(bad, "lam")


@pytest.mark.parametrize("bad", [0, -1.0, np.nan])
def test_check_positive_refuses(bad):
    with pytest.raises(ValueError, match="^noise_sd must"):
        v.check_positive(bad, "noise_sd")
    assert v.check_positive(np.float32(0.5), "noise_sd") == 0.5


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.5, np.nan])
def test_check_probability_open_interval(bad):
    with pytest.raises(ValueError, match="^validation_fraction must"):
        v.check_probability(bad, "validation_fraction")


def test_check_probability_closed_interval():
    assert v.check_probability(0, "p", open_interval=False) == 0.0
    assert v.check_probability(1, "p", open_interval=False) == 1.0


@pytest.mark.parametrize("bad", [0, -3, 2.0, 2.5, "3", True, None])
def test_check_positive_int_refuses(bad):
    with pytest.raises(ValueError, match="^degree must be an integer"):
        v.check_positive_int(bad, "degree")


def test_check_positive_int_minimum():
    assert v.check_positive_int(np.int64(2), "n_splits", minimum=2) == 2
    assert v.check_positive_int(0, "degree", minimum=0) == 0
    with pytest.raises(ValueError, match="^n_splits must be an integer >= 2"):
        v.check_positive_int(1, "n_splits", minimum=2)


def test_as_rng_is_reproducible_and_passes_generators_through():
    a, b = v.as_rng(7), v.as_rng(7)
    assert a.random() == b.random()
    gen = np.random.default_rng(1)
    assert v.as_rng(gen) is gen


@pytest.mark.parametrize("bad", [None, -1, 1.5, "seed", True])
def test_as_rng_refuses_missing_or_bad_seeds(bad):
    with pytest.raises(ValueError, match="^rng must"):
        v.as_rng(bad)
