"""Thresholds from extreme-value theory: peaks over threshold (POT) with a generalised Pareto tail.

Lesson 09 (challenges and trends) compares them with a plain percentile in its section 6.

A percentile threshold can only be as fine as the validation set allows: with ``n`` validation
scores, the ``1 - q`` quantile for a target alarm rate ``q < 1 / n`` is (nearly) the largest
score seen, whatever ``q`` is. Extreme-value theory models the tail instead. Above a high
*initial* threshold ``u`` (a plain quantile of the scores, e.g. the 90th percentile), the
excesses ``s - u`` of the scores that exceed it follow, approximately, a generalised Pareto
distribution (GPD, the Pickands–Balkema–de Haan theorem)

.. math:: P(S - u > y \\mid S > u) \\approx \\Big(1 + \\frac{\\xi y}{\\sigma}\\Big)^{-1/\\xi},

with shape ``xi`` and scale ``sigma`` fitted by maximum likelihood (:func:`scipy.stats.genpareto`).
The threshold whose exceedance probability is ``q`` follows by inverting it:

.. math:: z_q = u + \\frac{\\sigma}{\\xi}\\Big[\\Big(\\frac{q\\,n}{N_u}\\Big)^{-\\xi} - 1\\Big]
          \\quad(\\xi \\ne 0), \\qquad z_q = u - \\sigma \\ln\\frac{q\\,n}{N_u} \\quad(\\xi = 0),

where ``n`` is the number of scores and ``N_u`` the number above ``u`` (Siffer et al., KDD 2017,
"Anomaly detection in streams with extreme value theory"; Coles 2001, *An Introduction to
Statistical Modeling of Extreme Values*, ch. 4).

Fit it on **validation** scores of normal data — never on the scores of the data the detector
was fitted on, which are too low (lesson 06). As everywhere in the course, a sample is flagged
when its score is ``>=`` the threshold.

See Also
--------
anomaly_helpers.scoring.threshold_percentile : the plain percentile this is compared with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from anomaly_helpers._validate import check_fraction, check_scores

__all__ = ["PotFit", "fit_pot", "pot_threshold", "MIN_EXCEEDANCES"]

#: Fewest excesses over the initial threshold that :func:`fit_pot` accepts (a GPD fitted on
#: fewer is mostly noise).
MIN_EXCEEDANCES = 10


@dataclass(frozen=True)
class PotFit:
    """A generalised Pareto tail fitted above an initial threshold (from :func:`fit_pot`).

    Attributes
    ----------
    initial_threshold : float
        ``u``, the ``init_quantile`` quantile of the scores.
    shape : float
        ``xi``: > 0 a heavy tail (no upper end), 0 an exponential tail, < 0 a bounded tail
        whose upper end is ``u + scale / -xi``.
    scale : float
        ``sigma`` > 0.
    n_scores : int
        ``n``, the number of scores the tail was fitted on.
    n_exceedances : int
        ``N_u``, the number of scores strictly above ``u``.
    """

    initial_threshold: float
    shape: float
    scale: float
    n_scores: int
    n_exceedances: int

    def threshold(self, q: float) -> float:
        """Return the score whose exceedance probability under the fitted tail is ``q``.

        Parameters
        ----------
        q : float in (0, N_u / n)
            Target alarm rate on normal data, e.g. 0.001 for one false alarm in 1,000 samples.
            It must be rarer than the exceedances used for the fit, otherwise the threshold
            lies below ``u``, where the tail model says nothing.

        Returns
        -------
        float
            ``z_q`` (see the module docstring); flag scores ``>= z_q``.

        Raises
        ------
        ValueError
            When ``q`` is not in (0, N_u / n).
        """
        tail_rate = self.n_exceedances / self.n_scores
        q = check_fraction(q, "q")
        if q >= tail_rate:
            raise ValueError(
                f"q must be smaller than the share of scores above the initial threshold ({tail_rate:.3g}), "
                f"got {q!r}; use a plain percentile for such a common alarm rate, or raise init_quantile's tail "
                "(lower init_quantile)."
            )
        ratio = q / tail_rate
        u, xi, sigma = self.initial_threshold, self.shape, self.scale
        if abs(xi) < 1e-9:
            return float(u - sigma * math.log(ratio))
        return float(u + sigma / xi * (ratio ** (-xi) - 1.0))


def fit_pot(scores: object, init_quantile: float = 0.9) -> PotFit:
    """Fit a generalised Pareto distribution to the excesses of ``scores`` over a high quantile.

    Parameters
    ----------
    scores : array-like of shape (n_samples,)
        Anomaly scores of normal **validation** data (higher = more anomalous), not the scores
        of the data the detector was fitted on.
    init_quantile : float in (0, 1), default 0.9
        The initial threshold ``u`` is this quantile of ``scores``; the excesses above it are
        modelled. Higher values leave fewer, more extreme excesses (less bias, more variance).

    Returns
    -------
    PotFit
        ``u``, the shape ``xi``, the scale ``sigma`` and the counts; call ``.threshold(q)``.

    Raises
    ------
    ValueError
        For NaN or infinite scores, an ``init_quantile`` outside (0, 1), or fewer than
        :data:`MIN_EXCEEDANCES` scores strictly above ``u`` (pass more scores or lower
        ``init_quantile``).

    See Also
    --------
    pot_threshold : the threshold in one call.

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.random.default_rng(0).exponential(size=5000)
    >>> fit = fit_pot(scores, init_quantile=0.9)
    >>> round(fit.threshold(0.001), 1)  # the true 99.9th percentile of Exp(1) is 6.9
    7.0
    """
    from scipy.stats import genpareto

    s = check_scores(scores, "scores")
    init_quantile = check_fraction(init_quantile, "init_quantile")
    u = float(np.quantile(s, init_quantile))
    excess = s[s > u] - u
    if excess.size < MIN_EXCEEDANCES:
        raise ValueError(
            f"scores has only {excess.size} value(s) above its {init_quantile:g} quantile; the tail fit needs at "
            f"least {MIN_EXCEEDANCES}: pass more validation scores or lower init_quantile."
        )
    shape, _, scale = genpareto.fit(excess, floc=0.0)
    return PotFit(
        initial_threshold=u,
        shape=float(shape),
        scale=float(scale),
        n_scores=int(s.size),
        n_exceedances=int(excess.size),
    )


def pot_threshold(scores: object, q: float, init_quantile: float = 0.9) -> float:
    """Threshold with exceedance probability ``q``, from a generalised Pareto tail (peaks over threshold).

    Parameters
    ----------
    scores : array-like of shape (n_samples,)
        Anomaly scores of normal **validation** data.
    q : float
        Target alarm rate on normal data, smaller than ``1 - init_quantile``.
    init_quantile : float in (0, 1), default 0.9
        Quantile of ``scores`` used as the initial threshold ``u``.

    Returns
    -------
    float
        Flag scores ``>=`` this value.

    Raises
    ------
    ValueError
        As :func:`fit_pot` and :meth:`PotFit.threshold`.

    See Also
    --------
    fit_pot : the fitted tail, with its shape and scale.
    anomaly_helpers.scoring.threshold_percentile : the plain percentile.

    Examples
    --------
    >>> import numpy as np
    >>> val = np.random.default_rng(1).normal(size=2000)
    >>> tau = pot_threshold(val, q=0.001)
    >>> bool(tau > np.quantile(val, 0.99))
    True
    """
    return fit_pot(scores, init_quantile=init_quantile).threshold(q)
