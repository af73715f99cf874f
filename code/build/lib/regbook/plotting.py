"""The book's figure style: colour-blind-safe colours and readable defaults.

The colours are the Okabe-Ito palette (Okabe & Ito, "Color Universal
Design", 2008), which stays distinguishable for the common forms of colour
blindness. Lines also cycle through line styles, so that they stay apart in
grey-scale print as well. Call :func:`apply_style` once at the top of a
notebook.
"""

from __future__ import annotations

import matplotlib as mpl
from matplotlib import cycler

__all__ = ["PALETTE", "COLORS", "LINESTYLES", "apply_style"]

#: The eight Okabe-Ito colours by name.
PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Colour cycle for lines. Yellow is left out: it is too light on white.
_CYCLE_ORDER = (
    "blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "black"
)
COLORS: list[str] = [PALETTE[name] for name in _CYCLE_ORDER]

#: Line styles cycled together with :data:`COLORS` (same length).
LINESTYLES: list[str | tuple[int, tuple[int, ...]]] = [
    "-",
    "--",
    "-.",
    ":",
    (0, (5, 1)),
    (0, (3, 1, 1, 1, 1, 1)),
    (0, (1, 1)),
]

_STYLE = {
    "axes.prop_cycle": cycler(color=COLORS, linestyle=LINESTYLES),
    "figure.figsize": (6.0, 3.8),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
}


def apply_style() -> None:
    """Set matplotlib's ``rcParams`` to the book style.

    Sets the colour and line-style cycle (:data:`COLORS`, :data:`LINESTYLES`),
    figure size (6, 3.8) inches at 100 dpi, 150 dpi for saved figures, a light
    grid, no top/right spines and the font sizes. Calling it again changes
    nothing (idempotent). Wrap it in ``matplotlib.rc_context()`` to apply it
    only temporarily.
    """
    mpl.rcParams.update(_STYLE)
