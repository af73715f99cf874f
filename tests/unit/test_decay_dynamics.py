"""regbook.decay_dynamics: scale invariance, rotational equilibrium, AdamW as an EMA, AdamW's box."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given
from hypothesis import strategies as st

from regbook import decay_dynamics as dd
from regbook.mlp import MLP, train
from regbook.optim import SGD, Adam, AdamW


def _data(rng, n=30, d=6, classes=3):
    return rng.standard_normal((n, d)), rng.integers(0, classes, n)


# --- scale invariance -------------------------------------------------------------------------


def test_scale_invariant_positions_leave_the_loss_unchanged_and_the_gradient_orthogonal():
    rng = np.random.default_rng(0)
    net = MLP((6, 8, 7, 3), layer_norm=True)
    X, y = _data(rng)
    params = net.init(rng=1)
    positions = dd.scale_invariant_positions(net)
    assert positions == [0, 3]
    loss, grads = net.loss_and_gradients(params, X, y)
    for i in positions:
        for c in (0.5, 3.0):
            scaled = [p * c if k == i else p for k, p in enumerate(params)]
            loss_c, grads_c = net.loss_and_gradients(scaled, X, y)
            assert abs(loss_c - loss) < 1e-4 * loss  # exact up to the layer norm's epsilon
            # the gradient scales like 1/c
            np.testing.assert_allclose(grads_c[i] * c, grads[i], rtol=0, atol=1e-3 * np.abs(grads[i]).max())
        cos = np.sum(grads[i] * params[i]) / np.linalg.norm(grads[i]) / np.linalg.norm(params[i])
        assert abs(cos) < 1e-4
    # the output layer is not scale-invariant
    out = net.decay_indices[-1]
    scaled = [p * 2.0 if k == out else p for k, p in enumerate(params)]
    assert abs(net.loss(scaled, X, y) - loss) > 1e-3
    assert dd.scale_invariant_positions(MLP((6, 8, 3))) == []


def test_orthogonality_is_the_derivative_of_the_loss_along_the_weight():
    """<g, W> = d/dc L(cW) at c = 1, by central differences: about zero for an invariant W."""
    rng = np.random.default_rng(1)
    net = MLP((5, 6, 3), layer_norm=True)
    X, y = _data(rng, d=5)
    params = net.init(rng=2)
    _, grads = net.loss_and_gradients(params, X, y)
    h = 1e-5

    def at(c):
        return net.loss([params[0] * c] + params[1:], X, y)

    derivative = (at(1 + h) - at(1 - h)) / (2 * h)
    assert abs(derivative - np.sum(grads[0] * params[0])) < 1e-8
    assert abs(derivative) < 1e-4 * np.linalg.norm(grads[0]) * np.linalg.norm(params[0])


# --- angles -----------------------------------------------------------------------------------


@given(st.floats(1e-9, np.pi - 1e-6), st.floats(1e-3, 1e3))
def test_angle_between_rotated_vectors(theta, scale):
    a = np.array([1.0, 0.0, 0.0])
    b = scale * np.array([np.cos(theta), np.sin(theta), 0.0])
    assert abs(dd.angle_between(a, b) - theta) < 1e-12 * max(1.0, theta)


def test_angle_between_per_model_and_matches_arccos():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((4, 5, 6)), rng.standard_normal((4, 5, 6))
    angles = dd.angle_between(a, b, model_axes=1)
    assert angles.shape == (4,)
    for m in range(4):
        cos = np.sum(a[m] * b[m]) / np.linalg.norm(a[m]) / np.linalg.norm(b[m])
        assert abs(angles[m] - np.arccos(cos)) < 1e-12
    assert abs(dd.angle_between(a, -a) - np.pi) < 1e-12 and dd.angle_between(a, 2 * a) < 1e-7
    with pytest.raises(ValueError, match="b must be non-zero"):
        dd.angle_between(a, np.zeros_like(a))


# --- equilibrium ------------------------------------------------------------------------------


@pytest.mark.parametrize("eta, lam, G", [(0.1, 1e-2, 3.0), (0.5, 0.1, 0.2), (1.0, 0.5, 7.0)])
def test_sgd_equilibrium_is_the_fixed_point_of_the_norm_recursion(eta, lam, G):
    norm2 = 5.0
    for _ in range(100_000):  # ||W||^2 <- (1 - eta lam)^2 ||W||^2 + eta^2 G / ||W||^2
        norm2 = (1 - eta * lam) ** 2 * norm2 + eta**2 * G / norm2
    eq = dd.rotational_equilibrium(lr=eta, weight_decay=lam, optimizer="sgd", grad_sq_norm=G)
    assert abs(eq.norm - np.sqrt(norm2)) < 1e-10 * eq.norm
    # at the fixed point the step turns W by atan(eta ||g|| / ((1 - eta lam) ||W||)), ||g|| = sqrt(G)/||W||
    turn = np.arctan(eta * np.sqrt(G / norm2) / ((1 - eta * lam) * np.sqrt(norm2)))
    assert abs(eq.angle - turn) < 1e-10


def test_sgd_equilibrium_in_a_simulated_scale_invariant_problem():
    """Gradients orthogonal to W with ||g|| = ||g_1||/||W||: norm and rms angle as predicted."""
    rng = np.random.default_rng(4)
    C, eta, lam = 200, 0.5, 0.02
    W = rng.standard_normal(C) * 3
    norms, angles = [], []
    for t in range(6000):
        g1 = rng.standard_normal(C) / np.sqrt(C) * 2.0  # E||g_1||^2 = 4 (at unit norm)
        norm = np.linalg.norm(W)
        g = g1 - (g1 @ W) / norm**2 * W  # orthogonal to W ...
        g *= np.linalg.norm(g1) / np.linalg.norm(g) / norm  # ... of size ||g_1|| / ||W||
        new = (1 - eta * lam) * W - eta * g
        if t >= 2000:
            norms.append(np.linalg.norm(new))
            angles.append(dd.angle_between(W, new))
        W = new
    eq = dd.rotational_equilibrium(lr=eta, weight_decay=lam, optimizer="sgd", grad_sq_norm=4.0)
    assert abs(np.mean(norms) / eq.norm - 1) < 0.02
    assert abs(np.sqrt(np.mean(np.square(angles))) / eq.angle - 1) < 0.02


@pytest.mark.parametrize("beta1", [0.0, 0.9])
def test_adamw_equilibrium_in_the_random_walk_model(beta1):
    """W <- (1 - eta wd) W - eta m_t, m_t the EMA of independent unit-variance directions."""
    rng = np.random.default_rng(5)
    C, eta, wd = 400, 0.01, 0.5
    W, m = np.zeros(C), np.zeros(C)
    norms, angles = [], []
    for t in range(8000):
        m = beta1 * m + (1 - beta1) * rng.standard_normal(C)
        new = (1 - eta * wd) * W - eta * m
        if t >= 3000:
            norms.append(np.linalg.norm(new))
            angles.append(dd.angle_between(W, new))
        W = new
    eq = dd.rotational_equilibrium(lr=eta, weight_decay=wd, optimizer="adamw", n_entries=C, beta1=beta1)
    assert abs(np.sqrt(np.mean(np.square(norms))) / eq.norm - 1) < 0.05
    assert abs(np.sqrt(np.mean(np.square(angles))) / eq.angle - 1) < 0.05


def test_rotational_equilibrium_needs_its_arguments():
    with pytest.raises(ValueError, match="grad_sq_norm"):
        dd.rotational_equilibrium(lr=0.1, weight_decay=0.1, optimizer="sgd")
    with pytest.raises(ValueError, match="n_entries"):
        dd.rotational_equilibrium(lr=0.1, weight_decay=0.1, optimizer="adamw")
    with pytest.raises(ValueError, match="lr \\* weight_decay"):
        dd.rotational_equilibrium(lr=2.0, weight_decay=0.5, optimizer="sgd", grad_sq_norm=1.0)


# --- AdamW as an EMA ----------------------------------------------------------------------------


def test_adam_directions_are_the_steps_of_adam_with_unit_rate():
    rng = np.random.default_rng(6)
    grads = rng.standard_normal((40, 6)) * np.array([1.0, 1e-3] * 3)
    u = dd.adam_directions(grads, betas=(0.8, 0.99), eps=1e-6)
    w, opt = np.zeros(6), Adam(lr=1.0, betas=(0.8, 0.99), eps=1e-6)
    for t in range(40):
        before = w.copy()
        opt.step([w], [grads[t]])
        np.testing.assert_allclose(before - w, u[t], rtol=1e-12, atol=1e-15)


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=30))
def test_ema_coefficients_reproduce_the_recursion(alphas):
    rng = np.random.default_rng(len(alphas))
    z = rng.standard_normal(len(alphas) + 1)
    x = z[0]
    for a, target in zip(alphas, z[1:]):
        x = (1 - a) * x + a * target
    c = dd.ema_coefficients(alphas)
    assert abs(c.sum() - 1) < 1e-12 and np.all(c >= 0)
    assert abs(c @ z - x) < 1e-12


@pytest.mark.parametrize("with_schedule", [False, True])
def test_adamw_is_an_ema_of_its_directions(with_schedule):
    """AdamW's iterates on a toy quadratic = the EMA of -u_t/wd, from recorded gradients."""
    rng = np.random.default_rng(7)
    A = rng.standard_normal((8, 8)) / 3
    target = rng.standard_normal(8)
    T, lr, wd = 300, 0.02, 0.5
    s = 0.5 * (1 + np.cos(np.pi * np.arange(T) / T)) if with_schedule else np.ones(T)
    w = rng.standard_normal(8)
    w0, grads = w.copy(), []
    opt = AdamW(lr=lr, weight_decay=wd)
    for t in range(T):
        g = A.T @ (A @ w - target)
        grads.append(g)
        opt.step([w], [g], multiplier=s[t])
    u = dd.adam_directions(np.array(grads))
    ema = dd.adamw_as_ema(w0, u, lr=lr, weight_decay=wd, multipliers=s if with_schedule else None)
    assert np.max(np.abs(ema - w)) < 1e-12 * np.max(np.abs(w))


def test_timescale_and_its_inverse():
    assert dd.timescale(1e-3, 0.1) == pytest.approx(1e4, rel=1e-15)
    assert dd.timescale(1e-3, 0.1, steps_per_epoch=100) == pytest.approx(100.0, rel=1e-15)
    wd = dd.weight_decay_for_timescale(7.0, lr=3e-3, steps_per_epoch=13)
    assert dd.timescale(3e-3, wd, steps_per_epoch=13) == pytest.approx(7.0, rel=1e-14)
    # doubling the data (steps per epoch) halves the decay for the same timescale in epochs
    assert dd.weight_decay_for_timescale(7.0, lr=3e-3, steps_per_epoch=26) == pytest.approx(wd / 2, rel=1e-14)


# --- the box ------------------------------------------------------------------------------------


def _regression(rng, n=40, p=5):
    X = rng.standard_normal((n, p))
    y = X @ np.array([3.0, -2.0, 0.5, 0.0, 1.0])[:p] + 0.5 + rng.standard_normal(n)
    return X, y


@pytest.mark.parametrize("bound", [0.3, 1.0, 100.0])
def test_box_least_squares_against_a_generic_solver(bound):
    rng = np.random.default_rng(8)
    X, y = _regression(rng)
    fit = dd.box_least_squares(X, y, bound)
    n, p = X.shape

    def objective(v):
        r = y - X @ v[:p] - v[p]
        return r @ r / (2 * n)

    ref = scipy.optimize.minimize(objective, np.zeros(p + 1), method="L-BFGS-B",
                                  bounds=[(-bound, bound)] * p + [(None, None)], options={"ftol": 1e-15, "gtol": 1e-12})
    assert objective(np.append(fit.coef, fit.intercept)) <= ref.fun + 1e-12
    np.testing.assert_allclose(fit.coef, ref.x[:p], atol=1e-5)
    assert fit.kkt < 1e-10 and np.all(np.abs(fit.coef) <= bound)
    if bound == 100.0:  # an inactive box: least squares
        ols = np.linalg.lstsq(np.hstack([X, np.ones((n, 1))]), y, rcond=None)[0]
        np.testing.assert_allclose(fit.coef, ols[:p], atol=1e-10)
        assert fit.n_at_bound == 0
    else:
        assert fit.n_at_bound >= 1


def test_box_without_intercept_and_the_certificate_detects_non_solutions():
    rng = np.random.default_rng(9)
    X, y = _regression(rng)
    fit = dd.box_least_squares(X, y, 1.0, fit_intercept=False)
    assert fit.intercept == 0.0
    assert dd.box_kkt_violation(X, y, fit.coef, 0.0, 1.0, fit_intercept=False) < 1e-10
    assert dd.box_kkt_violation(X, y, fit.coef, 0.0, 1.0) > 1e-3  # with intercept it is no solution
    moved = fit.coef.copy()
    moved[2] += 1e-3
    assert dd.box_kkt_violation(X, y, moved, 0.0, 1.0, fit_intercept=False) > 1e-5


def test_adamw_least_squares_batched_and_approaching_the_box():
    rng = np.random.default_rng(10)
    X, y = _regression(rng)
    wds = np.array([0.5, 2.0])
    coef, intercept = dd.adamw_least_squares(X, y, lr=0.05, weight_decay=wds, n_steps=300)
    for k, wd in enumerate(wds):
        one, b_one = dd.adamw_least_squares(X, y, lr=0.05, weight_decay=wd, n_steps=300)
        np.testing.assert_allclose(coef[k], one, rtol=1e-12, atol=1e-14)
        assert abs(intercept[k] - b_one) < 1e-12
    both, _ = dd.adamw_least_squares(X, y, lr=np.array([0.05, 0.1]), weight_decay=wds, n_steps=300)
    np.testing.assert_allclose(both[0], coef[0], rtol=1e-12, atol=1e-14)
    other, _ = dd.adamw_least_squares(X, y, lr=0.1, weight_decay=wds[1], n_steps=300)
    np.testing.assert_allclose(both[1], other, rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="same length"):
        dd.adamw_least_squares(X, y, lr=np.array([0.1, 0.2, 0.3]), weight_decay=wds, n_steps=3)
    for wd in wds:
        box = dd.box_least_squares(X, y, 1 / wd)
        dist = [np.abs(dd.adamw_least_squares(X, y, lr=0.05, weight_decay=wd, n_steps=s)[0] - box.coef).max()
                for s in (500, 4000)]
        assert dist[1] < 0.5 * dist[0] and dist[1] < 0.1


# --- training with a callback -------------------------------------------------------------------


def test_train_callback_sees_every_step():
    rng = np.random.default_rng(11)
    net = MLP((4, 5, 3), layer_norm=True)
    X, y = _data(rng, n=10, d=4)
    params = net.init(rng=0)
    seen = []
    train(net, params, SGD(lr=0.1), X, y, epochs=2, batch_size=4, rng=1,
          callback=lambda t, p: seen.append((t, float(np.linalg.norm(p[0])))))
    assert [t for t, _ in seen] == list(range(6))
    assert seen[-1][1] == pytest.approx(np.linalg.norm(params[0]), rel=0, abs=0)
    with pytest.raises(TypeError, match="callback"):
        train(net, params, SGD(lr=0.1), X, y, epochs=1, batch_size=4, rng=1, callback=3)
