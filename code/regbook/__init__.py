"""regbook: the shared, tested code behind the book *Overfitting and Weight Regularization*.

Conventions used everywhere in this package (and in the book):

* Squared-error data loss is the mean ``(1/(2n)) * ||y - X w - b||^2``.
* The L2 penalty is ``(lam/2) * ||w||^2`` and the L1 penalty is ``lam * ||w||_1``.
* The intercept ``b`` is never penalized.
* Every source of randomness takes a ``rng`` argument (a seed or a
  ``numpy.random.Generator``).
"""

__version__ = "0.1.0"

from . import (  # noqa: E402  (the submodules, so that ``import regbook`` is enough)
    bias_variance,
    data,
    features,
    lasso,
    linear,
    metrics,
    model_selection,
    notebook,
    pathwise,
    penalties,
    plotting,
    proximal,
)

__all__ = [
    "bias_variance",
    "data",
    "features",
    "lasso",
    "linear",
    "metrics",
    "model_selection",
    "notebook",
    "pathwise",
    "penalties",
    "plotting",
    "proximal",
]
