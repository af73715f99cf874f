"""Helpers for the chapter notebooks: quoting computed numbers in the prose.

The book quotes numbers through myst-nb's ``glue``: a cell computes a value and
glues it under a name, and the text shows it with ``{glue:text}`name:.3f```. These
helpers round before gluing, so the stored output (which nbval compares as a
string) carries only the digits that are meaningful and reproducible.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["glue_float", "glue_int"]


def _glue(name: str, value: object) -> None:
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    from myst_nb import glue  # imported here: the rest of regbook does not need myst-nb

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
