"""Tests for regbook.mlp: gradients against finite differences, batched models, input checks."""

import numpy as np
import pytest

from regbook.mlp import MLP, train
from regbook.optim import SGD, AdamW


def finite_difference_gradients(net, params, X, y, h=1e-6):
    grads = []
    for p in params:
        fd = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = net.loss(params, X, y)
            p[idx] = old - h
            down = net.loss(params, X, y)
            p[idx] = old
            fd[idx] = (up - down) / (2 * h)
        grads.append(fd)
    return grads


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("layer_norm", [False, True])
def test_gradients_match_finite_differences(activation, layer_norm):
    rng = np.random.default_rng(3)
    net = MLP((4, 5, 3, 3), activation=activation, layer_norm=layer_norm)
    params = net.init(rng=1)
    for p in params:  # move off the initial zeros and ones so every term matters
        p += 0.3 * rng.standard_normal(p.shape)
    X, y = rng.standard_normal((7, 4)), rng.integers(0, 3, 7)
    loss, grads = net.loss_and_gradients(params, X, y)
    assert loss == pytest.approx(net.loss(params, X, y), rel=1e-14)
    for g, fd, name in zip(grads, finite_difference_gradients(net, params, X, y), net.names):
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8, err_msg=name)


def test_loss_is_log_k_at_zero_weights_and_matches_a_direct_formula():
    net = MLP((3, 4))
    params = [np.zeros((3, 4)), np.zeros(4)]
    X, y = np.ones((5, 3)), np.array([0, 1, 2, 3, 0])
    assert net.loss(params, X, y) == pytest.approx(np.log(4))
    rng = np.random.default_rng(0)
    params = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    z = X @ params[0] + params[1]
    direct = np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(5), y])
    assert net.loss(params, X, y) == pytest.approx(direct, rel=1e-13)
    assert net.error_rate(params, X, y) == pytest.approx(np.mean(z.argmax(axis=1) != y))


@pytest.mark.parametrize("layer_norm", [False, True])
def test_a_batch_of_models_equals_the_models_one_by_one(layer_norm):
    rng = np.random.default_rng(5)
    net = MLP((6, 8, 4), layer_norm=layer_norm)
    params = net.init(rng=2, n_models=3)
    X, y = rng.standard_normal((10, 6)), rng.integers(0, 4, 10)
    loss, grads = net.loss_and_gradients(params, X, y)
    assert loss.shape == (3,)
    for m in range(3):
        single_loss, single_grads = net.loss_and_gradients([p[m] for p in params], X, y)
        assert loss[m] == pytest.approx(single_loss, rel=1e-13)
        for g, gs in zip(grads, single_grads):
            np.testing.assert_allclose(g[m], gs, rtol=1e-12, atol=1e-14)
    # per-model inputs give the same result as shared ones when they are equal
    loss3, _ = net.loss_and_gradients(params, np.broadcast_to(X, (3, 10, 6)), np.broadcast_to(y, (3, 10)))
    np.testing.assert_allclose(loss3, loss, rtol=1e-13)


def test_layout_and_decay_groups():
    net = MLP((4, 5, 3))
    assert net.names == ["W1", "b1", "W2", "b2"]
    assert net.decay_indices == [0, 2] and net.no_decay_indices == [1, 3]
    ln = MLP((4, 5, 6, 3), layer_norm=True)
    assert ln.names == ["W1", "gain1", "shift1", "W2", "gain2", "shift2", "W3", "b3"]
    assert [p.shape for p in ln.init(rng=0, n_models=2)][:3] == [(2, 4, 5), (2, 5), (2, 5)]
    assert ln.no_decay_indices == [1, 2, 4, 5, 7]


def test_init_scale_and_dtype():
    net = MLP((400, 300, 2))
    W1 = net.init(rng=0)[0]
    assert W1.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)  # He initialisation
    assert net.init(rng=0, dtype=np.float32)[0].dtype == np.float32


def test_training_fits_a_separable_problem_and_is_deterministic():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)  # XOR-like: needs the hidden layer
    net = MLP((2, 16, 2))
    runs = []
    for _ in range(2):
        params = net.init(rng=1)
        train(net, params, AdamW(lr=0.05, weight_decay=0.0), X, y, epochs=100, batch_size=20, rng=3)
        runs.append(params)
    assert net.error_rate(runs[0], X, y) < 0.05
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)


def test_train_uses_the_multiplier():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((8, 2)), rng.integers(0, 2, 8)
    net = MLP((2, 3, 2))
    params = net.init(rng=0)
    before = [p.copy() for p in params]
    train(net, params, SGD(lr=1.0), X, y, epochs=2, batch_size=4, rng=0, multiplier=lambda t: 0.0)
    for a, b in zip(params, before):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda net, P: net.loss(P[:-1], np.ones((2, 3)), np.array([0, 1])), "params must hold"),
        (lambda net, P: net.loss([P[0].T, *P[1:]], np.ones((2, 3)), np.array([0, 1])), "W1"),
        (lambda net, P: net.loss(P, np.ones((2, 4)), np.array([0, 1])), "X must"),
        (lambda net, P: net.loss(P, np.array([[np.nan, 0, 0], [0, 0, 0]]), np.array([0, 1])), "finite"),
        (lambda net, P: net.loss(P, np.ones((2, 3)), np.array([0, 2])), "labels in"),
        (lambda net, P: net.loss(P, np.ones((2, 3)), np.array([0.0, 1.0])), "integer"),
        (lambda net, P: net.loss(P, np.ones((2, 3)), np.array([0, 1, 1])), "rows"),
    ],
)
def test_bad_input_raises(call, match):
    net = MLP((3, 4, 2))
    with pytest.raises(ValueError, match=match):
        call(net, net.init(rng=0))


@pytest.mark.parametrize(
    "kwargs, match",
    [({"sizes": (3,)}, "sizes"), ({"sizes": (3, 1)}, "sizes"), ({"sizes": (3, 2), "activation": "gelu"}, "activation"),
     ({"sizes": (3, 0, 2)}, "sizes")],
)
def test_bad_architecture_raises(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MLP(**kwargs)
