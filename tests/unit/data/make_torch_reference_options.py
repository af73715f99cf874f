"""Write torch_reference_options.json: torch.optim options and schedulers, the reference for tests/unit/test_optim.py.

NOT run by the test suite, and PyTorch is NOT a requirement of the project. It was run once, in a
separate virtual environment with ``pip install torch==2.13.0 numpy``, as
``python tests/unit/data/make_torch_reference_options.py``. The tests replay the same gradients through
regbook.optim and compare.

Recorded:

* ``maximize``: whole trajectories (every iterate) of SGD / Adam / AdamW with ``maximize=True`` on
  the concave problem  f(theta) = -(1/2) theta^T A theta + c^T theta - 0.3 sum sin(t + k) theta_k,
  whose gradient  -(A theta - c + 0.3 sin(t + k))  is the one given to the optimizer;
* ``state_dict``: the per-parameter state (step, momentum_buffer, exp_avg, exp_avg_sq,
  max_exp_avg_sq) of SGD / Adam / AdamW after 7 steps of the minimization problem of
  make_torch_reference.py;
* ``add_param_group``: a run on theta1 in R^4 for 5 steps, then a group with a second parameter
  theta2 in R^3 (own lr and weight_decay) is added and both are stepped 10 more times; every iterate
  of both;
* ``schedules``: the learning rates (base lr 1) of CosineAnnealingWarmRestarts, LinearLR and
  SequentialLR(LinearLR, CosineAnnealingLR) over their first steps.
"""

import json
from pathlib import Path

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(1)
A = rng.standard_normal((4, 4))
A = A @ A.T / 4 + 0.1 * np.eye(4)
c = rng.standard_normal(4)
x0 = rng.standard_normal(4)
B = rng.standard_normal((3, 3))
B = B @ B.T / 3 + 0.2 * np.eye(3)
d = rng.standard_normal(3)
z0 = rng.standard_normal(3)


def gradient(theta, t):
    return A @ theta - c + 0.3 * np.sin(t + np.arange(4))


def gradient2(theta, t):
    return B @ theta - d + 0.2 * np.cos(t + np.arange(3))


OPTIMIZERS = [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05}),
    ("Adam", {"lr": 0.02, "weight_decay": 0.3}),
    ("Adam", {"lr": 0.02, "weight_decay": 0.3, "amsgrad": True, "betas": [0.9, 0.9]}),
    ("AdamW", {"lr": 0.02, "weight_decay": 0.5}),
]


def make(name, kwargs, params):
    kw = {k: tuple(v) if k == "betas" else v for k, v in kwargs.items()}
    return getattr(torch.optim, name)(params, **kw)


out = {"torch_version": torch.__version__, "A": A.tolist(), "c": c.tolist(), "x0": x0.tolist(),
       "B": B.tolist(), "d": d.tolist(), "z0": z0.tolist()}

# maximize: whole trajectories
T = 25
out["maximize"] = []
for name, kwargs in OPTIMIZERS:
    p = torch.tensor(x0.copy(), requires_grad=True)
    opt = make(name, {**kwargs, "maximize": True}, [p])
    path = [p.detach().numpy().copy().tolist()]
    for t in range(T):
        p.grad = torch.tensor(-gradient(p.detach().numpy(), t))
        opt.step()
        path.append(p.detach().numpy().copy().tolist())
    out["maximize"].append({"optimizer": name, "kwargs": kwargs, "path": path})

# state_dict after 7 steps
out["state_dict"] = []
for name, kwargs in OPTIMIZERS:
    p = torch.tensor(x0.copy(), requires_grad=True)
    opt = make(name, kwargs, [p])
    for t in range(7):
        p.grad = torch.tensor(gradient(p.detach().numpy(), t))
        opt.step()
    state = {k: (v.detach().numpy().tolist() if torch.is_tensor(v) and v.ndim > 0 else float(v))
             for k, v in opt.state_dict()["state"][0].items()}
    out["state_dict"].append({"optimizer": name, "kwargs": kwargs, "theta": p.detach().numpy().tolist(),
                              "state": state})

# add_param_group after 5 steps
GROUP = {"lr": 0.03, "weight_decay": 0.2}
out["add_param_group"] = []
for name, kwargs in OPTIMIZERS:
    p1 = torch.tensor(x0.copy(), requires_grad=True)
    p2 = torch.tensor(z0.copy(), requires_grad=True)
    opt = make(name, kwargs, [p1])
    path1, path2 = [p1.detach().numpy().tolist()], []
    for t in range(15):
        if t == 5:
            opt.add_param_group({"params": [p2], **GROUP})
            path2.append(p2.detach().numpy().tolist())
        p1.grad = torch.tensor(gradient(p1.detach().numpy(), t))
        if t >= 5:
            p2.grad = torch.tensor(gradient2(p2.detach().numpy(), t))
        opt.step()
        path1.append(p1.detach().numpy().tolist())
        if t >= 5:
            path2.append(p2.detach().numpy().tolist())
    out["add_param_group"].append({"optimizer": name, "kwargs": kwargs, "group": GROUP, "added_at": 5,
                                   "path1": path1, "path2": path2})


# schedules: learning rates of the first steps, base lr = 1
def lrs(make_scheduler, steps):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=1.0)
    sched = make_scheduler(opt)
    values = []
    for _ in range(steps):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return values


out["schedules"] = []
for T_0, T_mult, eta_min in [(10, 1, 0.0), (7, 2, 0.1), (5, 3, 0.0), (1, 2, 0.05), (4, 1, 0.25)]:
    out["schedules"].append({
        "kind": "CosineAnnealingWarmRestarts", "T_0": T_0, "T_mult": T_mult, "eta_min": eta_min,
        "lr": lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=T_0, T_mult=T_mult,
                                                                                   eta_min=eta_min), 120),
    })
for start, total in [(0.1, 10), (0.5, 3), (1.0 / 8, 8)]:
    out["schedules"].append({
        "kind": "LinearLR", "start_factor": start, "total_iters": total,
        "lr": lrs(lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=start, end_factor=1.0,
                                                              total_iters=total), 30),
    })
for start, warm, total in [(0.1, 5, 40), (0.25, 10, 30)]:
    out["schedules"].append({
        "kind": "warmup_cosine", "start_factor": start, "warmup_steps": warm, "total_steps": total,
        "lr": lrs(lambda o: torch.optim.lr_scheduler.SequentialLR(o, [
            torch.optim.lr_scheduler.LinearLR(o, start_factor=start, end_factor=1.0, total_iters=warm),
            torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=total - warm)], milestones=[warm]), total),
    })
Path(__file__).with_name("torch_reference_options.json").write_text(json.dumps(out, indent=1) + "\n")
