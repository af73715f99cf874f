"""A small multilayer perceptron for classification in NumPy: forward, backward, softmax cross-entropy.

The network maps ``x`` through hidden layers ``h = act(LN(h_prev @ W + b))`` (the layer norm
``LN`` only with ``layer_norm=True``) to logits ``z = h @ W_out + b_out``; the training loss is the
**mean** softmax cross-entropy over the examples,

    L = (1/n) sum_i ( logsumexp(z_i) - z_i[y_i] ).

**Parameters** are a plain list of arrays, in the order given by :attr:`MLP.names`
(``W1, b1, W2, b2, ...``; with layer norm ``W1, gain1, shift1, W2, ...``, the hidden biases being
redundant before a normalization). Weight matrices are stored ``(fan_in, fan_out)``.

**Many models at once.** Every parameter may carry leading "model" axes: ``W1`` of shape
``(M, d, h)`` holds ``M`` independent networks. Inputs ``X`` of shape ``(n, d)`` are then shared by
all of them; the loss has shape ``(M,)`` and ``grads[k][m]`` is the gradient of model ``m``'s own
loss. The optimizers of :mod:`regbook.optim` accept hyperparameters of shape ``(M,)``, so a grid
of models trains in one loop.

**Weight decay groups.** :attr:`MLP.decay_indices` are the positions of the weight matrices,
:attr:`MLP.no_decay_indices` those of biases and layer-norm gains and shifts; pass
``groups=[{"params": net.no_decay_indices, "weight_decay": 0.0}]`` to an optimizer to exclude
them from decay, as is usual with PyTorch's parameter groups.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import (
    InputTypeError,
    SeedLike,
    as_finite_array,
    as_rng,
    check_bool,
    check_callable,
    check_choice,
    check_instance,
    check_positive_int,
)

__all__ = ["MLP", "train"]

_LN_EPS = 1e-5  # PyTorch's LayerNorm default


def _t(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def _scalar_or_array(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


def _cross_entropy(logits: np.ndarray, y: np.ndarray):
    """Mean cross-entropy per model, the log-probabilities, and the labels as an index array."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_prob = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    y_b = np.broadcast_to(y, logits.shape[:-1])[..., None]
    return -np.take_along_axis(log_prob, y_b, axis=-1)[..., 0].mean(axis=-1), log_prob, y_b


@dataclass(frozen=True)
class MLP:
    """A fully connected classifier with ReLU or tanh hidden units.

    Parameters
    ----------
    sizes : tuple of int
        ``(d_in, h_1, ..., h_k, n_classes)``; at least two entries, each >= 1 (>= 2 classes).
    activation : {"relu", "tanh"}, default "relu"
    layer_norm : bool, default False
        Layer normalization (over the units, with a gain and a shift per unit, epsilon 1e-5)
        before each hidden activation; the hidden layers then have no bias.

    Notes
    -----
    ``sizes`` may hold NumPy integers. The dtype of the computation is that of the parameters
    (see :meth:`init`): float32 parameters and float32 ``X`` compute in float32.
    """

    sizes: tuple[int, ...]
    activation: str = "relu"
    layer_norm: bool = False

    def __post_init__(self) -> None:
        check_instance(self.sizes, "sizes", (tuple, list), "a tuple of int")
        sizes = tuple(check_positive_int(s, f"sizes[{i}]") for i, s in enumerate(self.sizes))
        if len(sizes) < 2 or sizes[-1] < 2:
            raise ValueError(f"sizes must be (d_in, ..., n_classes) with n_classes >= 2; got {self.sizes!r}")
        check_choice(self.activation, "activation", ("relu", "tanh"))
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "layer_norm", check_bool(self.layer_norm, "layer_norm"))

    # -- layout ------------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """Names of the parameters, in order (``W1, b1, ...`` or ``W1, gain1, shift1, ...``)."""
        names = []
        n_layers = len(self.sizes) - 1
        for k in range(1, n_layers + 1):
            names.append(f"W{k}")
            if self.layer_norm and k < n_layers:
                names += [f"gain{k}", f"shift{k}"]
            else:
                names.append(f"b{k}")
        return names

    @property
    def shapes(self) -> list[tuple[int, ...]]:
        """Shapes of the parameters of one model, in the order of :attr:`names`."""
        shapes = []
        for k, (fan_in, fan_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            shapes.append((fan_in, fan_out))
            shapes += [(fan_out,)] * (2 if self.layer_norm and k < len(self.sizes) - 1 else 1)
        return shapes

    @property
    def decay_indices(self) -> list[int]:
        """Positions of the weight matrices (the parameters usually decayed)."""
        return [i for i, name in enumerate(self.names) if name.startswith("W")]

    @property
    def no_decay_indices(self) -> list[int]:
        """Positions of biases and layer-norm gains and shifts (usually excluded from decay)."""
        return [i for i, name in enumerate(self.names) if not name.startswith("W")]

    def init(self, *, rng: SeedLike, n_models: int | None = None, dtype: type = np.float64) -> list[np.ndarray]:
        """Random initial parameters: He-normal weights for ReLU (Glorot-normal for tanh), zero
        biases and shifts, unit gains.

        Parameters
        ----------
        rng : int or numpy.random.Generator
        n_models : int, optional
            If given, every parameter gets a leading axis of this length (independent draws).
        dtype : numpy float type, default float64
            ``np.float32`` halves the cost of large batched runs; pass inputs ``X`` of the same type.

        Returns
        -------
        list of ndarray

        Notes
        -----
        ``dtype=np.float32`` gives float32 parameters; the default is float64.
        """
        rng = as_rng(rng)
        if not any(dtype is t or (isinstance(dtype, np.dtype) and dtype == t) for t in (np.float32, np.float64)):
            raise InputTypeError(f"dtype must be numpy.float32 or numpy.float64; got {dtype!r}")
        lead = () if n_models is None else (check_positive_int(n_models, "n_models"),)
        params = []
        for name, shape in zip(self.names, self.shapes):
            if name.startswith("W"):
                fan_in, fan_out = shape
                var = 2.0 / fan_in if self.activation == "relu" else 2.0 / (fan_in + fan_out)
                params.append((rng.standard_normal(lead + shape) * np.sqrt(var)).astype(dtype))
            elif name.startswith("gain"):
                params.append(np.ones(lead + shape, dtype=dtype))
            else:
                params.append(np.zeros(lead + shape, dtype=dtype))
        return params

    def _check(self, params: Sequence[np.ndarray], X: ArrayLike, y: ArrayLike | None = None, *, need_y: bool = False):
        """Check ``params``, ``X`` (and ``y``) once, at the public entry; return ``(X, y)``.

        Every parameter must be a finite real array (``params[i]`` is named in the message, with its
        role, e.g. ``params[0] (W1)``). A float32 or float64 ``X`` is kept in its precision (with
        float32 parameters a float32 ``X`` makes the whole computation float32); any other real
        ``X`` (a list, integers) becomes float64.
        """
        if isinstance(params, np.ndarray) or not isinstance(params, (list, tuple)):
            raise InputTypeError(f"params must be a list of arrays ({', '.join(self.names)}); got {type(params).__name__}")
        if len(params) != len(self.shapes):
            raise ValueError(f"params must hold {len(self.shapes)} arrays ({', '.join(self.names)}); got {len(params)}")
        lead = None
        for i, (p, name, shape) in enumerate(zip(params, self.names, self.shapes)):
            label = f"params[{i}] ({name})"
            if not isinstance(p, np.ndarray) or p.dtype.kind not in "iuf":
                kind = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
                raise InputTypeError(f"{label} must be a real NumPy array; got {kind}")
            if p.shape[p.ndim - len(shape):] != shape or p.ndim < len(shape):
                raise ValueError(f"{label} must have shape (..., {', '.join(map(str, shape))}); got {p.shape}")
            if not np.isfinite(p).all():
                raise ValueError(f"{label} contains NaN or infinite values")
            this = p.shape[: p.ndim - len(shape)]
            if lead is not None and this != lead:
                raise ValueError(f"{label} has model axes {this} but params[0] ({self.names[0]}) has {lead}")
            lead = this
        if isinstance(X, np.ndarray) and X.dtype in (np.float32, np.float64):
            if X.size == 0 or not np.isfinite(X).all():
                raise ValueError("X must be non-empty and finite")
        else:
            X = as_finite_array(X, "X")
        if X.ndim < 2 or X.shape[-1] != self.sizes[0] or not (X.ndim == 2 or X.shape[:-2] == lead):
            raise ValueError(f"X must have shape (n, {self.sizes[0]}) or {lead + ('n', self.sizes[0])}; got {X.shape}")
        if y is None:
            if need_y:
                raise InputTypeError("y must be integer class labels; got None")
            return X, None
        y = np.asarray(y)
        if y.dtype.kind not in "biuf":
            raise InputTypeError(f"y must be integer class labels; got dtype {y.dtype}")
        if not np.issubdtype(y.dtype, np.integer) or not (y.ndim == 1 or y.shape[:-1] == lead):
            raise ValueError(f"y must be integer class labels of shape (n,) or {lead + ('n',)}")
        if y.shape[-1] != X.shape[-2]:
            raise ValueError(f"y has {y.shape[-1]} labels but X has {X.shape[-2]} rows")
        if y.size and (y.min() < 0 or y.max() >= self.sizes[-1]):
            raise ValueError(f"y must hold labels in [0, {self.sizes[-1]})")
        return X, y

    # -- forward and backward ----------------------------------------------------------------
    def _forward(self, params, X):
        """Logits and the cache for the backward pass (in-place operations keep temporaries few)."""
        cache = []
        a = X
        i = 0
        n_layers = len(self.sizes) - 1
        for k in range(n_layers):
            z = a @ params[i]
            if k == n_layers - 1:
                z += params[i + 1][..., None, :]
                cache.append((a, None))
                return z, cache
            if self.layer_norm:
                gain, shift = params[i + 1], params[i + 2]
                z -= z.mean(axis=-1, keepdims=True)
                inv_sd = 1.0 / np.sqrt((z * z).mean(axis=-1, keepdims=True) + _LN_EPS)
                zhat = z * inv_sd
                h = zhat * gain[..., None, :]
                h += shift[..., None, :]
                ln = (zhat, inv_sd, gain)
                i += 3
            else:
                h = z
                h += params[i + 1][..., None, :]
                ln = None
                i += 2
            if self.activation == "relu":
                np.maximum(h, 0.0, out=h)  # relu'(u) is then (h > 0)
            else:
                np.tanh(h, out=h)  # tanh'(u) = 1 - h**2
            cache.append((a, (h, ln)))
            a = h
        raise AssertionError("unreachable")  # pragma: no cover

    def forward(self, params: Sequence[np.ndarray], X: ArrayLike) -> NDArray[np.float64]:
        """The logits, shape ``(*model_axes, n, n_classes)``.

        Notes
        -----
        float32 ``X`` with float32 parameters is computed and returned in float32; other real ``X``
        (lists, integers) becomes float64.
        """
        X, _ = self._check(params, X)
        return self._forward(params, X)[0]

    def loss_and_gradients(
        self, params: Sequence[np.ndarray], X: ArrayLike, y: ArrayLike
    ) -> tuple[float | NDArray[np.float64], list[NDArray[np.float64]]]:
        """Mean softmax cross-entropy and its gradient with respect to every parameter.

        Parameters
        ----------
        params : list of ndarray
            As returned by :meth:`init` (with or without model axes).
        X : array_like, shape (n, d_in) or (*model_axes, n, d_in)
        y : array_like of int, shape (n,) or (*model_axes, n)
            Class labels in ``[0, n_classes)``.

        Returns
        -------
        loss : float or ndarray of shape model_axes
            ``(1/n) sum_i (logsumexp(z_i) - z_i[y_i])`` for each model.
        grads : list of ndarray
            Same shapes as ``params``.

        Raises
        ------
        ValueError
            For parameters of the wrong shapes, non-finite or misshaped ``X``, or bad labels.

        Notes
        -----
        float32 ``X`` with float32 parameters is computed and returned in float32; other real ``X``
        (lists, integers) becomes float64.
        """
        X, y = self._check(params, X, y, need_y=True)
        return self._loss_and_gradients(params, X, y)

    def _loss_and_gradients(self, params, X, y):
        """:meth:`loss_and_gradients` on checked input."""
        logits, cache = self._forward(params, X)
        loss, log_prob, y_b = _cross_entropy(logits, y)
        dz = np.exp(log_prob)  # d loss / d logits = (softmax - one_hot(y)) / n
        np.put_along_axis(dz, y_b, np.take_along_axis(dz, y_b, axis=-1) - 1.0, axis=-1)
        dz /= logits.shape[-2]
        grads: list[np.ndarray] = [None] * len(params)  # type: ignore[list-item]
        ones = np.ones((1, dz.shape[-2]), dtype=dz.dtype)  # sums over examples as (1, n) @ (..., n, h)
        i = len(params) - 2
        for k in range(len(cache) - 1, -1, -1):
            a, hidden = cache[k]
            if hidden is not None:  # back through the activation (and layer norm) of layer k
                h, ln = hidden
                if self.activation == "relu":
                    dz *= h > 0
                else:
                    dz *= 1.0 - h * h
                if ln is None:
                    grads[i + 1] = (ones @ dz)[..., 0, :]
                else:
                    zhat, inv_sd, gain = ln
                    grads[i + 1] = (ones @ (dz * zhat))[..., 0, :]
                    grads[i + 2] = (ones @ dz)[..., 0, :]
                    dzhat = dz * gain[..., None, :]
                    dz = dzhat - dzhat.mean(axis=-1, keepdims=True)
                    dz -= zhat * (dzhat * zhat).mean(axis=-1, keepdims=True)
                    dz *= inv_sd
            else:
                grads[i + 1] = (ones @ dz)[..., 0, :]
            W = params[i]
            grads[i] = _t(a) @ dz
            if k > 0:
                dz = dz @ _t(W)
                i -= 3 if self.layer_norm else 2
        return _scalar_or_array(loss), grads

    def loss(self, params: Sequence[np.ndarray], X: ArrayLike, y: ArrayLike) -> float | NDArray[np.float64]:
        """Mean softmax cross-entropy (see :meth:`loss_and_gradients`), without the gradients.

        Notes
        -----
        float32 ``X`` with float32 parameters is computed in float32; other real ``X`` (lists,
        integers) becomes float64.
        """
        X, y = self._check(params, X, y, need_y=True)
        return _scalar_or_array(_cross_entropy(self._forward(params, X)[0], y)[0])

    def predict(self, params: Sequence[np.ndarray], X: ArrayLike) -> NDArray[np.int64]:
        """Predicted classes (argmax of the logits), shape ``(*model_axes, n)``.

        Notes
        -----
        float32 ``X`` is accepted (computed in the parameters' precision); the result is an integer
        array.
        """
        return self.forward(params, X).argmax(axis=-1)

    def error_rate(self, params: Sequence[np.ndarray], X: ArrayLike, y: ArrayLike) -> float | NDArray[np.float64]:
        """Fraction of misclassified examples, for each model.

        Notes
        -----
        float32 ``X`` is accepted (computed in the parameters' precision).
        """
        X, y = self._check(params, X, y, need_y=True)
        return _scalar_or_array((self._forward(params, X)[0].argmax(axis=-1) != y).mean(axis=-1))


def train(
    net: MLP,
    params: list[np.ndarray],
    optimizer,
    X: ArrayLike,
    y: ArrayLike,
    *,
    epochs: int,
    batch_size: int,
    rng: SeedLike,
    multiplier: Callable[[int], float] | None = None,
    callback: Callable[[int, list[np.ndarray]], None] | None = None,
) -> None:
    """Minibatch training of ``params`` in place with ``optimizer`` on the mean cross-entropy.

    Each epoch visits the ``n`` training examples once, in an order drawn from ``rng``, in
    consecutive batches of ``batch_size`` (the last one may be smaller). All models (the leading
    axis of the parameters) see the same batches. Step ``t`` (counted from 0 over the whole run)
    uses the schedule multiplier ``multiplier(t)``, or 1.

    Parameters
    ----------
    net : MLP
    params : list of ndarray
        Updated in place.
    optimizer : regbook.optim.Optimizer
    X : array_like, shape (n, d_in)
    y : array_like of int, shape (n,)
    epochs, batch_size : int
        Each >= 1.
    rng : int or numpy.random.Generator
        Source of the batch order.
    multiplier : callable, optional
        ``multiplier(t)`` gives the schedule multiplier of step ``t`` (see
        :func:`regbook.optim.cosine_multiplier`).
    callback : callable, optional
        ``callback(t, params)`` is called after step ``t`` (with the updated parameters; it may
        read them, e.g. to record weight norms, but must not modify them).

    Raises
    ------
    TypeError
        If ``net`` is not an :class:`MLP`, ``optimizer`` has no ``step`` method, ``multiplier`` is
        or ``callback`` is not callable, or an argument has the wrong type (as :meth:`MLP.loss_and_gradients`).
    ValueError
        As :meth:`MLP.loss_and_gradients` (a parameter is named by its position, ``params[i]``),
        and for ``X``/``y`` with model axes or non-positive ``epochs``/``batch_size``.

    Notes
    -----
    float32 parameters are trained in float32 (give ``X`` as float32 too); lists and integer ``X``
    become float64.
    """
    check_instance(net, "net", MLP, "an MLP")
    if not callable(getattr(optimizer, "step", None)):
        raise InputTypeError(f"optimizer must have a step(params, grads) method; got {type(optimizer).__name__}")
    if multiplier is not None:
        check_callable(multiplier, "multiplier")
    if callback is not None:
        check_callable(callback, "callback")
    X, y = net._check(params, X, y, need_y=True)
    if X.ndim != 2 or y.ndim != 1:
        raise ValueError("train needs X of shape (n, d_in) and y of shape (n,), shared by all models")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    rng = as_rng(rng)
    n = X.shape[0]
    t = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            with np.errstate(over="ignore", invalid="ignore"):
                _, grads = net._loss_and_gradients(params, X[batch], y[batch])
            try:  # the optimizer checks the gradients (once); a non-finite one is blamed on the inputs
                optimizer.step(params, grads, multiplier=1.0 if multiplier is None else multiplier(t))
            except ValueError as exc:
                if "grads[" not in str(exc):
                    raise
                raise ValueError(
                    f"X, params: the gradients overflowed at step {t} (inputs or weights too large in "
                    f"magnitude, or a learning rate that made the weights diverge): {exc}"
                ) from exc
            if callback is not None:
                callback(t, params)
            t += 1
