"""Write torch_reference.json: trajectories of torch.optim optimizers, the reference for tests/unit/test_optim.py.

NOT run by the test suite, and PyTorch is NOT a requirement of the project. It was run once, in a
separate virtual environment with ``pip install torch==2.13.0 numpy``, as
``python tests/unit/data/make_torch_reference.py``. The test replays the same gradients through
regbook.optim and compares.

Problem: theta in R^4, gradient  A theta - c + 0.3 sin(t + k)  (k = 0..3), T = 30 steps,
learning rate scheduled by LambdaLR with the cosine multiplier 0.5 (1 + cos(pi t / T)).
"""

import json
import math
from pathlib import Path

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(0)
A = rng.standard_normal((4, 4))
A = A @ A.T / 4 + 0.1 * np.eye(4)
c = rng.standard_normal(4)
x0 = rng.standard_normal(4)
T = 30
CASES = [
    ("SGD", {"lr": 0.05}),
    ("SGD", {"lr": 0.05, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.2}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.3, "betas": [0.8, 0.95]}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True, "betas": [0.9, 0.9]}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.02, "weight_decay": 0.5, "amsgrad": True, "betas": [0.9, 0.9]}),
]


def gradient(theta, t):
    return A @ theta - c + 0.3 * np.sin(t + np.arange(4))


out = {"torch_version": torch.__version__, "A": A.tolist(), "c": c.tolist(), "x0": x0.tolist(), "T": T, "cases": []}
for name, kwargs in CASES:
    p = torch.tensor(x0.copy(), requires_grad=True)
    kw = {k: tuple(v) if k == "betas" else v for k, v in kwargs.items()}
    opt = getattr(torch.optim, name)([p], **kw)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + math.cos(math.pi * t / T)))
    for t in range(T):
        p.grad = torch.tensor(gradient(p.detach().numpy(), t))
        opt.step()
        sched.step()
    out["cases"].append({"optimizer": name, "kwargs": kwargs, "final": p.detach().numpy().tolist()})
Path(__file__).with_name("torch_reference.json").write_text(json.dumps(out, indent=1) + "\n")
