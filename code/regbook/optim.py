"""Gradient-descent optimizers in NumPy: PyTorch's SGD, Adam and AdamW, and the paper's SGDW and AdamW.

Every optimizer updates a list of parameter arrays **in place** from a list of gradient arrays of
the same shapes, keeping its state (momentum buffers, moment estimates, step counts) between calls::

    opt = AdamW(lr=1e-3, weight_decay=1e-2)
    for batch in batches:
        grads = gradient(params, batch)
        opt.step(params, grads)          # params[i] -= ... , in place

Hyperparameter names, defaults and the order of the operations are those of ``torch.optim``
(:class:`SGD`, :class:`Adam`, :class:`AdamW`). :class:`SGDW` and :class:`AdamWPaper` are
Algorithms 1 and 2 of Loshchilov & Hutter, *Decoupled Weight Decay Regularization* (ICLR 2019),
in which the decay is multiplied by the schedule multiplier ``eta_t`` but **not** by the base
learning rate ``alpha``. Each class docstring states its exact update rule.

**Schedules.** ``step(..., multiplier=eta_t)`` sets the schedule multiplier of the step. For the
PyTorch optimizers the learning rate of the step is then ``lr * eta_t`` (what
``torch.optim.lr_scheduler.LambdaLR`` does); for the paper's optimizers ``eta_t`` is the
multiplier of their Algorithms 1 and 2. :func:`cosine_multiplier` gives the cosine schedule,
:func:`cosine_warm_restarts_multiplier` the cosine schedule with warm restarts of SGDR (the schedule
of the AdamW paper's experiments), :func:`linear_warmup_multiplier` a linear warm-up.

**Options as in torch.optim.** ``maximize=True`` ascends instead of descending;
:meth:`~Optimizer.state_dict` and :meth:`~Optimizer.load_state_dict` save and restore a run (the
state under PyTorch's names); :meth:`~Optimizer.add_param_group` adds a group, possibly of new
parameters, in the middle of a run.

**A grid of models in one call.** Every numeric hyperparameter (and ``multiplier``) may be a 1-D
array of length ``M`` instead of a number. It then applies along the *leading* axis of every
parameter array, which must have length ``M``: parameter ``params[i][m]`` belongs to model ``m``
and is updated with hyperparameters ``lr[m]``, ``weight_decay[m]``, ... . One call thus trains
``M`` independent models (a grid of learning rates x weight decays x seeds, say) at the cost of a
few large array operations instead of ``M`` small ones.

**Parameter groups.** As in PyTorch, some parameters may use other hyperparameters than the
defaults, typically ``weight_decay=0`` for biases and normalization parameters::

    AdamW(lr=1e-3, weight_decay=0.05, groups=[{"params": [1, 3], "weight_decay": 0.0}])

``groups`` lists the *positions* of the parameters in the list passed to :meth:`~Optimizer.step`
together with the hyperparameters that override the defaults for them.

**Temporaries.** Updates are written with ``out=`` and in-place operations; each optimizer keeps
one or two scratch arrays per parameter, so that a step allocates no array of the parameter's size.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

import copy

from ._validation import InputTypeError, check_bool, check_positive_int

__all__ = [
    "Optimizer",
    "SGD",
    "SGDW",
    "Adam",
    "AdamW",
    "AdamWPaper",
    "cosine_multiplier",
    "cosine_warm_restarts_multiplier",
    "linear_warmup_multiplier",
]

Hyper = float | NDArray[np.float64]


def _as_hyper(value, name: str, *, low: float = 0.0, high: float | None = None, high_open: bool = True) -> Hyper:
    """A hyperparameter as a float or a 1-D float array, checked to lie in [low, high)."""
    if isinstance(value, (bool, np.bool_)):
        raise InputTypeError(f"{name} must be a real number or a 1-D array; got {value!r}")
    if isinstance(value, (numbers.Real, np.floating, np.integer)):
        arr = np.asarray(float(value))
    else:
        try:
            raw = np.asarray(value) if value is not None and not isinstance(value, (str, bytes)) else None
        except (TypeError, ValueError):  # ragged
            raw = None
        if raw is None or raw.dtype.kind not in "iuf":
            raise InputTypeError(f"{name} must be a real number or a 1-D array; got {value!r}")
        arr = raw.astype(np.float64)
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"{name} must be a real number or a non-empty 1-D array; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got {value!r}")
    if np.any(arr < low):
        raise ValueError(f"{name} must be >= {low:g}; got {value!r}")
    if high is not None and (np.any(arr >= high) if high_open else np.any(arr > high)):
        bracket = ")" if high_open else "]"
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}{bracket}; got {value!r}")
    return float(arr) if arr.ndim == 0 else arr


def _any_nonzero(value: Hyper) -> bool:
    return bool(np.any(value != 0))


def _per_model(value: Hyper, p: np.ndarray) -> Hyper:
    """Reshape a length-M hyperparameter to (M, 1, ..., 1) so that it broadcasts over the parameter ``p``."""
    if not isinstance(value, np.ndarray):
        return value
    return value.reshape(value.shape + (1,) * (p.ndim - 1))


def _c(coefficient: Hyper, p: np.ndarray) -> Hyper:
    """A coefficient computed in double precision, in ``p``'s precision.

    A Python float is left alone: NumPy rounds it to ``p``'s type when it meets the array. An array
    is rounded the same way here, so that a model of a batch gets exactly the coefficients it would
    get alone, in single precision too, and the arithmetic stays in ``p``'s precision.
    """
    return coefficient.astype(p.dtype, copy=False) if isinstance(coefficient, np.ndarray) else coefficient


def _power(base: Hyper, t: int) -> Hyper:
    """``base ** t`` computed as for a Python float, element by element for an array.

    NumPy's vectorized ``power`` may differ from the C library's ``pow`` in the last bit (SIMD
    code, chosen per CPU), so a model of a batch would not get exactly the coefficients it gets alone.
    """
    if isinstance(base, np.ndarray):
        return np.array([float(b) ** t for b in base.ravel()]).reshape(base.shape)
    return base**t


class Optimizer:
    """Base class: hyperparameters, parameter groups, per-parameter state and input checks.

    Subclasses define ``_defaults`` (hyperparameter names and default values), ``_check``
    (validation of one set of hyperparameters) and ``_update`` (the in-place rule for one
    parameter array).

    Attributes
    ----------
    defaults : dict
        The hyperparameters of parameters that are in no group.
    groups : list of dict
        Each ``{"params": [positions], name: value, ...}``.
    state : list of dict or None
        Per-parameter state, created at the first :meth:`step` (``None`` before).
    """

    _defaults: dict[str, object] = {}

    def __init__(self, *, groups: Sequence[dict] | None = None, **hyper) -> None:
        self.defaults = self._check_all(dict(hyper))
        self.groups: list[dict] = []
        seen: set[int] = set()
        if groups is not None and not isinstance(groups, (list, tuple)):
            raise InputTypeError(f"groups must be a list of dicts; got {type(groups).__name__}")
        for k, group in enumerate(groups or []):
            checked = self._check_group(group, f"groups[{k}]", seen)
            seen |= set(checked["params"])
            self.groups.append(checked)
        self._n_models = self._check_model_axis()
        self.state: list[dict] | None = None
        self._growable: set[int] = set()  # positions added by add_param_group after the state was created

    def _check_group(self, group, name: str, seen: set[int]) -> dict:
        """One parameter group, checked: its positions (none in ``seen``) and merged hyperparameters.

        Errors name the group (``groups[k]``), so that a bad value in one of several groups is found.
        """
        if not isinstance(group, dict):
            raise InputTypeError(f"{name} must be a dict with a 'params' entry; got {group!r}")
        if "params" not in group:
            raise ValueError(f"{name} must be a dict with a 'params' entry; got {group!r}")
        unknown = set(group) - {"params"} - set(self._defaults)
        if unknown:
            raise ValueError(f"{name} has unknown hyperparameters {sorted(unknown)}")
        entries = group["params"]
        if isinstance(entries, np.ndarray):
            entries = entries.tolist()
        if not isinstance(entries, (list, tuple, range)):
            raise InputTypeError(f"{name}['params'] must be a list of parameter positions; got {entries!r}")
        positions = [check_positive_int(i, f"{name}['params'] entry", minimum=0) for i in entries]
        if len(set(positions)) != len(positions) or seen & set(positions):
            repeated = sorted((seen & set(positions)) | {i for i in positions if positions.count(i) > 1})
            raise ValueError(f"{name} repeats parameter positions {repeated}")
        try:
            merged = self._check_all({**self.defaults, **{n: v for n, v in group.items() if n != "params"}})
        except InputTypeError as exc:
            raise InputTypeError(f"{name}: {exc}") from None
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
        return {"params": positions, **merged}

    def _check_all(self, hyper: dict) -> dict:
        """``_check`` of the subclass, plus the ``maximize`` flag every optimizer has."""
        maximize = check_bool(hyper.pop("maximize", False), "maximize")
        return {**self._check(hyper), "maximize": maximize}

    def add_param_group(self, group: dict) -> None:
        """Add a parameter group, as ``torch.optim.Optimizer.add_param_group``.

        Parameters
        ----------
        group : dict
            ``{"params": [positions], name: value, ...}``: positions in the list passed to
            :meth:`step` and the hyperparameters that override the defaults for them (the others
            take the defaults). The positions must belong to no other group. A position at or past
            the end of the list of the steps taken so far is a *new* parameter: from the next step
            on, :meth:`step` accepts a list that is longer by those parameters, which start with
            fresh state (step count 0), as in PyTorch.

        Raises
        ------
        ValueError
            If ``group`` is not a dict with a ``params`` entry of non-negative integer positions,
            repeats a position of another group, has an unknown or out-of-range hyperparameter, or
            an array-valued hyperparameter of another length than the others.

        Notes
        -----
        Hyperparameters may be Python or NumPy scalars (float32 included) or 1-D arrays; they are
        stored as float64.
        """
        seen = {i for g in self.groups for i in g["params"]}
        checked = self._check_group(group, "group", seen)
        self.groups.append(checked)
        try:
            self._n_models = self._check_model_axis()
        except ValueError:
            self.groups.pop()
            raise
        if self.state is not None:
            self._growable |= {i for i in checked["params"] if i >= len(self.state)}

    # -- saving and restoring -----------------------------------------------------------------
    def state_dict(self) -> dict:
        """A deep copy of the optimizer's hyperparameters and state, as ``torch.optim.Optimizer.state_dict``.

        Returns
        -------
        dict
            ``{"defaults": {...}, "groups": [{"params": [...], ...}], "state": [...] or None}``.
            ``state[i]`` holds the per-parameter state of ``params[i]`` under PyTorch's names:
            ``"step"`` (steps taken), ``"momentum_buffer"`` (SGD, SGDW), ``"exp_avg"``,
            ``"exp_avg_sq"`` and ``"max_exp_avg_sq"`` (the Adam family), as NumPy arrays. Scratch
            arrays are not included. Restoring it with :meth:`load_state_dict` on a fresh optimizer
            of the same class continues the run exactly.
        """
        state = None
        if self.state is not None:
            state = [{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()
                      if k not in ("scratch", "grad", "neg_grad")} for s in self.state]
        return {
            "defaults": copy.deepcopy(self.defaults),
            "groups": copy.deepcopy(self.groups),
            "state": state,
        }

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyperparameters and state saved by :meth:`state_dict` (copies are taken).

        Parameters
        ----------
        state_dict : dict
            The output of :meth:`state_dict` of an optimizer of the same class (arrays may be
            given as nested lists; at the next step they take the precision of their parameter,
            as in PyTorch).

        Raises
        ------
        TypeError
            If ``state_dict`` is not a dict.
        ValueError
            If it lacks an entry, holds a hyperparameter out of range, or a state entry is not a
            dict with an integer ``"step"`` >= 0, a ``"shape"`` and finite arrays of that shape.

        Notes
        -----
        Hyperparameters may be Python or NumPy scalars (float32 included) or 1-D arrays; they are
        stored as float64. State arrays (float32 or float64) are copied in their own precision and
        take the precision of their parameter at the next step.
        """
        if not isinstance(state_dict, dict):
            raise TypeError(f"state_dict must be a dict; got {type(state_dict).__name__}")
        missing = {"defaults", "groups", "state"} - set(state_dict)
        if missing:
            raise ValueError(f"state_dict lacks the entries {sorted(missing)}")
        defaults = state_dict["defaults"]
        if not isinstance(defaults, dict):
            raise ValueError("state_dict['defaults'] must be a dict of hyperparameters")
        if set(defaults) != set(self._defaults):
            raise ValueError(f"state_dict['defaults'] has the hyperparameters {sorted(defaults)}, "
                             f"but {type(self).__name__} has {sorted(self._defaults)}")
        new_defaults = self._check_all(copy.deepcopy(dict(defaults)))
        old = (self.defaults, self.groups, self._n_models)
        self.defaults, self.groups = new_defaults, []
        try:
            if not isinstance(state_dict["groups"], (list, tuple)):
                raise ValueError("state_dict['groups'] must be a list of dicts")
            seen: set[int] = set()
            for k, group in enumerate(state_dict["groups"]):
                checked = self._check_group(copy.deepcopy(group), f"state_dict['groups'][{k}]", seen)
                seen |= set(checked["params"])
                self.groups.append(checked)
            self._n_models = self._check_model_axis()
            state = self._check_state(state_dict["state"])
        except (ValueError, TypeError):
            self.defaults, self.groups, self._n_models = old
            raise
        self.state = state
        self._growable = set()

    @staticmethod
    def _check_state(state) -> list[dict] | None:
        if state is None:
            return None
        if not isinstance(state, (list, tuple)):
            raise ValueError("state_dict['state'] must be None or a list of dicts")
        out = []
        for i, entry in enumerate(state):
            name = f"state_dict['state'][{i}]"
            if not isinstance(entry, dict) or "step" not in entry or "shape" not in entry:
                raise ValueError(f"{name} must be a dict with 'step' and 'shape' entries")
            shape = tuple(entry["shape"])
            restored = {"step": check_positive_int(entry["step"], f"{name}['step']", minimum=0), "shape": shape}
            for key, value in entry.items():
                if key in ("step", "shape"):
                    continue
                arr = np.array(value)
                if not np.issubdtype(arr.dtype, np.floating) or arr.shape != shape or not np.all(np.isfinite(arr)):
                    raise ValueError(f"{name}[{key!r}] must be a finite float array of shape {shape}")
                restored[key] = arr
            out.append(restored)
        return out

    # -- hyperparameters -------------------------------------------------------------------
    def _check(self, hyper: dict) -> dict:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def _check_model_axis(self) -> int | None:
        lengths = set()
        self._array_hyper = []  # names of the array-valued hyperparameters, for error messages
        for h in [self.defaults, *self.groups]:
            for name in self._defaults:
                value = h[name]
                if isinstance(value, tuple):
                    lengths |= {v.size for v in value if isinstance(v, np.ndarray)}
                    if any(isinstance(v, np.ndarray) for v in value):
                        self._array_hyper.append(name)
                elif isinstance(value, np.ndarray):
                    lengths.add(value.size)
                    self._array_hyper.append(name)
        if len(lengths) > 1:
            raise ValueError(f"array-valued hyperparameters must all have the same length; got lengths {sorted(lengths)}")
        return lengths.pop() if lengths else None

    def hyperparameters(self, position: int) -> dict:
        """The hyperparameters that apply to ``params[position]`` (its group's, else the defaults).

        ``position`` may be a NumPy integer; float hyperparameters are returned as float64.
        """
        position = check_positive_int(position, "position", minimum=0)
        for group in self.groups:
            if position in group["params"]:
                return {k: v for k, v in group.items() if k != "params"}
        return dict(self.defaults)

    # -- the step ----------------------------------------------------------------------------
    def step(self, params: Sequence[np.ndarray], grads: Sequence[ArrayLike], *, multiplier: ArrayLike = 1.0) -> None:
        """Update every ``params[i]`` in place from ``grads[i]``.

        Parameters
        ----------
        params : list of ndarray
            The parameters, float arrays updated in place. With array-valued hyperparameters of
            length ``M`` each must have leading axis of length ``M`` (one slice per model).
        grads : list of array_like
            The gradients, one per parameter and of the same shape; finite.
        multiplier : float or ndarray of shape (M,), default 1.0
            The schedule multiplier ``eta_t >= 0`` of this step (see the module docstring).

        Raises
        ------
        ValueError
            If the lists differ in length, a parameter is not a writable float array, a gradient's
            shape differs from its parameter's (or from the shapes of the first step), a gradient
            holds NaN or inf, ``multiplier`` is negative, or a parameter's leading axis does not
            match the length of array-valued hyperparameters.

        Notes
        -----
        Each parameter is updated in its own precision (float32 stays float32); gradients, which may
        be lists or integer arrays, are converted to it.
        """
        if isinstance(params, np.ndarray):
            params, grads = [params], [grads]
        for name, value in (("params", params), ("grads", grads)):
            if not isinstance(value, (list, tuple)):
                raise InputTypeError(f"{name} must be a list of arrays; got {type(value).__name__}")
        params, grads = list(params), list(grads)
        if not params:
            raise ValueError("params must be a non-empty list of arrays")
        if len(grads) != len(params):
            raise ValueError(f"grads has {len(grads)} arrays but params has {len(params)}")
        for k, group in enumerate(self.groups):
            if max(group["params"], default=-1) >= len(params):
                raise ValueError(
                    f"groups[{k}] lists parameter position {max(group['params'])}, but params has {len(params)} arrays"
                )
        eta = _as_hyper(multiplier, "multiplier")
        if isinstance(eta, np.ndarray) and self._n_models not in (None, eta.size):
            raise ValueError(f"multiplier has length {eta.size} but the hyperparameters have length {self._n_models}")
        n_models = self._n_models if self._n_models is not None else (eta.size if isinstance(eta, np.ndarray) else None)
        checked = []
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                kind = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
                raise InputTypeError(f"params[{i}] must be a writable float ndarray (it is updated in place); got {kind}")
            if not p.flags.writeable:
                raise ValueError(f"params[{i}] must be writable (it is updated in place)")
            g_raw = np.asarray(g) if g is not None and not isinstance(g, (str, bytes)) else None
            if g_raw is None or g_raw.dtype.kind not in "biuf":
                kind = g_raw.dtype if g_raw is not None else type(g).__name__
                raise InputTypeError(f"grads[{i}] must be a real array; got {kind}")
            g = g_raw.astype(p.dtype, copy=False)
            if g.shape != p.shape:
                raise ValueError(f"grads[{i}] has shape {g.shape} but params[{i}] has shape {p.shape}")
            for name, a in ((f"params[{i}]", p), (f"grads[{i}]", g)):
                # One pass: a sum is finite if every term is; only a non-finite sum (NaN, inf, or an
                # overflow of large finite values) needs the exact check.
                with np.errstate(over="ignore", invalid="ignore"):
                    total = a.sum()
                if a.size and not np.isfinite(total) and not (np.isfinite(a.min()) and np.isfinite(a.max())):
                    raise ValueError(f"{name} contains NaN or infinite values")
            if n_models is not None and (p.ndim == 0 or p.shape[0] != n_models):
                names = ", ".join(dict.fromkeys(self._array_hyper)) or "multiplier"
                raise ValueError(
                    f"params[{i}] has shape {p.shape}, but array-valued hyperparameters ({names}) need a leading "
                    f"model axis of length {n_models}"
                )
            checked.append(g)
        if self.state is None:
            self.state = [{"step": 0, "shape": p.shape} for p in params]
        else:
            new = set(range(len(self.state), len(params)))
            if (len(params) < len(self.state) or not new <= self._growable
                    or any(s["shape"] != p.shape for s, p in zip(self.state, params))):
                raise ValueError("params must have the same number and shapes of arrays at every step "
                                 "(more only for the positions of a group added by add_param_group)")
            self.state += [{"step": 0, "shape": params[i].shape} for i in sorted(new)]
            self._growable -= new
        for i, (p, g) in enumerate(zip(params, checked)):
            state = self.state[i]
            if "scratch" not in state:  # first step of this parameter, or of a loaded state
                state["scratch"] = np.empty_like(p)
                for key, value in list(state.items()):  # loaded state takes the parameter's precision
                    if isinstance(value, np.ndarray) and value.dtype != p.dtype:
                        state[key] = value.astype(p.dtype)
            state["step"] += 1
            hyper = {
                name: tuple(_per_model(v, p) for v in value) if isinstance(value, tuple) else _per_model(value, p)
                for name, value in self.hyperparameters(i).items()
            }
            if hyper.pop("maximize"):  # ascend: the rule is applied to -grad (PyTorch negates it first)
                if "neg_grad" not in state:
                    state["neg_grad"] = np.empty_like(p)
                g = np.negative(g, out=state["neg_grad"])
            self._update(p, g, state, hyper, _per_model(eta, p))

    def _update(self, p, g, state, h, eta) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.defaults.items())
        return f"{type(self).__name__}({args}{', groups=...' if self.groups else ''})"


def _add_scaled(target: np.ndarray, scale: Hyper, x: np.ndarray, scratch: np.ndarray) -> None:
    """``target += scale * x`` without a temporary (``x`` may be ``scratch`` itself)."""
    np.multiply(x, _c(scale, x), out=scratch)
    target += scratch


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional momentum, as ``torch.optim.SGD``.

    With learning rate ``lr`` (:math:`\gamma`), momentum :math:`\mu`, dampening :math:`\tau`,
    weight decay :math:`\lambda` and schedule multiplier :math:`\eta_t`, one step is

    .. math::

        g_t &\leftarrow \nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad\text{(coupled: the L2 term joins the gradient)} \\
        b_t &\leftarrow g_t \text{ if } t = 1, \text{ else } \mu\, b_{t-1} + (1 - \tau)\, g_t
              \quad\text{(only if } \mu \ne 0) \\
        d_t &\leftarrow g_t + \mu\, b_t \text{ (nesterov)}, \quad b_t \text{ (momentum)},
              \quad g_t \text{ (}\mu = 0) \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma\,\eta_t\, d_t .

    ``weight_decay`` is therefore the L2 strength :math:`\lambda` of the objective
    ``f(theta) + (lambda/2) ||theta||^2``: in this book's convention, PyTorch's ``weight_decay``
    for SGD *is* :math:`\lambda`. The first momentum step copies :math:`g_1` without dampening,
    as PyTorch does. An entry of an array-valued ``momentum`` equal to 0 gives plain SGD for that
    model (dampening is ignored there, as PyTorch ignores it when ``momentum == 0``).

    Parameters
    ----------
    lr : float or ndarray, default 1e-3
        Learning rate :math:`\gamma \ge 0` (PyTorch's default since version 2.2).
    momentum : float or ndarray, default 0
        Momentum factor in [0, 1).
    dampening : float or ndarray, default 0
        Dampening :math:`\tau` in [0, 1].
    weight_decay : float or ndarray, default 0
        Coupled L2 strength :math:`\lambda \ge 0`.
    nesterov : bool, default False
        Nesterov momentum; needs ``momentum > 0`` and ``dampening == 0`` (as in PyTorch).
    maximize : bool, default False
        Ascend instead of descend: the rule above is applied to :math:`-\nabla f` (as PyTorch's
        ``maximize``, which negates the gradient before the weight decay is added).
    groups : list of dict, optional
        Parameter groups (see the module docstring).

    Raises
    ------
    ValueError
        For a hyperparameter out of range, or nesterov without momentum or with dampening.

    Notes
    -----
    Hyperparameters may be Python or NumPy scalars (float32 included) or 1-D arrays (converted to
    float64); :meth:`~Optimizer.step` updates each parameter in its own precision.
    """

    _defaults = {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False,
                 "maximize": False}

    def __init__(self, *, lr: ArrayLike = 1e-3, momentum: ArrayLike = 0.0, dampening: ArrayLike = 0.0,
                 weight_decay: ArrayLike = 0.0, nesterov: bool = False, maximize: bool = False,
                 groups: Sequence[dict] | None = None) -> None:
        super().__init__(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                         nesterov=nesterov, maximize=maximize, groups=groups)

    def _check(self, h: dict) -> dict:
        out = {
            "lr": _as_hyper(h["lr"], "lr"),
            "momentum": _as_hyper(h["momentum"], "momentum", high=1.0),
            "dampening": _as_hyper(h["dampening"], "dampening", high=1.0, high_open=False),
            "weight_decay": _as_hyper(h["weight_decay"], "weight_decay"),
        }
        out["nesterov"] = check_bool(h["nesterov"], "nesterov")
        if out["nesterov"] and (np.any(out["momentum"] <= 0) or _any_nonzero(out["dampening"])):
            raise ValueError("nesterov momentum needs momentum > 0 and dampening == 0")
        return out

    def _update(self, p, g, state, h, eta) -> None:
        tmp = state["scratch"]
        mu = h["momentum"]
        d = g
        if _any_nonzero(h["weight_decay"]):
            np.multiply(p, _c(h["weight_decay"], p), out=tmp)  # g + lambda * theta, in the scratch array
            tmp += g
            d = tmp
        if _any_nonzero(mu):
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = d.copy()
            else:
                buf = state["momentum_buffer"]
                buf *= _c(mu, p)
                damp = h["dampening"] if isinstance(mu, float) else np.where(mu == 0, 0.0, h["dampening"])
                if _any_nonzero(damp):
                    _add_scaled(buf, 1.0 - damp, d, tmp)  # nesterov excludes dampening: d is not needed again
                else:
                    buf += d
            buf = state["momentum_buffer"]
            if h["nesterov"]:
                _add_scaled(p, -h["lr"] * eta, d, tmp)
                _add_scaled(p, -h["lr"] * eta * mu, buf, tmp)
            else:
                _add_scaled(p, -h["lr"] * eta, buf, tmp)
        else:
            _add_scaled(p, -h["lr"] * eta, d, tmp)


class SGDW(Optimizer):
    r"""SGD with momentum and decoupled weight decay: Algorithm 1 of Loshchilov & Hutter (2019).

    With base learning rate ``lr`` (:math:`\alpha`), momentum :math:`\mu`, weight decay
    :math:`\lambda` and schedule multiplier :math:`\eta_t`, with :math:`m_0 = 0`:

    .. math::

        m_t &\leftarrow \mu\, m_{t-1} + \eta_t\, \alpha\, \nabla f(\theta_{t-1}) \\
        \theta_t &\leftarrow \theta_{t-1} - m_t - \eta_t\, \lambda\, \theta_{t-1} .

    The decay acts on the weights directly, outside the momentum buffer, and is scaled by
    :math:`\eta_t` but **not** by :math:`\alpha`. With ``momentum=0`` and a constant multiplier
    this is exactly ``SGD(lr=alpha, weight_decay=lambda / alpha)`` (the paper's Proposition 1);
    with momentum the two differ. Without decay and with a constant multiplier it is
    ``SGD(lr=alpha, momentum=mu)`` (the learning rate sits inside the buffer, which is the same
    when it does not change).

    Parameters
    ----------
    lr : float or ndarray, default 1e-3
        Base learning rate :math:`\alpha \ge 0`.
    momentum : float or ndarray, default 0
        Momentum factor in [0, 1).
    weight_decay : float or ndarray, default 0
        Decay rate per unit of :math:`\eta_t`, :math:`\lambda \ge 0` (not multiplied by ``lr``).
    maximize : bool, default False
        Ascend: the rule is applied to :math:`-\nabla f` (the decay still shrinks the weights).
    groups : list of dict, optional
        Parameter groups (see the module docstring).

    Notes
    -----
    Hyperparameters may be Python or NumPy scalars (float32 included) or 1-D arrays (converted to
    float64); :meth:`~Optimizer.step` updates each parameter in its own precision.
    """

    _defaults = {"lr": 1e-3, "momentum": 0.0, "weight_decay": 0.0, "maximize": False}

    def __init__(self, *, lr: ArrayLike = 1e-3, momentum: ArrayLike = 0.0, weight_decay: ArrayLike = 0.0,
                 maximize: bool = False, groups: Sequence[dict] | None = None) -> None:
        super().__init__(lr=lr, momentum=momentum, weight_decay=weight_decay, maximize=maximize, groups=groups)

    def _check(self, h: dict) -> dict:
        return {
            "lr": _as_hyper(h["lr"], "lr"),
            "momentum": _as_hyper(h["momentum"], "momentum", high=1.0),
            "weight_decay": _as_hyper(h["weight_decay"], "weight_decay"),
        }

    def _update(self, p, g, state, h, eta) -> None:
        tmp = state["scratch"]
        np.multiply(g, _c(h["lr"] * eta, p), out=tmp)  # eta_t * alpha * gradient
        if _any_nonzero(h["momentum"]):
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = np.zeros_like(p)
            buf = state["momentum_buffer"]
            buf *= _c(h["momentum"], p)
            buf += tmp
            tmp = buf
        if _any_nonzero(h["weight_decay"]):
            p *= _c(1.0 - eta * h["weight_decay"], p)  # uses theta_{t-1}: the step tmp does not depend on theta
        p -= tmp


class _AdamBase(Optimizer):
    """Adam's moment estimates and bias correction; subclasses choose where the decay enters."""

    _defaults = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False,
                 "maximize": False}
    _decay = "coupled"  # "coupled" (Adam), "lr" (PyTorch AdamW), "schedule" (the paper's AdamW)

    def __init__(self, *, lr, betas, eps, weight_decay, amsgrad, maximize, groups) -> None:
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         maximize=maximize, groups=groups)

    def _check(self, h: dict) -> dict:
        betas = h["betas"]
        if not isinstance(betas, (tuple, list)):
            raise InputTypeError(f"betas must be a pair (beta1, beta2); got {betas!r}")
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2); got {betas!r}")
        check_bool(h["amsgrad"], "amsgrad")
        return {
            "lr": _as_hyper(h["lr"], "lr"),
            "betas": (_as_hyper(betas[0], "betas[0] (beta1)", high=1.0),
                      _as_hyper(betas[1], "betas[1] (beta2)", high=1.0)),
            "eps": _as_hyper(h["eps"], "eps"),
            "weight_decay": _as_hyper(h["weight_decay"], "weight_decay"),
            "amsgrad": bool(h["amsgrad"]),
        }

    def _update(self, p, g, state, h, eta) -> None:
        beta1, beta2 = h["betas"]
        lr, wd, t = h["lr"] * eta, h["weight_decay"], state["step"]
        tmp = state["scratch"]
        if t == 1:
            state["exp_avg"] = np.zeros_like(p)
            state["exp_avg_sq"] = np.zeros_like(p)
            if h["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(p)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        if _any_nonzero(wd):
            if self._decay == "coupled":  # g <- g + wd * theta, in a second scratch array
                if "grad" not in state:
                    state["grad"] = np.empty_like(p)
                grad = state["grad"]
                np.multiply(p, _c(wd, p), out=grad)
                grad += g
                g = grad
            elif self._decay == "lr":  # PyTorch AdamW: theta <- theta - lr * wd * theta, first
                p *= _c(1.0 - lr * wd, p)
            else:  # the paper's Algorithm 2: theta <- theta - eta_t * lambda * theta
                p *= _c(1.0 - eta * wd, p)
        m *= _c(beta1, p)
        _add_scaled(m, 1.0 - beta1, g, tmp)  # m_t = beta1 m + (1 - beta1) g
        v *= _c(beta2, p)
        np.multiply(g, g, out=tmp)
        _add_scaled(v, 1.0 - beta2, tmp, tmp)  # v_t = beta2 v + (1 - beta2) g^2
        if h["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        bias_correction1 = 1.0 - _power(beta1, t)
        bias_correction2 = 1.0 - _power(beta2, t)
        np.sqrt(v, out=tmp)  # denominator sqrt(v_t) / sqrt(1 - beta2^t) + eps
        tmp /= _c(np.sqrt(bias_correction2), p)
        tmp += _c(h["eps"], p)
        np.divide(m, tmp, out=tmp)
        tmp *= _c(lr / bias_correction1, p)
        p -= tmp


class Adam(_AdamBase):
    r"""Adam with coupled L2 ``weight_decay``, as ``torch.optim.Adam``.

    With learning rate ``lr`` (:math:`\gamma`), ``betas`` :math:`(\beta_1, \beta_2)`, ``eps``
    :math:`\epsilon`, weight decay :math:`\lambda`, schedule multiplier :math:`\eta_t` and
    :math:`m_0 = v_0 = 0`:

    .. math::

        g_t &\leftarrow \nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad\text{(coupled: the L2 term joins the gradient)} \\
        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
        v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \qquad \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma\,\eta_t\, \hat m_t / (\sqrt{\hat v_t} + \epsilon) .

    So the L2 term :math:`\lambda\theta` is divided by :math:`\sqrt{\hat v_t} + \epsilon` like the
    rest of the gradient: weights with large past gradients are decayed less. With
    ``amsgrad=True``, :math:`v_t` in the denominator is replaced by its running maximum
    :math:`v^{\max}_t = \max(v^{\max}_{t-1}, v_t)` before the bias correction, as PyTorch's code
    does (older versions of its documentation wrote the maximum of the corrected :math:`\hat v_t`).

    Parameters
    ----------
    lr : float or ndarray, default 1e-3
    betas : pair of float or ndarray, default (0.9, 0.999)
        Each in [0, 1).
    eps : float or ndarray, default 1e-8
    weight_decay : float or ndarray, default 0
        Coupled L2 strength :math:`\lambda \ge 0` (the book's :math:`\lambda`).
    amsgrad : bool, default False
    maximize : bool, default False
        Ascend: :math:`g_t` is :math:`-\nabla f(\theta_{t-1})` (plus the L2 term), as PyTorch's
        ``maximize``. :class:`AdamW` and :class:`AdamWPaper` take the same option; their decay
        still shrinks the weights.
    groups : list of dict, optional
        Parameter groups (see the module docstring).

    Notes
    -----
    Hyperparameters may be Python or NumPy scalars (float32 included) or 1-D arrays (converted to
    float64); :meth:`~Optimizer.step` updates each parameter in its own precision.
    """

    _decay = "coupled"

    def __init__(self, *, lr: ArrayLike = 1e-3, betas: tuple = (0.9, 0.999), eps: ArrayLike = 1e-8,
                 weight_decay: ArrayLike = 0.0, amsgrad: bool = False, maximize: bool = False,
                 groups: Sequence[dict] | None = None) -> None:
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         maximize=maximize, groups=groups)


class AdamW(_AdamBase):
    r"""Adam with decoupled weight decay, as ``torch.optim.AdamW`` (decay scaled by the learning rate).

    The decay is applied to the weights first, then the Adam step of :class:`Adam` is taken with the
    plain gradient (learning rate of the step :math:`\gamma_t = \gamma\,\eta_t`):

    .. math::

        \theta &\leftarrow \theta_{t-1} - \gamma_t\, \lambda\, \theta_{t-1} \\
        m_t, v_t, \hat m_t, \hat v_t &\text{ as in Adam, from } g_t = \nabla f(\theta_{t-1}) \\
        \theta_t &\leftarrow \theta - \gamma_t\, \hat m_t / (\sqrt{\hat v_t} + \epsilon) .

    The decay is *not* divided by the adaptive denominator. PyTorch multiplies it by the learning
    rate: ``AdamW(lr=alpha, weight_decay=wd)`` is the paper's Algorithm 2 (:class:`AdamWPaper`) with
    :math:`\lambda = \alpha \cdot wd`. Defaults are PyTorch's: ``lr=1e-3``, ``betas=(0.9, 0.999)``,
    ``eps=1e-8``, ``weight_decay=1e-2``. Like PyTorch, it decays every parameter it is given,
    biases included, unless a group sets ``weight_decay=0`` for them.

    Notes
    -----
    Hyperparameters may be Python or NumPy scalars (float32 included) or 1-D arrays (converted to
    float64); :meth:`~Optimizer.step` updates each parameter in its own precision.
    """

    _decay = "lr"

    def __init__(self, *, lr: ArrayLike = 1e-3, betas: tuple = (0.9, 0.999), eps: ArrayLike = 1e-8,
                 weight_decay: ArrayLike = 1e-2, amsgrad: bool = False, maximize: bool = False,
                 groups: Sequence[dict] | None = None) -> None:
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         maximize=maximize, groups=groups)


class AdamWPaper(_AdamBase):
    r"""Adam with decoupled weight decay as in Algorithm 2 of Loshchilov & Hutter (2019).

    With base learning rate ``lr`` (:math:`\alpha`), decay :math:`\lambda` and schedule multiplier
    :math:`\eta_t`, and the moment estimates of :class:`Adam` computed from the plain gradient:

    .. math::

        \theta_t \leftarrow \theta_{t-1}
            - \eta_t \Big( \alpha\, \hat m_t / (\sqrt{\hat v_t} + \epsilon) + \lambda\, \theta_{t-1} \Big) .

    The decay is scaled by the schedule multiplier but **not** by :math:`\alpha`, so that changing
    the learning rate leaves the decay alone. Conversion: ``AdamWPaper(lr=alpha, weight_decay=lam)``
    takes the same steps as ``AdamW(lr=alpha, weight_decay=lam / alpha)`` under any schedule.
    The default ``weight_decay=1e-5`` makes the defaults equal to PyTorch's AdamW defaults
    (``1e-5 = 1e-3 * 1e-2``).

    Notes
    -----
    Hyperparameters may be Python or NumPy scalars (float32 included) or 1-D arrays (converted to
    float64); :meth:`~Optimizer.step` updates each parameter in its own precision.
    """

    _decay = "schedule"

    def __init__(self, *, lr: ArrayLike = 1e-3, betas: tuple = (0.9, 0.999), eps: ArrayLike = 1e-8,
                 weight_decay: ArrayLike = 1e-5, amsgrad: bool = False, maximize: bool = False,
                 groups: Sequence[dict] | None = None) -> None:
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         maximize=maximize, groups=groups)


def cosine_multiplier(step: ArrayLike, total_steps: int, *, final: float = 0.0) -> float | NDArray[np.float64]:
    r"""The cosine schedule multiplier :math:`\eta_t = f + (1 - f)\,\tfrac12\big(1 + \cos(\pi t / T)\big)`.

    It falls from 1 at ``t = 0`` to ``final`` (:math:`f`) at ``t = T``; the learning rate of step
    ``t`` (counted from 0) is ``lr * eta_t``. This is ``torch.optim.lr_scheduler.CosineAnnealingLR``
    with ``T_max = T`` and ``eta_min = final * lr``, and one period of the schedule of SGDR
    (used in the AdamW paper) without restarts.

    Parameters
    ----------
    step : int or array_like of int
        Step(s) ``t`` with ``0 <= t <= total_steps``.
    total_steps : int
        :math:`T \ge 1`.
    final : float, default 0
        The multiplier at the end, in [0, 1].

    Returns
    -------
    float or ndarray
        Same shape as ``step``.

    Raises
    ------
    ValueError
        If ``total_steps < 1``, ``final`` is outside [0, 1], or a step is not an integer in [0, T].

    Notes
    -----
    ``step`` must be integer; the result is a Python float or a float64 array.
    """
    total = check_positive_int(total_steps, "total_steps")
    final = _as_hyper(final, "final", high=1.0, high_open=False)
    if isinstance(final, np.ndarray):
        raise ValueError("final must be a number")
    t = np.asarray(step) if step is not None else np.asarray(None, dtype=object)
    if not np.issubdtype(t.dtype, np.integer) or t.dtype == np.bool_:
        raise InputTypeError(f"step must be integer(s) in [0, total_steps={total}]; got {step!r}")
    if t.size == 0 or np.any(t < 0) or np.any(t > total):
        raise ValueError(f"step must be integer(s) in [0, total_steps={total}]; got {step!r}")
    eta = final + (1.0 - final) * 0.5 * (1.0 + np.cos(np.pi * t / total))
    return float(eta) if eta.ndim == 0 else eta


def _check_steps(step, name: str = "step") -> np.ndarray:
    """``step`` as an integer array; a non-integer type (float, bool, string, None) is an InputTypeError."""
    t = np.asarray(step) if step is not None else np.asarray(None, dtype=object)
    if not np.issubdtype(t.dtype, np.integer) or t.dtype == np.bool_:
        raise InputTypeError(f"{name} must be integer(s) >= 0; got {step!r}")
    if t.size == 0 or np.any(t < 0):
        raise ValueError(f"{name} must be integer(s) >= 0; got {step!r}")
    return t


def cosine_warm_restarts_multiplier(
    step: ArrayLike, *, period: int, period_mult: int = 1, final: float = 0.0
) -> float | NDArray[np.float64]:
    r"""Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017), as a schedule multiplier.

    The steps are cut into periods of lengths :math:`T_0, T_0 m, T_0 m^2, \dots` (``period``
    :math:`T_0`, ``period_mult`` :math:`m`). If step ``t`` (counted from 0) lies at position
    :math:`T_{cur}` of a period of length :math:`T_i`,

    .. math::

        \eta_t = f + (1 - f)\,\tfrac12\big(1 + \cos(\pi\, T_{cur} / T_i)\big),

    so the multiplier falls from 1 towards ``final`` (:math:`f`) within each period and jumps back
    to 1 at its end (the *restart*). With :math:`m = 1`, :math:`T_{cur} = t \bmod T_0`. This is
    ``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(T_0=period, T_mult=period_mult,
    eta_min=final * lr)`` stepped once per optimizer step: the learning rate of step ``t`` is
    ``lr * eta_t``. The AdamW paper's experiments use this schedule for :math:`\eta_t` of its
    Algorithms 1 and 2 (:class:`SGDW`, :class:`AdamWPaper`).

    Parameters
    ----------
    step : int or array_like of int
        Step(s) ``t >= 0``.
    period : int
        Length :math:`T_0 \ge 1` of the first period.
    period_mult : int, default 1
        Factor :math:`m \ge 1` by which each period is longer than the one before.
    final : float, default 0
        The multiplier approached at the end of each period, in [0, 1].

    Returns
    -------
    float or ndarray
        Same shape as ``step``.

    Raises
    ------
    ValueError
        If ``period < 1``, ``period_mult < 1``, ``final`` is outside [0, 1], or a step is
        negative (a step of non-integer type is a TypeError).

    Notes
    -----
    ``step`` must be integer (NumPy integers included; floats, even integral ones, are refused);
    ``final``/``start`` may be a Python or NumPy scalar (float32 included), used as float64. The
    result is a Python float or a float64 array.
    """
    t0 = check_positive_int(period, "period")
    mult = check_positive_int(period_mult, "period_mult")
    final = _as_hyper(final, "final", high=1.0, high_open=False)
    if isinstance(final, np.ndarray):
        raise ValueError("final must be a number")
    t = _check_steps(step)
    if mult == 1:
        t_cur, t_i = t % t0, float(t0)
    else:  # period i covers [starts[i], starts[i] + lengths[i]), exact integers; O(log t) periods
        last = int(t.max()) if t.size else 0
        starts, lengths = [0], [t0]
        while starts[-1] + lengths[-1] <= last:
            starts.append(starts[-1] + lengths[-1])
            lengths.append(lengths[-1] * mult)
        starts_arr = np.array(starts, dtype=np.int64)  # every start is <= max(t), so it fits
        i = np.searchsorted(starts_arr, t, side="right") - 1
        t_cur = t - starts_arr[i]
        t_i = np.array(lengths, dtype=np.float64)[i]
    eta = final + (1.0 - final) * 0.5 * (1.0 + np.cos(np.pi * t_cur / t_i))
    return float(eta) if eta.ndim == 0 else eta


def linear_warmup_multiplier(step: ArrayLike, *, warmup_steps: int, start: float = 0.0) -> float | NDArray[np.float64]:
    r"""A linear warm-up: :math:`\eta_t = s + (1 - s)\min(t, W)/W`, then 1.

    The multiplier rises linearly from ``start`` (:math:`s`) at step 0 to 1 at step ``warmup_steps``
    (:math:`W`) and stays 1 afterwards. This is ``torch.optim.lr_scheduler.LinearLR(start_factor=s,
    end_factor=1.0, total_iters=W)`` (PyTorch requires :math:`s > 0`; :math:`s = 0` is allowed here
    and makes the first step a no-op). Warm-up followed by cosine decay over ``T`` steps, as
    ``SequentialLR([LinearLR(...), CosineAnnealingLR(T_max=T - W)], milestones=[W])``, is
    ``np.where(t < W, linear_warmup_multiplier(t, warmup_steps=W), cosine_multiplier(np.maximum(t - W, 0), T - W))``.

    Parameters
    ----------
    step : int or array_like of int
        Step(s) ``t >= 0``.
    warmup_steps : int
        :math:`W \ge 1`.
    start : float, default 0
        The multiplier at step 0, in [0, 1].

    Returns
    -------
    float or ndarray
        Same shape as ``step``.

    Raises
    ------
    ValueError
        If ``warmup_steps < 1``, ``start`` is outside [0, 1], or a step is negative (a step of
        non-integer type is a TypeError).

    Notes
    -----
    ``step`` must be integer (NumPy integers included; floats, even integral ones, are refused);
    ``final``/``start`` may be a Python or NumPy scalar (float32 included), used as float64. The
    result is a Python float or a float64 array.
    """
    w = check_positive_int(warmup_steps, "warmup_steps")
    start = _as_hyper(start, "start", high=1.0, high_open=False)
    if isinstance(start, np.ndarray):
        raise ValueError("start must be a number")
    t = _check_steps(step)
    eta = start + (1.0 - start) * np.minimum(t, w) / w
    return float(eta) if np.ndim(eta) == 0 else eta
