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
        notebook.glue_float("", 1.0)
    with pytest.raises(TypeError, match="name"):
        notebook.glue(None, 1.0)
    with pytest.raises(TypeError, match="display"):
        notebook.glue("x", 1.0, display="yes")


@pytest.mark.parametrize("display", [False, True])
@pytest.mark.parametrize("value", [3.25, 7, "text", [1, 2]])
def test_glue_publishes_exactly_what_myst_nb_glue_publishes(monkeypatch, value, display):
    import IPython.display
    import myst_nb.ext.glue as myst_glue

    calls = []
    record = lambda *args, **kwargs: calls.append((args, kwargs))  # noqa: E731
    monkeypatch.setattr(myst_glue, "ipy_display", record)
    monkeypatch.setattr(IPython.display, "display", record)
    myst_glue.glue("key", value, display=display)
    notebook.glue("key", value, display=display)
    assert len(calls) == 2 and calls[0] == calls[1]


def test_glue_publishes_figures_as_png(monkeypatch):
    import IPython.display
    import matplotlib.pyplot as plt
    from matplotlib_inline.backend_inline import configure_inline_support
    from IPython.core.interactiveshell import InteractiveShell

    configure_inline_support(InteractiveShell.instance(), "inline")
    calls = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: calls.append((a, k)))
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    notebook.glue("fig-test", fig)
    plt.close(fig)
    (bundle,), kwargs = calls[0]
    assert notebook.GLUE_PREFIX + "image/png" in bundle and kwargs["raw"] is True
    assert kwargs["metadata"]["scrapbook"] == {"name": "fig-test", "mime_prefix": notebook.GLUE_PREFIX}
