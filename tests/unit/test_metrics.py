"""Tests for regbook.metrics."""

import numpy as np
import pytest
import sklearn.metrics
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regbook.metrics import mean_squared_error, root_mean_squared_error

finite = st.floats(-1e3, 1e3)
same_length_pairs = st.integers(1, 30).flatmap(
    lambda n: st.tuples(*[arrays(np.float64, n, elements=finite)] * 2)
)


@given(pair=same_length_pairs)
def test_matches_sklearn(pair):
    y_true, y_pred = pair
    assert mean_squared_error(y_true, y_pred) == pytest.approx(
        sklearn.metrics.mean_squared_error(y_true, y_pred), rel=1e-12, abs=1e-12
    )
    assert root_mean_squared_error(y_true, y_pred) == pytest.approx(
        sklearn.metrics.root_mean_squared_error(y_true, y_pred), rel=1e-12, abs=1e-12
    )
    # Symmetric and zero exactly on agreement.
    assert mean_squared_error(y_pred, y_true) == mean_squared_error(y_true, y_pred)
    assert mean_squared_error(y_true, y_true) == 0.0


def test_by_hand_no_factor_one_half():
    # residuals 1, -2, 0 -> (1 + 4 + 0) / 3
    assert mean_squared_error([1.0, 0.0, 2.0], [0.0, 2.0, 2.0]) == pytest.approx(5 / 3)
    assert root_mean_squared_error([3.0, -3.0], [0.0, 0.0]) == pytest.approx(3.0)
    assert isinstance(mean_squared_error([1.0], [2.0]), float)


@pytest.mark.parametrize("fun", [mean_squared_error, root_mean_squared_error])
@pytest.mark.parametrize(
    "y_true, y_pred, argname",
    [
        ([1.0, np.nan], [1.0, 2.0], "y_true"),
        ([1.0, 2.0], [1.0, np.inf], "y_pred"),
        ([[1.0, 2.0]], [1.0, 2.0], "y_true"),
        ([1.0, 2.0], [[1.0], [2.0]], "y_pred"),
        ([1.0, 2.0], [1.0, 2.0, 3.0], "y_pred"),
        ([], [], "y_true"),
    ],
)
def test_bad_input(fun, y_true, y_pred, argname):
    with pytest.raises(ValueError, match=argname):
        fun(y_true, y_pred)
