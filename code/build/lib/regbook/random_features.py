"""Random ReLU features: a linear model on them is a two-layer network whose first layer is frozen.

The feature map is ``phi(x) = max(0, x @ W)`` with a fixed random matrix ``W`` of shape
``(n_inputs, n_features)`` whose entries are independent ``N(0, 1 / n_inputs)``, so that for inputs with
``E ||x||^2 = n_inputs`` each pre-activation has variance about 1. Fitting only the output weights (by
least squares or ridge) gives the *random features model* in which double descent is usually studied:
the test error of the minimum-norm least-squares fit peaks where the number of parameters reaches the
number of examples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import SeedLike, as_finite_array, as_rng, check_positive_int

__all__ = ["RandomReLUFeatures", "random_relu_features"]


@dataclass(frozen=True, eq=False)
class RandomReLUFeatures:
    """A fixed random ReLU feature map ``phi(x) = max(0, x @ weights)``.

    Attributes
    ----------
    weights : ndarray, shape (n_inputs, n_features)
        The frozen first-layer weights (stored as a read-only copy).
    """

    weights: NDArray[np.float64]

    def __post_init__(self) -> None:
        weights = as_finite_array(self.weights, "weights", ndim=2).copy()
        weights.setflags(write=False)
        object.__setattr__(self, "weights", weights)

    @property
    def n_features(self) -> int:
        """Number of features (columns of the output)."""
        return self.weights.shape[1]

    def transform(self, X: ArrayLike, n_features: int | None = None) -> NDArray[np.float64]:
        """The features ``max(0, X @ weights[:, :n_features])``.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs)
            Inputs, one row per example.
        n_features : int, optional
            Use only the first ``n_features`` columns of ``weights`` (nested feature sets, so that
            models with more features contain those with fewer). Default: all.

        Returns
        -------
        ndarray, shape (n, n_features)

        Raises
        ------
        ValueError
            If ``X`` is not a finite 2-D array with ``n_inputs`` columns, or ``n_features`` is not an
            integer between 1 and the number of available features.
        """
        X = as_finite_array(X, "X", ndim=2)
        if X.shape[1] != self.weights.shape[0]:
            raise ValueError(f"X has {X.shape[1]} columns but the map expects {self.weights.shape[0]} inputs")
        if n_features is None:
            n_features = self.n_features
        n_features = check_positive_int(n_features, "n_features")
        if n_features > self.n_features:
            raise ValueError(f"n_features={n_features} exceeds the {self.n_features} features available")
        return np.maximum(X @ self.weights[:, :n_features], 0.0)


def random_relu_features(n_inputs: int, n_features: int, *, rng: SeedLike) -> RandomReLUFeatures:
    """Draw a random ReLU feature map with weights ``N(0, 1 / n_inputs)``.

    Parameters
    ----------
    n_inputs : int
        Input dimension ``d >= 1``.
    n_features : int
        Number of features ``>= 1``.
    rng : int or numpy.random.Generator
        Seed or generator (required). The weights are drawn in one call,
        ``rng.normal(size=(n_inputs, n_features)) / sqrt(n_inputs)``, so the first ``k`` features of a
        larger map drawn with the same seed are *not* those of a smaller one; use
        :meth:`RandomReLUFeatures.transform` with ``n_features`` for nested sets.

    Returns
    -------
    RandomReLUFeatures

    Raises
    ------
    ValueError
        If a size is not a positive integer or ``rng`` is not a seed or generator.
    """
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    n_features = check_positive_int(n_features, "n_features")
    rng = as_rng(rng)
    return RandomReLUFeatures(weights=rng.normal(size=(n_inputs, n_features)) / np.sqrt(n_inputs))
