"""A seeded ECG-like generator with labelled anomalies of several kinds.

:func:`make_ecg_like` draws a clean multichannel heartbeat signal, then places anomalies
on it. Each anomaly kind has one small builder, and a table maps each kind to its builder
(``ECG_KINDS`` lists the kinds in order), so a kind is read, changed or added in one place:

====================  ==========================================================
kind                  what the builder does
====================  ==========================================================
``spike``             2-4 samples with a large spike on one lead
``level_shift``       an offset of 0.3-0.6 on one lead for 0.5-1.5 s
``distorted_beat``    one beat with a changed shape on every lead
``missing_beat``      one beat left out
``rhythm_change``     three beats replaced by a faster run
``noise_burst``       0.5-1 s of strong noise on one lead
====================  ==========================================================

Events are ``[start, end)`` spans (end exclusive), like every event in the package.

See Also
--------
Lesson 01 (what is anomaly detection), lesson 02 (preprocessing), lesson 03 (CNN
features), lesson 04 (RNN features) and lesson 06 (evaluation metrics) use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from anomaly_helpers._validate import check_fraction, check_positive_int, check_random_state
from anomaly_helpers.series import spans_to_labels

__all__ = ["ECG_KINDS", "EcgSeries", "make_ecg_like"]

# Waves of one beat: P, Q, R, S, ST segment (zero unless elevated), T.
# Offsets from the R peak and widths (Gaussian sigma) in seconds, at 72 beats per minute.
_WAVE_OFFSETS = np.array([-0.20, -0.035, 0.0, 0.035, 0.12, 0.26])
_WAVE_SIGMAS = np.array([0.025, 0.010, 0.012, 0.012, 0.05, 0.045])
# Amplitudes (mV-like) per lead template: a limb lead (II), a right chest lead (V1), a left chest lead (V5).
_LEAD_TEMPLATES = np.array(
    [
        [0.15, -0.12, 1.00, -0.25, 0.0, 0.30],
        [0.08, -0.02, 0.35, -0.90, 0.0, -0.12],
        [0.10, -0.08, 1.20, -0.15, 0.0, 0.40],
    ]
)
_P, _Q, _R, _S, _ST, _T = range(6)
_REF_RR = 60.0 / 72.0
_N_SIGMA = 4.0  # each wave is drawn over +-4 sigma (beyond that it is below 0.04 % of its height)
_GAP = 1  # untouched beats between two anomalies


@dataclass(frozen=True, eq=False)
class EcgSeries:
    """A synthetic multichannel ECG-like series with labelled anomalies.

    Attributes
    ----------
    values : ndarray of shape (n_timesteps, n_channels), float32
        The signal (one column per lead).
    labels : ndarray of shape (n_timesteps,), int64
        1 where any anomaly affects the signal, else 0.
    events : DataFrame with columns ``start``, ``end``, ``kind``, ``channel``
        One row per anomaly, sorted by ``start``; ``end`` is exclusive (Python slice
        convention, ``values[start:end]``), as in ``series.find_runs(labels)``, which
        gives the same spans (two events that touch become one run). ``channel`` is the
        affected lead, or -1 when the heart itself is affected (all leads: distorted /
        missing beats, rhythm changes).
    fs : int
        Sampling frequency in Hz.

    See Also
    --------
    make_ecg_like
    Lesson 04 (RNN features).
    """

    values: np.ndarray
    labels: np.ndarray
    events: pd.DataFrame
    fs: int

    @property
    def t(self) -> np.ndarray:
        """Time of each step in seconds, shape (n_timesteps,)."""
        return np.arange(self.values.shape[0]) / self.fs

    @property
    def n_timesteps(self) -> int:
        """Number of time steps."""
        return int(self.values.shape[0])

    @property
    def n_channels(self) -> int:
        """Number of channels (leads)."""
        return int(self.values.shape[1])

    def __repr__(self) -> str:
        n = self.n_timesteps
        n_lab = int(self.labels.sum())
        kinds = ", ".join(f"{k} {c}" for k, c in self.events["kind"].value_counts(sort=False).items()) or "none"
        return (
            f"EcgSeries(n_timesteps={n}, n_channels={self.n_channels}, fs={self.fs} Hz, "
            f"duration={n / self.fs:.1f} s, {len(self.events)} anomalies covering {n_lab} steps "
            f"({100 * n_lab / n:.1f} %): {kinds})"
        )


# --------------------------------------------------------------------------------------
# The clean heart
# --------------------------------------------------------------------------------------


def _beat_params(n_beats: int, templates: np.ndarray, rr: np.ndarray, rng: np.random.Generator):
    """Per-beat wave amplitudes (B, W, C), offsets (B, W) and sigmas (B, W)."""
    scale = np.sqrt(rr / _REF_RR)  # QT shortens when the heart beats faster
    offsets = np.broadcast_to(_WAVE_OFFSETS, (n_beats, 6)).copy()
    offsets[:, [_P, _ST, _T]] *= scale[:, None]
    sigmas = np.broadcast_to(_WAVE_SIGMAS, (n_beats, 6)).copy()
    sigmas[:, _T] *= scale
    gain = np.ones((n_beats, 6))
    gain *= 1 + 0.05 * rng.standard_normal((n_beats, 1))  # whole-beat amplitude jitter
    gain[:, _T] *= 1 + 0.05 * rng.standard_normal(n_beats)
    gain[:, _P] *= 1 + 0.05 * rng.standard_normal(n_beats)
    amps = gain[:, :, None] * templates.T[None, :, :]  # (B, W, C)
    return amps, offsets, sigmas


def _beat_extent(offsets: np.ndarray, sigmas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (seconds, relative to the R peak) of the drawn part of each beat."""
    return (offsets - _N_SIGMA * sigmas).min(axis=1), (offsets + _N_SIGMA * sigmas).max(axis=1)


def _render_beats(
    n: int, fs: int, times: np.ndarray, amps: np.ndarray, offsets: np.ndarray, sigmas: np.ndarray
) -> np.ndarray:
    """Sum of Gaussian waves of every beat, shape (n, C); zero outside each beat's extent."""
    n_channels = amps.shape[2]
    out = np.zeros((n, n_channels))
    if times.size == 0:
        return out
    lo, hi = _beat_extent(offsets, sigmas)
    first = np.ceil((times + lo) * fs).astype(np.int64)
    last = np.floor((times + hi) * fs).astype(np.int64)
    width = int((last - first).max()) + 1
    idx = first[:, None] + np.arange(width)[None, :]  # (B, K)
    valid = (idx <= last[:, None]) & (idx >= 0) & (idx < n)
    rel = idx / fs - times[:, None]  # seconds from the R peak
    g = np.exp(-0.5 * ((rel[:, :, None] - offsets[:, None, :]) / sigmas[:, None, :]) ** 2)  # (B, K, W)
    vals = np.einsum("bkw,bwc->bkc", g, amps)
    flat_idx = idx[valid]
    for c in range(n_channels):
        out[:, c] = np.bincount(flat_idx, weights=vals[..., c][valid], minlength=n)
    return out


def _beat_span(fs: int, n: int, time: float, offsets: np.ndarray, sigmas: np.ndarray) -> tuple[int, int]:
    """[start, end) sample span of the drawn part of one beat."""
    lo, hi = _beat_extent(offsets[None], sigmas[None])
    start = int(np.ceil((time + lo[0]) * fs))
    end = int(np.floor((time + hi[0]) * fs)) + 1
    return max(start, 0), min(end, n)


@dataclass(eq=False)
class _Heart:
    """The beats of one series and the edits the anomaly builders make to them (in place)."""

    n: int
    fs: int
    templates: np.ndarray  # (C, W)
    rr_mean: float
    times: np.ndarray  # (B,) R-peak times in seconds
    amps: np.ndarray  # (B, W, C)
    offsets: np.ndarray  # (B, W)
    sigmas: np.ndarray  # (B, W)
    keep: np.ndarray = field(init=False)  # (B,) False for beats an anomaly removed
    additive: np.ndarray = field(init=False)  # (n, C) what the lead anomalies add
    extra_beats: list = field(default_factory=list)  # (times, amps, offsets, sigmas) of inserted runs

    def __post_init__(self) -> None:
        self.keep = np.ones(self.times.size, dtype=bool)
        self.additive = np.zeros((self.n, self.templates.shape[0]))

    def beat_span(self, b: int) -> tuple[int, int]:
        return _beat_span(self.fs, self.n, self.times[b], self.offsets[b], self.sigmas[b])

    def render(self) -> np.ndarray:
        k = self.keep
        out = _render_beats(self.n, self.fs, self.times[k], self.amps[k], self.offsets[k], self.sigmas[k])
        for times, amps, offsets, sigmas in self.extra_beats:
            out += _render_beats(self.n, self.fs, times, amps, offsets, sigmas)
        return out


def _lead_templates(n_channels: int, rng: np.random.Generator) -> np.ndarray:
    """Wave amplitudes per lead: the three fixed templates, then random variations of them."""
    templates = _LEAD_TEMPLATES[np.arange(n_channels) % len(_LEAD_TEMPLATES)].copy()
    if n_channels > len(_LEAD_TEMPLATES):
        templates[len(_LEAD_TEMPLATES) :] *= rng.uniform(0.6, 1.4, size=(n_channels - len(_LEAD_TEMPLATES), 6))
    templates[:, _ST] = 0.0
    return templates


def _clean_heart(n: int, fs: int, heart_rate: float, templates: np.ndarray, rng: np.random.Generator) -> _Heart:
    """Beat times with RR jitter of about 3 % and per-beat wave parameters."""
    rr_mean = 60.0 / heart_rate
    n_beats = int(np.ceil(n / fs / (0.9 * rr_mean))) + 3
    rr = rr_mean * (1 + np.clip(0.03 * rng.standard_normal(n_beats), -0.08, 0.08))
    times = rng.uniform(0.0, rr_mean) + np.concatenate([[0.0], np.cumsum(rr[:-1])])
    amps, offsets, sigmas = _beat_params(n_beats, templates, rr, rng)
    return _Heart(n, fs, templates, rr_mean, times, amps, offsets, sigmas)


def _wander_and_noise(n: int, n_channels: int, fs: int, noise: float, rng: np.random.Generator):
    """Baseline wander (two sinusoids near the breathing rate) per lead, and Gaussian noise."""
    t = np.arange(n) / fs
    wander = np.zeros(n)
    for freq, amp in zip(rng.uniform(0.1, 0.35, 2), rng.uniform(0.03, 0.08, 2), strict=True):
        wander += amp * np.sin(2 * np.pi * freq * t + rng.uniform(0, 2 * np.pi))
    lead_wander = wander[:, None] * np.linspace(1.0, 0.6, n_channels)[None, :]
    return lead_wander, noise * rng.standard_normal((n, n_channels))


# --------------------------------------------------------------------------------------
# One builder per anomaly kind
# --------------------------------------------------------------------------------------
# A builder gets the heart, the first beat ``b`` of the stretch it owns, the number ``k``
# of beat intervals it owns (it lives between times[b] and times[b + k]), its planned
# length in seconds and the events' generator; it edits the heart and returns the
# [start, end) span it changed and the affected lead (-1: every lead).


def _place_on_lead(heart: _Heart, b: int, k: int, length: float, rng: np.random.Generator) -> tuple[int, int, int]:
    """A random lead and a random [start, end) of ``length`` seconds between beats b and b + k."""
    t0, t1 = heart.times[b], heart.times[b + k]
    channel = int(rng.integers(heart.templates.shape[0]))
    width = max(1, int(round(length * heart.fs)))
    s_lo, s_hi = int(np.ceil(t0 * heart.fs)), int(np.floor(t1 * heart.fs)) - width
    start = int(rng.integers(s_lo, max(s_lo, s_hi) + 1))
    return start, min(start + width, heart.n), channel


def _build_spike(heart: _Heart, b: int, k: int, length: float, rng: np.random.Generator) -> tuple[int, int, int]:
    start, end, channel = _place_on_lead(heart, b, k, length, rng)
    window = np.bartlett(end - start + 2)[1:-1]
    heart.additive[start:end, channel] += rng.choice([-1, 1]) * rng.uniform(1.5, 3.0) * (window / window.max())
    return start, end, channel


def _build_level_shift(heart: _Heart, b: int, k: int, length: float, rng: np.random.Generator) -> tuple[int, int, int]:
    start, end, channel = _place_on_lead(heart, b, k, length, rng)
    heart.additive[start:end, channel] += rng.choice([-1, 1]) * rng.uniform(0.3, 0.6)
    return start, end, channel


def _build_noise_burst(heart: _Heart, b: int, k: int, length: float, rng: np.random.Generator) -> tuple[int, int, int]:
    start, end, channel = _place_on_lead(heart, b, k, length, rng)
    sd = rng.uniform(0.15, 0.3)
    heart.additive[start:end, channel] += sd * rng.standard_normal(end - start)
    return start, end, channel


def _build_missing_beat(heart: _Heart, b: int, k: int, length: float, rng: np.random.Generator) -> tuple[int, int, int]:
    heart.keep[b] = False
    return (*heart.beat_span(b), -1)


def _invert_t(heart: _Heart, b: int, rng: np.random.Generator) -> None:
    heart.amps[b, _T] *= -rng.uniform(1.0, 1.5)


def _widen_t(heart: _Heart, b: int, rng: np.random.Generator) -> None:
    heart.sigmas[b, _T] *= 2.0
    heart.amps[b, _T] *= 1.6


def _elevate_st(heart: _Heart, b: int, rng: np.random.Generator) -> None:
    heart.amps[b, _ST] = rng.uniform(0.2, 0.3) * np.sign(heart.templates[:, _R])


def _ectopic(heart: _Heart, b: int, rng: np.random.Generator) -> None:
    """Wide QRS without P wave and a discordant T wave, like an ectopic beat."""
    heart.sigmas[b, [_Q, _R, _S]] *= 2.5
    heart.amps[b, _R] *= 1.3
    heart.amps[b, _P] = 0.0
    heart.amps[b, _T] *= -1.2


_DISTORTIONS = (_invert_t, _widen_t, _elevate_st, _ectopic)


def _build_distorted_beat(
    heart: _Heart, b: int, k: int, length: float, rng: np.random.Generator
) -> tuple[int, int, int]:
    start0, end0 = heart.beat_span(b)
    _DISTORTIONS[int(rng.integers(len(_DISTORTIONS)))](heart, b, rng)
    start1, end1 = heart.beat_span(b)
    return min(start0, start1), max(end0, end1), -1


def _build_rhythm_change(
    heart: _Heart, b: int, k: int, length: float, rng: np.random.Generator
) -> tuple[int, int, int]:
    """Beats b .. b+k-1 replaced by a run at 1.8-2.3 times the heart rate."""
    t0, t1 = heart.times[b], heart.times[b + k]
    heart.keep[b : b + k] = False
    rr_fast = heart.rr_mean / rng.uniform(1.8, 2.3)
    n_fast = max(int(np.floor((t1 - t0) / rr_fast - 0.9)) + 1, k + 1)
    rr_fast = min(rr_fast, (t1 - t0) / (n_fast - 0.1))
    times = t0 + rr_fast * np.arange(n_fast)
    amps, offsets, sigmas = _beat_params(n_fast, heart.templates, np.full(n_fast, rr_fast), rng)
    heart.extra_beats.append((times, amps, offsets, sigmas))
    spans = [heart.beat_span(j) for j in range(b, b + k)]
    spans += [_beat_span(heart.fs, heart.n, times[j], offsets[j], sigmas[j]) for j in range(n_fast)]
    return min(s for s, _ in spans), max(e for _, e in spans), -1


def _no_length(rng: np.random.Generator, fs: int) -> float:
    return 0.0


def _intervals_for(length: float, rr_min: float) -> int:
    return int(np.ceil(length / rr_min))


@dataclass(frozen=True)
class _Builder:
    """How one anomaly kind is planned (its length and beat intervals) and built."""

    draw_length: Callable[[np.random.Generator, int], float]  # seconds
    n_intervals: Callable[[float, float], int]  # beat intervals owned, from (length, shortest RR)
    build: Callable[[_Heart, int, int, float, np.random.Generator], tuple[int, int, int]]


#: The table from anomaly kind to builder (its order is ``ECG_KINDS``).
_BUILDERS: dict[str, _Builder] = {
    "spike": _Builder(lambda rng, fs: int(rng.integers(2, 5)) / fs, _intervals_for, _build_spike),
    "level_shift": _Builder(lambda rng, fs: rng.uniform(0.5, 1.5), _intervals_for, _build_level_shift),
    "distorted_beat": _Builder(_no_length, lambda length, rr: 1, _build_distorted_beat),
    "missing_beat": _Builder(_no_length, lambda length, rr: 1, _build_missing_beat),
    "rhythm_change": _Builder(_no_length, lambda length, rr: 3, _build_rhythm_change),
    "noise_burst": _Builder(lambda rng, fs: rng.uniform(0.5, 1.0), _intervals_for, _build_noise_burst),
}

#: Anomaly kinds understood by :func:`make_ecg_like`.
ECG_KINDS: tuple[str, ...] = tuple(_BUILDERS)


# --------------------------------------------------------------------------------------
# Placing the anomalies
# --------------------------------------------------------------------------------------


def _check_kinds(kinds: Any) -> tuple[str, ...]:
    if isinstance(kinds, str) or not isinstance(kinds, (list, tuple)):
        raise TypeError(
            f"kinds must be a list or tuple of anomaly kinds, got {kinds!r}; e.g. kinds=('spike',). "
            f"Valid kinds: {list(ECG_KINDS)}."
        )
    unknown = [k for k in kinds if k not in ECG_KINDS]
    if unknown:
        raise ValueError(f"kinds contains unknown kind(s) {unknown}; use kinds from {list(ECG_KINDS)}.")
    return tuple(kinds)


def _usable_beats(heart: _Heart, clean_fraction: float) -> tuple[int, int]:
    """First beat after the clean start, and the last beat that can end an anomaly."""
    lo_ext, hi_ext = _beat_extent(heart.offsets, heart.sigmas)
    clean_end = np.ceil(clean_fraction * heart.n) / heart.fs
    first = int(np.searchsorted(heart.times + lo_ext - 0.2, clean_end))  # 0.2 s margin for distorted beats
    last = int(np.searchsorted(heart.times + 1.5 * hi_ext, heart.n / heart.fs)) - 1
    return first, last


def _place_anomalies(
    heart: _Heart, kinds: tuple[str, ...], n_anomalies: int, clean_fraction: float, heart_rate: float, rng
) -> list[tuple[int, int, str, int]]:
    """Plan the anomalies (kind, length, beats owned), spread them at random, build each one."""
    order = [kinds[i % len(kinds)] for i in range(n_anomalies)]
    order = [order[i] for i in rng.permutation(n_anomalies)]
    lengths = [_BUILDERS[kind].draw_length(rng, heart.fs) for kind in order]
    owned = [
        _BUILDERS[kind].n_intervals(length, heart.rr_mean * 0.92) for kind, length in zip(order, lengths, strict=True)
    ]
    first, last = _usable_beats(heart, clean_fraction)
    needed = sum(owned) + _GAP * (n_anomalies - 1) + 1
    available = last - first + 1
    if needed > available:
        raise ValueError(
            f"n_anomalies={n_anomalies} anomalies need about {needed} heartbeats after the clean start, "
            f"but only {max(available, 0)} fit (n_timesteps={heart.n}, clean_fraction={clean_fraction}, "
            f"heart_rate={heart_rate:g}); lower n_anomalies or clean_fraction, or raise n_timesteps."
        )
    cuts = np.sort(rng.choice(available - needed + n_anomalies, size=n_anomalies, replace=False))
    gaps = np.diff(np.concatenate([[-1], cuts])) - 1
    events = []
    b = first
    for kind, length, k, gap in zip(order, lengths, owned, gaps, strict=True):
        b += int(gap)
        start, end, channel = _BUILDERS[kind].build(heart, b, k, length, rng)
        events.append((start, end, kind, channel))
        b += k + _GAP
    return events


def _event_table(events: list[tuple[int, int, str, int]]) -> pd.DataFrame:
    table = pd.DataFrame(events, columns=["start", "end", "kind", "channel"])
    return table.sort_values("start", ignore_index=True).astype(
        {"start": np.int64, "end": np.int64, "channel": np.int64}
    )


def make_ecg_like(
    n_timesteps: int = 3000,
    *,
    n_channels: int = 1,
    fs: int = 100,
    heart_rate: float = 72,
    noise: float = 0.03,
    kinds: tuple[str, ...] | list[str] = ECG_KINDS,
    n_anomalies: int = 6,
    clean_fraction: float = 0.4,
    random_state: int | np.random.Generator | None = 0,
) -> EcgSeries:
    """Generate a seeded ECG-like series with labelled anomalies of several kinds.

    Each heartbeat is a sum of Gaussian waves (P, Q, R, S, T) at jittered beat times
    (RR interval +-3 %, amplitude +-5 %), on a slow baseline wander (two sinusoids
    near the breathing rate) plus Gaussian noise. Channels are leads: they share
    the beat times but have different wave templates (like leads II, V1 and V5;
    further leads are random variations of these).

    Anomalies are placed at random, non-overlapping positions after the first
    ``clean_fraction`` of the series, so a model can be trained on the clean start.
    They cycle through ``kinds`` (each kind appears when ``n_anomalies >= len(kinds)``):

    * ``spike``: 2-4 samples with a large spike on one lead (electrode artefact);
    * ``level_shift``: an offset of 0.3-0.6 on one lead for 0.5-1.5 s;
    * ``distorted_beat``: one beat with a changed shape on every lead (inverted T,
      wide T, ST elevation, or a wide QRS complex without P wave, like an ectopic beat);
    * ``missing_beat``: one beat left out (a flat gap, as in a dropped beat);
    * ``rhythm_change``: three beats replaced by a run at 1.8-2.3 times the heart rate;
    * ``noise_burst``: 0.5-1 s of strong noise on one lead (muscle artefact).

    Parameters
    ----------
    n_timesteps : int, default 3000
        Length of the series.
    n_channels : int, default 1
        Number of leads.
    fs : int, default 100
        Sampling frequency in Hz (at least 50).
    heart_rate : float, default 72
        Mean heart rate in beats per minute, between 40 and 150.
    noise : float, default 0.03
        Standard deviation of the Gaussian noise (the R wave is about 1).
    kinds : tuple of str, default all six kinds
        Which anomaly kinds to use; see ``ECG_KINDS``.
    n_anomalies : int, default 6
        Number of anomalies (0 gives a clean series).
    clean_fraction : float, default 0.4
        Fraction of the series at the start that stays free of anomalies, in [0, 1).
    random_state : None, int or numpy.random.Generator, default 0
        Seed (None: fresh randomness; a Generator is split into independent streams with
        ``Generator.spawn``). The clean signal depends only on ``random_state``,
        ``n_timesteps``, ``n_channels``, ``fs``, ``heart_rate`` and ``noise``, so the same
        call with ``n_anomalies=0`` shows what the anomalous parts would have looked like.

    Returns
    -------
    EcgSeries
        ``values`` of shape (n_timesteps, n_channels) float32, ``labels`` of shape
        (n_timesteps,), ``events`` (start, end exclusive, kind, channel), ``fs`` and
        the time axis ``t`` in seconds. Labels cover every sample that differs from
        the clean signal.

    Raises
    ------
    ValueError
        When the anomalies do not fit after ``clean_fraction`` (lower ``n_anomalies``
        or ``clean_fraction``, or raise ``n_timesteps``), or for an unknown kind.

    Notes
    -----
    When to use: sliding-window detectors (1-D CNN, LSTM autoencoders) need many
    labelled anomalies of known kinds, which real ECG excerpts rarely provide. The
    shapes are illustrative, not a physiological model.

    See Also
    --------
    anomaly_helpers.datasets.load_mitdb : a real ECG excerpt.
    anomaly_helpers.series.sliding_windows, anomaly_helpers.series.windows_to_timesteps
    Lesson 04 (RNN features).
    """
    n = check_positive_int(n_timesteps, "n_timesteps", minimum=2)
    n_channels = check_positive_int(n_channels, "n_channels")
    fs = check_positive_int(fs, "fs", minimum=50)
    heart_rate = check_fraction(heart_rate, "heart_rate", low=40, high=150, inclusive="both")
    noise = check_fraction(noise, "noise", low=0, high=np.inf, inclusive="left")
    kinds = _check_kinds(kinds)
    n_anomalies = check_positive_int(n_anomalies, "n_anomalies", minimum=0)
    clean_fraction = check_fraction(clean_fraction, "clean_fraction", inclusive="left")
    if n_anomalies > 0 and not kinds:
        raise ValueError(
            f"kinds is empty but n_anomalies={n_anomalies}; pass at least one kind from {list(ECG_KINDS)}."
        )
    base_rng, lead_rng, event_rng = check_random_state(random_state).spawn(3)

    heart = _clean_heart(n, fs, heart_rate, _lead_templates(n_channels, lead_rng), base_rng)
    lead_wander, base_noise = _wander_and_noise(n, n_channels, fs, noise, base_rng)
    events = []
    if n_anomalies:
        events = _place_anomalies(heart, kinds, n_anomalies, clean_fraction, heart_rate, event_rng)
    values = (heart.render() + lead_wander + base_noise + heart.additive).astype(np.float32)
    table = _event_table(events)
    labels = spans_to_labels(table[["start", "end"]].to_numpy(), n)
    return EcgSeries(values=values, labels=labels, events=table, fs=fs)
