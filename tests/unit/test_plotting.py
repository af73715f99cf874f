"""Tests for regbook.plotting."""

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from regbook.plotting import COLORS, LINESTYLES, PALETTE, apply_style

# The published Okabe-Ito palette (Okabe & Ito 2008), as RGB 0-255.
OKABE_ITO_RGB = {
    "black": (0, 0, 0),
    "orange": (230, 159, 0),
    "sky_blue": (86, 180, 233),
    "bluish_green": (0, 158, 115),
    "yellow": (240, 228, 66),
    "blue": (0, 114, 178),
    "vermillion": (213, 94, 0),
    "reddish_purple": (204, 121, 167),
}


@pytest.fixture
def style():
    """Apply the style inside an rc_context so other tests see the defaults."""
    with mpl.rc_context():
        apply_style()
        yield


def test_palette_is_okabe_ito():
    assert set(PALETTE) == set(OKABE_ITO_RGB)
    for name, rgb in OKABE_ITO_RGB.items():
        assert to_hex(np.array(rgb) / 255) == PALETTE[name].lower()


def test_color_cycle():
    assert len(set(COLORS)) == len(COLORS) >= 6
    assert set(COLORS) <= set(PALETTE.values())
    assert COLORS[0] != PALETTE["yellow"]
    assert len(LINESTYLES) == len(COLORS)


def test_apply_style_sets_rcparams(style):
    rc = mpl.rcParams
    cycle_colors = rc["axes.prop_cycle"].by_key()["color"]
    assert [c.lower() for c in cycle_colors] == [c.lower() for c in COLORS]
    assert tuple(rc["figure.figsize"]) == pytest.approx((6.0, 3.8))
    assert rc["figure.dpi"] == 100 and rc["savefig.dpi"] == 150
    assert rc["axes.spines.top"] is False and rc["axes.spines.right"] is False
    assert rc["axes.grid"] is True and 0 < rc["grid.alpha"] < 1


def test_apply_style_is_idempotent(style):
    once = dict(mpl.rcParams)
    apply_style()
    assert dict(mpl.rcParams) == once


def test_lines_differ_in_colour_and_style(style):
    ax = Figure().subplots()
    lines = [ax.plot([0, 1], [k, k])[0] for k in range(len(COLORS))]
    assert [to_hex(line.get_color()) for line in lines] == [c.lower() for c in COLORS]
    # Without colour, the first lines are still told apart by their style.
    assert [line.get_linestyle() for line in lines[:4]] == ["-", "--", "-.", ":"]


def test_rc_context_restores_defaults():
    before = mpl.rcParams["figure.figsize"]
    with mpl.rc_context():
        apply_style()
    assert mpl.rcParams["figure.figsize"] == before


def _drawn_in_black(linestyle) -> np.ndarray:
    """A horizontal line of the given style, drawn in black on white, as a grey-level raster."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(3.0, 0.3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.plot([0, 1], [0, 0], color="black", linestyle=linestyle, lw=1.8)
    ax.set_xlim(0, 1)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., 0].copy()


def test_lines_of_the_cycle_never_differ_by_colour_alone(style):
    """With the colour taken away (every line drawn black), any two lines of the style's cycle still
    look different: information is never carried by colour alone (WCAG 1.4.1)."""
    cycle = mpl.rcParams["axes.prop_cycle"].by_key()
    assert list(cycle["linestyle"]) == [mpl.rcsetup._validate_linestyle(s) for s in LINESTYLES]
    assert len(cycle["linestyle"]) == len(cycle["color"])  # colour and style change together
    rasters = [_drawn_in_black(style_) for style_ in LINESTYLES]
    for i in range(len(rasters)):
        for j in range(i):
            assert not np.array_equal(rasters[i], rasters[j]), (LINESTYLES[i], LINESTYLES[j])
    # The comparison can fail: one style drawn twice gives the same picture.
    assert np.array_equal(_drawn_in_black(LINESTYLES[1]), _drawn_in_black(LINESTYLES[1]))
