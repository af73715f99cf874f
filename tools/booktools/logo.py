"""Draw the book's logo and favicon with matplotlib: the L1 diamond, the L2 disc and a loss contour.

Usage (in the project's environment)::

    book logo          # writes _static/logo.svg and _static/favicon.png

The picture is the book in one glance: the unit L2 ball (a disc) and the unit L1 ball (a
diamond), with elliptical level sets of a least-squares loss centred away from both. The
smallest level set that reaches the diamond touches it at a corner, where one weight is
exactly zero: the lasso's sparsity. The tangent point is computed, not placed by eye. Colours
are from ``regbook.plotting.PALETTE`` (Okabe-Ito, colour-blind safe) and read on light and
dark page backgrounds alike.

The files are committed; ``tests/unit/test_tools.py`` checks that this module reproduces them
byte for byte, so they cannot drift from their source.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Circle, Ellipse, Polygon  # noqa: E402

from regbook.plotting import PALETTE  # noqa: E402

from .paths import ROOT  # noqa: E402

STATIC = ROOT / "_static"
LOGO_NAME = "logo.svg"
FAVICON_NAME = "favicon.png"

# The loss: (w - CENTRE)^T A (w - CENTRE) with A = R diag(1/a^2, 1/b^2) R^T (level sets: ellipses).
CENTRE = np.array([0.6, 1.6])
AXES = (0.9, 0.45)  # semi-axes of the level set at value 1
ANGLE = 20.0  # degrees, orientation of the first axis


def _quadratic() -> np.ndarray:
    t = np.deg2rad(ANGLE)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return rot @ np.diag([1 / AXES[0] ** 2, 1 / AXES[1] ** 2]) @ rot.T


def _level(points: np.ndarray) -> np.ndarray:
    d = points - CENTRE
    return np.einsum("...i,ij,...j->...", d, _quadratic(), d)


def tangent_level() -> tuple[float, np.ndarray]:
    """The smallest loss level that reaches the unit L1 ball, and the point where it touches it.

    Found by a dense search over the diamond's boundary (the loss is convex and its centre lies
    outside the ball, so the minimum over the ball is on the boundary).
    """
    s = np.linspace(0.0, 2 * np.pi, 200_001)
    circle = np.column_stack([np.cos(s), np.sin(s)])
    diamond = circle / np.abs(circle).sum(axis=1, keepdims=True)
    levels = _level(diamond)
    return float(levels.min()), diamond[np.argmin(levels)]


def _ellipse(level: float, **style) -> Ellipse:
    scale = np.sqrt(level)
    return Ellipse(CENTRE, 2 * AXES[0] * scale, 2 * AXES[1] * scale, angle=ANGLE, fill=False, **style)


def _square_view(level: float, margin: float = 0.04) -> tuple[tuple[float, float], tuple[float, float]]:
    """A square window around the unit balls and the tangent ellipse, centred on their union."""
    t, scale = np.deg2rad(ANGLE), np.sqrt(level)
    half_x = scale * np.hypot(AXES[0] * np.cos(t), AXES[1] * np.sin(t))
    half_y = scale * np.hypot(AXES[0] * np.sin(t), AXES[1] * np.cos(t))
    low = np.minimum([-1.0, -1.0], CENTRE - [half_x, half_y])
    high = np.maximum([1.0, 1.0], CENTRE + [half_x, half_y])
    middle, half = (low + high) / 2, (1 + margin) * np.max(high - low) / 2
    return (middle[0] - half, middle[0] + half), (middle[1] - half, middle[1] + half)


def draw(*, detailed: bool = True) -> plt.Figure:
    """The figure: with inner contours for the logo, bold and bare for the 32-pixel favicon."""
    level, touch = tangent_level()
    width = 2.2 if detailed else 9.0
    fig = plt.figure(figsize=(2.0, 2.0), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    xlim, ylim = _square_view(level)
    ax.set(xlim=xlim, ylim=ylim, aspect="equal")
    ax.axis("off")
    ax.add_patch(Circle((0, 0), 1.0, facecolor=PALETTE["sky_blue"], alpha=0.35, edgecolor=PALETTE["blue"], lw=width))
    ax.add_patch(Polygon([(1, 0), (0, 1), (-1, 0), (0, -1)], closed=True, facecolor=PALETTE["orange"],
                         alpha=0.55, edgecolor=PALETTE["vermillion"], lw=width, joinstyle="miter"))
    grey = "#7f7f7f"
    if detailed:
        for fraction in (0.1, 0.4):
            ax.add_patch(_ellipse(fraction * level, edgecolor=grey, lw=1.2))
    ax.add_patch(_ellipse(level, edgecolor=grey, lw=1.6 if detailed else 7.0))
    ax.plot(*touch, "o", color=PALETTE["vermillion"], ms=7 if detailed else 22)
    return fig


def render() -> dict[str, bytes]:
    """The bytes of both files (deterministic: no dates, no version strings, fixed ids)."""
    files = {}
    with matplotlib.rc_context({"svg.hashsalt": "regbook-logo", "svg.fonttype": "none"}):
        fig = draw(detailed=True)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", transparent=True,
                    metadata={"Date": None, "Creator": None, "Title": "regbook logo"})
        plt.close(fig)
        files[LOGO_NAME] = buffer.getvalue()
    fig = draw(detailed=False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=32 / 2.0, transparent=True, metadata={"Software": None})
    plt.close(fig)
    files[FAVICON_NAME] = buffer.getvalue()
    return files


def write(output: Path = STATIC) -> None:
    """Write the logo and the favicon into ``output``."""
    output.mkdir(parents=True, exist_ok=True)
    for name, data in render().items():
        (output / name).write_bytes(data)
        print(f"wrote {output / name} ({len(data)} bytes)")
