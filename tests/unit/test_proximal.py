"""Tests for regbook.proximal."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regbook.proximal import prox_elastic_net, soft_threshold



def test_soft_threshold_by_hand():
    z = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5])
    np.testing.assert_array_equal(soft_threshold(z, 1.0), [-2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5])
    np.testing.assert_array_equal(soft_threshold(z, 0.0), z)
    assert soft_threshold(2.0, 0.5).shape == ()


def test_soft_threshold_gives_exact_zeros():
    z = np.linspace(-1.0, 1.0, 101)
    out = soft_threshold(z, 1.0)
    assert np.all(out == 0.0)  # exactly zero, not merely small


def _brute_force_prox(z, step, lam1, lam2):
    """argmin over a fine grid of (1/2)(w - z)^2 + step (lam1 |w| + lam2 w^2 / 2)."""
    grid = np.linspace(-abs(z) - 1.0, abs(z) + 1.0, 400_001)
    values = 0.5 * (grid - z) ** 2 + step * (lam1 * np.abs(grid) + 0.5 * lam2 * grid**2)
    return grid[np.argmin(values)], grid[1] - grid[0]


@given(z=st.floats(-20, 20), t=st.floats(0, 10))
def test_soft_threshold_is_the_prox_of_the_absolute_value(z, t):
    # The soft-threshold minimizes (1/2)(w - z)^2 + t|w|: compare with a brute-force minimizer ...
    w_star, spacing = _brute_force_prox(z, 1.0, t, 0.0)
    w = float(soft_threshold(z, t))
    assert abs(w - w_star) <= spacing
    # ... and check the optimality condition 0 in (w - z) + t * d|w|.
    if w != 0.0:
        assert (w - z) + t * np.sign(w) == pytest.approx(0.0, abs=1e-12)
    else:
        assert abs(z) <= t


@given(z=st.floats(-20, 20), step=st.floats(0.01, 5), lam1=st.floats(0, 5), lam2=st.floats(0, 5))
def test_prox_elastic_net_matches_brute_force(z, step, lam1, lam2):
    w_star, spacing = _brute_force_prox(z, step, lam1, lam2)
    assert abs(float(prox_elastic_net(z, step, lam1, lam2)) - w_star) <= spacing


@given(a=st.floats(-10, 10), b=st.floats(-10, 10), t=st.floats(0, 5))
def test_soft_threshold_is_nonexpansive(a, b, t):
    # Proximal operators are firmly non-expansive, in particular 1-Lipschitz.
    assert abs(float(soft_threshold(a, t) - soft_threshold(b, t))) <= abs(a - b) + 1e-12


def test_prox_elastic_net_without_l2_is_soft_threshold():
    z = np.array([-2.0, 0.3, 4.0])
    np.testing.assert_array_equal(prox_elastic_net(z, 0.5, 2.0, 0.0), soft_threshold(z, 1.0))


@pytest.mark.parametrize(
    "call, argname",
    [
        (lambda: soft_threshold([1.0, np.nan], 1.0), "z"),
        (lambda: soft_threshold([1.0], -1.0), "threshold"),
        (lambda: soft_threshold([1.0], np.inf), "threshold"),
        (lambda: prox_elastic_net([1.0], 0.0, 1.0, 1.0), "step"),
        (lambda: prox_elastic_net([1.0], 1.0, -1.0, 1.0), "lam1"),
        (lambda: prox_elastic_net([1.0], 1.0, 1.0, -1.0), "lam2"),
    ],
)
def test_bad_input(call, argname):
    with pytest.raises(ValueError, match=argname):
        call()
