"""Tests for anomaly_helpers.synthetic: the seeded ECG-like generator."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

from anomaly_helpers import synthetic as sy
from anomaly_helpers.series import find_runs


def test_ecg_shapes_and_repr():
    e = sy.make_ecg_like()
    assert e.values.shape == (3000, 1) and e.values.dtype == np.float32
    assert e.labels.shape == (3000,) and set(np.unique(e.labels)) == {0, 1}
    assert list(e.events.columns) == ["start", "end", "kind", "channel"]
    assert e.fs == 100 and e.t[-1] == pytest.approx(29.99)
    assert e.n_timesteps == 3000 and e.n_channels == 1
    assert "EcgSeries(" in repr(e) and "6 anomalies" in repr(e)


def test_ecg_deterministic():
    a = sy.make_ecg_like(2000, n_channels=2, random_state=5, n_anomalies=4)
    b = sy.make_ecg_like(2000, n_channels=2, random_state=5, n_anomalies=4)
    np.testing.assert_array_equal(a.values, b.values)
    pd.testing.assert_frame_equal(a.events, b.events)
    c = sy.make_ecg_like(2000, n_channels=2, random_state=6, n_anomalies=4)
    assert not np.array_equal(a.values, c.values)


@pytest.mark.parametrize(
    ("seed", "n_channels", "fs", "heart_rate"), [(0, 1, 100, 72), (1, 3, 250, 60), (2, 2, 360, 110)]
)
def test_ecg_events_and_labels_consistent(seed, n_channels, fs, heart_rate):
    n = 60 * fs
    kw = dict(n_channels=n_channels, fs=fs, heart_rate=heart_rate, random_state=seed)
    e = sy.make_ecg_like(n, n_anomalies=12, **kw)
    clean = sy.make_ecg_like(n, n_anomalies=0, **kw)
    ev = e.events
    # each kind appears (12 anomalies cycle through the 6 kinds)
    assert ev["kind"].value_counts().to_dict() == {k: 2 for k in sy.ECG_KINDS}
    # sorted, non-overlapping, after the clean start, labels = union of the spans
    assert (ev["start"].to_numpy()[1:] >= ev["end"].to_numpy()[:-1]).all()
    assert ev["start"].min() >= int(np.ceil(0.4 * n)) and ev["end"].max() <= n
    expected = np.zeros(n, int)
    for start, end in zip(ev["start"], ev["end"], strict=True):
        expected[start:end] = 1
    np.testing.assert_array_equal(e.labels, expected)
    # the labelled spans cover every sample that differs from the clean series...
    diff = np.abs(e.values - clean.values).max(axis=1)
    assert (diff[e.labels == 0] == 0).all()
    # ...and every event changes something; channel -1 = all leads, else a valid lead
    for row in ev.itertuples():
        assert diff[row.start : row.end].max() > 0
        assert row.channel == -1 or 0 <= row.channel < n_channels
    beat_kinds = ev["kind"].isin(["distorted_beat", "missing_beat", "rhythm_change"])
    assert (ev.loc[beat_kinds, "channel"] == -1).all()
    # end-exclusive like every event in the package: the runs of the labels are the events
    # (merging the ones that touch)
    merged = []
    for start, end in zip(ev["start"], ev["end"], strict=True):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    assert find_runs(e.labels).tolist() == merged


def test_ecg_kinds_subset_and_clean_series():
    e = sy.make_ecg_like(3000, kinds=("spike",), n_anomalies=3, random_state=2)
    assert set(e.events["kind"]) == {"spike"} and len(e.events) == 3
    assert ((e.events["end"] - e.events["start"]).between(2, 4)).all()
    clean = sy.make_ecg_like(n_anomalies=0)
    assert clean.labels.sum() == 0 and clean.events.empty
    assert find_runs(clean.labels).shape == (0, 2)


def test_a_table_maps_each_kind_to_one_small_builder():
    # The public order of the kinds is the table's order, and every kind has a builder.
    assert sy.ECG_KINDS == ("spike", "level_shift", "distorted_beat", "missing_beat", "rhythm_change", "noise_burst")
    table = sy._BUILDERS
    assert tuple(table) == sy.ECG_KINDS
    for kind, builder in table.items():
        body = inspect.getsource(builder.build).splitlines()
        assert len(body) <= 25, f"the {kind} builder has grown to {len(body)} lines"
    assert len(inspect.getsource(sy.make_ecg_like).split('"""')[2].splitlines()) < 60


# --------------------------------------------------------------------------------------
# One rule for random_state
# --------------------------------------------------------------------------------------


def test_random_state_accepts_a_generator_and_none():
    by_int = sy.make_ecg_like(2000, n_anomalies=4, random_state=3)
    by_gen = sy.make_ecg_like(2000, n_anomalies=4, random_state=np.random.default_rng(3))
    np.testing.assert_array_equal(by_int.values, by_gen.values)  # a fresh Generator with the same seed: same series
    pd.testing.assert_frame_equal(by_int.events, by_gen.events)
    rng = np.random.default_rng(3)
    first = sy.make_ecg_like(2000, n_anomalies=4, random_state=rng)
    second = sy.make_ecg_like(2000, n_anomalies=4, random_state=rng)
    assert not np.array_equal(first.values, second.values)  # the same Generator again: new draws
    assert sy.make_ecg_like(1000, n_anomalies=1, random_state=None).values.shape == (1000, 1)


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (-3, ValueError, r"random_state must be a non-negative int, got -3; pass e\.g\. random_state=0"),
        (2.0, TypeError, r"random_state must be None, a non-negative int or a numpy\.random\.Generator"),
        (np.random.RandomState(0), TypeError, r"random_state must be None"),
    ],
)
def test_random_state_rejects_anything_else(bad, error, match):
    with pytest.raises(error, match=match):
        sy.make_ecg_like(random_state=bad)


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------

BAD_INPUT = [
    ("ecg unknown kind", lambda: sy.make_ecg_like(kinds=("spik",)), ValueError, "kinds contains unknown.*spike"),
    ("ecg kinds str", lambda: sy.make_ecg_like(kinds="spike"), TypeError, "kinds must be a list"),
    ("ecg too many", lambda: sy.make_ecg_like(n_anomalies=50), ValueError, "n_anomalies=50"),
    ("ecg clean_fraction", lambda: sy.make_ecg_like(clean_fraction=1.0), ValueError, "clean_fraction"),
    ("ecg heart_rate", lambda: sy.make_ecg_like(heart_rate=300), ValueError, "heart_rate"),
    ("ecg fs", lambda: sy.make_ecg_like(fs=10), ValueError, "fs"),
    ("ecg noise", lambda: sy.make_ecg_like(noise=-1), ValueError, "noise"),
    ("ecg empty kinds", lambda: sy.make_ecg_like(kinds=()), ValueError, "kinds is empty"),
]


@pytest.mark.parametrize(("case", "call", "error", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input(case, call, error, message):
    with pytest.raises(error, match=message):
        call()
