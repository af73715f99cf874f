"""What makes the output comparison portable: the kernel environment and glued figures compared with a tolerance.

A pytest plugin, loaded by the repository's top-level ``conftest.py`` for every pytest run from the
repository (``make test``, ``pytest chapters/02_l2_regularization.ipynb``, any single test file):

- it puts :data:`booktools.kernel.KERNEL_ENV` into the environment of the pytest process, which
  every kernel nbval starts inherits (the same environment as ``make refresh`` and the book build);
- it makes strict nbval compare glued figures (``application/papermill.record/image/png``) with
  :func:`figures_match` instead of byte for byte. Every other output is still compared as an exact
  string.

Why a tolerance: a PNG's bytes change when a plotted value changes in its last bits (another CPU,
another BLAS kernel), so byte equality fails on machines that print exactly the same numbers. Why it
still catches a real change: the two images must have the same size, and every pixel of each must be
matched, within ``PIXEL_TOLERANCE``, by a pixel of the other no more than ``SHIFT`` pixels away; at
most ``MAX_UNMATCHED`` pixels may fail. A rounding-level change moves an anti-aliased edge by a
fraction of a pixel; a different curve, marker, label or colour moves hundreds of pixels by more.
``tests/book/test_nbval_guard.py`` shows both.
"""

from __future__ import annotations

import base64
import copy
import io
import os

import numpy as np

from booktools.kernel import KERNEL_ENV  # (imports nothing heavy: cheap)

os.environ.update(KERNEL_ENV)

GLUED_PNG = "application/papermill.record/image/png"
PIXEL_TOLERANCE = 0.2  # of full intensity, in the channel that differs most (51 of 255 levels)
SHIFT = 1  # pixels: how far a matching pixel may lie
MAX_UNMATCHED = 20  # pixels of either image without a match


def decode_png(data: str | bytes) -> np.ndarray:
    """A PNG (raw bytes or base64 text, as stored in a notebook) as an RGBA float array in [0, 1]."""
    from PIL import Image

    raw = base64.b64decode(data) if isinstance(data, str) else data
    with Image.open(io.BytesIO(raw)) as image:
        return np.asarray(image.convert("RGBA"), dtype=np.float32) / 255.0


def _distance_to_nearest_match(a: np.ndarray, b: np.ndarray, shift: int) -> np.ndarray:
    """For each pixel of ``a``, the smallest channel-wise max difference to a pixel of ``b`` within ``shift``."""
    height, width = a.shape[:2]
    padded = np.pad(b, ((shift, shift), (shift, shift), (0, 0)), mode="edge")
    best = np.full((height, width), np.inf, dtype=np.float32)
    for dy in range(2 * shift + 1):
        for dx in range(2 * shift + 1):
            diff = np.abs(a - padded[dy : dy + height, dx : dx + width]).max(axis=2)
            np.minimum(best, diff, out=best)
    return best


def unmatched_pixels(stored: str | bytes, new: str | bytes) -> int:
    """How many pixels of either PNG have no counterpart in the other (see the module docstring).

    Returns ``-1`` when the images differ in size (a real change: never within tolerance).
    """
    a, b = decode_png(stored), decode_png(new)
    if a.shape != b.shape:
        return -1
    if np.array_equal(a, b):
        return 0
    missing_in_b = _distance_to_nearest_match(a, b, SHIFT) > PIXEL_TOLERANCE
    missing_in_a = _distance_to_nearest_match(b, a, SHIFT) > PIXEL_TOLERANCE
    return int(np.count_nonzero(missing_in_b | missing_in_a))


def figures_match(stored: str | bytes, new: str | bytes) -> bool:
    """True when two PNGs show the same figure up to rounding-level differences of the plotted data."""
    if stored == new:
        return True
    count = unmatched_pixels(stored, new)
    return 0 <= count <= MAX_UNMATCHED


def _glued_figures(outputs) -> list:
    return [o for o in outputs if GLUED_PNG in o.get("data", {})]


def _compare_outputs_with_figure_tolerance(original):
    def compare_outputs(self, test, ref, skip_compare=None):
        test_figures, ref_figures = _glued_figures(test), _glued_figures(ref)
        notes = []
        if test_figures and len(test_figures) == len(ref_figures):
            test = [copy.deepcopy(o) for o in test]
            for new, old in zip(_glued_figures(test), ref_figures):
                new_png, old_png = new["data"][GLUED_PNG], old["data"][GLUED_PNG]
                if new_png == old_png:
                    continue
                count = unmatched_pixels(old_png, new_png)
                if 0 <= count <= MAX_UNMATCHED:
                    new["data"][GLUED_PNG] = old_png  # the same figure up to rounding: compare as equal
                else:
                    name = new.get("metadata", {}).get("scrapbook", {}).get("name", "?")
                    notes.append(
                        f"glued figure {name!r} changed: "
                        + ("its size differs" if count < 0 else f"{count} pixels without a match (at most {MAX_UNMATCHED})")
                    )
        same = original(self, test, ref, skip_compare)
        if not same:
            self.comparison_traceback.extend(notes)
        return same

    compare_outputs.figure_tolerance = True
    return compare_outputs


def pytest_configure(config):
    """Make nbval's comparison of a cell's outputs compare glued figures with the tolerance."""
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval not installed: nothing to patch
        return
    if not getattr(IPyNbCell.compare_outputs, "figure_tolerance", False):
        IPyNbCell.compare_outputs = _compare_outputs_with_figure_tolerance(IPyNbCell.compare_outputs)


def pytest_report_header(config):
    return "kernel environment: " + " ".join(f"{k}={os.environ.get(k)}" for k in sorted(KERNEL_ENV))
