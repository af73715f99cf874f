"""Held-out evaluation: train/validation splits, k-fold cross-validation and learning curves.

Every function that fits takes ``fit(X_train, y_train)``, a callable that
returns a fitted object with a ``predict(X)`` method (for example
``lambda X, y: fit_ridge(X, y, 0.1)``). Errors are reported as the mean
squared error of :func:`regbook.metrics.mean_squared_error` (no factor 1/2).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    SeedLike,
    as_finite_array,
    as_rng,
    check_bool,
    check_callable,
    check_length,
    check_matching_rows,
    check_positive_int,
    check_probability,
)
from .metrics import mean_squared_error

__all__ = [
    "Predictor",
    "train_validation_split",
    "kfold_indices",
    "cross_validation_mse",
    "learning_curve",
]

IndexArray = NDArray[np.intp]


class Predictor(Protocol):
    """Anything with a ``predict(X)`` method, e.g. :class:`regbook.linear.LinearModel`."""

    def predict(self, X: NDArray[np.float64]) -> ArrayLike: ...


FitFunction = Callable[[NDArray[np.float64], NDArray[np.float64]], Predictor]


def train_validation_split(
    n: int, *, validation_fraction: float = 0.3, rng: SeedLike
) -> tuple[IndexArray, IndexArray]:
    """Randomly split the indices ``0, ..., n-1`` into a training and a validation part.

    The validation part has ``ceil(validation_fraction * n)`` indices (the
    rule of ``sklearn.model_selection.train_test_split``), the training
    part the rest. Both are in random order (a slice of
    ``rng.permutation(n)``), so "the first m training rows" is a random
    subset, as :func:`learning_curve` assumes.

    Parameters
    ----------
    n : int
        Number of examples, ``n >= 2``.
    validation_fraction : float, default 0.3
        Share of the examples held out, strictly between 0 and 1.
    rng : int or numpy.random.Generator
        Seed or generator (required).

    Returns
    -------
    train_idx : ndarray of int, shape (n - n_val,)
    val_idx : ndarray of int, shape (n_val,)
        Disjoint; together they hold every index once.

    Raises
    ------
    ValueError
        If ``n < 2``, ``validation_fraction`` is not in (0, 1) or leaves no
        training example, or ``rng`` is not a seed or generator.
    """
    n = check_positive_int(n, "n", minimum=2)
    validation_fraction = check_probability(validation_fraction, "validation_fraction")
    rng = as_rng(rng)
    n_val = math.ceil(validation_fraction * n)
    if n_val >= n:
        raise ValueError(
            f"validation_fraction={validation_fraction} leaves no training example for n={n}"
        )
    permutation = rng.permutation(n)
    return permutation[n_val:], permutation[:n_val]


def kfold_indices(
    n: int, n_splits: int = 5, *, shuffle: bool = False, rng: SeedLike | None = None
) -> list[tuple[IndexArray, IndexArray]]:
    """Train/validation index pairs of k-fold cross-validation.

    The indices ``0, ..., n-1`` (or, with ``shuffle=True``, the permutation
    ``rng.permutation(n)``) are cut into ``n_splits`` consecutive folds; the
    first ``n % n_splits`` folds have one element more. Each fold is the
    validation set once, with all other indices (in increasing order) for
    training. With ``shuffle=False`` this is exactly
    ``sklearn.model_selection.KFold(n_splits).split``.

    Parameters
    ----------
    n : int
        Number of examples.
    n_splits : int, default 5
        Number of folds, ``2 <= n_splits <= n``.
    shuffle : bool, default False
        Permute the indices before cutting them into folds.
    rng : int or numpy.random.Generator, optional
        Required if ``shuffle=True``; must be None if ``shuffle=False`` (it
        would have no effect).

    Returns
    -------
    list of (train_idx, val_idx)
        ``n_splits`` pairs of integer arrays. The validation folds partition
        ``range(n)``.

    Raises
    ------
    ValueError
        If ``n_splits`` is not an integer in ``[2, n]``, ``shuffle=True``
        without ``rng``, or ``rng`` given with ``shuffle=False``.
    """
    n = check_positive_int(n, "n", minimum=2)
    n_splits = check_positive_int(n_splits, "n_splits", minimum=2)
    if n_splits > n:
        raise ValueError(f"n_splits={n_splits} must not exceed the number of examples n={n}")
    shuffle = check_bool(shuffle, "shuffle")
    if shuffle:
        if rng is None:
            raise ValueError("rng is required when shuffle=True (seed or numpy.random.Generator)")
        order = as_rng(rng).permutation(n)
    else:
        if rng is not None:
            raise ValueError("rng must be None when shuffle=False (it would have no effect)")
        order = np.arange(n)

    fold_sizes = np.full(n_splits, n // n_splits)
    fold_sizes[: n % n_splits] += 1
    folds = []
    stop = 0
    for size in fold_sizes:
        start, stop = stop, stop + size
        in_validation = np.zeros(n, dtype=bool)
        in_validation[order[start:stop]] = True
        folds.append((np.flatnonzero(~in_validation), order[start:stop]))
    return folds


def _fit_and_score(
    fit: FitFunction,
    X_fit: NDArray[np.float64],
    y_fit: NDArray[np.float64],
    evaluation_sets: Sequence[tuple[NDArray[np.float64], NDArray[np.float64]]],
) -> list[float]:
    """Fit on ``(X_fit, y_fit)``; return the MSE on each ``(X, y)`` of ``evaluation_sets``."""
    model = fit(X_fit, y_fit)
    if not callable(getattr(model, "predict", None)):
        raise ValueError(
            f"fit must return an object with a predict(X) method; got {type(model).__name__}"
        )
    name = "fit(X_train, y_train).predict(X)"
    errors = []
    for X, y in evaluation_sets:
        y_pred = as_finite_array(model.predict(X), name, ndim=1)
        check_length(y_pred, name, y.shape[0], "one prediction per row of X")
        errors.append(mean_squared_error(y, y_pred))
    return errors


def _check_features_targets(
    X: ArrayLike, y: ArrayLike, X_name: str, y_name: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    X = as_finite_array(X, X_name, ndim=(1, 2))
    y = as_finite_array(y, y_name, ndim=1)
    check_matching_rows(X, X_name, y, y_name)
    return X, y


def cross_validation_mse(
    fit: FitFunction,
    X: ArrayLike,
    y: ArrayLike,
    *,
    n_splits: int = 5,
    shuffle: bool = False,
    rng: SeedLike | None = None,
) -> NDArray[np.float64]:
    """Validation mean squared error of each fold of k-fold cross-validation.

    For each pair of :func:`kfold_indices` the model ``fit(X[train],
    y[train])`` is scored with ``mean((y[val] - predict(X[val]))**2)``.

    Parameters
    ----------
    fit : callable
        ``fit(X_train, y_train)`` returns an object with ``predict(X)``.
    X : array_like, shape (n,) or (n, p)
        Inputs (1-D inputs are passed to ``fit`` as they are, e.g. for a
        ``fit`` that builds polynomial features itself).
    y : array_like, shape (n,)
        Targets.
    n_splits, shuffle, rng
        As in :func:`kfold_indices`.

    Returns
    -------
    ndarray, shape (n_splits,)
        The MSE of every fold (average them for the CV estimate).

    Raises
    ------
    ValueError
        On bad inputs (as in :func:`kfold_indices`, plus non-finite or
        mismatched ``X``/``y``), if ``fit`` is not callable, or if the
        fitted model does not return one finite prediction per row.
    """
    check_callable(fit, "fit")
    X, y = _check_features_targets(X, y, "X", "y")
    folds = kfold_indices(X.shape[0], n_splits, shuffle=shuffle, rng=rng)
    errors = [
        _fit_and_score(fit, X[train], y[train], [(X[val], y[val])])[0] for train, val in folds
    ]
    return np.array(errors)


def learning_curve(
    fit: FitFunction,
    X_train: ArrayLike,
    y_train: ArrayLike,
    X_val: ArrayLike,
    y_val: ArrayLike,
    train_sizes: Sequence[int] | NDArray[np.integer],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Training and validation MSE as a function of the training-set size.

    For each ``m`` in ``train_sizes`` the model ``fit(X_train[:m],
    y_train[:m])`` is scored on those ``m`` training rows and on the whole
    validation set. The rows of ``X_train`` should be in random order (as
    returned by :func:`train_validation_split`).

    Parameters
    ----------
    fit : callable
        ``fit(X_train, y_train)`` returns an object with ``predict(X)``.
    X_train : array_like, shape (n_train,) or (n_train, p)
    y_train : array_like, shape (n_train,)
    X_val : array_like, shape (n_val,) or (n_val, p)
        Same number of dimensions (and columns) as ``X_train``.
    y_val : array_like, shape (n_val,)
    train_sizes : sequence of int
        Training-set sizes ``m`` with ``1 <= m <= n_train``.

    Returns
    -------
    train_mse, val_mse : ndarray, shape (len(train_sizes),)

    Raises
    ------
    ValueError
        On non-finite or mismatched arrays, ``train_sizes`` that are not
        integers in ``[1, n_train]``, a non-callable ``fit``, or a fitted
        model that does not return one finite prediction per row.
    """
    check_callable(fit, "fit")
    X_train, y_train = _check_features_targets(X_train, y_train, "X_train", "y_train")
    X_val, y_val = _check_features_targets(X_val, y_val, "X_val", "y_val")
    if X_val.shape[1:] != X_train.shape[1:]:
        raise ValueError(
            f"X_val has shape {X_val.shape}, incompatible with X_train of shape {X_train.shape}"
        )
    if np.ndim(train_sizes) != 1 or len(train_sizes) == 0:
        raise ValueError("train_sizes must be a non-empty 1-D sequence of integers")
    sizes = [check_positive_int(m, "train_sizes") for m in train_sizes]
    if max(sizes) > X_train.shape[0]:
        raise ValueError(
            f"train_sizes must not exceed the number of training rows {X_train.shape[0]};"
            f" got {max(sizes)}"
        )

    train_mse, val_mse = [], []
    for m in sizes:
        X_m, y_m = X_train[:m], y_train[:m]
        err_train, err_val = _fit_and_score(fit, X_m, y_m, [(X_m, y_m), (X_val, y_val)])
        train_mse.append(err_train)
        val_mse.append(err_val)
    return np.array(train_mse), np.array(val_mse)
