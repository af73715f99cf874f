"""Input checks shared by every public function of :mod:`regbook`.

Each check raises :class:`ValueError` whose message starts with the name of the
offending argument, so that a reader who passes bad data learns *which* input
is wrong instead of getting a silent NaN further down.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_finite_array",
    "check_matching_rows",
    "check_nonnegative",
    "check_positive",
    "check_positive_int",
    "check_probability",
    "as_rng",
    "check_bool",
    "check_callable",
    "check_finite_real",
    "check_length",
    "SeedLike",
]

#: What every ``rng`` argument accepts: an integer seed or a ``numpy.random.Generator``.
SeedLike = int | np.random.Generator


def as_finite_array(a, name: str, *, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``a`` as a float64 array after checking that it is finite.

    Parameters
    ----------
    a : array_like
        The input.
    name : str
        The argument's name, used in the error message.
    ndim : int or tuple of int, optional
        Allowed number(s) of dimensions.

    Raises
    ------
    ValueError
        If ``a`` cannot be converted to floats, has the wrong number of
        dimensions, is empty, or holds NaN or infinite values.
    """
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric array-like; got {type(a).__name__}") from exc
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(str(d) for d in allowed)
            raise ValueError(f"{name} must have {want} dimension(s); got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def check_matching_rows(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same number of rows."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{b_name} has {b.shape[0]} rows but {a_name} has {a.shape[0]}; they must match"
        )


def _as_finite_scalar(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise ValueError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return value


def check_nonnegative(value, name: str) -> float:
    """Return ``value`` as a float, raising ``ValueError`` if negative, NaN or infinite."""
    value = _as_finite_scalar(value, name)
    if value < 0:
        raise ValueError(f"{name} must be non-negative; got {value!r}")
    return value


def check_positive(value, name: str) -> float:
    """Return ``value`` as a float, raising ``ValueError`` unless finite and > 0."""
    value = _as_finite_scalar(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be positive; got {value!r}")
    return value


def check_probability(value, name: str, *, open_interval: bool = True) -> float:
    """Return ``value`` as a float in (0, 1) (or [0, 1] if ``open_interval=False``)."""
    value = _as_finite_scalar(value, name)
    ok = 0 < value < 1 if open_interval else 0 <= value <= 1
    if not ok:
        interval = "(0, 1)" if open_interval else "[0, 1]"
        raise ValueError(f"{name} must lie in {interval}; got {value!r}")
    return value


def check_positive_int(value, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, raising ``ValueError`` unless an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return value


def as_rng(rng) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from a seed or a Generator.

    ``None`` is refused on purpose: every random result in the book must be
    reproducible, so the caller always states the seed.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, (numbers.Integral, np.integer)):
        raise ValueError(
            f"rng must be an integer seed or a numpy.random.Generator; got {rng!r}"
        )
    if rng < 0:
        raise ValueError(f"rng must be a non-negative seed; got {rng!r}")
    return np.random.default_rng(int(rng))


def check_finite_real(value, name: str) -> float:
    """Return ``value`` as a float, raising ``ValueError`` unless a finite real number."""
    return _as_finite_scalar(value, name)


def check_bool(value, name: str) -> bool:
    """Return ``value`` as a bool, raising ``ValueError`` unless it is ``True`` or ``False``."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def check_callable(value, name: str) -> None:
    """Raise ``ValueError`` unless ``value`` can be called."""
    if not callable(value):
        raise ValueError(f"{name} must be callable; got {type(value).__name__}")


def check_length(a: np.ndarray, name: str, expected: int, reference: str) -> None:
    """Raise ``ValueError`` unless ``a`` has ``expected`` entries along its first axis.

    ``reference`` says where ``expected`` comes from, e.g. ``"the number of columns of X"``.
    """
    if a.shape[0] != expected:
        raise ValueError(
            f"{name} has length {a.shape[0]} but must have length {expected} ({reference})"
        )
