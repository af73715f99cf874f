"""Weight decay in networks with normalization: scale invariance, rotational equilibrium, AdamW's
timescale and its implicit box.

Conventions. ``eta`` is the learning rate. For plain SGD with PyTorch's coupled ``weight_decay``
``lam`` (the book's lambda for the mean loss) the step is ``W <- (1 - eta lam) W - eta g``; for
PyTorch's ``AdamW`` it is ``W <- (1 - eta wd) W - eta u`` with the Adam direction
``u = m_hat / (sqrt(v_hat) + eps)``. In both the weights shrink by the factor ``1 - eta lam`` (or
``1 - eta wd``) per step.

* **Scale invariance.** A weight matrix followed by a normalization layer
  (:func:`scale_invariant_positions`) leaves the loss unchanged when it is multiplied by ``c > 0``;
  then its gradient is orthogonal to it and scales like ``1/c``. :func:`angle_between` measures
  how far a weight matrix turned in one step.
* **Rotational equilibrium** (:func:`rotational_equilibrium`): the norm and the angular update per
  step that weight decay and the gradient noise balance at.
* **AdamW as an exponential moving average** (:func:`adam_directions`, :func:`ema_coefficients`,
  :func:`adamw_as_ema`) with timescale ``tau = 1/(eta wd)`` iterations (:func:`timescale`,
  :func:`weight_decay_for_timescale`).
* **AdamW's box**: full-batch AdamW on least squares (:func:`adamw_least_squares`) and the
  box-constrained least-squares solution ``||w||_inf <= 1/wd`` it approaches
  (:func:`box_least_squares`, certified by :func:`box_kkt_violation`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.optimize
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    InputTypeError,
    as_finite_array,
    check_bool,
    check_choice,
    check_instance,
    check_matching_rows,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_probability,
)
from .mlp import MLP
from .optim import AdamW, cosine_multiplier

__all__ = [
    "Equilibrium",
    "BoxFit",
    "scale_invariant_positions",
    "angle_between",
    "rotational_equilibrium",
    "adam_directions",
    "ema_coefficients",
    "adamw_as_ema",
    "timescale",
    "weight_decay_for_timescale",
    "adamw_least_squares",
    "box_kkt_violation",
    "box_least_squares",
]


def scale_invariant_positions(net: MLP) -> list[int]:
    """Positions (in ``net``'s parameter list) of the weight matrices followed by a layer norm.

    With ``layer_norm=True`` every hidden layer computes ``LN(h_prev @ W)``: multiplying ``W`` by
    ``c > 0`` multiplies the pre-activations of every example by ``c``, and the layer norm removes
    the factor (up to its ``epsilon`` of 1e-5 added to the variance). The output layer's weights are
    never scale-invariant. Without layer norm the list is empty.

    Parameters
    ----------
    net : MLP

    Returns
    -------
    list of int

    Notes
    -----
    ``net.sizes`` may hold NumPy integers; the positions are Python ints.
    """
    check_instance(net, "net", MLP, "an MLP")
    if not net.layer_norm:
        return []
    return [i for i, name in enumerate(net.names) if name.startswith("W")][:-1]


def angle_between(a: ArrayLike, b: ArrayLike, *, model_axes: int = 0) -> float | NDArray[np.float64]:
    """The angle, in radians, between ``a`` and ``b`` seen as flat vectors.

    Computed as ``2 atan2(||a/|a| - b/|b|||, ||a/|a| + b/|b|||)``, accurate for tiny angles too (the
    arc cosine of the cosine loses half the digits there).

    Parameters
    ----------
    a, b : array_like of the same shape
        Non-zero (per model) and finite.
    model_axes : int, default 0
        The number of leading axes that index models: the angle is computed for each.

    Returns
    -------
    float or ndarray of shape ``a.shape[:model_axes]``
        In ``[0, pi]``.

    Raises
    ------
    ValueError
        If ``a`` and ``b`` differ in shape, are non-finite, or one of them is zero (for some model).

    Notes
    -----
    float32 and integer arrays are used as float64.
    """
    model_axes = check_positive_int(model_axes, "model_axes", minimum=0)
    a = as_finite_array(a, "a")
    b = as_finite_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    if model_axes > a.ndim:
        raise ValueError(f"model_axes must be <= a.ndim = {a.ndim}; got {model_axes}")
    lead = a.shape[:model_axes]
    a2, b2 = a.reshape(lead + (-1,)), b.reshape(lead + (-1,))
    # scale by the largest entry first: the norms of huge or tiny finite vectors do not overflow
    a2 = a2 / np.maximum(np.abs(a2).max(axis=-1, keepdims=True), np.finfo(float).tiny)
    b2 = b2 / np.maximum(np.abs(b2).max(axis=-1, keepdims=True), np.finfo(float).tiny)
    na, nb = np.linalg.norm(a2, axis=-1), np.linalg.norm(b2, axis=-1)
    for name, norm in (("a", na), ("b", nb)):
        if np.any(norm == 0):
            raise ValueError(f"{name} must be non-zero (the angle of a zero vector is undefined)")
    ua, ub = a2 / na[..., None], b2 / nb[..., None]
    angle = 2.0 * np.arctan2(np.linalg.norm(ua - ub, axis=-1), np.linalg.norm(ua + ub, axis=-1))
    return float(angle) if angle.ndim == 0 else angle


@dataclass(frozen=True)
class Equilibrium:
    """The predicted steady state of a scale-invariant weight matrix under decay.

    Attributes
    ----------
    norm : float
        The Frobenius norm ``||W||`` at equilibrium.
    angle : float
        The root-mean-square angle (radians) between ``W_t`` and ``W_{t+1}``.
    """

    norm: float
    angle: float


def rotational_equilibrium(
    *,
    lr: float,
    weight_decay: float,
    optimizer: str,
    grad_sq_norm: float | None = None,
    n_entries: int | None = None,
    beta1: float = 0.9,
) -> Equilibrium:
    r"""Norm and angular update at which decay balances the gradient of a scale-invariant weight.

    **SGD** (``optimizer="sgd"``, no momentum): ``W <- (1 - eta lam) W - eta g`` with ``g`` orthogonal
    to ``W`` and ``g = g_1 / ||W||``, where ``g_1`` is the gradient at the unit-norm weight
    ``W/||W||``. Then exactly ``||W_{t+1}||^2 = (1 - eta lam)^2 ||W_t||^2 + eta^2 ||g_1||^2/||W_t||^2``.
    Its fixed point, with ``G = E||g_1||^2`` (``grad_sq_norm``), is

    .. math::

        \lVert W\rVert^4 = \frac{\eta\, G}{\lambda (2 - \eta\lambda)},\qquad
        \theta = \arccos(1 - \eta\lambda) \approx \sqrt{2\eta\lambda},

    where :math:`\theta` is the root mean square of :math:`\arctan` of the step's
    ``eta ||g|| / ((1 - eta lam) ||W||)``, i.e. of the angle turned per step: the angle does not
    depend on ``G``.

    **AdamW** (``optimizer="adamw"``, PyTorch's convention, ``lam = wd``): Kosson et al.'s
    random-walk approximation (first order in ``eta wd``; the Adam direction has about unit
    squared size per entry, ``n_entries`` of them, and successive gradients are uncorrelated):

    .. math::

        \lVert W\rVert = \sqrt{\frac{\eta\, C}{2\,\mathrm{wd}}},\qquad
        \theta = \sqrt{2\,\eta\,\mathrm{wd}\,\frac{1 - \beta_1}{1 + \beta_1}} .

    Parameters
    ----------
    lr : float
        ``eta`` > 0.
    weight_decay : float
        ``lam`` (SGD) or ``wd`` (AdamW), > 0, with ``lr * weight_decay < 1``.
    optimizer : {"sgd", "adamw"}
    grad_sq_norm : float, optional
        SGD only (required there): ``E||g_1||^2`` > 0, the mean squared gradient norm at unit
        weight norm (``||W||^2 ||g||^2`` measured at any norm).
    n_entries : int, optional
        AdamW only (required there): the number of entries ``C`` of the weight matrix.
    beta1 : float, default 0.9
        AdamW only: Adam's first-moment decay rate, in [0, 1).

    Returns
    -------
    Equilibrium

    Notes
    -----
    Numbers may be Python or NumPy scalars (float32 included); they are used as float64.

    Raises
    ------
    ValueError
        For non-positive ``lr``, ``weight_decay``, ``grad_sq_norm`` or ``n_entries``,
        ``lr * weight_decay >= 1``, ``beta1`` outside [0, 1), or a missing argument the optimizer needs.
    """
    eta = check_positive(lr, "lr")
    lam = check_positive(weight_decay, "weight_decay")
    optimizer = check_choice(optimizer, "optimizer", ("sgd", "adamw"))
    if eta * lam >= 1:
        raise ValueError(f"lr * weight_decay must be < 1 (a shrink factor 1 - lr wd in (0, 1)); got {eta * lam!r}")
    G = None if grad_sq_norm is None else check_positive(grad_sq_norm, "grad_sq_norm")
    C = None if n_entries is None else check_positive_int(n_entries, "n_entries")
    b1 = check_probability(beta1, "beta1", open_interval=False)
    if b1 == 1:
        raise ValueError(f"beta1 must lie in [0, 1); got {beta1!r}")
    if optimizer == "sgd":
        if G is None:
            raise ValueError("grad_sq_norm is required for optimizer='sgd'")
        norm = (eta * G / (lam * (2.0 - eta * lam))) ** 0.25
        return Equilibrium(norm=float(norm), angle=float(math.acos(1.0 - eta * lam)))
    if C is None:
        raise ValueError("n_entries is required for optimizer='adamw'")
    norm = math.sqrt(eta * C / (2.0 * lam))
    angle = math.sqrt(2.0 * eta * lam * (1.0 - b1) / (1.0 + b1))
    return Equilibrium(norm=float(norm), angle=float(angle))


def adam_directions(
    grads: ArrayLike, *, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
) -> NDArray[np.float64]:
    r"""Adam's update directions :math:`u_t = \hat m_t / (\sqrt{\hat v_t} + \varepsilon)` for a
    sequence of gradients.

    With :math:`m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t`, :math:`v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2`
    from zero, :math:`\hat m_t = m_t/(1-\beta_1^t)` and :math:`\hat v_t = v_t/(1-\beta_2^t)` (steps
    counted from 1), as in ``torch.optim.Adam``. Adam's step is ``-lr * u_t``; AdamW's adds its decay.

    Parameters
    ----------
    grads : array_like, shape (T, p)
        The gradients ``g_1 ... g_T`` of ``p`` parameters (flatten a matrix), along the first axis.
    betas : (float, float), default (0.9, 0.999)
        Each in [0, 1).
    eps : float, default 1e-8
        >= 0.

    Returns
    -------
    ndarray, shape (T, p)

    Notes
    -----
    float32 and integer gradients and NumPy scalars are used as float64; the result is float64.
    """
    g = as_finite_array(grads, "grads", ndim=2)
    if not isinstance(betas, (tuple, list)):
        raise InputTypeError(f"betas must be a pair (beta1, beta2); got {betas!r}")
    if len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2); got {betas!r}")
    b1 = check_probability(betas[0], "betas[0] (beta1)", open_interval=False)
    b2 = check_probability(betas[1], "betas[1] (beta2)", open_interval=False)
    for name, b in (("betas[0] (beta1)", b1), ("betas[1] (beta2)", b2)):
        if b == 1:
            raise ValueError(f"{name} must lie in [0, 1); got {b!r}")
    eps = check_nonnegative(eps, "eps")
    m = np.zeros(g.shape[1:])
    v = np.zeros(g.shape[1:])
    out = np.empty_like(g)
    for t in range(g.shape[0]):
        m = b1 * m + (1 - b1) * g[t]
        v = b2 * v + (1 - b2) * g[t] ** 2
        denominator = np.sqrt(v / (1 - b2 ** (t + 1))) + eps
        with np.errstate(invalid="ignore", divide="ignore"):
            out[t] = np.where(denominator > 0, (m / (1 - b1 ** (t + 1))) / denominator, 0.0)
    return out


def ema_coefficients(alphas: ArrayLike) -> NDArray[np.float64]:
    r"""Weights of an exponential moving average with step-dependent rates.

    The recursion :math:`x_t = (1 - \alpha_t)\,x_{t-1} + \alpha_t\, z_t` (:math:`t = 1 \dots T`) gives
    :math:`x_T = c_0 x_0 + \sum_{t=1}^T c_t z_t` with :math:`c_0 = \prod_{s=1}^T (1 - \alpha_s)` and
    :math:`c_t = \alpha_t \prod_{s>t} (1 - \alpha_s)`. The coefficients sum to 1.

    Parameters
    ----------
    alphas : array_like, shape (T,)
        Each in [0, 1].

    Returns
    -------
    ndarray, shape (T + 1,)
        ``c_0, c_1, ..., c_T``.

    Notes
    -----
    float32 and integer arrays are used as float64.
    """
    a = as_finite_array(alphas, "alphas", ndim=1)
    if np.any(a < 0) or np.any(a > 1):
        raise ValueError("alphas must lie in [0, 1]")
    # survival[t] = prod_{s > t} (1 - alpha_s), for t = 0 .. T (empty product 1 at t = T)
    survival = np.append(np.cumprod((1.0 - a)[::-1])[::-1], 1.0)
    return np.concatenate(([survival[0]], a * survival[1:]))


def adamw_as_ema(
    initial: ArrayLike,
    directions: ArrayLike,
    *,
    lr: float,
    weight_decay: float,
    multipliers: ArrayLike | None = None,
) -> NDArray[np.float64]:
    r"""AdamW's end point written as an exponential moving average of ``-u_t / wd``.

    PyTorch's AdamW step with schedule multiplier :math:`s_t` is
    :math:`W_t = (1 - \eta s_t \mathrm{wd})\,W_{t-1} - \eta s_t u_t`, which is
    :math:`W_t = (1 - \alpha_t) W_{t-1} + \alpha_t\,(-u_t/\mathrm{wd})` with
    :math:`\alpha_t = \eta s_t \mathrm{wd}`: an EMA of the targets :math:`-u_t/\mathrm{wd}` whose
    timescale is :math:`1/(\eta\,\mathrm{wd})` steps. This function evaluates the EMA's explicit
    weighted sum (:func:`ema_coefficients`), not the recursion.

    Parameters
    ----------
    initial : array_like, shape (p,)
        ``W_0`` (flatten a matrix).
    directions : array_like, shape (T, p)
        The Adam directions ``u_1 ... u_T`` (:func:`adam_directions`).
    lr : float
        ``eta`` > 0.
    weight_decay : float
        ``wd`` > 0, with ``lr * wd * max(multipliers) <= 1``.
    multipliers : array_like, shape (T,), optional
        Schedule multipliers ``s_t`` >= 0; all 1 if omitted.

    Returns
    -------
    ndarray, shape (p,)
        ``W_T``.

    Notes
    -----
    float32 and integer arrays and NumPy scalars are used as float64; the result is float64.
    """
    w0 = as_finite_array(initial, "initial", ndim=1)
    u = as_finite_array(directions, "directions", ndim=2)
    if u.shape[1] != w0.shape[0]:
        raise ValueError(f"directions must have shape (T, {w0.shape[0]}) (the length of initial); got {u.shape}")
    eta = check_positive(lr, "lr")
    wd = check_positive(weight_decay, "weight_decay")
    T = u.shape[0]
    if multipliers is None:
        s = np.ones(T)
    else:
        s = as_finite_array(multipliers, "multipliers", ndim=1)
        if s.shape[0] != T:
            raise ValueError(f"multipliers must have length T = {T}; got {s.shape[0]}")
        if np.any(s < 0):
            raise ValueError("multipliers must be non-negative")
    alphas = eta * s * wd
    if np.any(alphas > 1):
        raise ValueError("lr * weight_decay * multipliers must be <= 1 (a shrink factor in [0, 1])")
    c = ema_coefficients(alphas)
    return c[0] * w0 + np.tensordot(c[1:], -u / wd, axes=(0, 0))


def timescale(
    lr: float, weight_decay: float, *, steps_per_epoch: int | None = None
) -> float:
    r"""AdamW's EMA timescale :math:`\tau = 1/(\eta\,\mathrm{wd})`, in iterations or in epochs.

    Parameters
    ----------
    lr, weight_decay : float
        PyTorch's ``lr`` and ``weight_decay`` of ``AdamW``, each > 0.
    steps_per_epoch : int, optional
        If given, the timescale is returned in epochs, ``tau / steps_per_epoch``.

    Returns
    -------
    float

    Notes
    -----
    Numbers may be Python or NumPy scalars (float32 included); they are used as float64.
    """
    eta = check_positive(lr, "lr")
    wd = check_positive(weight_decay, "weight_decay")
    tau = 1.0 / (eta * wd)
    if steps_per_epoch is not None:
        tau /= check_positive_int(steps_per_epoch, "steps_per_epoch")
    return tau


def weight_decay_for_timescale(tau_epochs: float, *, lr: float, steps_per_epoch: int) -> float:
    r"""The AdamW ``weight_decay`` whose timescale is ``tau_epochs`` epochs:
    :math:`\mathrm{wd} = 1/(\eta\,\tau_{\mathrm{ep}}\,S)` with ``S = steps_per_epoch``.

    For a fixed batch size, ``S`` grows in proportion to the training-set size ``n``, so a fixed
    timescale in epochs means ``wd`` proportional to ``1/n`` (Wang & Aitchison's rule).

    Parameters
    ----------
    tau_epochs : float
        > 0.
    lr : float
        > 0.
    steps_per_epoch : int
        >= 1.

    Returns
    -------
    float

    Notes
    -----
    Numbers may be Python or NumPy scalars (float32 included); they are used as float64.
    """
    tau = check_positive(tau_epochs, "tau_epochs")
    eta = check_positive(lr, "lr")
    steps = check_positive_int(steps_per_epoch, "steps_per_epoch")
    return 1.0 / (eta * tau * steps)


def _check_xy(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    X = as_finite_array(X, "X", ndim=2)
    y = as_finite_array(y, "y", ndim=1)
    check_matching_rows(X, "X", y, "y")
    return X, y


def _as_hyper_array(value, name: str) -> np.ndarray:
    if isinstance(value, (bool, np.bool_)) or np.asarray(value).dtype.kind == "b":
        raise InputTypeError(f"{name} must be a number or a 1-D array of numbers; got {value!r}")
    return as_finite_array(value, name, ndim=(0, 1))


def adamw_least_squares(
    X: ArrayLike,
    y: ArrayLike,
    *,
    lr: ArrayLike,
    weight_decay: ArrayLike,
    n_steps: int,
    schedule: str = "cosine",
) -> tuple[NDArray[np.float64], NDArray[np.float64] | float]:
    r"""Full-batch PyTorch-convention AdamW on :math:`L(w, b) = \frac{1}{2n}\lVert y - Xw - b\rVert^2`.

    Starts from ``w = 0, b = 0``; the intercept is not decayed; default betas and eps
    (:class:`regbook.optim.AdamW`). Several models at once: with a 1-D ``lr`` and/or
    ``weight_decay`` of length ``M`` the models are trained side by side (model ``m`` with
    ``lr[m]`` and ``weight_decay[m]``).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lr : float or array_like of shape (M,)
        Each > 0.
    weight_decay : float or array_like of shape (M,)
        Each >= 0.
    n_steps : int
        >= 1.
    schedule : {"cosine", "constant"}, default "cosine"
        The multiplier ``cosine_multiplier(t, n_steps)`` (annealed to zero) or 1.

    Returns
    -------
    coef : ndarray, shape (p,) or (M, p)
    intercept : float or ndarray of shape (M,)

    Raises
    ------
    ValueError
        For bad input, ``lr`` and ``weight_decay`` arrays of different lengths, or a run whose
        gradients overflow.

    Notes
    -----
    float32 and integer ``X``, ``y`` and NumPy scalars are used as float64; results are float64.
    """
    X, y = _check_xy(X, y)
    eta = _as_hyper_array(lr, "lr")
    if np.any(eta <= 0):
        raise ValueError("lr must be positive")
    steps = check_positive_int(n_steps, "n_steps")
    schedule = check_choice(schedule, "schedule", ("cosine", "constant"))
    wd = _as_hyper_array(weight_decay, "weight_decay")
    if np.any(wd < 0):
        raise ValueError("weight_decay must be non-negative")
    if eta.ndim == 1 and wd.ndim == 1 and eta.shape != wd.shape:
        raise ValueError(f"lr and weight_decay must have the same length; got {eta.shape[0]} and {wd.shape[0]}")
    n, p = X.shape
    lead = np.broadcast_shapes(eta.shape, wd.shape)
    w, b = np.zeros(lead + (p,)), np.zeros(lead + (1,))
    opt = AdamW(lr=float(eta) if eta.ndim == 0 else eta, weight_decay=float(wd) if wd.ndim == 0 else wd,
                groups=[{"params": [1], "weight_decay": 0.0}])
    multipliers = cosine_multiplier(np.arange(steps), steps) if schedule == "cosine" else np.ones(steps)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            r = (X @ w[..., None])[..., 0] + b - y  # minus the residual, shape lead + (n,)
            grads = [r @ X / n, r.mean(axis=-1, keepdims=True)]
            if not all(np.all(np.isfinite(g)) for g in grads):
                raise ValueError(f"lr, weight_decay, X, y: the gradient overflowed at step {t} "
                                 "(inputs too large in magnitude, or a diverging learning rate)")
            opt.step([w, b], grads, multiplier=float(multipliers[t]))
    if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
        raise ValueError("lr, weight_decay, X, y: AdamW diverged (non-finite weights)")
    return w, (float(b[0]) if b.ndim == 1 else b[..., 0])


def box_kkt_violation(
    X: ArrayLike, y: ArrayLike, coef: ArrayLike, intercept: float, bound: float,
    *, fit_intercept: bool = True,
) -> float:
    r"""Largest violation of the optimality conditions of box-constrained least squares.

    The problem is :math:`\min \frac{1}{2n}\lVert y - Xw - b\rVert^2` subject to
    :math:`\lvert w_j\rvert \le B` (``bound``), ``b`` free. With :math:`r_j = x_j^\top(y - Xw - b)/n`
    (minus the gradient), a point is optimal iff it is feasible and: :math:`r_j = 0` where
    :math:`\lvert w_j\rvert < B`, :math:`r_j \ge 0` where :math:`w_j = B`, :math:`r_j \le 0` where
    :math:`w_j = -B`, and (if the intercept is fitted) the mean residual is 0. Returns the largest amount by which one of these
    (and feasibility) fails, on the scale of the gradient; 0 at an exact solution.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    coef : array_like, shape (p,)
    intercept : float
    bound : float
        ``B`` > 0.
    fit_intercept : bool, default True
        If False, ``b`` is held at ``intercept`` and the mean residual is not checked.

    Returns
    -------
    float

    Notes
    -----
    float32 and integer arrays and NumPy scalars are used as float64.
    """
    X, y = _check_xy(X, y)
    w = as_finite_array(coef, "coef", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"coef must have length {X.shape[1]} (columns of X); got {w.shape[0]}")
    if isinstance(intercept, (bool, np.bool_)):
        raise InputTypeError(f"intercept must be a real number; got {intercept!r}")
    b = float(as_finite_array(intercept, "intercept", ndim=0))
    B = check_positive(bound, "bound")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n = X.shape[0]
    res = y - X @ w - b
    r = X.T @ res / n
    tol = 1e-12 * B  # a weight within this distance of the bound counts as on it
    at_upper, at_lower = w >= B - tol, w <= -B + tol
    free = ~(at_upper | at_lower)
    parts = [abs(res.mean()) if fit_intercept else 0.0, np.max(np.maximum(np.abs(w) - B, 0.0), initial=0.0)]
    parts.append(np.max(np.abs(r[free]), initial=0.0))
    parts.append(np.max(np.maximum(-r[at_upper], 0.0), initial=0.0))
    parts.append(np.max(np.maximum(r[at_lower], 0.0), initial=0.0))
    return float(max(parts))


@dataclass(frozen=True)
class BoxFit:
    """Box-constrained least squares: the solution and its optimality certificate.

    Attributes
    ----------
    coef : ndarray, shape (p,)
    intercept : float
    kkt : float
        :func:`box_kkt_violation` at the solution.
    n_at_bound : int
        How many weights lie on the box's faces.
    """

    coef: NDArray[np.float64]
    intercept: float
    kkt: float
    n_at_bound: int


def box_least_squares(
    X: ArrayLike, y: ArrayLike, bound: float, *, fit_intercept: bool = True, tol: float = 1e-8
) -> BoxFit:
    r"""Solve :math:`\min \frac{1}{2n}\lVert y - Xw - b\rVert^2` subject to :math:`\lVert w\rVert_\infty \le B`.

    Solved with ``scipy.optimize.lsq_linear`` (bounded-variable least squares, the intercept an
    unbounded extra variable), and certified: the result is returned only if its
    :func:`box_kkt_violation` is at most ``tol`` times the scale of the gradient at zero,
    ``max(||X^T y||_inf / n, |mean(y)|)``.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    bound : float
        ``B`` > 0 (``1/wd`` for AdamW's box).
    fit_intercept : bool, default True
        If False, ``b = 0``.
    tol : float, default 1e-8
        Relative tolerance of the certificate, in (0, 1).

    Returns
    -------
    BoxFit

    Raises
    ------
    ValueError
        For bad input, or ``tol`` too small to certify the solver's answer (the message says so).

    Notes
    -----
    float32 and integer ``X``, ``y`` and NumPy scalars are used as float64.
    """
    X, y = _check_xy(X, y)
    B = check_positive(bound, "bound")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    tol = check_probability(tol, "tol")
    n, p = X.shape
    A = np.hstack([X, np.ones((n, 1))]) if fit_intercept else X
    upper = np.append(np.full(p, B), np.inf) if fit_intercept else np.full(p, B)
    result = scipy.optimize.lsq_linear(A, y, bounds=(-upper, upper), method="bvls", tol=1e-14)
    coef = np.clip(result.x[:p], -B, B)
    intercept = float(result.x[p]) if fit_intercept else 0.0
    if fit_intercept:
        intercept = float(np.mean(y - X @ coef))  # exact stationarity in b for the clipped weights
    scale = max(np.abs(X.T @ y).max() / n, abs(y.mean()), np.finfo(float).tiny)
    kkt = box_kkt_violation(X, y, coef, intercept, B, fit_intercept=fit_intercept)
    if not kkt <= tol * scale:
        raise ValueError(f"X, y, tol: the box solution could not be certified to tol = {tol:g} "
                         f"(KKT violation {kkt:.3g} on a gradient scale of {scale:.3g})")
    n_at_bound = int(np.sum(np.abs(coef) >= B * (1 - 1e-12)))
    return BoxFit(coef=coef, intercept=intercept, kkt=kkt, n_at_bound=n_at_bound)
