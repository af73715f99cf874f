"""Tests for regbook.model_selection."""

import numpy as np
import pytest
import sklearn.metrics
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, train_test_split

from regbook.features import polynomial_features
from regbook.linear import fit_least_squares, fit_ridge
from regbook.model_selection import (
    cross_validation_mse,
    kfold_indices,
    learning_curve,
    train_validation_split,
)



def _problem(seed, n=30, p=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = X @ rng.normal(size=p) + 0.5 * rng.normal(size=n)
    return X, y


# --- train_validation_split ----------------------------------------------------------------


@given(n=st.integers(2, 200), fraction=st.floats(0.01, 0.99), seed=st.integers(0, 2**32 - 1))
def test_split_partitions_range_and_matches_sklearn_sizes(n, fraction, seed):
    try:
        _, sk_val = train_test_split(np.arange(n), test_size=fraction, random_state=0)
    except ValueError:  # sklearn: the training part would be empty
        with pytest.raises(ValueError, match="validation_fraction"):
            train_validation_split(n, validation_fraction=fraction, rng=seed)
        return
    train, val = train_validation_split(n, validation_fraction=fraction, rng=seed)
    assert len(val) == len(sk_val) and len(train) == n - len(sk_val)
    assert len(train) >= 1 and len(val) >= 1
    np.testing.assert_array_equal(np.sort(np.concatenate([train, val])), np.arange(n))


def test_split_reproducible_and_seed_dependent():
    a = train_validation_split(50, rng=3)
    b = train_validation_split(50, rng=3)
    c = train_validation_split(50, rng=4)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_split_default_fraction_and_random_order():
    train, val = train_validation_split(20, rng=0)
    assert len(val) == 6 and len(train) == 14  # ceil(0.3 * 20)
    assert not np.all(np.diff(train) > 0)  # a random subset in random order, not sorted


@pytest.mark.parametrize(
    "kwargs, argname",
    [
        ({"n": 1}, "n"),
        ({"n": 10.0}, "n"),
        ({"validation_fraction": 0.0}, "validation_fraction"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"validation_fraction": -0.2}, "validation_fraction"),
        ({"validation_fraction": np.nan}, "validation_fraction"),
        ({"n": 2, "validation_fraction": 0.6}, "validation_fraction"),  # no training left
        ({"rng": None}, "rng"),
        ({"rng": 1.5}, "rng"),
    ],
)
def test_split_bad_input(kwargs, argname):
    arguments = {"n": 10, "rng": 0, **kwargs}
    with pytest.raises(ValueError, match=argname):
        train_validation_split(**arguments)


# --- kfold_indices -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 7, 10, 23])
@pytest.mark.parametrize("n_splits", [2, 3, 5, 7])
def test_kfold_equals_sklearn(n, n_splits):
    if n_splits > n:
        return
    ours = kfold_indices(n, n_splits)
    ref = list(KFold(n_splits).split(np.zeros(n)))
    assert len(ours) == len(ref) == n_splits
    for (train, val), (sk_train, sk_val) in zip(ours, ref):
        np.testing.assert_array_equal(train, sk_train)
        np.testing.assert_array_equal(val, sk_val)


@given(
    n=st.integers(2, 60),
    data=st.data(),
    shuffle=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_kfold_folds_partition_range(n, data, shuffle, seed):
    n_splits = data.draw(st.integers(2, n))
    folds = kfold_indices(n, n_splits, shuffle=shuffle, rng=seed if shuffle else None)
    assert len(folds) == n_splits
    all_val = np.concatenate([val for _, val in folds])
    np.testing.assert_array_equal(np.sort(all_val), np.arange(n))  # each index validated once
    sizes = [len(val) for _, val in folds]
    assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True)
    for train, val in folds:
        np.testing.assert_array_equal(train, np.setdiff1d(np.arange(n), val))


def test_kfold_shuffle_is_kfold_of_the_permutation():
    # Documented: shuffling cuts rng.permutation(n) into consecutive folds.
    n, k = 17, 4
    perm = np.random.default_rng(9).permutation(n)
    shuffled = kfold_indices(n, k, shuffle=True, rng=9)
    for (train, val), (_, plain_val) in zip(shuffled, kfold_indices(n, k)):
        np.testing.assert_array_equal(val, perm[plain_val])
        np.testing.assert_array_equal(train, np.sort(np.setdiff1d(perm, perm[plain_val])))


def test_kfold_shuffle_reproducible():
    a = kfold_indices(30, 5, shuffle=True, rng=1)
    b = kfold_indices(30, 5, shuffle=True, rng=1)
    c = kfold_indices(30, 5, shuffle=True, rng=2)
    for (ta, va), (tb, vb) in zip(a, b):
        np.testing.assert_array_equal(ta, tb)
        np.testing.assert_array_equal(va, vb)
    assert not all(np.array_equal(va, vc) for (_, va), (_, vc) in zip(a, c))


@pytest.mark.parametrize(
    "args, kwargs, argname",
    [
        ((10, 1), {}, "n_splits"),
        ((10, 0), {}, "n_splits"),
        ((10, 11), {}, "n_splits"),
        ((10, 2.0), {}, "n_splits"),
        ((1, 2), {}, "n"),
        ((10, 3), {"shuffle": True}, "rng"),
        ((10, 3), {"shuffle": True, "rng": None}, "rng"),
        ((10, 3), {"rng": 0}, "rng"),
        ((10, 3), {"shuffle": "yes", "rng": 0}, "shuffle"),
    ],
)
def test_kfold_bad_input(args, kwargs, argname):
    with pytest.raises(ValueError, match=argname):
        kfold_indices(*args, **kwargs)


# --- cross_validation_mse ------------------------------------------------------------------


@pytest.mark.parametrize("n_splits", [2, 5, 10])
def test_cross_validation_matches_sklearn_loop(n_splits):
    X, y = _problem(0, n=33)
    ours = cross_validation_mse(fit_least_squares, X, y, n_splits=n_splits)
    ref = []
    for train, val in KFold(n_splits).split(X):
        model = LinearRegression().fit(X[train], y[train])
        ref.append(sklearn.metrics.mean_squared_error(y[val], model.predict(X[val])))
    assert ours.shape == (n_splits,)
    np.testing.assert_allclose(ours, ref, rtol=1e-10)


def test_cross_validation_with_1d_inputs_and_shuffle():
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(0, 1, 40))  # sorted: unshuffled folds would extrapolate
    y = np.sin(2 * np.pi * x) + 0.1 * rng.normal(size=40)

    class Polynomial:
        """Degree-5 ridge fit on 1-D inputs."""

        def __init__(self, x_train, y_train):
            self.model = fit_ridge(self.features(x_train), y_train, 1e-6)

        @staticmethod
        def features(x):
            return polynomial_features(x, 5, include_bias=False)

        def predict(self, x):
            return self.model.predict(self.features(x))

    fit = Polynomial

    errors = cross_validation_mse(fit, x, y, n_splits=4, shuffle=True, rng=3)
    again = cross_validation_mse(fit, x, y, n_splits=4, shuffle=True, rng=3)
    np.testing.assert_array_equal(errors, again)
    # Interpolating folds of a smooth function: errors near the noise level 0.1^2.
    assert np.all(errors < 0.05)
    # Contiguous folds of sorted x make the model extrapolate: much worse on the end folds.
    assert cross_validation_mse(fit, x, y, n_splits=4).max() > 10 * errors.max()


class _Constant:
    """A broken or trivial "model" predicting a constant for ``length`` rows."""

    def __init__(self, value, length=None):
        self.value, self.length = value, length

    def predict(self, X):
        return np.full(len(X) if self.length is None else self.length, self.value)


def test_cross_validation_bad_input():
    X, y = _problem(2, n=10)
    with pytest.raises(ValueError, match="fit"):
        cross_validation_mse("not a function", X, y)
    with pytest.raises(ValueError, match="fit"):
        cross_validation_mse(lambda X, y: object(), X, y)  # no predict method
    with pytest.raises(ValueError, match="fit"):
        cross_validation_mse(lambda X, y: _Constant(np.nan), X, y)  # NaN predictions
    with pytest.raises(ValueError, match="fit"):
        cross_validation_mse(lambda X, y: _Constant(0.0, length=1), X, y)  # too few
    with pytest.raises(ValueError, match="y"):
        cross_validation_mse(fit_least_squares, X, y[:-1])
    with pytest.raises(ValueError, match="X"):
        cross_validation_mse(fit_least_squares, np.where(X > 1, np.inf, X), y)
    with pytest.raises(ValueError, match="X"):
        cross_validation_mse(fit_least_squares, X[:, :, None], y)
    with pytest.raises(ValueError, match="n_splits"):
        cross_validation_mse(fit_least_squares, X, y, n_splits=11)
    with pytest.raises(ValueError, match="rng"):
        cross_validation_mse(fit_least_squares, X, y, shuffle=True)


# --- learning_curve ------------------------------------------------------------------------


def test_learning_curve_matches_sklearn_loop():
    X, y = _problem(3, n=40)
    X_val, y_val = _problem(4, n=15)
    sizes = [5, 10, 40]
    train_mse, val_mse = learning_curve(fit_least_squares, X, y, X_val, y_val, sizes)
    for i, m in enumerate(sizes):
        model = LinearRegression().fit(X[:m], y[:m])
        assert train_mse[i] == pytest.approx(
            sklearn.metrics.mean_squared_error(y[:m], model.predict(X[:m])), rel=1e-9, abs=1e-20
        )
        assert val_mse[i] == pytest.approx(
            sklearn.metrics.mean_squared_error(y_val, model.predict(X_val)), rel=1e-9
        )


def test_learning_curve_interpolation_regime():
    # With m <= p + 1 rows, least squares with intercept fits the training data exactly.
    X, y = _problem(5, n=30, p=6)
    X_val, y_val = _problem(6, n=10, p=6)
    train_mse, val_mse = learning_curve(fit_least_squares, X, y, X_val, y_val, np.array([3, 7, 30]))
    assert train_mse[0] < 1e-20 and train_mse[1] < 1e-20
    assert train_mse[2] > 1e-3
    assert val_mse[0] > val_mse[2]  # more data helps here


@pytest.mark.parametrize(
    "change, argname",
    [
        ({"train_sizes": [0, 5]}, "train_sizes"),
        ({"train_sizes": [5, 21]}, "train_sizes"),
        ({"train_sizes": [2.5]}, "train_sizes"),
        ({"train_sizes": []}, "train_sizes"),
        ({"train_sizes": 5}, "train_sizes"),
        ({"train_sizes": [[2, 3]]}, "train_sizes"),
        ({"fit": None}, "fit"),
        ({"y_train": np.zeros(19)}, "y_train"),
        ({"y_val": np.zeros(4)}, "y_val"),
        ({"X_val": np.zeros((5, 3))}, "X_val"),
        ({"X_val": np.zeros(5)}, "X_val"),
        ({"X_train": np.full((20, 2), np.nan)}, "X_train"),
    ],
)
def test_learning_curve_bad_input(change, argname):
    X, y = _problem(7, n=20, p=2)
    X_val, y_val = _problem(8, n=5, p=2)
    arguments = {
        "fit": fit_least_squares,
        "X_train": X,
        "y_train": y,
        "X_val": X_val,
        "y_val": y_val,
        "train_sizes": [5, 10],
        **change,
    }
    with pytest.raises(ValueError, match=argname):
        learning_curve(**arguments)

