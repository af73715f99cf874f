"""regbook.conventions: each translation checked against the objective it claims to match.

Where a library is installed (scikit-learn), the check fits the library with the translated
parameter and compares minimizers with the book's solver. For the other translations, the check
is on the objectives themselves: a minimizer of one is a stationary point of the other
(gradients by finite differences). Round trips are property tests.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import Lasso, LogisticRegression, Ridge

from regbook import conventions as cv
from regbook.linear import fit_ridge
from regbook.logistic import fit_logistic_l2

lambdas = st.floats(min_value=1e-6, max_value=1e3, allow_nan=False)
ns = st.integers(min_value=1, max_value=10_000)
lrs = st.floats(min_value=1e-5, max_value=10.0)


def data(n=80, p=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = X @ rng.normal(size=p) + 0.7 + 0.3 * rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("loss, a", [("half_mse", 1), ("mse", 2), ("mean", 1)])
def test_mean_loss_scales(loss, a):
    assert cv.data_loss_scale(loss) == a


@pytest.mark.parametrize("loss, a", [("half_sse", 50), ("sse", 100), ("sum", 50)])
def test_summed_loss_scales(loss, a):
    assert cv.data_loss_scale(loss, n=50) == a


def test_the_loss_scales_are_what_they_claim():
    X, y = data()
    n = len(y)
    r = y - X @ np.ones(4)
    ours = r @ r / (2 * n)
    sums = {"half_mse": r @ r / (2 * n), "mse": r @ r / n, "half_sse": r @ r / 2, "sse": r @ r}
    for loss, value in sums.items():
        kw = {"n": n} if loss.endswith("sse") else {}
        assert math.isclose(value, cv.data_loss_scale(loss, **kw) * ours, rel_tol=1e-12)


@pytest.mark.parametrize("call, match", [
    (lambda: cv.data_loss_scale("rmse"), "loss"),
    (lambda: cv.data_loss_scale("sse"), "n is required"),
    (lambda: cv.data_loss_scale("mse", n=10), "n must not"),
    (lambda: cv.data_loss_scale("sum", n=0), "n must"),
    (lambda: cv.l2_to_canonical(-1.0, penalty="lambda", loss="mse"), "strength"),
    (lambda: cv.l2_to_canonical(1.0, penalty="quarter", loss="mse"), "penalty"),
    (lambda: cv.l2_to_canonical(1.0, penalty="half_lambda_over_n", loss="mse"), "penalty_n"),
    (lambda: cv.l2_to_canonical(1.0, penalty="lambda", loss="mse", penalty_n=3), "penalty_n"),
    (lambda: cv.sklearn_ridge_alpha(0.1, n=0), "n"),
    (lambda: cv.sklearn_ridge_alpha(np.nan, n=5), "lam"),
    (lambda: cv.sklearn_logistic_C(0.0, n=5), "lam"),
    (lambda: cv.lam_from_sklearn_logistic_C(0.0, n=5), "C"),
    (lambda: cv.lam_from_sklearn_logistic_C(-1.0, n=5), "C"),
    (lambda: cv.sklearn_elastic_net_params(0.0, 1.0), "lam1"),
    (lambda: cv.lams_from_sklearn_elastic_net(1.0, 1.5), "l1_ratio"),
    (lambda: cv.adamw_paper_lambda(0.01, lr=0.0), "lr"),
    (lambda: cv.normalized_weight_decay(0.05, batch_size=0, n_train=10, epochs=1), "batch_size"),
])
def test_bad_input_raises_a_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- against scikit-learn: the library itself ---------------------------------------------------


@pytest.mark.parametrize("lam", [1e-3, 0.1, 2.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_alpha_gives_the_books_ridge(lam, fit_intercept):
    X, y = data()
    ours = fit_ridge(X, y, lam, fit_intercept=fit_intercept)
    sk = Ridge(alpha=cv.sklearn_ridge_alpha(lam, n=len(y)), fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(sk.coef_, ours.coef, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("lam", [1e-3, 0.05, 0.3])
def test_lasso_alpha_satisfies_the_books_optimality_conditions(lam):
    X, y = data(p=6)
    n = len(y)
    sk = Lasso(alpha=cv.sklearn_lasso_alpha(lam), tol=1e-12, max_iter=100_000).fit(X, y)
    r = y - X @ sk.coef_ - sk.intercept_
    corr = X.T @ r / n  # minus the gradient of the book's mean loss
    active = sk.coef_ != 0
    np.testing.assert_allclose(corr[active], lam * np.sign(sk.coef_[active]), atol=1e-8)
    assert np.all(np.abs(corr[~active]) <= lam + 1e-8)
    assert abs(r.mean()) < 1e-10  # the unpenalized intercept


@pytest.mark.parametrize("lam", [1e-3, 0.1, 1.0])
def test_logistic_C_gives_the_books_logistic_regression(lam):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 3))
    y = (rng.uniform(size=200) < 1 / (1 + np.exp(-(X @ [1.0, -2.0, 0.5] + 0.3)))).astype(float)
    ours = fit_logistic_l2(X, y, lam)
    sk = LogisticRegression(C=cv.sklearn_logistic_C(lam, n=200), tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(sk.coef_[0], ours.coef, atol=1e-6)
    assert abs(sk.intercept_[0] - ours.intercept) < 1e-6


# --- objectives: a minimizer of one is a stationary point of the other --------------------------


def numeric_gradient(f, w, h=1e-6):
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(len(w))])


@pytest.mark.parametrize("penalty, loss, kw", [
    ("lambda", "mse", {}),
    ("half_lambda", "half_sse", {"n": 80}),
    ("half_lambda_over_n", "half_mse", {"penalty_n": 80}),
    ("lambda", "sse", {"n": 80}),
    ("lambda_over_n", "mse", {"penalty_n": 80}),
])
def test_l2_forms_share_the_books_minimizer(penalty, loss, kw):
    X, y = data()
    n, lam = len(y), 0.2
    strength = cv.l2_from_canonical(lam, penalty=penalty, loss=loss, **kw)
    w = fit_ridge(X, y, lam, fit_intercept=False).coef
    a = cv.data_loss_scale(loss, n=kw.get("n"))
    factor = {"lambda": 1.0, "half_lambda": 0.5, "half_lambda_over_n": 0.5 / kw.get("penalty_n", 1),
              "lambda_over_n": 1.0 / kw.get("penalty_n", 1)}[penalty]

    def theirs(v):  # written out independently: their data loss + their penalty
        r = y - X @ v
        data_term = {"mse": r @ r / n, "half_sse": r @ r / 2, "half_mse": r @ r / (2 * n), "sse": r @ r}[loss]
        return data_term + factor * strength * (v @ v)

    assert np.max(np.abs(numeric_gradient(theirs, w))) < 1e-6 * max(1.0, a)


def test_l1_summed_form_shares_the_books_minimizer():
    X, y = data(p=6)
    n, lam = len(y), 0.05
    strength = cv.l1_from_canonical(lam, penalty="lambda", loss="half_sse", n=n)
    sk = Lasso(alpha=lam, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    r = y - X @ sk.coef_
    corr = X.T @ r  # minus the gradient of (1/2) RSS
    active = sk.coef_ != 0
    np.testing.assert_allclose(corr[active], strength * np.sign(sk.coef_[active]), rtol=1e-6)
    assert np.all(np.abs(corr[~active]) <= strength * (1 + 1e-8))


@pytest.mark.parametrize("loss", ["mse", "mean"])
def test_keras_l2_and_torch_weight_decay_penalize_like_the_book(loss):
    X, y = data()
    n, lam = len(y), 0.3
    w = fit_ridge(X, y, lam, fit_intercept=False).coef
    a = cv.data_loss_scale(loss)
    l2, wd = cv.keras_l2(lam, loss=loss), cv.torch_weight_decay(lam, loss=loss)
    grad_loss = -a * X.T @ (y - X @ w) / n  # gradient of their data loss (a times ours)
    np.testing.assert_allclose(grad_loss + 2 * l2 * w, 0.0, atol=1e-10)  # Keras: loss + l2 sum w^2
    np.testing.assert_allclose(grad_loss + wd * w, 0.0, atol=1e-10)  # PyTorch: grad + wd * theta


def test_keras_weight_decay_under_plain_sgd_is_gradient_descent_on_the_books_objective():
    X, y = data()
    n, lam, lr = len(y), 0.3, 0.05
    wd = cv.keras_weight_decay(lam, loss="mean")
    w_keras = w_book = np.zeros(4)
    for _ in range(200):
        grad = -X.T @ (y - X @ w_keras) / n  # computed before the decay, as Keras does
        w_keras = w_keras - lr * wd * w_keras
        w_keras = w_keras - lr * grad
        w_book = w_book - lr * (-X.T @ (y - X @ w_book) / n + lam * w_book)
    np.testing.assert_allclose(w_keras, w_book, rtol=1e-12, atol=1e-14)


def test_sgdw_proposition_1():
    X, y = data()
    n, lam, alpha = len(y), 0.3, 0.05
    lam_paper = cv.sgdw_paper_lambda(lam, lr=alpha, loss="mean")
    w_sgdw = w_book = np.zeros(4)
    for _ in range(200):
        w_sgdw = w_sgdw - alpha * (-X.T @ (y - X @ w_sgdw) / n) - lam_paper * w_sgdw
        w_book = w_book - alpha * (-X.T @ (y - X @ w_book) / n + lam * w_book)
    np.testing.assert_allclose(w_sgdw, w_book, rtol=1e-12, atol=1e-14)


def test_adamw_decay_per_step_agrees():
    lr, wd = 3e-4, 0.1
    lam_paper = cv.adamw_paper_lambda(wd, lr=lr)
    theta = np.array([1.0, -2.0])
    for eta in (1.0, 0.5, 0.01):  # schedule multipliers: PyTorch's lr is alpha * eta
        torch_decayed = theta - (lr * eta) * wd * theta
        paper_decayed = theta - eta * lam_paper * theta
        np.testing.assert_allclose(torch_decayed, paper_decayed, rtol=1e-15)


def test_normalized_weight_decay_scales_with_the_number_of_steps():
    lam = cv.normalized_weight_decay(0.05, batch_size=128, n_train=50_000, epochs=100)
    assert math.isclose(lam, 0.05 * math.sqrt(128 / (50_000 * 100)))
    # total decay over the run, lam * steps, grows like sqrt(steps)
    steps = 50_000 * 100 / 128
    lam4 = cv.normalized_weight_decay(0.05, batch_size=128, n_train=50_000, epochs=400)
    assert math.isclose(lam4 * 4 * steps, 2 * lam * steps)


# --- round trips and the table -----------------------------------------------------------------


@given(lam=lambdas, n=ns, lr=lrs)
def test_every_convention_round_trips_and_matches_its_printed_formula(lam, n, lr):
    context = {"n": n, "lr": lr}
    for c in cv.CONVENTIONS:
        kw = {k: context[k] for k in c.context}
        theirs = c.from_canonical(lam, **kw)
        assert math.isclose(c.to_canonical(theirs, **kw), lam, rel_tol=1e-12)
        assert math.isclose(theirs, c.formula_value(lam, **kw), rel_tol=1e-12), c.name


@given(lam=lambdas, n=ns, loss=st.sampled_from(sorted(cv.DATA_LOSSES)),
       penalty=st.sampled_from(["lambda", "half_lambda", "half_lambda_over_n", "lambda_over_n"]), m=ns)
def test_l2_round_trip(lam, n, loss, penalty, m):
    kw = {"n": n} if loss in ("half_sse", "sse", "sum") else {}
    if penalty.endswith("over_n"):
        kw["penalty_n"] = m
    assert math.isclose(cv.l2_to_canonical(cv.l2_from_canonical(lam, penalty=penalty, loss=loss, **kw),
                                           penalty=penalty, loss=loss, **kw), lam, rel_tol=1e-12)


@given(lam1=lambdas, lam2=lambdas)
def test_elastic_net_round_trip(lam1, lam2):
    alpha, rho = cv.sklearn_elastic_net_params(lam1, lam2)
    back = cv.lams_from_sklearn_elastic_net(alpha, rho)
    assert math.isclose(back[0], lam1, rel_tol=1e-9) and math.isclose(back[1], lam2, rel_tol=1e-9, abs_tol=1e-12)


@given(lam=lambdas, lr=lrs, b=st.integers(1, 512), big_b=st.integers(1, 10**6), t=st.integers(1, 500))
def test_optimizer_round_trips(lam, lr, b, big_b, t):
    assert math.isclose(cv.adamw_paper_lambda(cv.torch_adamw_weight_decay(lam, lr=lr), lr=lr), lam, rel_tol=1e-12)
    norm = cv.lambda_norm_from_weight_decay(lam, batch_size=b, n_train=big_b, epochs=t)
    assert math.isclose(cv.normalized_weight_decay(norm, batch_size=b, n_train=big_b, epochs=t), lam, rel_tol=1e-12)


def test_formula_value_refuses_a_wrong_context():
    ridge = next(c for c in cv.CONVENTIONS if c.name == "scikit-learn Ridge")
    with pytest.raises(ValueError, match="context"):
        ridge.formula_value(0.1)
