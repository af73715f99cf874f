"""Bad input to every public callable of regbook: refused with a clear error, never a silent NaN.

The rule (README, "bad input"; :mod:`regbook._validation`): every public callable refuses bad input
with a ``ValueError`` (bad value) or a ``TypeError`` (bad type) whose message names the argument (and
the parameter group or list index where that applies). No other exception type escapes, no NaN or
inf comes back from finite input, complex input is refused, and legitimate input keeps working:
Python lists, integer arrays, float32 arrays and NumPy scalars.

How it is checked. :data:`TABLE` has one entry per public callable -- every name in every module's
``__all__`` that can be called, and every public method of those classes (the methods of their
private base classes included). An entry gives valid arguments (drawn from a random generator) and
how to call the callable. :func:`mutations` derives the bad and unusual inputs of each kind from
the type of each valid argument (an array gets NaN, inf, complex, a string, None, empty, 0-d,
an extra axis, huge values, a list, float32 and integers; a number gets NaN, inf, complex, a
string, None, negative, zero, huge; and so on), and :func:`check_case` feeds each one alone and
checks the outcome. ``test_every_public_callable_has_an_entry`` fails when a callable has no entry,
so a new function cannot ship without being fuzzed. ``test_fuzz_every_entry`` runs every
(callable, argument, kind) triple once; ``test_fuzz_random_cases`` lets hypothesis draw triples and
the valid data around them.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
import sklearn.linear_model  # noqa: F401 - imported here, not inside the first timed hypothesis example
from hypothesis import given
from hypothesis import strategies as st

import regbook
from regbook import (
    bias_variance,
    conventions,
    data,
    decay_dynamics,
    estimators,
    features,
    implicit,
    lasso,
    linear,
    logistic,
    metrics,
    mlp,
    model_selection,
    notebook,
    optim,
    pathwise,
    penalties,
    plotting,
    proximal,
    random_features,
    ridge,
)

REFUSE, WORK, EITHER = "refuse", "work", "either"  # what a mutation must lead to


# --- the public callables -----------------------------------------------------------------------


def public_callables() -> list[str]:
    """``module.name`` of every callable in a module's ``__all__``, and ``module.Class.method``."""
    names = []
    for module_name in regbook.__all__:
        module = importlib.import_module(f"regbook.{module_name}")
        for name in module.__all__:
            obj = getattr(module, name)
            if not callable(obj) or isinstance(obj, type(int | None)):
                continue
            names.append(f"{module_name}.{name}")
            if inspect.isclass(obj):
                for klass in inspect.getmro(obj):
                    if not klass.__module__.startswith("regbook") or (klass is not obj and not klass.__name__.startswith("_")):
                        continue
                    for attr, value in vars(klass).items():
                        if not attr.startswith("_") and inspect.isfunction(value):
                            names.append(f"{module_name}.{name}.{attr}")
    return sorted(set(names))


# --- valid data -----------------------------------------------------------------------------------


def _regression(rng, n=12, p=3):
    X = rng.normal(size=(n, p))
    return X, X @ rng.normal(size=p) + 0.1 * rng.normal(size=n)


def _labels(rng, n=12, p=3):
    X = rng.normal(size=(n, p))
    y = (X[:, 0] + rng.normal(size=n) > 0).astype(np.int64)
    y[:2] = [0, 1]
    return X, y


def _separable(rng, n=12, p=3):
    """Labels -1/+1 separable through the origin (by the sign of a random direction)."""
    X = rng.normal(size=(n, p))
    score = X @ rng.normal(size=p)
    return {"X": X, "y": np.where(score > 0, 1, -1)}


def _fit_predict(x_train, y_train, x_test):
    return np.full(np.shape(x_test), np.mean(y_train))


def _fit(X, y):
    return linear.fit_ridge(np.reshape(X, (len(y), -1)), y, 0.1)


def _net():
    return mlp.MLP((3, 4, 2))


def _mlp_args(rng, n=10):
    net = _net()
    X, y = rng.normal(size=(n, 3)), rng.integers(0, 2, size=n)
    return {"net": net, "params": net.init(rng=rng), "X": X, "y": y}


def _optimizer_args(rng):
    params = [rng.normal(size=(3, 2)), rng.normal(size=2)]
    return {"params": params, "grads": [rng.normal(size=(3, 2)), rng.normal(size=2)], "multiplier": 0.5}


def _ridge_svd(args):
    return ridge.ridge_svd(args["X"], args["y"])


@dataclass
class Spec:
    """How to call one public callable with valid arguments.

    ``make(rng)`` returns the valid arguments by name; ``call(args)`` calls the callable (default:
    with every argument as a keyword). ``fixed`` names arguments not to mutate (objects the entry
    builds, such as the instance whose method is called); ``optional`` names arguments for which
    ``None`` is legitimate; ``anyshape`` names arrays of any shape (0-d and extra axes allowed);
    ``extra`` adds hand-made cases ``(label, mutate(args), expected name, outcome)``; ``exempt`` is
    the reason a callable is not fuzzed. For the scikit-learn estimators, ``reference`` runs
    scikit-learn's own estimator on the same ``X`` and ``y``: bad data must then give exactly
    scikit-learn's error (type and message, up to the class name), as ``check_estimator`` expects.
    """

    make: Callable[[np.random.Generator], dict] = lambda rng: {}
    call: Callable[[dict], object] | None = None
    target: Callable | None = None
    fixed: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    anyshape: tuple[str, ...] = ()
    extra: list = field(default_factory=list)
    exempt: str = ""
    reference: Callable[[dict], object] | None = None  # scikit-learn's own estimator on the same data
    free_text: tuple[str, ...] = ()  # string arguments that take any non-empty text
    skip: tuple[str, ...] = ()  # "argument:kind" cases left out, each for the reason given where it is set

    def run(self, args):
        if self.call is not None:
            return self.call(args)
        return self.target(**args)


def fn(target, make, **kw) -> Spec:
    return Spec(make=make, target=target, **kw)


def method(build, name, make, **kw) -> Spec:
    """Spec of ``build(rng).name(**args)``; the instance is built from valid data each time."""

    def make_with_obj(rng):
        return {"__obj__": build(rng), **make(rng)}

    def call(args):
        args = dict(args)
        obj = args.pop("__obj__")
        return getattr(obj, name)(**args)

    return Spec(make=make_with_obj, call=call, fixed=("__obj__",) + kw.pop("fixed", ()), **kw)


RECORD = "a result record: built by regbook from checked values, never by the user"

XY = lambda rng: dict(zip(("X", "y"), _regression(rng)))  # noqa: E731
XY_LAM = lambda rng: {**XY(rng), "lam": 0.1}  # noqa: E731
X_LAM = lambda rng: {"X": _regression(rng)[0], "lam": 0.1}  # noqa: E731
W_XY_LAM = lambda rng: {"w": rng.normal(size=3), **XY_LAM(rng)}  # noqa: E731


def _labels_args(rng):
    X, y = _labels(rng)
    return {"w": rng.normal(size=3), "X": X, "y": y, "lam": 0.1, "intercept": 0.2}


def _convention_call(args):
    return conventions.CONVENTIONS[4].formula_value(args["lam"], n=args["n"])


def _group_case(hyper, value):
    def mutate(args):
        args["groups"] = [{"params": [1], hyper: value}]

    return (f"groups[0] {hyper}={value!r}", mutate, "groups[0]", REFUSE)


def _groups_params(value, outcome=REFUSE):
    def mutate(args):
        args["groups"] = [{"params": value}]

    return (f"groups[0] params={value!r}", mutate, "groups[0]", outcome)


def _optimizer_spec(cls, **hyper):
    def make(rng):
        return {**hyper}

    def call(args):
        args = dict(args)
        step_args = _optimizer_args(np.random.default_rng(0))
        opt = cls(**args)
        opt.step(step_args["params"], step_args["grads"])
        return step_args["params"]

    extra = [_group_case("lr", float("nan")), _group_case("lr", -1.0), _group_case("lr", "fast"),
             _groups_params(1), _groups_params(None), _groups_params([0.5]), _groups_params([-1]),
             _groups_params([7])]
    return Spec(make=make, call=call, extra=extra)


def _step_call(args):
    args = dict(args)
    opt = args.pop("__obj__")
    opt.step(args["params"], args["grads"], multiplier=args["multiplier"])
    return args["params"]


def _train_call(args):
    mlp.train(args["net"], args["params"], args["optimizer"], args["X"], args["y"],
              epochs=args["epochs"], batch_size=args["batch_size"], rng=args["rng"], multiplier=args["multiplier"],
              callback=args.get("callback"))
    return args["params"]


def _mlp_method(name, with_y=True):
    def make(rng):
        a = _mlp_args(rng)
        a.pop("net")
        if not with_y:
            a.pop("y")
        return a

    return method(lambda rng: _net(), name, make)


def _sklearn_twin(cls):
    """scikit-learn's estimator with the same objective as ``cls`` (default strengths)."""
    from sklearn import linear_model

    return {
        estimators.RidgeRegression: lambda: linear_model.Ridge(alpha=12 * 0.01),
        estimators.LassoRegression: lambda: linear_model.Lasso(alpha=0.01),
        estimators.ElasticNetRegression: lambda: linear_model.ElasticNet(alpha=0.02, l1_ratio=0.5),
        estimators.L2LogisticRegression: lambda: linear_model.LogisticRegression(C=1 / (12 * 0.01)),
        estimators.RidgeCVRegression: lambda: linear_model.RidgeCV(alphas=12 * np.array(CV_LAMS)),
        estimators.LassoCVRegression: lambda: linear_model.LassoCV(alphas=CV_LAMS, cv=3),
    }[cls]()


CV_LAMS = (0.01, 0.1, 1.0)  # the grid of the CV estimators' entries (small, to keep the fuzz quick)


def _estimator(cls, classify=False, **params):
    def make(rng):
        X, y = _labels(rng) if classify else _regression(rng)
        return {"X": X, "y": y, **params}

    def call(args):
        args = dict(args)
        X, y = args.pop("X"), args.pop("y")
        return cls(**args).fit(X, y).predict(X)

    def reference(args):
        return _sklearn_twin(cls).fit(args["X"], args["y"]).predict(args["X"])

    # lam or tol = 1e-300 are legitimate but take the estimators' coordinate descent to its cap of
    # 100,000 sweeps (about 10 s): the duality gap cannot certify such a tolerance. The functions
    # behind them are fuzzed with those values and a small max_iter (lasso.coordinate_descent,
    # lasso.fit_elastic_net).
    skip = ("lam:tiny", "lam1:tiny", "tol:tiny") if cls in (estimators.LassoRegression,
                                                            estimators.ElasticNetRegression) else ()
    return Spec(make=make, call=call, reference=reference, skip=skip)


def _estimator_method(cls, name, classify=False, **params):
    def data(rng):
        return _labels(rng) if classify else _regression(rng)

    def reference(args):
        X, y = data(np.random.default_rng(0))
        return getattr(_sklearn_twin(cls).fit(X, y), name)(args["X"])

    spec = method(lambda rng: cls(**params).fit(*data(rng)), name, lambda rng: {"X": _regression(rng)[0]})
    spec.reference = reference
    return spec


def _estimator_fit(cls, classify=False, **params):
    def data(rng):
        return dict(zip(("X", "y"), _labels(rng) if classify else _regression(rng)))

    spec = method(lambda rng: cls(**params), "fit", data)
    spec.reference = lambda args: _sklearn_twin(cls).fit(args["X"], args["y"])
    return spec


def _apply_style_in_context():
    import matplotlib

    with matplotlib.rc_context():  # leave the rcParams of the test process alone
        plotting.apply_style()


def _glue_call(target):
    def call(args):
        from IPython.utils.capture import capture_output

        with capture_output():
            return target(**args)

    return call


TABLE: dict[str, Spec] = {
    # bias_variance
    "bias_variance.BiasVariance": Spec(exempt=RECORD),
    "bias_variance.bias_variance_decomposition": fn(
        bias_variance.bias_variance_decomposition,
        lambda rng: {"fit_predict": _fit_predict, "x_test": np.linspace(0, 1, 5), "function": data.true_function,
                     "noise_sd": 0.3, "n_train": 6, "n_trials": 3, "rng": 1, "x_low": 0.0, "x_high": 1.0}),
    # conventions
    "conventions.data_loss_scale": fn(conventions.data_loss_scale, lambda rng: {"loss": "sse", "n": 10}),
    "conventions.Convention": Spec(exempt="the table CONVENTIONS is built once in the module; its entries are "
                                   "checked by tests/unit/test_conventions.py"),
    "conventions.Convention.formula_value": Spec(make=lambda rng: {"lam": 0.1, "n": 20}, call=_convention_call),
    "conventions.sklearn_ridge_alpha": fn(conventions.sklearn_ridge_alpha, lambda rng: {"lam": 0.1, "n": 10}),
    "conventions.lam_from_sklearn_ridge_alpha": fn(conventions.lam_from_sklearn_ridge_alpha,
                                                   lambda rng: {"alpha": 0.1, "n": 10}),
    "conventions.sklearn_lasso_alpha": fn(conventions.sklearn_lasso_alpha, lambda rng: {"lam": 0.1}),
    "conventions.lam_from_sklearn_lasso_alpha": fn(conventions.lam_from_sklearn_lasso_alpha, lambda rng: {"alpha": 0.1}),
    "conventions.sklearn_elastic_net_params": fn(conventions.sklearn_elastic_net_params,
                                                 lambda rng: {"lam1": 0.1, "lam2": 0.2}),
    "conventions.lams_from_sklearn_elastic_net": fn(conventions.lams_from_sklearn_elastic_net,
                                                    lambda rng: {"alpha": 0.1, "l1_ratio": 0.5}),
    "conventions.sklearn_logistic_C": fn(conventions.sklearn_logistic_C, lambda rng: {"lam": 0.1, "n": 10}),
    "conventions.lam_from_sklearn_logistic_C": fn(conventions.lam_from_sklearn_logistic_C, lambda rng: {"C": 0.1, "n": 10}),
    "conventions.normalized_weight_decay": fn(conventions.normalized_weight_decay,
                                              lambda rng: {"lambda_norm": 0.05, "batch_size": 32, "n_train": 1000, "epochs": 10}),
    "conventions.lambda_norm_from_weight_decay": fn(conventions.lambda_norm_from_weight_decay,
                                                    lambda rng: {"lam_paper": 0.05, "batch_size": 32, "n_train": 1000, "epochs": 10}),
    "conventions.adamw_paper_lambda": fn(conventions.adamw_paper_lambda, lambda rng: {"weight_decay": 0.01, "lr": 1e-3}),
    "conventions.torch_adamw_weight_decay": fn(conventions.torch_adamw_weight_decay, lambda rng: {"lam_paper": 1e-5, "lr": 1e-3}),
    "conventions.lam_from_sgdw_paper_lambda": fn(conventions.lam_from_sgdw_paper_lambda,
                                                 lambda rng: {"lam_paper": 1e-5, "lr": 1e-3, "loss": "sum", "n": 10}),
    "conventions.sgdw_paper_lambda": fn(conventions.sgdw_paper_lambda,
                                        lambda rng: {"lam": 1e-2, "lr": 1e-3, "loss": "sum", "n": 10}),
    # data
    "data.true_function": fn(data.true_function, lambda rng: {"x": rng.uniform(size=5)}, anyshape=("x",)),
    "data.make_regression_1d": fn(data.make_regression_1d,
                                  lambda rng: {"n": 8, "noise_sd": 0.3, "rng": 2, "x_low": 0.0, "x_high": 1.0,
                                               "function": data.true_function}),
    "data.evaluate_target": fn(data.evaluate_target, lambda rng: {"function": np.cos, "x": rng.uniform(size=5)}),
    # decay_dynamics
    "decay_dynamics.Equilibrium": Spec(exempt=RECORD),
    "decay_dynamics.BoxFit": Spec(exempt=RECORD),
    "decay_dynamics.scale_invariant_positions": fn(decay_dynamics.scale_invariant_positions,
                                                   lambda rng: {"net": mlp.MLP((3, 4, 4, 2), layer_norm=True)}),
    "decay_dynamics.angle_between": fn(decay_dynamics.angle_between,
                                       lambda rng: {"a": rng.normal(size=(2, 3)), "b": rng.normal(size=(2, 3)),
                                                    "model_axes": 1}),
    "decay_dynamics.rotational_equilibrium": fn(decay_dynamics.rotational_equilibrium,
                                                lambda rng: {"lr": 0.1, "weight_decay": 0.5, "optimizer": "sgd",
                                                             "grad_sq_norm": 2.0, "n_entries": 12, "beta1": 0.9},
                                                optional=("n_entries",)),
    "decay_dynamics.adam_directions": fn(decay_dynamics.adam_directions,
                                         lambda rng: {"grads": rng.normal(size=(4, 3)), "betas": (0.9, 0.999),
                                                      "eps": 1e-8}),
    "decay_dynamics.ema_coefficients": fn(decay_dynamics.ema_coefficients,
                                          lambda rng: {"alphas": rng.uniform(size=5)}),
    "decay_dynamics.adamw_as_ema": fn(decay_dynamics.adamw_as_ema,
                                      lambda rng: {"initial": rng.normal(size=3), "directions": rng.normal(size=(4, 3)),
                                                   "lr": 0.1, "weight_decay": 0.5, "multipliers": rng.uniform(size=4)},
                                      optional=("multipliers",)),
    "decay_dynamics.timescale": fn(decay_dynamics.timescale,
                                   lambda rng: {"lr": 0.01, "weight_decay": 0.1, "steps_per_epoch": 10},
                                   optional=("steps_per_epoch",)),
    "decay_dynamics.weight_decay_for_timescale": fn(decay_dynamics.weight_decay_for_timescale,
                                                    lambda rng: {"tau_epochs": 5.0, "lr": 0.01, "steps_per_epoch": 10}),
    "decay_dynamics.adamw_least_squares": fn(decay_dynamics.adamw_least_squares,
                                             lambda rng: {**XY(rng), "lr": 0.05, "weight_decay": 0.5, "n_steps": 5,
                                                          "schedule": "cosine"}),
    "decay_dynamics.box_kkt_violation": fn(decay_dynamics.box_kkt_violation,
                                           lambda rng: {**XY(rng), "coef": rng.normal(size=3), "intercept": 0.1,
                                                        "bound": 1.0, "fit_intercept": True}),
    "decay_dynamics.box_least_squares": fn(decay_dynamics.box_least_squares,
                                           lambda rng: {**XY(rng), "bound": 1.0, "fit_intercept": True, "tol": 1e-8}),
    # estimators
    "estimators.RidgeRegression": _estimator(estimators.RidgeRegression, lam=0.1, fit_intercept=True),
    "estimators.LassoRegression": _estimator(estimators.LassoRegression, lam=0.1, fit_intercept=True, tol=1e-8),
    "estimators.ElasticNetRegression": _estimator(estimators.ElasticNetRegression, lam1=0.1, lam2=0.1, tol=1e-8),
    "estimators.L2LogisticRegression": _estimator(estimators.L2LogisticRegression, classify=True, lam=0.1, max_iter=50),
    **{f"estimators.{cls.__name__}.{meth}": _estimator_fit(cls) if meth == "fit" else _estimator_method(cls, "predict")
       for cls in (estimators.RidgeRegression, estimators.LassoRegression, estimators.ElasticNetRegression)
       for meth in ("fit", "predict")},
    "estimators.RidgeCVRegression": _estimator(estimators.RidgeCVRegression, lambdas=CV_LAMS),
    "estimators.LassoCVRegression": _estimator(estimators.LassoCVRegression, lambdas=CV_LAMS, cv=3),
    **{f"estimators.{cls.__name__}.{meth}": _estimator_fit(cls, **params) if meth == "fit"
       else _estimator_method(cls, "predict", **params)
       for cls, params in ((estimators.RidgeCVRegression, {"lambdas": CV_LAMS}),
                           (estimators.LassoCVRegression, {"lambdas": CV_LAMS, "cv": 3}))
       for meth in ("fit", "predict")},
    "estimators.L2LogisticRegression.fit": _estimator_fit(estimators.L2LogisticRegression, classify=True),
    "estimators.L2LogisticRegression.decision_function": _estimator_method(estimators.L2LogisticRegression,
                                                                           "decision_function", True),
    "estimators.L2LogisticRegression.predict_proba": _estimator_method(estimators.L2LogisticRegression, "predict_proba", True),
    "estimators.L2LogisticRegression.predict": _estimator_method(estimators.L2LogisticRegression, "predict", True),
    # features
    "features.polynomial_features": fn(features.polynomial_features,
                                       lambda rng: {"x": rng.uniform(size=6), "degree": 3, "include_bias": True}),
    "features.standardize": fn(features.standardize,
                               lambda rng: {"X": rng.normal(size=(6, 2)), "mean": np.zeros(2), "scale": np.ones(2)},
                               extra=[("neither mean nor scale", lambda a: a.update(mean=None, scale=None), "X", WORK)]),
    # implicit
    "implicit.early_stopping_filter": fn(implicit.early_stopping_filter,
                                         lambda rng: {"singular_values": 0.5 + rng.uniform(size=3), "n": 10,
                                                      "learning_rate": 0.1, "n_steps": 5}),
    "implicit.ridge_filter": fn(implicit.ridge_filter,
                                lambda rng: {"singular_values": 0.5 + rng.uniform(size=3), "n": 10, "lam": 0.1}),
    "implicit.matched_lam": fn(implicit.matched_lam, lambda rng: {"learning_rate": 0.1, "n_steps": 5}),
    "implicit.early_stopping_path": fn(implicit.early_stopping_path,
                                       lambda rng: {**XY(rng), "learning_rate": 0.1, "n_steps": 5, "fit_intercept": True}),
    "implicit.input_noise_sgd": fn(implicit.input_noise_sgd,
                                   lambda rng: {**XY(rng), "noise_std": 0.1, "learning_rate": 0.01, "epochs": 2,
                                                "rng": 3, "average_from": 6}, optional=("average_from",)),
    "implicit.dropout_penalty_diagonal": fn(implicit.dropout_penalty_diagonal,
                                            lambda rng: {"X": _regression(rng)[0], "keep_prob": 0.8}),
    **{f"implicit.{name}": fn(getattr(implicit, name),
                              lambda rng: {"w": rng.normal(size=3), **XY(rng), "keep_prob": 0.8, "intercept": 0.1})
       for name in ("expected_dropout_objective", "enumerated_dropout_objective")},
    "implicit.fit_dropout_ridge": fn(implicit.fit_dropout_ridge,
                                     lambda rng: {**XY(rng), "keep_prob": 0.8, "fit_intercept": True}),
    "implicit.logistic_gradient_descent": fn(implicit.logistic_gradient_descent,
                                             lambda rng: {**_separable(rng), "learning_rate": 0.5, "n_steps": 5,
                                                          "checkpoints": np.array([0, 2, 5])}),
    "implicit.MaxMargin": Spec(exempt=RECORD),
    "implicit.max_margin_direction": fn(implicit.max_margin_direction, lambda rng: {**_separable(rng), "tol": 1e-8}),
    "implicit.EvidenceResult": Spec(exempt=RECORD),
    "implicit.log_evidence": fn(implicit.log_evidence,
                                lambda rng: {**XY(rng), "alpha": 0.5, "beta": 2.0, "fit_intercept": True}),
    "implicit.evidence_fixed_point": fn(implicit.evidence_fixed_point,
                                        lambda rng: {**XY(rng), "fit_intercept": True, "tol": 1e-10, "max_iter": 500,
                                                     "alpha_init": 1.0, "beta_init": 2.0}, optional=("beta_init",)),
    # lasso
    "lasso.LassoFit": Spec(exempt=RECORD + " (a LinearModel: coef and intercept are checked as there)"),
    "lasso.SubgradientRun": Spec(exempt=RECORD),
    "lasso.lasso_objective": fn(lasso.lasso_objective, lambda rng: {**W_XY_LAM(rng), "intercept": 0.1, "lam2": 0.1}),
    "lasso.lambda_max": fn(lasso.lambda_max, lambda rng: {**XY(rng), "fit_intercept": True}),
    "lasso.duality_gap": fn(lasso.duality_gap, lambda rng: {**W_XY_LAM(rng), "lam2": 0.1, "fit_intercept": True}),
    "lasso.kkt_violation": fn(lasso.kkt_violation, lambda rng: {**W_XY_LAM(rng), "intercept": 0.1, "lam2": 0.1},
                              optional=("intercept",)),
    "lasso.coordinate_descent": fn(lasso.coordinate_descent,
                                   lambda rng: {**XY_LAM(rng), "lam2": 0.1, "fit_intercept": True, "tol": 1e-8,
                                                "max_iter": 50, "w0": np.zeros(3)}, optional=("w0",)),
    "lasso.ista": fn(lasso.ista, lambda rng: {**XY_LAM(rng), "lam2": 0.1, "fit_intercept": True, "tol": 1e-8,
                                              "max_iter": 50, "w0": np.zeros(3)}, optional=("w0",)),
    "lasso.fista": fn(lasso.fista, lambda rng: {**XY_LAM(rng), "lam2": 0.1, "fit_intercept": True, "tol": 1e-8,
                                                "max_iter": 50, "w0": np.zeros(3)}, optional=("w0",)),
    "lasso.fit_elastic_net": fn(lasso.fit_elastic_net, lambda rng: {**XY(rng), "lam1": 0.1, "lam2": 0.1,
                                                                    "fit_intercept": True, "tol": 1e-8, "max_iter": 50}),
    "lasso.subgradient_descent": fn(lasso.subgradient_descent,
                                    lambda rng: {**XY_LAM(rng), "step": 0.01, "n_steps": 5, "fit_intercept": True,
                                                 "w0": np.zeros(3)}, optional=("w0",)),
    # linear
    "linear.LinearModel": fn(linear.LinearModel, lambda rng: {"coef": rng.normal(size=3), "intercept": 0.5}),
    "linear.LinearModel.predict": method(lambda rng: linear.LinearModel(np.ones(3), 0.5), "predict",
                                         lambda rng: {"X": rng.normal(size=(4, 3))}),
    "linear.fit_least_squares": fn(linear.fit_least_squares, lambda rng: {**XY(rng), "fit_intercept": True}),
    "linear.fit_ridge": fn(linear.fit_ridge, lambda rng: {**XY_LAM(rng), "fit_intercept": True}),
    "linear.ridge_objective": fn(linear.ridge_objective, lambda rng: {**W_XY_LAM(rng), "intercept": 0.1}),
    "linear.ridge_gradient": fn(linear.ridge_gradient, lambda rng: {**W_XY_LAM(rng), "intercept": 0.1}),
    # logistic
    "logistic.LogisticModel": fn(logistic.LogisticModel, lambda rng: {"coef": rng.normal(size=3), "intercept": 0.5, "n_iter": 3}),
    "logistic.LogisticModel.decision_function": method(lambda rng: logistic.LogisticModel(np.ones(3), 0.5),
                                                       "decision_function", lambda rng: {"X": rng.normal(size=(4, 3))}),
    "logistic.LogisticModel.predict_proba": method(lambda rng: logistic.LogisticModel(np.ones(3), 0.5),
                                                   "predict_proba", lambda rng: {"X": rng.normal(size=(4, 3))}),
    "logistic.LogisticModel.predict": method(lambda rng: logistic.LogisticModel(np.ones(3), 0.5),
                                             "predict", lambda rng: {"X": rng.normal(size=(4, 3))}),
    "logistic.logistic_objective": fn(logistic.logistic_objective, _labels_args),
    "logistic.logistic_gradient": fn(logistic.logistic_gradient, _labels_args),
    "logistic.fit_logistic_l2": fn(logistic.fit_logistic_l2,
                                   lambda rng: {**dict(zip(("X", "y"), _labels(rng))), "lam": 0.1, "fit_intercept": True,
                                                "tol": 1e-8, "max_iter": 50}),
    # metrics
    "metrics.mean_squared_error": fn(metrics.mean_squared_error,
                                     lambda rng: {"y_true": rng.normal(size=5), "y_pred": rng.normal(size=5)}),
    "metrics.root_mean_squared_error": fn(metrics.root_mean_squared_error,
                                          lambda rng: {"y_true": rng.normal(size=5), "y_pred": rng.normal(size=5)}),
    # mlp
    "mlp.MLP": fn(mlp.MLP, lambda rng: {"sizes": (3, 4, 2), "activation": "tanh", "layer_norm": True}),
    "mlp.MLP.init": method(lambda rng: _net(), "init", lambda rng: {"rng": 3, "n_models": 2, "dtype": np.float32},
                           optional=("n_models",)),
    "mlp.MLP.forward": _mlp_method("forward", with_y=False),
    "mlp.MLP.predict": _mlp_method("predict", with_y=False),
    "mlp.MLP.loss_and_gradients": _mlp_method("loss_and_gradients"),
    "mlp.MLP.loss": _mlp_method("loss"),
    "mlp.MLP.error_rate": _mlp_method("error_rate"),
    "mlp.train": Spec(make=lambda rng: {**_mlp_args(rng), "optimizer": optim.SGD(lr=0.1), "epochs": 2, "batch_size": 4,
                                        "rng": 5, "multiplier": lambda t: 1.0, "callback": lambda t, p: None},
                      call=_train_call, optional=("multiplier", "callback")),
    # model_selection
    "model_selection.Predictor": Spec(exempt="a typing Protocol: it has no behaviour to check"),
    "model_selection.Predictor.predict": Spec(exempt="the Protocol's method stub"),
    "model_selection.train_validation_split": fn(model_selection.train_validation_split,
                                                 lambda rng: {"n": 10, "validation_fraction": 0.3, "rng": 4}),
    "model_selection.kfold_indices": fn(model_selection.kfold_indices,
                                        lambda rng: {"n": 10, "n_splits": 3, "shuffle": True, "rng": 4}),
    "model_selection.cross_validation_mse": fn(model_selection.cross_validation_mse,
                                               lambda rng: {"fit": _fit, **XY(rng), "n_splits": 3, "shuffle": True, "rng": 4}),
    "model_selection.learning_curve": fn(model_selection.learning_curve,
                                         lambda rng: {"fit": _fit, "X_train": rng.normal(size=(10, 2)),
                                                      "y_train": rng.normal(size=10), "X_val": rng.normal(size=(5, 2)),
                                                      "y_val": rng.normal(size=5), "train_sizes": np.array([4, 8])}),
    # notebook
    "notebook.glue": Spec(make=lambda rng: {"name": "x", "variable": 1.5, "display": False},
                          call=_glue_call(notebook.glue), fixed=("variable",), free_text=("name",)),
    "notebook.glue_float": Spec(make=lambda rng: {"name": "x", "value": 1.5, "digits": 2}, call=_glue_call(notebook.glue_float),
                                free_text=("name",)),
    "notebook.glue_int": Spec(make=lambda rng: {"name": "x", "value": 3}, call=_glue_call(notebook.glue_int),
                              free_text=("name",)),
    # optim
    "optim.Optimizer": Spec(exempt="the abstract base class; its subclasses are fuzzed"),
    "optim.Optimizer.hyperparameters": method(lambda rng: optim.SGD(lr=0.1, groups=[{"params": [1], "lr": 0.2}]),
                                              "hyperparameters", lambda rng: {"position": 1}),
    "optim.Optimizer.step": Spec(
        make=lambda rng: {"__obj__": optim.AdamW(lr=0.1, groups=[{"params": [1], "weight_decay": 0.0}]),
                          **_optimizer_args(rng)}, call=_step_call, fixed=("__obj__",)),
    "optim.SGD": _optimizer_spec(optim.SGD, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01, nesterov=False),
    "optim.SGDW": _optimizer_spec(optim.SGDW, lr=0.1, momentum=0.9, weight_decay=0.01),
    "optim.Adam": _optimizer_spec(optim.Adam, lr=0.1, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.01, amsgrad=True),
    "optim.AdamW": _optimizer_spec(optim.AdamW, lr=0.1, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.01, amsgrad=False),
    "optim.AdamWPaper": _optimizer_spec(optim.AdamWPaper, lr=0.1, betas=(0.9, 0.99), eps=1e-8, weight_decay=1e-4),
    "optim.cosine_warm_restarts_multiplier": fn(optim.cosine_warm_restarts_multiplier,
                                                lambda rng: {"step": 7, "period": 4, "period_mult": 2, "final": 0.1}),
    "optim.linear_warmup_multiplier": fn(optim.linear_warmup_multiplier,
                                         lambda rng: {"step": 3, "warmup_steps": 5, "start": 0.1}),
    "optim.Optimizer.add_param_group": method(lambda rng: optim.SGD(lr=0.1, groups=[{"params": [0]}]),
                                              "add_param_group", lambda rng: {"group": {"params": [1], "lr": 0.2}}),
    "optim.Optimizer.state_dict": Spec(exempt="takes no argument; what it returns is fuzzed as load_state_dict's input"),
    "optim.Optimizer.load_state_dict": method(lambda rng: optim.Adam(lr=0.1), "load_state_dict",
                                              lambda rng: {"state_dict": optim.Adam(lr=0.2).state_dict()}),
    "optim.cosine_multiplier": fn(optim.cosine_multiplier, lambda rng: {"step": 3, "total_steps": 10, "final": 0.1}),
    # pathwise
    "pathwise.LassoPath": Spec(exempt=RECORD),
    "pathwise.lambda_grid": fn(pathwise.lambda_grid, lambda rng: {"lam_max": 1.0, "n_lambdas": 5, "eps": 0.01}),
    "pathwise.lasso_path": fn(pathwise.lasso_path,
                              lambda rng: {**XY(rng), "lambdas": np.array([0.5, 0.1]), "n_lambdas": 4, "eps": 0.01,
                                           "lam2": 0.1, "fit_intercept": True, "tol": 1e-8, "max_iter": 100,
                                           "screen": True, "polish": True}, optional=("lambdas",)),
    "pathwise.fit_lasso": fn(pathwise.fit_lasso, lambda rng: {**XY_LAM(rng), "lam2": 0.1, "fit_intercept": True,
                                                              "tol": 1e-8, "max_iter": 100}),
    # penalties
    **{f"penalties.{name}": fn(getattr(penalties, name), lambda rng: {"w": rng.normal(size=3), "lam": 0.1})
       for name in penalties.__all__},
    # plotting
    "plotting.apply_style": Spec(call=lambda args: _apply_style_in_context()),
    # proximal
    "proximal.soft_threshold": fn(proximal.soft_threshold, lambda rng: {"z": rng.normal(size=4), "threshold": 0.1},
                                  anyshape=("z",)),
    "proximal.prox_elastic_net": fn(proximal.prox_elastic_net,
                                    lambda rng: {"z": rng.normal(size=4), "step": 0.5, "lam1": 0.1, "lam2": 0.1},
                                    anyshape=("z",)),
    # random_features
    "random_features.RandomReLUFeatures": fn(random_features.RandomReLUFeatures,
                                             lambda rng: {"weights": rng.normal(size=(3, 4))}),
    "random_features.RandomReLUFeatures.transform": method(
        lambda rng: random_features.random_relu_features(3, 4, rng=0), "transform",
        lambda rng: {"X": rng.normal(size=(5, 3)), "n_features": 2}, optional=("n_features",)),
    "random_features.random_relu_features": fn(random_features.random_relu_features,
                                               lambda rng: {"n_inputs": 3, "n_features": 4, "rng": 1}),
    # ridge
    "ridge.RidgeSVD": Spec(exempt=RECORD + " (build it with ridge_svd)"),
    "ridge.ridge_svd": fn(ridge.ridge_svd, lambda rng: {**XY(rng), "fit_intercept": True}, optional=("y",)),
    "ridge.fit_ridge_cholesky": fn(ridge.fit_ridge_cholesky, lambda rng: {**XY_LAM(rng), "fit_intercept": True}),
    "ridge.fit_ridge_multioutput": fn(ridge.fit_ridge_multioutput, lambda rng: {
        "X": _regression(rng)[0], "Y": rng.normal(size=(12, 2)), "lam": 0.1, "fit_intercept": True}),
    "ridge.fit_ridge_svd": fn(ridge.fit_ridge_svd, lambda rng: {**XY_LAM(rng), "fit_intercept": True}),
    "ridge.ridge_path": fn(ridge.ridge_path, lambda rng: {**XY(rng), "lambdas": np.array([0.0, 0.1, 1.0]),
                                                          "fit_intercept": True}),
    "ridge.loo_residuals": fn(ridge.loo_residuals, lambda rng: {**XY_LAM(rng), "fit_intercept": True}),
    "ridge.gcv_score": fn(ridge.gcv_score, lambda rng: {**XY_LAM(rng), "fit_intercept": True}),
    **{f"ridge.{name}": fn(getattr(ridge, name), lambda rng: {**X_LAM(rng), "fit_intercept": True})
       for name in ("shrinkage_factors", "effective_degrees_of_freedom", "hat_matrix_diagonal",
                    "ridge_condition_number", "max_stable_learning_rate")},
    **{f"ridge.RidgeSVD.{name}": method(lambda rng: ridge.ridge_svd(*_regression(rng)), name, lambda rng: {"lam": 0.1})
       for name in ("shrinkage_factors", "effective_dof", "coef", "model", "fitted", "hat_diagonal",
                    "residual_sum_of_squares", "loo_residuals", "loo_mse", "gcv", "condition_number")},
    "ridge.RidgeSVD.path": method(lambda rng: ridge.ridge_svd(*_regression(rng)), "path",
                                  lambda rng: {"lambdas": np.array([0.0, 0.1])}),
    "ridge.GradientDescentResult": Spec(exempt=RECORD),
    "ridge.fit_ridge_gradient_descent": fn(ridge.fit_ridge_gradient_descent,
                                           lambda rng: {**XY_LAM(rng), "learning_rate": 0.1, "n_steps": 5,
                                                        "fit_intercept": True}),
    "ridge.GaussianPosterior": Spec(exempt=RECORD),
    "ridge.lam_for_gaussian_prior": fn(ridge.lam_for_gaussian_prior, lambda rng: {"n": 10, "noise_var": 0.5, "prior_var": 2.0}),
    "ridge.gaussian_posterior": fn(ridge.gaussian_posterior, lambda rng: {**XY(rng), "noise_var": 0.5, "prior_var": 2.0,
                                                                          "fit_intercept": True}),
}

for _name in ("l2_to_canonical", "l2_from_canonical", "l1_to_canonical", "l1_from_canonical"):
    _first = "strength" if _name.endswith("to_canonical") else "lam"
    TABLE[f"conventions.{_name}"] = fn(getattr(conventions, _name), lambda rng, _f=_first: {
        _f: 0.1, "penalty": "lambda_over_n", "loss": "sse", "n": 10, "penalty_n": 10})
for _name, _first in (("keras_l2", "lam"), ("lam_from_keras_l2", "l2"), ("keras_l1", "lam"), ("lam_from_keras_l1", "l1"),
                      ("torch_weight_decay", "lam"), ("lam_from_torch_weight_decay", "weight_decay"),
                      ("keras_weight_decay", "lam"), ("lam_from_keras_weight_decay", "weight_decay")):
    TABLE[f"conventions.{_name}"] = fn(getattr(conventions, _name), lambda rng, _f=_first: {
        _f: 0.1, "loss": "sum", "n": 10})


# Hand-made cases the generic mutations cannot express.
TABLE["optim.Optimizer.step"].extra += [
    ("params None", lambda a: a.update(params=None), "params", REFUSE),
    ("grads None", lambda a: a.update(grads=None), "grads", REFUSE),
    ("grads[0] string", lambda a: a["grads"].__setitem__(0, "abc"), "grads[0]", REFUSE),
    ("params[1] NaN", lambda a: a["params"][1].__setitem__(0, np.nan), "params[1]", REFUSE),
    ("params[0] int array", lambda a: a["params"].__setitem__(0, np.ones((3, 2), dtype=int)), "params[0]", REFUSE),
    ("grads too short", lambda a: a["grads"].pop(), "grads", REFUSE),
]
TABLE["mlp.train"].extra += [
    ("params[0] NaN", lambda a: a["params"][0].__setitem__((0, 0), np.nan), "params[0]", REFUSE),
    ("params[2] inf", lambda a: a["params"][2].__setitem__((0, 0), np.inf), "params[2]", REFUSE),
    ("optimizer without step", lambda a: a.update(optimizer=object()), "optimizer", REFUSE),
]
for _m in ("mlp.MLP.forward", "mlp.MLP.loss", "mlp.MLP.loss_and_gradients"):
    TABLE[_m].extra += [
        ("params[1] NaN", lambda a: a["params"][1].__setitem__(0, np.nan), "params[1]", REFUSE),
        ("params[0] string", lambda a: a["params"].__setitem__(0, "W"), "params[0]", REFUSE),
        ("params too short", lambda a: a["params"].pop(), "params", REFUSE),
    ]
TABLE["logistic.logistic_objective"].extra.append(("intercept None", lambda a: a.update(intercept=None), "intercept", REFUSE))
TABLE["logistic.logistic_gradient"].extra.append(("intercept None", lambda a: a.update(intercept=None), "intercept", REFUSE))
TABLE["logistic.fit_logistic_l2"].extra.append(("y labels 2", lambda a: a["y"].__setitem__(0, 2), "y", REFUSE))
TABLE["conventions.Convention.formula_value"].extra.append(
    ("wrong context", lambda a: a.update(n=None), "n", REFUSE))
# lambdas=None (the default: a grid from lambda_max) and cv=None (5 folds, as scikit-learn's cv=None)
# are documented, legitimate values of LassoCVRegression, not bad input.
TABLE["estimators.LassoCVRegression"].optional = ("lambdas", "cv")
TABLE["ridge.fit_ridge_svd"].extra += [
    ("one sample", lambda a: a.update(X=a["X"][:1], y=a["y"][:1]), "X", WORK),
    ("constant columns", lambda a: a.update(X=np.ones_like(a["X"])), "X", WORK),
]
TABLE["ridge.loo_residuals"].extra.append(("constant columns", lambda a: a.update(X=np.ones_like(a["X"])), "X", WORK))
TABLE["ridge.gcv_score"].extra.append(("constant columns", lambda a: a.update(X=np.ones_like(a["X"])), "X", WORK))
TABLE["ridge.ridge_path"].extra.append(("constant columns", lambda a: a.update(X=np.ones_like(a["X"])), "X", WORK))


# --- the mutations ----------------------------------------------------------------------------------


def _array_mutations(v: np.ndarray, anyshape: bool):
    """``(kind, bad value, outcome, is_type_error)`` for an array argument with valid value ``v``."""
    out = []
    if v.dtype.kind == "f":
        nan = v.copy()
        nan.flat[nan.size // 2] = np.nan
        inf = v.copy()
        inf.flat[0] = -np.inf
        out += [("nan", nan, REFUSE, False), ("inf", inf, REFUSE, False), ("huge", v * 1e300, EITHER, False),
                ("float32", v.astype(np.float32), WORK, False), ("int", np.rint(3 * v).astype(np.int64), EITHER, False)]
    else:
        out += [("nan", np.where(np.arange(v.size).reshape(v.shape) == 0, np.nan, v), REFUSE, False),
                ("float", v.astype(np.float64), EITHER, False), ("fraction", v + 0.5, REFUSE, False)]
    out += [
        ("complex", v + 1j, REFUSE, True),
        ("string", "abc", REFUSE, True),
        ("string array", np.array(["a"] * v.size).reshape(v.shape), REFUSE, True),
        ("none", None, REFUSE, False),
        ("empty", v[:0], REFUSE, False),
        ("list", v.tolist(), WORK, False),
        ("0-d", v.flat[0] * np.ones(()), WORK if anyshape else REFUSE, False),
        ("extra axis", v[..., None], WORK if anyshape else REFUSE, False),
    ]
    return out


def _scalar_mutations(v):
    if isinstance(v, (bool, np.bool_)):
        return [("string", "yes", REFUSE, True), ("none", None, REFUSE, False), ("int 1", 1, EITHER, True),
                ("numpy bool", np.bool_(v), WORK, False), ("array", np.array([v, v]), REFUSE, True)]
    if isinstance(v, (int, np.integer)):
        return [("string", "3", REFUSE, True), ("none", None, REFUSE, False), ("nan", float("nan"), REFUSE, True),
                ("fraction", v + 0.5, REFUSE, True), ("complex", complex(v, 1), REFUSE, True),
                ("negative", -v - 1, EITHER, False), ("zero", 0, EITHER, False), ("bool", True, REFUSE, True),
                ("numpy int", np.int64(v), WORK, False), ("array", np.array([v, v]), EITHER, True)]
    if isinstance(v, float):
        return [("string", "0.1", REFUSE, True), ("none", None, REFUSE, False), ("nan", float("nan"), REFUSE, False),
                ("inf", float("inf"), REFUSE, False), ("-inf", float("-inf"), REFUSE, False),
                ("complex", complex(v, 1), REFUSE, True), ("negative", -abs(v) - 1.0, EITHER, False),
                ("zero", 0.0, EITHER, False), ("huge", 1e300, EITHER, False), ("tiny", 1e-300, EITHER, False),
                ("float32", np.float32(v), WORK, False), ("numpy float", np.float64(v), WORK, False),
                ("bool", True, REFUSE, True), ("array", np.array([v, v, v]), EITHER, True)]
    if isinstance(v, str):
        return [("unknown", "no-such-choice", REFUSE, False), ("none", None, REFUSE, False), ("int", 3, REFUSE, True)]
    if isinstance(v, np.random.Generator):
        return []
    if isinstance(v, tuple) and all(isinstance(s, (int, float)) for s in v):
        return [("none", None, REFUSE, False), ("string", "abc", REFUSE, True),
                ("nan entry", (float("nan"),) + v[1:], REFUSE, False), ("empty", (), REFUSE, False),
                ("list", list(v), EITHER, False)]
    if isinstance(v, list) and v and all(isinstance(a, np.ndarray) for a in v):
        nan = [a.copy() for a in v]
        nan[0].flat[0] = np.nan
        return [("none", None, REFUSE, False), ("string", "abc", REFUSE, True), ("int", 1, REFUSE, True),
                ("nan in [0]", nan, REFUSE, False), ("complex [0]", [v[0] + 1j] + v[1:], REFUSE, True),
                ("string [0]", ["abc"] + v[1:], REFUSE, True), ("empty list", [], REFUSE, False),
                ("tuple", tuple(a.copy() for a in v), WORK, False)]
    if callable(v) and not isinstance(v, type):
        return [("none", None, REFUSE, False), ("string", "f", REFUSE, True), ("int", 3, REFUSE, True)]
    if isinstance(v, type):  # a dtype
        return [("none", None, REFUSE, False), ("string", "float", REFUSE, True), ("int dtype", np.int64, REFUSE, True)]
    return [("none", None, REFUSE, False), ("string", "abc", REFUSE, True)]


def mutations(name: str) -> list[tuple[str, str, Callable[[dict], None], str, str, bool]]:
    """Every ``(argument, kind, mutate, expected name, outcome, is_type_error)`` of a table entry."""
    spec = TABLE[name]
    valid = spec.make(np.random.default_rng(0))
    cases = []
    for arg, value in valid.items():
        if arg in spec.fixed:
            continue
        if isinstance(value, np.ndarray):
            muts = _array_mutations(value, arg in spec.anyshape)
        else:
            muts = _scalar_mutations(value)
            if arg == "rng":
                muts = [("none", None, REFUSE, False), ("string", "seed", REFUSE, True), ("fraction", 1.5, REFUSE, True),
                        ("negative", -1, REFUSE, False), ("generator", np.random.default_rng(1), WORK, False)]
        for kind, bad, outcome, is_type in muts:
            if f"{arg}:{kind}" in spec.skip:
                continue
            if kind == "none" and arg in spec.optional:
                outcome = WORK
            if kind == "unknown" and arg in spec.free_text:
                outcome = WORK
            cases.append((arg, kind, _setter(arg, bad), arg, outcome, is_type))
    for label, mutate, expected, outcome in spec.extra:
        cases.append(("(extra)", label, mutate, expected, outcome, False))
    return cases


def _setter(arg, bad):
    def mutate(args):
        args[arg] = bad

    return mutate


# --- one case -----------------------------------------------------------------------------------------


def _finite(value, path="result"):
    """Raise AssertionError if ``value`` holds NaN or inf anywhere (arrays, dataclasses, containers)."""
    if value is None or isinstance(value, (str, bool, np.bool_)):
        return
    if isinstance(value, (int, float, np.number)) or isinstance(value, np.ndarray):
        arr = np.asarray(value)
        if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
            raise AssertionError(f"{path} holds NaN or inf")
        return
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            _finite(getattr(value, f.name), f"{path}.{f.name}")
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _finite(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for k, item in value.items():
            _finite(item, f"{path}[{k!r}]")


def _names(message: str, expected: str) -> bool:
    return re.search(r"(?<![A-Za-z0-9_])" + re.escape(expected) + r"(?![A-Za-z0-9_])", message) is not None


def check_case(name: str, case, seed: int) -> str | None:
    """Run one case; return a description of what went wrong, or None."""
    arg, kind, mutate, expected, outcome, is_type = case
    spec = TABLE[name]
    args = spec.make(np.random.default_rng(seed))
    mutate(args)
    label = f"{name}: {arg} <- {kind}"
    if spec.reference is not None and arg in ("X", "y") and kind != "huge":  # overflow: the general rule
        return _compare_with_sklearn(spec, args, label, name.split(".")[1])
    try:
        with warnings.catch_warnings():
            # A NumPy overflow warning on the way is tolerated; an inf or NaN in the result is not.
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("error", np.exceptions.ComplexWarning)  # complex truncated to real
            result = spec.run(args)
    except (TypeError, ValueError) as exc:
        if outcome == WORK:
            return f"{label}: legitimate input refused with {type(exc).__name__}: {exc}"
        if not _names(str(exc), expected):
            return f"{label}: {type(exc).__name__} does not name {expected!r}: {exc}"
        if is_type and outcome == REFUSE and not isinstance(exc, TypeError):
            return f"{label}: a bad type raised {type(exc).__name__}, not a TypeError: {exc}"
        return None
    except Exception as exc:  # noqa: BLE001 - the point of the test
        return f"{label}: {type(exc).__name__} escaped: {exc}"
    if outcome == REFUSE:
        return f"{label}: accepted (returned {type(result).__name__})"
    try:
        _finite(result)
    except AssertionError as exc:
        return f"{label}: {exc}"
    return None


def _outcome(call, args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", call(args)
        except Exception as exc:  # noqa: BLE001
            return type(exc), str(exc)


def _compare_with_sklearn(spec, args, label, class_name):
    """Our estimator and scikit-learn's must refuse the same data with the same error."""
    ours, ours_value = _outcome(spec.run, args)
    theirs, their_value = _outcome(spec.reference, args)
    if ours == "ok":
        if theirs != "ok":
            return f"{label}: accepted, but scikit-learn refuses it ({theirs.__name__}: {their_value})"
        try:
            _finite(ours_value)
        except AssertionError as exc:
            return f"{label}: {exc}"
        return None
    if ours not in (TypeError, ValueError) and not issubclass(ours, (TypeError, ValueError)):
        return f"{label}: {ours.__name__} escaped: {ours_value}"
    twin = {"RidgeRegression": "Ridge", "LassoRegression": "Lasso", "ElasticNetRegression": "ElasticNet",
            "L2LogisticRegression": "LogisticRegression", "RidgeCVRegression": "RidgeCV",
            "LassoCVRegression": "LassoCV"}[class_name]
    if theirs == "ok":
        return f"{label}: refused ({ours.__name__}: {ours_value}), but scikit-learn's {twin} accepts it"
    # RidgeCV validates the data in its private helper _RidgeGCV, whose name its messages carry.
    their_value = their_value.replace("_RidgeGCV", twin) if twin == "RidgeCV" else their_value
    mine, its = ours_value.replace(class_name, "<estimator>"), their_value.replace(twin, "<estimator>")
    if (ours, mine) != (theirs, its):
        return f"{label}: {ours.__name__}: {mine!r} differs from scikit-learn's {theirs.__name__}: {its!r}"
    return None


FUZZED = sorted(name for name, spec in TABLE.items() if not spec.exempt)
PAIRS = [(name, case) for name in FUZZED for case in mutations(name)]


def test_every_public_callable_has_an_entry():
    public = set(public_callables())
    missing = sorted(public - set(TABLE))
    stale = sorted(set(TABLE) - public)
    assert not missing, f"public callables without an entry in tests/unit/test_bad_input.py TABLE: {missing}"
    assert not stale, f"TABLE entries that are not public callables: {stale}"
    for name, spec in TABLE.items():
        assert spec.exempt or spec.call is not None or spec.target is not None, name


def test_the_fuzz_covers_many_pairs():
    """The table is not hollow: most callables have several bad-input kinds per argument."""
    counted = {name for name, _ in PAIRS}
    assert counted == set(FUZZED) - {"plotting.apply_style"}
    assert len(PAIRS) > 1500, len(PAIRS)


@pytest.mark.parametrize("name", FUZZED)
def test_fuzz_every_entry(name):
    spec = TABLE[name]
    _finite(spec.run(spec.make(np.random.default_rng(0))))  # the valid arguments work
    problems = [p for case in mutations(name) if (p := check_case(name, case, 0))]
    assert not problems, "\n".join(problems)


@given(pair=st.sampled_from(PAIRS), seed=st.integers(0, 2**32 - 1))
def test_fuzz_random_cases(pair, seed):
    name, case = pair
    problem = check_case(name, case, seed)
    assert problem is None, problem


@pytest.mark.parametrize("name", FUZZED)
def test_docstring_says_what_float32_input_gives(name):
    """Every fuzzed callable that takes an argument says how float32 (or float) input is treated."""
    obj = regbook
    for part in name.split("."):
        obj = getattr(obj, part)
    doc = inspect.getdoc(obj) or ""
    if inspect.isclass(obj) and "float32" not in doc:
        doc += inspect.getdoc(obj.__init__) or ""
    takes_arguments = bool(TABLE[name].make(np.random.default_rng(0)))
    assert not takes_arguments or re.search(r"float32|float64|NumPy integers", doc), f"{name}: no word on float32 input"
