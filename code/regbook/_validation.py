"""Input checks shared by every public function of :mod:`regbook`.

The rule, for every public callable of the package: bad input is refused with an error whose
message starts with the name of the offending argument (and the parameter group or model index
where that applies), so that a reader who passes bad data learns *which* input is wrong instead of
getting a silent NaN further down.

* A bad **value** (NaN, inf, negative, empty, wrong shape, out of range) raises :class:`ValueError`.
* A bad **type** (a string, ``None``, a complex number or array, a non-callable where a function is
  needed) raises :class:`InputTypeError`, which is a :class:`TypeError` *and* a
  :class:`ValueError`: ``except TypeError`` and ``except ValueError`` both catch it.
* Complex input is refused, never truncated to its real part.
* Legitimate input keeps working: Python lists and integer arrays are converted to float64, and so is
  float32 input (every array result is float64 unless a docstring says otherwise).

The checks run once per call, at the public entry; the private helpers behind it trust their input.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

__all__ = [
    "ConvergenceWarning",
    "warn_not_converged",
    "InputTypeError",
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
    "check_finite_result",
    "check_choice",
    "as_frozen_array",
    "check_string",
    "check_instance",
    "SeedLike",
]

#: What every ``rng`` argument accepts: an integer seed or a ``numpy.random.Generator``.
SeedLike = int | np.random.Generator


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped before its convergence test was met.

    The package's one non-convergence policy: the solver returns its last iterate with
    ``converged=False`` and issues this warning (as scikit-learn's solvers issue
    ``sklearn.exceptions.ConvergenceWarning``). Reached as ``regbook.ConvergenceWarning``. It is
    not a subclass of scikit-learn's class, so that the solvers do not import scikit-learn; filter
    it by this class (``warnings.simplefilter("ignore", regbook.ConvergenceWarning)``).
    """


def warn_not_converged(message: str) -> None:
    """Issue :class:`ConvergenceWarning` with ``message``, attributed to the public solver's caller."""
    warnings.warn(message, ConvergenceWarning, stacklevel=3)


class InputTypeError(TypeError, ValueError):
    """An argument of the wrong type: a :class:`TypeError` that is also a :class:`ValueError`.

    It is a ``TypeError`` because the *type* is wrong, and a ``ValueError`` so that code written
    against the earlier behaviour of :mod:`regbook` (which raised ``ValueError`` for every bad
    input) keeps working.
    """


def _is_complex(a) -> bool:
    if isinstance(a, (complex, np.complexfloating)):
        return True
    dtype = getattr(a, "dtype", None)
    return dtype is not None and np.dtype(dtype).kind == "c"


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

    Lists, integer and float32 arrays are accepted and converted to float64.

    Raises
    ------
    InputTypeError
        If ``a`` is ``None``, complex, or cannot be converted to floats.
    ValueError
        If ``a`` has the wrong number of dimensions, is empty, or holds NaN or infinite values.
    """
    if a is None or isinstance(a, (str, bytes)):
        raise InputTypeError(f"{name} must be numeric array-like; got {type(a).__name__}")
    if _is_complex(a):
        raise InputTypeError(f"{name} must be real; got complex input (it is not truncated to its real part)")
    try:
        raw = np.asarray(a)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise InputTypeError(f"{name} must be numeric array-like; got {type(a).__name__}") from exc
    if raw.dtype.kind == "c":
        raise InputTypeError(f"{name} must be real; got complex input (it is not truncated to its real part)")
    if raw.dtype.kind not in "biuf":
        raise InputTypeError(f"{name} must be numeric array-like; got {type(a).__name__} of dtype {raw.dtype}")
    arr = raw.astype(np.float64, copy=False)
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
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise InputTypeError(f"{name} must be a real number; got {value!r}")
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
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise InputTypeError(f"{name} must be an integer >= {minimum}; got {value!r}")
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
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, (numbers.Integral, np.integer)):
        raise InputTypeError(
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
        raise InputTypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def check_callable(value, name: str) -> None:
    """Raise ``ValueError`` unless ``value`` can be called."""
    if not callable(value):
        raise InputTypeError(f"{name} must be callable; got {type(value).__name__}")


def check_length(a: np.ndarray, name: str, expected: int, reference: str) -> None:
    """Raise ``ValueError`` unless ``a`` has ``expected`` entries along its first axis.

    ``reference`` says where ``expected`` comes from, e.g. ``"the number of columns of X"``.
    """
    if a.shape[0] != expected:
        raise ValueError(
            f"{name} has length {a.shape[0]} but must have length {expected} ({reference})"
        )


def check_instance(value, name: str, cls: type | tuple[type, ...], description: str) -> None:
    """Raise :class:`InputTypeError` unless ``value`` is an instance of ``cls``."""
    if not isinstance(value, cls):
        raise InputTypeError(f"{name} must be {description}; got {type(value).__name__}")


def check_finite_result(value, names: str):
    """Return ``value`` (a float or an array) if it is finite, else raise ``ValueError``.

    Finite input can still overflow: this turns an ``inf`` or NaN result into an error naming
    ``names``, the arguments whose size is to blame (e.g. ``"X, y"``).
    """
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{names}: the result overflowed (inputs too large in magnitude)")
    return value


def check_string(value, name: str) -> str:
    """Return ``value`` if it is a non-empty string; :class:`InputTypeError` if not a string."""
    if not isinstance(value, str):
        raise InputTypeError(f"{name} must be a non-empty string; got {value!r}")
    if not value:
        raise ValueError(f"{name} must be a non-empty string; got ''")
    return value


def check_choice(value, name: str, choices) -> str:
    """Return ``value`` if it is one of the strings ``choices``.

    A value that is not a string raises :class:`InputTypeError`, an unknown string ``ValueError``.
    """
    if not isinstance(value, str):
        raise InputTypeError(f"{name} must be one of {sorted(choices)}; got {value!r}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}; got {value!r}")
    return value


def as_frozen_array(a, name: str, *, ndim: int) -> np.ndarray:
    """:func:`as_finite_array`, copied and made read-only (the coefficients of a fitted model)."""
    arr = as_finite_array(a, name, ndim=ndim).copy()
    arr.setflags(write=False)
    return arr
