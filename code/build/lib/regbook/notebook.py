"""Helpers for the chapter notebooks: quoting computed numbers and figures in the prose.

The book quotes numbers and shows figures through myst-nb's *glue*: a cell computes a value and
glues it under a name, and the text shows it with ``{glue:text}`name:.3f``` or
``{glue:figure}``. :func:`glue` writes exactly the output that ``myst_nb.glue`` writes (the tests
compare the two), without importing myst-nb: that import pulls in nbformat and jsonschema and
costs about two seconds of every chapter's run. :func:`glue_float` and :func:`glue_int` round
before gluing, so the stored output (which nbval compares as a string) carries only the digits
that are meaningful and reproducible.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["glue", "glue_float", "glue_int"]

#: The MIME-type prefix myst-nb gives glued outputs that are not displayed in the cell.
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, variable: object, display: bool = False) -> None:
    """Glue ``variable`` under ``name`` for ``{glue}`` roles and directives, like ``myst_nb.glue``.

    The object is formatted by IPython (a figure becomes ``image/png``, a number ``text/plain``)
    and published as display data whose metadata carries ``scrapbook = {name, mime_prefix}``,
    which is where myst-nb looks for glued values. Unlike ``myst_nb.glue`` the default is
    ``display=False``: the book never shows a glued value in the cell that computes it.

    Raises
    ------
    ValueError
        If ``name`` is not a non-empty string.
    """
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    mimebundle, metadata = format_display_data(variable)
    mime_prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=mime_prefix)
    ipy_display({mime_prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)


def _glue(name: str, value: object) -> None:
    glue(name, value, display=False)


def glue_float(name: str, value: float, digits: int = 4) -> None:
    """Glue ``round(value, digits)`` as a Python float under ``name``.

    Returns nothing, like ``glue(..., display=False)``, so that a cell ending with it shows nothing.

    Parameters
    ----------
    name : str
        The glue key used in the text (``{glue:text}`name```).
    value : float
        A finite real number (a NumPy scalar is fine).
    digits : int, default 4
        Decimal places kept (``round`` semantics; may be negative).

    Raises
    ------
    ValueError
        If ``name`` is empty, ``value`` is not a finite real number, or ``digits`` is not an int.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"value must be a finite real number, got {value!r}")
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral):
        raise ValueError(f"digits must be an integer, got {digits!r}")
    _glue(name, float(round(float(value), int(digits))))


def glue_int(name: str, value: int) -> None:
    """Glue ``value`` as a Python int under ``name`` (returns nothing).

    Raises
    ------
    ValueError
        If ``name`` is empty or ``value`` is not an integer (NumPy integers are accepted).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"value must be an integer, got {value!r}")
    _glue(name, int(value))
