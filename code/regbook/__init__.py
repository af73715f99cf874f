"""regbook: the shared, tested code behind the book *Overfitting and Weight Regularization*.

Conventions used everywhere in this package (and in the book):

* Squared-error data loss is the mean ``(1/(2n)) * ||y - X w - b||^2``.
* The L2 penalty is ``(lam/2) * ||w||^2`` and the L1 penalty is ``lam * ||w||_1``.
* The intercept ``b`` is never penalized.
* Every source of randomness takes a ``rng`` argument (a seed or a
  ``numpy.random.Generator``).
* Every iterative solver has one non-convergence policy: when its stopping test is not met (an
  iteration cap reached, a run that diverged, a certificate that failed) it returns its last
  iterate with ``converged`` False on the result and issues a :class:`ConvergenceWarning`
  (``regbook.ConvergenceWarning``); it never raises for that. Bad input still raises ``ValueError``.
* One name per meaning in the arguments: ``max_iter`` caps the iterations (sweeps) of a solver that
  stops at a tolerance ``tol``; ``n_steps`` (or ``epochs``) fixes the number of steps of a run that has no
  stopping test.
"""

__version__ = "0.1.0"

import importlib

from ._validation import ConvergenceWarning

#: The submodules. They are imported on first use (``regbook.ridge`` or ``from regbook import ridge``),
#: so that ``from regbook.data import ...`` does not pay for matplotlib, SciPy and scikit-learn.
__all__ = [
    "bias_variance",
    "conventions",
    "data",
    "decay_dynamics",
    "estimators",
    "features",
    "implicit",
    "lasso",
    "linear",
    "logistic",
    "metrics",
    "mlp",
    "model_selection",
    "notebook",
    "optim",
    "pathwise",
    "penalties",
    "plotting",
    "proximal",
    "random_features",
    "ridge",
]


def __getattr__(name: str):
    if name in __all__:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
