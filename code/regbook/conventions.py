"""Translate a regularization strength between the book's convention and everyone else's.

The book's canonical objectives (every chapter uses them) are

    L2:  J(w, b) = L(w, b) + (lam/2) ||w||_2^2
    L1:  J(w, b) = L(w, b) + lam ||w||_1

with ``L`` the **mean** data loss over the ``n`` examples -- for squared error
``L = (1/(2n)) ||y - X w - b||^2``, with the 1/2 -- and the intercept ``b`` never penalized.

Every other convention is, or is equivalent to, an objective

    J'(w, b) = a * L(w, b) + c * P(w)        (P = ||w||_2^2 or ||w||_1)

where ``a`` is how the other side scales the data loss (a summed loss is ``n`` times the mean,
a mean squared error without the 1/2 is twice ours) and ``c`` is what its penalty puts in front of
``P``. Multiplying an objective by a positive constant does not move its minimizer, so ``J'`` and
``J`` have the same minimizers exactly when

    L2:  lam = 2 c / a            L1:  lam = c / a.

Every function here is that one identity, with ``a`` and ``c`` spelled out for one library or text
and every quantity it depends on (``n``, the batch size, the learning rate, the loss's scaling)
an explicit keyword argument -- nothing is assumed. The optimizer knobs (PyTorch's and Keras's
``weight_decay``, the AdamW paper's lambda) are update rules rather than objectives; their
docstrings say under which optimizer the translation is exact.

Data losses (``loss=`` arguments) and their factor ``a`` (see :func:`data_loss_scale`):

============  ==============================  ======  ========================================
name          their data loss                 a       typical source
============  ==============================  ======  ========================================
"half_mse"    (1/(2n)) sum r_i^2              1       this book, many course notes
"mse"         (1/n) sum r_i^2                 2       ``nn.MSELoss()``, Keras ``"mse"``
"half_sse"    (1/2) sum r_i^2                 n       Bishop, some papers
"sse"         sum r_i^2                       2 n     scikit-learn ``Ridge``, ESL
"mean"        (1/n) sum l_i  (not squared)    1       mean cross-entropy / log loss
"sum"         sum l_i  (not squared)          n       ``reduction="sum"``, ``LogisticRegression``
============  ==============================  ======  ========================================

For a loss computed on a mini-batch, ``n`` is the batch size; for a full objective, the number of
training examples.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ._validation import (
    check_choice,
    check_finite_result,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_probability,
)

__all__ = [
    "DATA_LOSSES",
    "data_loss_scale",
    "l2_to_canonical",
    "l2_from_canonical",
    "l1_to_canonical",
    "l1_from_canonical",
    "sklearn_ridge_alpha",
    "lam_from_sklearn_ridge_alpha",
    "sklearn_lasso_alpha",
    "lam_from_sklearn_lasso_alpha",
    "sklearn_elastic_net_params",
    "lams_from_sklearn_elastic_net",
    "sklearn_logistic_C",
    "lam_from_sklearn_logistic_C",
    "keras_l2",
    "lam_from_keras_l2",
    "keras_l1",
    "lam_from_keras_l1",
    "torch_weight_decay",
    "lam_from_torch_weight_decay",
    "keras_weight_decay",
    "lam_from_keras_weight_decay",
    "adamw_paper_lambda",
    "torch_adamw_weight_decay",
    "lam_from_sgdw_paper_lambda",
    "sgdw_paper_lambda",
    "normalized_weight_decay",
    "lambda_norm_from_weight_decay",
    "Convention",
    "CONVENTIONS",
]

#: The data losses understood by ``loss=`` arguments, with a description of each.
DATA_LOSSES: dict[str, str] = {
    "half_mse": "(1/(2n)) sum_i r_i^2, the book's squared-error loss",
    "mse": "(1/n) sum_i r_i^2, mean squared error without the 1/2",
    "half_sse": "(1/2) sum_i r_i^2",
    "sse": "sum_i r_i^2, the residual sum of squares",
    "mean": "(1/n) sum_i l_i, any mean loss that is not squared error (cross-entropy, log loss)",
    "sum": "sum_i l_i, any summed loss that is not squared error",
}
_NEEDS_N = {"half_sse": 1.0, "sse": 2.0, "sum": 1.0}
_NO_N = {"half_mse": 1.0, "mse": 2.0, "mean": 1.0}


def data_loss_scale(loss: str, *, n: int | None = None) -> float:
    """The factor ``a`` with ``their data loss = a * L`` (``L`` the book's mean loss).

    Parameters
    ----------
    loss : str
        One of :data:`DATA_LOSSES`: ``"half_mse"`` (a = 1), ``"mse"`` (2), ``"half_sse"`` (n),
        ``"sse"`` (2 n), ``"mean"`` (1), ``"sum"`` (n).
    n : int, optional
        Number of terms in the sum: required for the summed losses, refused for the others
        (it would have no effect, which usually means a misunderstanding).

    Raises
    ------
    ValueError
        For an unknown ``loss``, a missing ``n`` for a summed loss, an ``n`` given for a mean
        loss, or ``n`` not a positive integer.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    check_choice(loss, "loss", DATA_LOSSES)
    if loss in _NO_N:
        if n is not None:
            raise ValueError(f"n must not be given for the mean loss {loss!r} (its scale does not depend on n)")
        return _NO_N[loss]
    if loss in _NEEDS_N:
        if n is None:
            raise ValueError(f"n is required for the summed loss {loss!r}")
        return _NEEDS_N[loss] * check_positive_int(n, "n")
    raise ValueError(f"loss must be one of {sorted(DATA_LOSSES)}; got {loss!r}")


_L2_FORMS = {
    "lambda": "strength * sum_j w_j^2",
    "half_lambda": "(strength/2) * ||w||^2",
    "half_lambda_over_n": "(strength/(2n)) * sum_j w_j^2",
    "lambda_over_n": "(strength/n) * sum_j w_j^2",
}
_L1_FORMS = {"lambda": "strength * sum_j |w_j|", "lambda_over_n": "(strength/n) * sum_j |w_j|"}


def _penalty_factor(penalty: str, forms: dict[str, str], penalty_n: int | None) -> float:
    """``c / strength`` for a penalty form."""
    check_choice(penalty, "penalty", forms)
    if penalty.endswith("over_n"):
        if penalty_n is None:
            raise ValueError(f"penalty_n is required for the penalty form {penalty!r}")
        m = check_positive_int(penalty_n, "penalty_n")
        return (0.5 if penalty.startswith("half") else 1.0) / m
    if penalty_n is not None:
        raise ValueError(f"penalty_n must not be given for the penalty form {penalty!r}")
    return 0.5 if penalty.startswith("half") else 1.0


def l2_to_canonical(
    strength: float, *, penalty: str, loss: str, n: int | None = None, penalty_n: int | None = None
) -> float:
    """The book's ``lam`` for an L2 penalty written another way.

    Their objective is ``data_loss + c * ||w||^2`` with ``c`` given by ``penalty``:
    ``"lambda"`` (``strength * sum w^2``), ``"half_lambda"`` (``(strength/2) ||w||^2``) or
    ``"half_lambda_over_n"`` (``(strength/(2 m)) sum w^2`` with ``m = penalty_n``, the number of
    training examples in many course notes) or ``"lambda_over_n"`` (``(strength/m) sum w^2``). Result: ``lam = 2 c / a`` with
    ``a = data_loss_scale(loss, n=n)``.

    Parameters
    ----------
    strength : float
        Their coefficient, ``>= 0``.
    penalty : str
        The form of their penalty (above).
    loss : str
        Their data loss (:data:`DATA_LOSSES`); ``n`` as in :func:`data_loss_scale`.
    penalty_n : int, optional
        The ``m`` in ``"half_lambda_over_n"`` (required there, refused otherwise).

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.

    Examples
    --------
    >>> l2_to_canonical(0.1, penalty="lambda", loss="mse")   # MSE + 0.1 sum w^2
    0.1
    >>> l2_to_canonical(10.0, penalty="half_lambda_over_n", loss="half_mse", penalty_n=200)
    0.05
    """
    strength = check_nonnegative(strength, "strength")
    c = strength * _penalty_factor(penalty, _L2_FORMS, penalty_n)
    return 2.0 * c / data_loss_scale(loss, n=n)


def l2_from_canonical(
    lam: float, *, penalty: str, loss: str, n: int | None = None, penalty_n: int | None = None
) -> float:
    """Inverse of :func:`l2_to_canonical`: their ``strength`` for the book's ``lam``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    lam = check_nonnegative(lam, "lam")
    return lam * data_loss_scale(loss, n=n) / (2.0 * _penalty_factor(penalty, _L2_FORMS, penalty_n))


def l1_to_canonical(
    strength: float, *, penalty: str, loss: str, n: int | None = None, penalty_n: int | None = None
) -> float:
    """The book's L1 ``lam`` for an L1 penalty written another way.

    Their objective is ``data_loss + c * ||w||_1`` with ``c = strength`` (``penalty="lambda"``)
    or ``c = strength / penalty_n`` (``"lambda_over_n"``); the result is ``lam = c / a`` with
    ``a = data_loss_scale(loss, n=n)``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.

    Examples
    --------
    >>> l1_to_canonical(16.0, penalty="lambda", loss="half_sse", n=100)   # (1/2) RSS + 16 ||w||_1
    0.16
    """
    strength = check_nonnegative(strength, "strength")
    return strength * _penalty_factor(penalty, _L1_FORMS, penalty_n) / data_loss_scale(loss, n=n)


def l1_from_canonical(
    lam: float, *, penalty: str, loss: str, n: int | None = None, penalty_n: int | None = None
) -> float:
    """Inverse of :func:`l1_to_canonical`.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    lam = check_nonnegative(lam, "lam")
    return lam * data_loss_scale(loss, n=n) / _penalty_factor(penalty, _L1_FORMS, penalty_n)


# --- scikit-learn -------------------------------------------------------------------------------


def sklearn_ridge_alpha(lam: float, *, n: int) -> float:
    """``alpha`` of ``sklearn.linear_model.Ridge`` for the book's ``lam``: ``alpha = n * lam``.

    ``Ridge`` minimizes ``||y - X w - b||^2 + alpha ||w||^2`` (a summed squared error, ``a = 2n``,
    and ``c = alpha``), so ``lam = 2 alpha / (2 n)``. ``n`` is the number of training rows.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(lam, "lam") * check_positive_int(n, "n")


def lam_from_sklearn_ridge_alpha(alpha: float, *, n: int) -> float:
    """The book's ``lam`` for ``Ridge(alpha)`` fitted on ``n`` rows: ``lam = alpha / n``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(alpha, "alpha") / check_positive_int(n, "n")


def sklearn_lasso_alpha(lam: float) -> float:
    """``alpha`` of ``sklearn.linear_model.Lasso``: the book's ``lam`` itself.

    ``Lasso`` minimizes ``(1/(2n)) ||y - X w - b||^2 + alpha ||w||_1``, which *is* the book's
    L1 objective.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(lam, "lam")


def lam_from_sklearn_lasso_alpha(alpha: float) -> float:
    """The book's L1 ``lam`` for ``Lasso(alpha)``: ``alpha`` itself.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(alpha, "alpha")


def sklearn_elastic_net_params(lam1: float, lam2: float) -> tuple[float, float]:
    """scikit-learn's ``(alpha, l1_ratio)`` for the book's ``lam1 ||w||_1 + (lam2/2)||w||^2``.

    ``ElasticNet`` minimizes ``(1/(2n))||y - Xw - b||^2 + alpha l1_ratio ||w||_1
    + (alpha (1 - l1_ratio)/2) ||w||^2``, so ``alpha = lam1 + lam2`` and
    ``l1_ratio = lam1 / (lam1 + lam2)``.

    Raises
    ------
    ValueError
        If ``lam1`` is not positive or ``lam2`` is negative.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    lam1, lam2 = check_positive(lam1, "lam1"), check_nonnegative(lam2, "lam2")
    return lam1 + lam2, lam1 / (lam1 + lam2)


def lams_from_sklearn_elastic_net(alpha: float, l1_ratio: float) -> tuple[float, float]:
    """The book's ``(lam1, lam2)`` for scikit-learn's ``ElasticNet(alpha, l1_ratio)``.

    ``lam1 = alpha * l1_ratio`` and ``lam2 = alpha * (1 - l1_ratio)``; the
    inverse of :func:`sklearn_elastic_net_params`.

    Raises
    ------
    ValueError
        If ``alpha`` is not positive or ``l1_ratio`` is not in ``(0, 1]``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    alpha = check_positive(alpha, "alpha")
    l1_ratio = check_probability(l1_ratio, "l1_ratio", open_interval=False)
    if l1_ratio == 0.0:
        raise ValueError("l1_ratio must be in (0, 1]; 0 is ridge regression (use fit_ridge)")
    return alpha * l1_ratio, alpha * (1.0 - l1_ratio)


def sklearn_logistic_C(lam: float, *, n: int) -> float:
    """``C`` of ``sklearn.linear_model.LogisticRegression`` (L2) for the book's ``lam``.

    ``LogisticRegression`` minimizes ``(1/2) ||w||^2 + C sum_i logloss_i`` (intercept
    unpenalized). Dividing by ``C n`` gives the mean log loss plus ``(1/(2 C n)) ||w||^2``, so
    ``lam = 1 / (C n)`` and ``C = 1 / (n lam)``: *larger* ``C`` means *less* regularization. The
    same relation holds for the L1 penalty ``||w||_1 + C sum_i logloss_i``.

    Raises
    ------
    ValueError
        If ``lam`` is not positive (``lam = 0`` would need ``C = inf``) or ``n`` is not a
        positive integer.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return 1.0 / (check_positive(lam, "lam") * check_positive_int(n, "n"))


def lam_from_sklearn_logistic_C(C: float, *, n: int) -> float:
    """The book's ``lam`` for ``LogisticRegression(C)`` fitted on ``n`` rows: ``1 / (C n)``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return 1.0 / (check_positive(C, "C") * check_positive_int(n, "n"))


# --- Keras --------------------------------------------------------------------------------------


def keras_l2(lam: float, *, loss: str, n: int | None = None) -> float:
    """``l2`` of ``keras.regularizers.L2(l2)`` for the book's ``lam``.

    Keras adds ``l2 * sum(w**2)`` to the model's loss, which is the mean of the per-example loss
    over the batch (``loss="mse"`` for ``"mean_squared_error"``, which has no 1/2; ``"mean"`` for
    cross-entropy). So ``c = l2`` and ``lam = 2 l2 / a``: ``l2 = lam * a / 2``, i.e. ``lam`` with
    MSE and ``lam / 2`` with cross-entropy.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(lam, "lam") * data_loss_scale(loss, n=n) / 2.0


def lam_from_keras_l2(l2: float, *, loss: str, n: int | None = None) -> float:
    """Inverse of :func:`keras_l2`: ``lam = 2 l2 / a``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return 2.0 * check_nonnegative(l2, "l2") / data_loss_scale(loss, n=n)


def keras_l1(lam: float, *, loss: str, n: int | None = None) -> float:
    """``l1`` of ``keras.regularizers.L1(l1)`` (adds ``l1 * sum(|w|)``): ``l1 = lam * a``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(lam, "lam") * data_loss_scale(loss, n=n)


def lam_from_keras_l1(l1: float, *, loss: str, n: int | None = None) -> float:
    """Inverse of :func:`keras_l1`: ``lam = l1 / a``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(l1, "l1") / data_loss_scale(loss, n=n)


# --- optimizer knobs ----------------------------------------------------------------------------


def torch_weight_decay(lam: float, *, loss: str, n: int | None = None) -> float:
    """``weight_decay`` of ``torch.optim.SGD`` or ``torch.optim.Adam`` for the book's ``lam``.

    Both add ``weight_decay * theta`` to the gradient of their loss before the rest of the step
    (coupled L2): this is the gradient of ``(weight_decay/2) ||theta||^2`` added to the loss.
    With their loss ``a * L`` (``loss="mse"`` for ``nn.MSELoss()``, ``"mean"`` for
    ``nn.CrossEntropyLoss()``, ``"sum"`` with ``n`` the batch size for ``reduction="sum"``),
    ``lam = weight_decay / a``, so ``weight_decay = a * lam``. The translation is exact for the
    *objective*, whatever the optimizer; it decays every parameter of the group, biases included,
    unless they are put in a group with ``weight_decay=0``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(lam, "lam") * data_loss_scale(loss, n=n)


def lam_from_torch_weight_decay(weight_decay: float, *, loss: str, n: int | None = None) -> float:
    """Inverse of :func:`torch_weight_decay`: ``lam = weight_decay / a``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(weight_decay, "weight_decay") / data_loss_scale(loss, n=n)


def keras_weight_decay(lam: float, *, loss: str, n: int | None = None) -> float:
    """``weight_decay`` of a Keras optimizer that gives the book's ``lam`` **under plain SGD**.

    Keras optimizers apply ``w <- w - lr * weight_decay * w`` (decoupled from the gradient) and
    then the optimizer's step. For ``keras.optimizers.SGD`` without momentum the step is
    ``w <- w - lr * (a grad L + weight_decay * w)`` (the gradient taken before the decay), the
    same as a gradient step on ``a (L + (weight_decay / (2 a)) ||w||^2)``; so
    ``weight_decay = a * lam`` -- the same number as :func:`torch_weight_decay`. With momentum or
    an adaptive optimizer there is **no** equivalent ``lam``: decoupled decay is then a different
    method (Chapter 4).

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(lam, "lam") * data_loss_scale(loss, n=n)


def lam_from_keras_weight_decay(weight_decay: float, *, loss: str, n: int | None = None) -> float:
    """Inverse of :func:`keras_weight_decay` (plain SGD only): ``lam = weight_decay / a``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(weight_decay, "weight_decay") / data_loss_scale(loss, n=n)


def adamw_paper_lambda(weight_decay: float, *, lr: float) -> float:
    """The AdamW paper's ``lambda`` for ``torch.optim.AdamW(lr=lr, weight_decay=weight_decay)``.

    PyTorch decays ``theta <- theta - lr * weight_decay * theta`` with ``lr = alpha * eta_t`` (the
    base rate times the schedule multiplier). Loshchilov & Hutter's Algorithm 2 decays
    ``theta <- theta - eta_t * lambda * theta``: the decay is scaled by the schedule multiplier
    but not by the base rate ``alpha``. The two agree when ``lambda = alpha * weight_decay``;
    ``lr`` here is the **base** rate ``alpha``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(weight_decay, "weight_decay") * check_positive(lr, "lr")


def torch_adamw_weight_decay(lam_paper: float, *, lr: float) -> float:
    """Inverse of :func:`adamw_paper_lambda`: ``weight_decay = lambda / alpha``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(lam_paper, "lam_paper") / check_positive(lr, "lr")


def lam_from_sgdw_paper_lambda(lam_paper: float, *, lr: float, loss: str, n: int | None = None) -> float:
    """The book's ``lam`` for SGDW with decay ``lambda`` and rate ``alpha`` (paper, Proposition 1).

    Without momentum, SGDW's step ``theta <- theta - alpha grad f - lambda theta`` is a gradient
    step with rate ``alpha`` on ``f + (lambda / (2 alpha)) ||theta||^2``. With ``f = a L`` the
    book's strength is ``lam = lambda / (alpha a)``. With momentum the two methods differ.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(lam_paper, "lam_paper") / (check_positive(lr, "lr") * data_loss_scale(loss, n=n))


def sgdw_paper_lambda(lam: float, *, lr: float, loss: str, n: int | None = None) -> float:
    """Inverse of :func:`lam_from_sgdw_paper_lambda`: ``lambda = alpha * a * lam``.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    return check_nonnegative(lam, "lam") * check_positive(lr, "lr") * data_loss_scale(loss, n=n)


def normalized_weight_decay(lambda_norm: float, *, batch_size: int, n_train: int, epochs: int) -> float:
    r"""The paper's normalized weight decay (Appendix B.1): :math:`\lambda = \lambda_{norm} \sqrt{b / (B T)}`.

    Loshchilov & Hutter tune :math:`\lambda_{norm}` instead of :math:`\lambda` so that its best value
    carries over between runs with different batch size :math:`b`, number of training points
    :math:`B` and number of epochs :math:`T`. The total number of steps is :math:`BT/b`, so
    :math:`\lambda = \lambda_{norm} / \sqrt{\text{number of steps}}`.

    Parameters
    ----------
    lambda_norm : float
        Normalized weight decay, >= 0.
    batch_size, n_train, epochs : int
        :math:`b`, :math:`B`, :math:`T`, each >= 1.

    Returns
    -------
    float
        The decay :math:`\lambda` of the paper's algorithms (:class:`regbook.optim.SGDW`,
        :class:`regbook.optim.AdamWPaper`).

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    lam = check_nonnegative(lambda_norm, "lambda_norm")
    return lam * math.sqrt(_batches_per_run(batch_size, n_train, epochs))


def _batches_per_run(batch_size: int, n_train: int, epochs: int) -> float:
    """``b / (B T)``, one over the number of steps of the run (the three counts checked)."""
    b = check_positive_int(batch_size, "batch_size")
    big_b, t = check_positive_int(n_train, "n_train"), check_positive_int(epochs, "epochs")
    return b / (big_b * t)


def lambda_norm_from_weight_decay(lam_paper: float, *, batch_size: int, n_train: int, epochs: int) -> float:
    """Inverse of :func:`normalized_weight_decay` (``lambda = lambda_norm sqrt(b/(B T))``):
    ``lambda_norm = lambda sqrt(B T / b)``, with ``b`` the batch size, ``B`` the number of training
    points and ``T`` the number of epochs.

    Notes
    -----
    Number arguments may be Python or NumPy scalars (float32 included); they are used as float64,
    and a number returned is a Python float.
    """
    lam_paper = check_nonnegative(lam_paper, "lam_paper")
    return lam_paper / math.sqrt(_batches_per_run(batch_size, n_train, epochs))


# --- the table of conventions -------------------------------------------------------------------


@dataclass(frozen=True)
class Convention:
    """One way of writing a regularization strength, with both directions of the translation.

    Attributes
    ----------
    name : str
        Where the convention comes from, e.g. ``"sklearn Ridge"``.
    knob : str
        The name of their number, e.g. ``"alpha"``.
    objective : str
        What the other side minimizes (or, for an optimizer knob, its update rule).
    formula : str
        Their number as a Python expression in the book's ``lam`` and the ``context`` names
        (e.g. ``"n * lam"``); :meth:`formula_value` evaluates it, and the tests check that it
        agrees with ``from_canonical``, so the table printed from it cannot drift from the code.
    penalty : str
        ``"L2"`` or ``"L1"``.
    exact_when : str
        When the translation is exact.
    from_canonical, to_canonical : callable
        ``f(value, **context)``: the book's ``lam`` to their number, and back.
    context : tuple of str
        The keyword arguments both functions need (e.g. ``("n",)``).
    """

    name: str
    knob: str
    objective: str
    formula: str
    penalty: str
    exact_when: str
    from_canonical: Callable[..., float]
    to_canonical: Callable[..., float]
    context: tuple[str, ...] = ()

    def formula_value(self, lam: float, **context: float) -> float:
        """Evaluate :attr:`formula` (arithmetic only) at ``lam`` and the given context values.

        ``lam`` and the context values are checked as :attr:`from_canonical` checks them (for
        instance ``lam > 0`` and ``n`` a positive integer for the LogisticRegression row, whose
        formula divides by both), so a bad value raises a ``ValueError`` or ``TypeError`` naming
        it instead of a ``ZeroDivisionError`` or a NaN.

        Raises
        ------
        ValueError or TypeError
            For context names other than :attr:`context`, or a bad ``lam`` or context value.

        Notes
        -----
        Number arguments may be Python or NumPy scalars (float32 included); they are used as
        float64, and a number returned is a Python float.
        """
        if set(context) != set(self.context):
            raise ValueError(f"context must give exactly {self.context}; got {tuple(context)}")
        self.from_canonical(lam, **context)  # the checks of the translation itself, with its messages
        names = {"lam": float(lam), **{k: float(v) for k, v in context.items()}}
        value = float(eval(self.formula, {"__builtins__": {}}, names))  # noqa: S307 (our own constant strings)
        return check_finite_result(value, ", ".join(("lam", *self.context)))


def _c(name, knob, objective, formula, penalty, exact_when, from_canonical, to_canonical, context=()):
    return Convention(name, knob, objective, formula, penalty, exact_when, from_canonical, to_canonical, context)


#: The conventions of the literature and the libraries, in the order the book's table lists them.
CONVENTIONS: tuple[Convention, ...] = (
    _c("textbook, MSE + penalty", "lam'", "(1/n) sum r^2 + lam' sum w^2", "lam", "L2", "always",
       lambda lam: l2_from_canonical(lam, penalty="lambda", loss="mse"),
       lambda v: l2_to_canonical(v, penalty="lambda", loss="mse")),
    _c("course notes, (lam'/2m) sum w^2", "lam'", "(1/(2n)) sum r^2 + (lam'/(2n)) sum w^2", "n * lam", "L2", "always",
       lambda lam, n: l2_from_canonical(lam, penalty="half_lambda_over_n", loss="half_mse", penalty_n=n),
       lambda v, n: l2_to_canonical(v, penalty="half_lambda_over_n", loss="half_mse", penalty_n=n), ("n",)),
    _c("ESL, RSS + penalty", "lam'", "sum r^2 + lam' ||w||^2", "n * lam", "L2", "always",
       lambda lam, n: l2_from_canonical(lam, penalty="lambda", loss="sse", n=n),
       lambda v, n: l2_to_canonical(v, penalty="lambda", loss="sse", n=n), ("n",)),
    _c("scikit-learn Ridge", "alpha", "||y - Xw - b||^2 + alpha ||w||^2", "n * lam", "L2", "always",
       lambda lam, n: sklearn_ridge_alpha(lam, n=n), lambda v, n: lam_from_sklearn_ridge_alpha(v, n=n), ("n",)),
    _c("scikit-learn LogisticRegression", "C", "(1/2) ||w||^2 + C sum logloss", "1 / (n * lam)", "L2",
       "always (lam > 0)", lambda lam, n: sklearn_logistic_C(lam, n=n),
       lambda v, n: lam_from_sklearn_logistic_C(v, n=n), ("n",)),
    _c("Keras L2 regularizer, MSE loss", "l2", "mean r^2 + l2 sum w^2", "lam", "L2", "always",
       lambda lam: keras_l2(lam, loss="mse"), lambda v: lam_from_keras_l2(v, loss="mse")),
    _c("Keras L2 regularizer, cross-entropy", "l2", "mean CE + l2 sum w^2", "lam / 2", "L2", "always",
       lambda lam: keras_l2(lam, loss="mean"), lambda v: lam_from_keras_l2(v, loss="mean")),
    _c("PyTorch SGD/Adam, MSELoss", "weight_decay", "grad of mean r^2, plus weight_decay * theta", "2 * lam", "L2",
       "always (coupled L2)", lambda lam: torch_weight_decay(lam, loss="mse"),
       lambda v: lam_from_torch_weight_decay(v, loss="mse")),
    _c("PyTorch SGD/Adam, CrossEntropyLoss", "weight_decay", "grad of mean CE, plus weight_decay * theta", "lam",
       "L2", "always (coupled L2)", lambda lam: torch_weight_decay(lam, loss="mean"),
       lambda v: lam_from_torch_weight_decay(v, loss="mean")),
    _c("Keras SGD weight_decay, cross-entropy", "weight_decay", "w -= lr * weight_decay * w; w -= lr * grad",
       "lam", "L2", "plain SGD only", lambda lam: keras_weight_decay(lam, loss="mean"),
       lambda v: lam_from_keras_weight_decay(v, loss="mean")),
    _c("AdamW paper, SGDW with rate alpha = lr", "lambda", "theta -= lr * grad f + lambda * theta",
       "lr * lam", "L2", "no momentum (Proposition 1)", lambda lam, lr: sgdw_paper_lambda(lam, lr=lr, loss="mean"),
       lambda v, lr: lam_from_sgdw_paper_lambda(v, lr=lr, loss="mean"), ("lr",)),
    _c("textbook, (1/2) RSS + L1", "lam'", "(1/2) sum r^2 + lam' ||w||_1", "n * lam", "L1", "always",
       lambda lam, n: l1_from_canonical(lam, penalty="lambda", loss="half_sse", n=n),
       lambda v, n: l1_to_canonical(v, penalty="lambda", loss="half_sse", n=n), ("n",)),
    _c("scikit-learn Lasso", "alpha", "(1/(2n)) ||y - Xw - b||^2 + alpha ||w||_1", "lam", "L1", "always",
       lambda lam: sklearn_lasso_alpha(lam), lambda v: lam_from_sklearn_lasso_alpha(v)),
    _c("Keras L1 regularizer, MSE loss", "l1", "mean r^2 + l1 sum |w|", "2 * lam", "L1", "always",
       lambda lam: keras_l1(lam, loss="mse"), lambda v: lam_from_keras_l1(v, loss="mse")),
)
