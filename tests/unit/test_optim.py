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

from regbook.conventions import normalized_weight_decay
from regbook.optim import (
    SGD,
    SGDW,
    Adam,
    AdamW,
    AdamWPaper,
    cosine_multiplier,
    cosine_warm_restarts_multiplier,
    linear_warmup_multiplier,
)



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
    assert AdamW().defaults == {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False,
                                "maximize": False}
    assert Adam().defaults["weight_decay"] == 0.0
    assert SGD().defaults == {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False,
                              "maximize": False}


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
    # Final parameters after T steps of torch.optim (recorded by tests/unit/data/make_torch_reference.py,
    # with a LambdaLR cosine schedule) versus the same gradients through regbook.optim.
    A, c, T = np.array(REFERENCE["A"]), np.array(REFERENCE["c"]), REFERENCE["T"]
    kwargs = {k: tuple(v) if k == "betas" else v for k, v in case["kwargs"].items()}
    opt = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW}[case["optimizer"]](**kwargs)
    theta = np.array(REFERENCE["x0"])
    for t in range(T):
        grad = A @ theta - c + 0.3 * np.sin(t + np.arange(4))
        opt.step([theta], [grad], multiplier=0.5 * (1 + math.cos(math.pi * t / T)))
    np.testing.assert_allclose(theta, case["final"], rtol=0, atol=1e-13)


# -- options as in torch.optim: maximize, state_dict, add_param_group ---------------------------
OPTIONS = json.loads((Path(__file__).parent / "data" / "torch_reference_options.json").read_text())
TORCH = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW}


def _make(case, **extra):
    kwargs = {k: tuple(v) if k == "betas" else v for k, v in case["kwargs"].items()}
    return TORCH[case["optimizer"]](**kwargs, **extra)


def _grad1(theta, t):
    A, c = np.array(OPTIONS["A"]), np.array(OPTIONS["c"])
    return A @ theta - c + 0.3 * np.sin(t + np.arange(4))


def _grad2(theta, t):
    B, d = np.array(OPTIONS["B"]), np.array(OPTIONS["d"])
    return B @ theta - d + 0.2 * np.cos(t + np.arange(3))


def _case_id(case):
    return f"{case['optimizer']}-{sorted(case['kwargs'])}"


@pytest.mark.parametrize("case", OPTIONS["maximize"], ids=_case_id)
def test_maximize_trajectory_equals_pytorchs(case):
    # Every iterate of torch.optim with maximize=True, given the gradient of a concave function.
    opt = _make(case, maximize=True)
    theta = np.array(OPTIONS["x0"])
    path = [theta.copy()]
    for t in range(len(case["path"]) - 1):
        opt.step([theta], [-_grad1(theta, t)])
        path.append(theta.copy())
    np.testing.assert_allclose(path, case["path"], rtol=0, atol=1e-13)


@pytest.mark.parametrize("cls", [SGD, SGDW, Adam, AdamW, AdamWPaper])
def test_maximize_is_descent_on_the_negated_gradient(cls):
    kwargs = {"lr": 0.05, "weight_decay": 0.1} | ({"momentum": 0.5} if cls in (SGD, SGDW) else {})
    up, down = cls(maximize=True, **kwargs), cls(**kwargs)
    a, b = np.array([1.0, -2.0, 0.5]), np.array([1.0, -2.0, 0.5])
    for t in range(6):
        g = quadratic_grad(a, t)
        g_copy = g.copy()
        up.step([a], [g])
        np.testing.assert_array_equal(g, g_copy)  # the caller's gradient is not negated in place
        down.step([b], [-g])
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("case", OPTIONS["state_dict"], ids=_case_id)
def test_state_dict_holds_pytorchs_state(case):
    opt = _make(case)
    theta = np.array(OPTIONS["x0"])
    for t in range(7):
        opt.step([theta], [_grad1(theta, t)])
    np.testing.assert_allclose(theta, case["theta"], rtol=0, atol=1e-14)
    state = opt.state_dict()["state"][0]
    for key, value in case["state"].items():  # PyTorch's names and values
        np.testing.assert_allclose(state[key], value, rtol=1e-13, atol=1e-15, err_msg=key)


@pytest.mark.parametrize("make", [
    lambda: SGD(lr=0.05, momentum=0.9, weight_decay=0.1, groups=[{"params": [1], "lr": 0.01}]),
    lambda: SGDW(lr=0.05, momentum=0.9, weight_decay=0.1),
    lambda: Adam(lr=0.02, amsgrad=True, maximize=False),
    lambda: AdamW(lr=0.02, weight_decay=0.5, groups=[{"params": [1], "weight_decay": 0.0}]),
    lambda: AdamWPaper(lr=np.array([0.01, 0.02]), weight_decay=1e-3),
])
def test_state_dict_round_trip_continues_the_run_exactly(make):
    rng = np.random.default_rng(3)
    params = [rng.standard_normal((2, 3)), rng.standard_normal(2)]
    grads = [[rng.standard_normal(p.shape) for p in params] for _ in range(12)]
    straight, saved = make(), make()
    p_straight = [p.copy() for p in params]
    for g in grads:
        straight.step(p_straight, g)
    p_resumed = [p.copy() for p in params]
    for g in grads[:5]:
        saved.step(p_resumed, g)
    snapshot = saved.state_dict()
    for g in grads[5:8]:  # the snapshot is a copy: later steps do not change it
        saved.step([p.copy() for p in p_resumed], g)
    resumed = make()
    resumed.load_state_dict(snapshot)
    for g in grads[5:]:
        resumed.step(p_resumed, g)
    for a, b in zip(p_resumed, p_straight):
        np.testing.assert_array_equal(a, b)


def test_load_state_dict_restores_hyperparameters_and_refuses_bad_dicts():
    source = AdamW(lr=0.1, weight_decay=0.2, maximize=True, groups=[{"params": [0], "lr": 0.5}])
    target = AdamW()
    target.load_state_dict(source.state_dict())
    assert target.hyperparameters(0)["lr"] == 0.5 and target.hyperparameters(1)["lr"] == 0.1
    assert target.defaults["maximize"] is True and target.state is None
    good = source.state_dict()
    with pytest.raises(TypeError, match="state_dict"):
        target.load_state_dict([good])
    with pytest.raises(ValueError, match="lacks"):
        target.load_state_dict({"defaults": good["defaults"]})
    with pytest.raises(ValueError, match="lr"):
        target.load_state_dict({**good, "defaults": {**good["defaults"], "lr": -1.0}})
    with pytest.raises(ValueError, match="momentum"):  # SGD's hyperparameters are not AdamW's
        target.load_state_dict(SGD(momentum=0.5).state_dict())
    p = np.ones(2)
    source.step([p], [np.ones(2)])
    bad = source.state_dict()
    bad["state"][0]["exp_avg"] = np.ones(3)
    with pytest.raises(ValueError, match="exp_avg"):
        target.load_state_dict(bad)
    assert target.hyperparameters(0)["lr"] == 0.5  # a refused load changes nothing
    assert target.state is None


@pytest.mark.parametrize("case", OPTIONS["add_param_group"], ids=_case_id)
def test_add_param_group_midway_equals_pytorchs(case):
    opt = _make(case)
    theta1, theta2 = np.array(OPTIONS["x0"]), np.array(OPTIONS["z0"])
    path1, path2 = [theta1.copy()], []
    for t in range(len(case["path1"]) - 1):
        if t == case["added_at"]:
            opt.add_param_group({"params": [1], **case["group"]})
            path2.append(theta2.copy())
        if t < case["added_at"]:
            opt.step([theta1], [_grad1(theta1, t)])
        else:
            opt.step([theta1, theta2], [_grad1(theta1, t), _grad2(theta2, t)])
            path2.append(theta2.copy())
        path1.append(theta1.copy())
    np.testing.assert_allclose(path1, case["path1"], rtol=0, atol=1e-13)
    np.testing.assert_allclose(path2, case["path2"], rtol=0, atol=1e-13)


def test_add_param_group_checks():
    opt = AdamW(groups=[{"params": [0], "weight_decay": 0.0}])
    with pytest.raises(ValueError, match="repeats"):
        opt.add_param_group({"params": [0]})
    with pytest.raises(ValueError, match="unknown"):
        opt.add_param_group({"params": [1], "momentum": 0.9})
    for bad in (None, 1, "01"):
        with pytest.raises(ValueError, match=r"group\['params'\]"):
            opt.add_param_group({"params": bad})
    with pytest.raises(ValueError, match="lr"):
        opt.add_param_group({"params": [1], "lr": -1.0})
    with pytest.raises(ValueError, match="same length"):
        AdamW(lr=np.ones(2)).add_param_group({"params": [1], "lr": np.ones(3)})
    assert len(opt.groups) == 1  # refused groups are not added
    p = np.ones(2)
    opt.step([p], [np.ones(2)])
    with pytest.raises(ValueError, match="same number"):  # no group for a new position yet
        opt.step([p, np.ones(2)], [np.ones(2), np.ones(2)])
    opt.add_param_group({"params": [1], "lr": 0.1})
    q = np.ones(3)
    opt.step([p, q], [np.ones(2), np.ones(3)])
    assert opt.state[1]["step"] == 1 and opt.state[0]["step"] == 2
    with pytest.raises(ValueError, match="params has 1"):  # and then the list cannot shrink
        opt.step([p], [np.ones(2)])
    with pytest.raises(ValueError, match="maximize"):
        SGD(maximize="yes")


# -- schedules against PyTorch's schedulers ------------------------------------------------------
@pytest.mark.parametrize("case", OPTIONS["schedules"], ids=lambda c: c["kind"])
def test_schedules_equal_pytorchs(case):
    t = np.arange(len(case["lr"]))
    if case["kind"] == "CosineAnnealingWarmRestarts":  # base lr 1: eta_min is the fraction `final`
        ours = cosine_warm_restarts_multiplier(t, period=case["T_0"], period_mult=case["T_mult"],
                                               final=case["eta_min"])
    elif case["kind"] == "LinearLR":
        ours = linear_warmup_multiplier(t, warmup_steps=case["total_iters"], start=case["start_factor"])
    else:
        W, T = case["warmup_steps"], case["total_steps"]
        ours = np.where(t < W, linear_warmup_multiplier(t, warmup_steps=W, start=case["start_factor"]),
                        cosine_multiplier(np.maximum(t - W, 0), T - W))
    np.testing.assert_allclose(ours, case["lr"], rtol=0, atol=1e-13)


def test_warm_restarts_closed_form():
    # T_mult = 1: period T_0, restarts at multiples of T_0; one period equals cosine_multiplier.
    t = np.arange(50)
    np.testing.assert_allclose(cosine_warm_restarts_multiplier(t, period=10, final=0.2),
                               cosine_multiplier(t % 10, 10, final=0.2), rtol=0, atol=0)
    # T_mult = 2, T_0 = 3: periods [0, 3), [3, 9), [9, 21), [21, 45); restarts give 1 exactly.
    eta = cosine_warm_restarts_multiplier(np.arange(45), period=3, period_mult=2)
    assert [int(i) for i in np.flatnonzero(eta == 1.0)] == [0, 3, 9, 21]
    np.testing.assert_allclose(eta[9:21], 0.5 * (1 + np.cos(np.pi * np.arange(12) / 12)), rtol=0, atol=1e-15)
    assert cosine_warm_restarts_multiplier(10**6, period=1, period_mult=3) <= 1.0
    t = 10**12 + 3  # no loop over periods: T_cur = t mod 7 = 4, since 10^12 = 1 (mod 7)
    assert cosine_warm_restarts_multiplier(t, period=7) == pytest.approx(0.5 * (1 + math.cos(math.pi * 4 / 7)))
    assert isinstance(cosine_warm_restarts_multiplier(4, period=3), float)
    for bad, name in [({"period": 0}, "period"), ({"period": 2, "period_mult": 0}, "period_mult"),
                      ({"period": 2, "final": 1.5}, "final")]:
        with pytest.raises(ValueError, match=name):
            cosine_warm_restarts_multiplier(1, **bad)
    with pytest.raises(ValueError, match="step"):
        cosine_warm_restarts_multiplier(-1, period=2)
    with pytest.raises(ValueError, match="step"):
        cosine_warm_restarts_multiplier(1.5, period=2)


def test_linear_warmup_closed_form():
    t = np.arange(20)
    np.testing.assert_allclose(linear_warmup_multiplier(t, warmup_steps=8),
                               np.minimum(t, 8) / 8, rtol=0, atol=1e-16)
    assert linear_warmup_multiplier(0, warmup_steps=5, start=0.2) == 0.2
    assert linear_warmup_multiplier(5, warmup_steps=5, start=0.2) == 1.0
    assert linear_warmup_multiplier(500, warmup_steps=5, start=0.2) == 1.0
    with pytest.raises(ValueError, match="warmup_steps"):
        linear_warmup_multiplier(0, warmup_steps=0)
    with pytest.raises(ValueError, match="start"):
        linear_warmup_multiplier(0, warmup_steps=3, start=-0.1)
    with pytest.raises(ValueError, match="step"):
        linear_warmup_multiplier(-2, warmup_steps=3)


def test_state_loaded_from_lists_takes_the_parameters_precision():
    # A state saved as plain lists (say in JSON) resumes in the parameter's dtype, as in PyTorch.
    straight, saved = Adam(lr=0.01), Adam(lr=0.01)
    p, q = np.ones(3, dtype=np.float32), np.ones(3, dtype=np.float32)
    g = np.array([0.5, -1.0, 2.0], dtype=np.float32)
    for _ in range(3):
        straight.step([p], [g])
        saved.step([q], [g])
    snapshot = saved.state_dict()
    snapshot["state"] = [{k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
                         for s in snapshot["state"]]
    resumed = Adam()
    resumed.load_state_dict(snapshot)
    for _ in range(3):
        straight.step([p], [g])
        resumed.step([q], [g])
    assert resumed.state[0]["exp_avg"].dtype == np.float32
    np.testing.assert_array_equal(p, q)
