"""regbook.notebook: rounding and type checks of the glue helpers."""

from __future__ import annotations

import numpy as np
import pytest

from regbook import notebook


@pytest.fixture
def glued(monkeypatch):
    store = {}
    monkeypatch.setattr(notebook, "_glue", lambda name, value: store.__setitem__(name, value))
    return store


def test_glue_float_rounds_and_stores_a_python_float(glued):
    assert notebook.glue_float("a", np.float64(3.14159), 2) is None
    assert glued["a"] == 3.14 and type(glued["a"]) is float
    notebook.glue_float("b", 12345.678, -2)
    assert glued["b"] == 12300.0


def test_glue_int_stores_a_python_int(glued):
    notebook.glue_int("n", np.int64(7))
    assert glued["n"] == 7 and type(glued["n"]) is int


@pytest.mark.parametrize("value", [np.nan, np.inf, "1.0", None, True])
def test_glue_float_rejects_non_finite_or_non_numbers(value):
    with pytest.raises(ValueError, match="value"):
        notebook.glue_float("x", value)


def test_bad_digits_and_bad_ints_are_rejected():
    with pytest.raises(ValueError, match="digits"):
        notebook.glue_float("x", 1.0, 1.5)
    with pytest.raises(ValueError, match="value"):
        notebook.glue_int("x", 1.5)


def test_empty_name_is_rejected():
    with pytest.raises(ValueError, match="name"):
        notebook._glue("", 1.0)
