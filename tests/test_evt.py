"""Peaks-over-threshold thresholds (anomaly_helpers.evt)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import genpareto

from anomaly_helpers import evt


def test_exponential_tail_recovers_the_true_quantile():
    scores = np.random.default_rng(0).exponential(size=20_000)
    fit = evt.fit_pot(scores, init_quantile=0.9)
    assert abs(fit.shape) < 0.05  # an exponential tail has xi = 0
    assert fit.threshold(1e-3) == pytest.approx(-np.log(1e-3), rel=0.05)  # true quantile 6.91


def test_heavy_and_bounded_tails_have_the_right_sign_of_shape():
    rng = np.random.default_rng(1)
    heavy = evt.fit_pot(genpareto.rvs(0.3, size=20_000, random_state=rng), init_quantile=0.8)
    bounded = evt.fit_pot(rng.uniform(size=20_000), init_quantile=0.8)
    assert heavy.shape > 0.15
    assert bounded.shape < -0.5
    # a bounded tail never puts the threshold beyond its end point
    assert bounded.threshold(1e-6) <= bounded.initial_threshold + bounded.scale / -bounded.shape + 1e-9


def test_pot_threshold_extrapolates_beyond_the_largest_score():
    val = np.random.default_rng(2).normal(size=500)
    tau = evt.pot_threshold(val, q=1e-4)
    assert tau > val.max()
    assert evt.pot_threshold(val, q=0.01) < tau  # rarer alarms need a higher threshold


def test_counts_and_initial_threshold():
    scores = np.arange(1000.0)
    fit = evt.fit_pot(scores, init_quantile=0.95)
    assert fit.initial_threshold == pytest.approx(np.quantile(scores, 0.95))
    assert fit.n_scores == 1000 and fit.n_exceedances == int(np.sum(scores > fit.initial_threshold))


@pytest.mark.parametrize(
    ("kwargs", "exc", "words"),
    [
        ({"scores": [1.0, np.nan] * 50}, ValueError, "scores"),
        ({"scores": np.arange(50.0), "init_quantile": 0.9}, ValueError, "init_quantile"),
        ({"scores": np.arange(500.0), "init_quantile": 1.5}, ValueError, "init_quantile"),
        ({"scores": "abc"}, (TypeError, ValueError), "scores"),
    ],
)
def test_bad_input_names_the_argument(kwargs, exc, words):
    with pytest.raises(exc, match=rf"\b{words}\b"):
        evt.fit_pot(**kwargs)


def test_too_few_exceedances_says_what_to_do():
    with pytest.raises(ValueError, match=r"pass more validation scores or lower init_quantile"):
        evt.fit_pot(np.arange(50.0), init_quantile=0.9)


def test_q_must_be_rarer_than_the_fitted_tail():
    fit = evt.fit_pot(np.random.default_rng(3).normal(size=1000), init_quantile=0.9)
    with pytest.raises(ValueError, match=r"\bq\b.*percentile"):
        fit.threshold(0.2)
    with pytest.raises(ValueError, match=r"\bq\b"):
        fit.threshold(0.0)
