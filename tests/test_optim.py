"""Tests for regbook.optim: every update rule against steps computed by hand in the test."""

import json
import math
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regbook.optim import SGD, SGDW, Adam, AdamW, AdamWPaper, cosine_multiplier, normalized_weight_decay



def run(opt, theta0, grad_fn, steps, multipliers=None):
    """Trajectory of one parameter array under `opt`, gradient `grad_fn(theta, t)`."""
    theta = np.array(theta0, dtype=float)
    path = [theta.copy()]
    for t in range(steps):
        eta = 1.0 if multipliers is None else multipliers[t]
        opt.step([theta], [grad_fn(theta, t)], multiplier=eta)
        path.append(theta.copy())
    return np.array(path)


def quadratic_grad(theta, t):
    """Gradient of 0.5 * sum(a * theta**2) - sum(c * theta), plus a step-dependent wobble."""
    a = np.array([2.0, 0.5, 10.0])[: theta.size]
    c = np.array([1.0, -1.0, 0.3])[: theta.size]
    return a * theta - c + 0.1 * math.sin(t)


# -- SGD -------------------------------------------------------------------------------------
def test_sgd_by_hand_plain_and_coupled_weight_decay():
    lr, wd = 0.1, 0.5
    th = [1.0, -2.0]
    opt = SGD(lr=lr, weight_decay=wd)
    p = np.array(th)
    g1 = np.array([0.5, 0.25])
    opt.step([p], [g1])
    expected = [th[i] - lr * (g1[i] + wd * th[i]) for i in range(2)]
    np.testing.assert_allclose(p, expected, rtol=1e-15)


def test_sgd_momentum_dampening_by_hand():
    lr, mu, tau = 0.1, 0.9, 0.3
    opt = SGD(lr=lr, momentum=mu, dampening=tau)
    p = np.array([1.0])
    gs = [2.0, -1.0, 0.5]
    theta, buf = 1.0, None
    for k, g in enumerate(gs):
        opt.step([p], [np.array([g])])
        buf = g if k == 0 else mu * buf + (1 - tau) * g  # first step: no dampening
        theta -= lr * buf
        assert p[0] == pytest.approx(theta, rel=1e-14)


def test_sgd_nesterov_with_weight_decay_by_hand():
    lr, mu, wd = 0.05, 0.8, 0.1
    opt = SGD(lr=lr, momentum=mu, nesterov=True, weight_decay=wd)
    p = np.array([3.0])
    theta, buf = 3.0, None
    for k, g in enumerate([1.0, 2.0, -0.5, 0.25]):
        opt.step([p], [np.array([g])])
        d = g + wd * theta
        buf = d if k == 0 else mu * buf + d
        theta -= lr * (d + mu * buf)
        assert p[0] == pytest.approx(theta, rel=1e-14)


def test_sgdw_by_hand_with_schedule():
    alpha, mu, lam = 0.1, 0.9, 0.02
    etas = [1.0, 0.5, 0.25]
    opt = SGDW(lr=alpha, momentum=mu, weight_decay=lam)
    p = np.array([2.0])
    theta, m = 2.0, 0.0
    for g, eta in zip([1.0, -3.0, 0.5], etas):
        opt.step([p], [np.array([g])], multiplier=eta)
        m = mu * m + eta * alpha * g
        theta = theta - m - eta * lam * theta
        assert p[0] == pytest.approx(theta, rel=1e-14)


def test_l2_in_the_loss_equals_weight_decay_for_plain_sgd():
    # SGD on f + (lam/2)||theta||^2  ==  SGD(weight_decay=lam)  ==  SGDW(weight_decay=lr*lam)
    lr, lam = 0.05, 0.3
    with_penalty = run(SGD(lr=lr), [1.0, -1.0, 0.5], lambda th, t: quadratic_grad(th, t) + lam * th, 300)
    coupled = run(SGD(lr=lr, weight_decay=lam), [1.0, -1.0, 0.5], quadratic_grad, 300)
    decoupled = run(SGDW(lr=lr, weight_decay=lr * lam), [1.0, -1.0, 0.5], quadratic_grad, 300)
    np.testing.assert_allclose(coupled, with_penalty, rtol=0, atol=1e-14)
    np.testing.assert_allclose(decoupled, with_penalty, rtol=0, atol=1e-13)


def test_coupled_and_decoupled_differ_with_momentum():
    lr, lam, mu = 0.05, 0.3, 0.9
    coupled = run(SGD(lr=lr, momentum=mu, weight_decay=lam), [1.0, -1.0, 0.5], quadratic_grad, 300)
    decoupled = run(SGDW(lr=lr, momentum=mu, weight_decay=lr * lam), [1.0, -1.0, 0.5], quadratic_grad, 300)
    assert np.abs(coupled - decoupled).max() > 1e-2
    # without decay, SGDW is SGD with momentum (the learning rate inside the buffer changes nothing)
    np.testing.assert_allclose(
        run(SGDW(lr=lr, momentum=mu), [1.0, -1.0, 0.5], quadratic_grad, 200),
        run(SGD(lr=lr, momentum=mu), [1.0, -1.0, 0.5], quadratic_grad, 200),
        rtol=0, atol=1e-12,
    )


def test_fixed_points_coupled_ridge_and_decoupled_with_momentum():
    # f = 0.5 a theta^2 - c theta. Coupled L2: theta* = c / (a + lam). SGDW with momentum mu and
    # decay lam_p: eta-free fixed point  grad + (1 - mu) lam_p / lr * theta = 0.
    a, c, lr, mu, lam = 2.0, 1.0, 0.05, 0.9, 0.4
    grad = lambda th, t: a * th - c  # noqa: E731
    coupled = run(SGD(lr=lr, momentum=mu, weight_decay=lam), [0.0], grad, 3000)[-1, 0]
    decoupled = run(SGDW(lr=lr, momentum=mu, weight_decay=lr * lam), [0.0], grad, 3000)[-1, 0]
    assert coupled == pytest.approx(c / (a + lam), rel=1e-10)
    assert decoupled == pytest.approx(c / (a + (1 - mu) * lam), rel=1e-10)


# -- Adam, AdamW, the paper's AdamW ------------------------------------------------------------
def adam_by_hand(theta, grads, lr, b1, b2, eps, wd, decay, etas=None, amsgrad=False):
    m = v = vmax = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        eta = 1.0 if etas is None else etas[t - 1]
        if decay == "coupled":
            g = g + wd * theta
        elif decay == "lr":
            theta = theta - lr * eta * wd * theta
        elif decay == "schedule":
            theta = theta - eta * wd * theta
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = max(vmax, v)
        m_hat = m / (1 - b1**t)
        v_hat = (vmax if amsgrad else v) / (1 - b2**t)
        theta = theta - lr * eta * m_hat / (math.sqrt(v_hat) + eps)
        out.append(theta)
    return out


@pytest.mark.parametrize(
    "cls, decay, kwargs",
    [
        (Adam, "coupled", {"weight_decay": 0.1}),
        (Adam, "coupled", {"weight_decay": 0.0, "amsgrad": True}),
        (AdamW, "lr", {"weight_decay": 0.1}),
        (AdamW, "lr", {"weight_decay": 0.1, "amsgrad": True}),
        (AdamWPaper, "schedule", {"weight_decay": 0.01}),
    ],
)
def test_adam_family_by_hand(cls, decay, kwargs):
    lr, b1, b2, eps = 0.01, 0.8, 0.95, 1e-6
    grads = [1.0, 0.2, -0.05, 0.01, 0.3]  # a falling |g| makes amsgrad's maximum matter
    etas = [1.0, 0.9, 0.5, 0.3, 0.1]
    opt = cls(lr=lr, betas=(b1, b2), eps=eps, **kwargs)
    p = np.array([0.7])
    for k, g in enumerate(grads):
        opt.step([p], [np.array([g])], multiplier=etas[k])
    expected = adam_by_hand(0.7, grads, lr, b1, b2, eps, kwargs["weight_decay"], decay, etas,
                            kwargs.get("amsgrad", False))
    assert p[0] == pytest.approx(expected[-1], rel=1e-13)


def test_amsgrad_changes_the_result_when_gradients_fall():
    grads = [1.0, 0.2, -0.05, 0.01, 0.3]
    a, b = np.array([0.7]), np.array([0.7])
    plain, ams = Adam(lr=0.01, betas=(0.9, 0.5)), Adam(lr=0.01, betas=(0.9, 0.5), amsgrad=True)
    for g in grads:
        plain.step([a], [np.array([g])])
        ams.step([b], [np.array([g])])
    assert abs(a[0] - b[0]) > 1e-4


def test_defaults_are_pytorchs():
    assert AdamW().defaults == {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False}
    assert Adam().defaults["weight_decay"] == 0.0
    assert SGD().defaults == {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False}


def test_first_adam_step_has_size_lr():
    p = np.array([0.0, 0.0])
    Adam(lr=0.01, eps=0.0).step([p], [np.array([3.0, -1e-4])])
    np.testing.assert_allclose(p, [-0.01, 0.01], rtol=1e-14)


def test_adam_l2_differs_from_adamw():
    a = run(Adam(lr=0.01, weight_decay=0.5), [1.0, -1.0, 0.5], quadratic_grad, 200)
    b = run(AdamW(lr=0.01, weight_decay=0.5), [1.0, -1.0, 0.5], quadratic_grad, 200)
    assert np.abs(a - b).max() > 1e-2


def test_adamw_paper_equals_pytorch_adamw_with_lambda_equal_lr_times_wd():
    alpha, wd, T = 0.02, 0.3, 150
    etas = cosine_multiplier(np.arange(T), T)
    ours = run(AdamWPaper(lr=alpha, weight_decay=alpha * wd), [1.0, -1.0, 0.5], quadratic_grad, T, etas)
    torch_style = run(AdamW(lr=alpha, weight_decay=wd), [1.0, -1.0, 0.5], quadratic_grad, T, etas)
    np.testing.assert_allclose(ours, torch_style, rtol=0, atol=1e-13)


# -- a grid of models in one call -------------------------------------------------------------
@given(seed=st.integers(0, 2**16), kind=st.sampled_from(["sgd", "sgdw", "adam", "adamw", "paper"]),
       dtype=st.sampled_from([np.float64, np.float32]))
def test_array_hyperparameters_equal_separate_runs(seed, kind, dtype):
    # Exactly equal, in single precision too: each model of a batch gets the coefficients it gets alone.
    rng = np.random.default_rng(seed)
    M = 4
    lr = rng.uniform(0.001, 0.1, M)
    wd = rng.uniform(0.0, 0.5, M)
    mom = rng.uniform(0.0, 0.95, M)
    make = {
        "sgd": lambda l, w, m: SGD(lr=l, weight_decay=w, momentum=m, dampening=0.1),
        "sgdw": lambda l, w, m: SGDW(lr=l, weight_decay=w * 0.1, momentum=m),
        "adam": lambda l, w, m: Adam(lr=l, weight_decay=w, betas=(m, 0.99)),
        "adamw": lambda l, w, m: AdamW(lr=l, weight_decay=w, betas=(m, 0.99), amsgrad=True),
        "paper": lambda l, w, m: AdamWPaper(lr=l, weight_decay=w * 0.1, betas=(m, 0.99)),
    }[kind]
    W0, b0 = rng.standard_normal((M, 3, 2)).astype(dtype), rng.standard_normal((M, 2)).astype(dtype)
    grads = [(rng.standard_normal((M, 3, 2)).astype(dtype), rng.standard_normal((M, 2)).astype(dtype))
             for _ in range(6)]
    etas = rng.uniform(0.1, 1.0, (6, M))
    W, b = W0.copy(), b0.copy()
    batched = make(lr, wd, mom)
    for (gW, gb), eta in zip(grads, etas):
        batched.step([W, b], [gW, gb], multiplier=eta)
    for i in range(M):
        Wi, bi = W0[i].copy(), b0[i].copy()
        single = make(lr[i], wd[i], mom[i])
        for (gW, gb), eta in zip(grads, etas):
            single.step([Wi, bi], [gW[i], gb[i]], multiplier=eta[i])
        np.testing.assert_array_equal(W[i], Wi)
        np.testing.assert_array_equal(b[i], bi)
        assert W.dtype == Wi.dtype == dtype


def test_groups_exclude_a_parameter_from_decay():
    W, b = np.array([1.0, 2.0]), np.array([1.0])
    opt = AdamW(lr=0.1, weight_decay=0.5, groups=[{"params": [1], "weight_decay": 0.0}])
    opt.step([W, b], [np.zeros(2), np.zeros(1)])  # zero gradient: only the decay moves anything
    np.testing.assert_allclose(W, [0.95, 1.9], rtol=1e-15)
    assert b[0] == 1.0
    assert opt.hyperparameters(1)["weight_decay"] == 0.0 and opt.hyperparameters(0)["weight_decay"] == 0.5


def test_a_step_allocates_no_array_of_the_parameters_size():
    n = 200_000
    for opt in (SGD(lr=0.1, momentum=0.9, weight_decay=1e-3), SGD(lr=0.1, momentum=0.9, nesterov=True),
                SGDW(lr=0.1, momentum=0.9, weight_decay=1e-3), Adam(weight_decay=1e-3, amsgrad=True), AdamW()):
        p, g = np.ones(n), np.full(n, 0.5)
        opt.step([p], [g])  # the first step allocates the state
        tracemalloc.start()
        opt.step([p], [g])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 0.1 * p.nbytes, (type(opt).__name__, peak)


# -- schedules ---------------------------------------------------------------------------------
def test_cosine_multiplier_values():
    T = 10
    assert cosine_multiplier(0, T) == 1.0
    assert cosine_multiplier(5, T) == pytest.approx(0.5)
    assert cosine_multiplier(T, T) == pytest.approx(0.0, abs=1e-15)
    assert cosine_multiplier(T, T, final=0.1) == pytest.approx(0.1)
    t = np.arange(T + 1)
    np.testing.assert_allclose(cosine_multiplier(t, T), 0.5 * (1 + np.cos(np.pi * t / T)))
    with pytest.raises(ValueError, match="step"):
        cosine_multiplier(11, T)
    with pytest.raises(ValueError, match="step"):
        cosine_multiplier(0.5, T)
    with pytest.raises(ValueError, match="total_steps"):
        cosine_multiplier(0, 0)


def test_normalized_weight_decay():
    # b = 128, B = 50000, T = 200: lambda = lambda_norm * sqrt(128 / 10^7)
    assert normalized_weight_decay(0.05, batch_size=128, n_train=50_000, epochs=200) == pytest.approx(
        0.05 * math.sqrt(128 / 1e7)
    )
    with pytest.raises(ValueError, match="lambda_norm"):
        normalized_weight_decay(-1.0, batch_size=1, n_train=1, epochs=1)


# -- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: SGD(lr=-0.1), "lr"),
        (lambda: SGD(weight_decay=-1e-3), "weight_decay"),
        (lambda: SGD(momentum=1.0), "momentum"),
        (lambda: SGD(nesterov=True), "nesterov"),
        (lambda: SGD(momentum=0.9, dampening=0.1, nesterov=True), "nesterov"),
        (lambda: Adam(betas=(1.0, 0.999)), "beta1"),
        (lambda: Adam(betas=(0.9, -0.1)), "beta2"),
        (lambda: AdamW(betas=(0.9,)), "betas"),
        (lambda: AdamW(eps=-1.0), "eps"),
        (lambda: AdamW(lr=np.array([0.1, np.nan])), "lr"),
        (lambda: AdamW(lr=np.ones(3), weight_decay=np.ones(2)), "same length"),
        (lambda: SGDW(weight_decay=-0.1), "weight_decay"),
        (lambda: AdamW(groups=[{"params": [0], "lr_": 1.0}]), "unknown"),
        (lambda: AdamW(groups=[{"params": [0]}, {"params": [0]}]), "repeats"),
        (lambda: AdamW(groups=[{"weight_decay": 0.0}]), "params"),
    ],
)
def test_bad_hyperparameters_raise(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_large_finite_gradients_are_accepted():
    p = np.ones(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no overflow warning is printed
        SGD(lr=1e-320).step([p], [np.array([1e308, 1e308, -1e308])])  # their sum overflows; they are finite
    np.testing.assert_allclose(p, [1.0, 1.0, 1.0])


def test_bad_steps_raise():
    p = np.ones(3)
    opt = Adam()
    with pytest.raises(ValueError, match="NaN"):
        opt.step([p], [np.array([0.0, np.nan, 1.0])])
    with pytest.raises(ValueError, match="NaN"):
        opt.step([p], [np.array([0.0, np.inf, 1.0])])
    np.testing.assert_array_equal(p, 1.0)  # a refused step changes nothing
    assert opt.state is None
    with pytest.raises(ValueError, match="shape"):
        opt.step([p], [np.ones(4)])
    with pytest.raises(ValueError, match="grads has"):
        opt.step([p], [np.ones(3), np.ones(3)])
    with pytest.raises(ValueError, match="multiplier"):
        opt.step([p], [np.ones(3)], multiplier=-1.0)
    with pytest.raises(ValueError, match="writable float"):
        opt.step([np.ones(3, dtype=int)], [np.ones(3)])
    opt.step([p], [np.ones(3)])
    with pytest.raises(ValueError, match="same number and shapes"):
        opt.step([np.ones(4)], [np.ones(4)])
    with pytest.raises(ValueError, match="position 3"):
        AdamW(groups=[{"params": [3], "weight_decay": 0.0}]).step([np.ones(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="leading model axis"):
        AdamW(lr=np.ones(2) * 1e-3).step([np.ones((3, 2))], [np.ones((3, 2))])


# -- PyTorch's own trajectories ----------------------------------------------------------------
REFERENCE = json.loads((Path(__file__).parent / "data" / "torch_reference.json").read_text())


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: f"{c['optimizer']}-{sorted(c['kwargs'])}")
def test_trajectory_equals_pytorchs(case):
    # Final parameters after T steps of torch.optim (recorded by tests/data/make_torch_reference.py,
    # with a LambdaLR cosine schedule) versus the same gradients through regbook.optim.
    A, c, T = np.array(REFERENCE["A"]), np.array(REFERENCE["c"]), REFERENCE["T"]
    kwargs = {k: tuple(v) if k == "betas" else v for k, v in case["kwargs"].items()}
    opt = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW}[case["optimizer"]](**kwargs)
    theta = np.array(REFERENCE["x0"])
    for t in range(T):
        grad = A @ theta - c + 0.3 * np.sin(t + np.arange(4))
        opt.step([theta], [grad], multiplier=0.5 * (1 + math.cos(math.pi * t / T)))
    np.testing.assert_allclose(theta, case["final"], rtol=0, atol=1e-13)
