"""Tests for anomaly_helpers.series: spans, runs, windows and heartbeats."""

from __future__ import annotations

import numpy as np
import pytest

from anomaly_helpers import series as se
from anomaly_helpers.datasets import MITDB_FS, load_mitdb

# --------------------------------------------------------------------------------------
# Runs of 1s (events) and spans
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "runs"),
    [
        ([0, 1, 1, 0, 0, 1], [[1, 3], [5, 6]]),
        ([1, 1, 0], [[0, 2]]),
        ([1], [[0, 1]]),
        ([0, 0, 0], []),
        ([1, 1, 1], [[0, 3]]),
        (np.array([True, False, True]), [[0, 1], [2, 3]]),
    ],
)
def test_find_runs_is_end_exclusive(labels, runs):
    out = se.find_runs(labels)
    assert out.shape == (len(runs), 2) and out.dtype == np.int64
    assert out.tolist() == runs
    y = np.asarray(labels, dtype=int)
    for start, end in out:
        assert y[start:end].all()  # labels[start:end] is the run...
        assert start == 0 or y[start - 1] == 0  # ...and nothing of it is left out
        assert end == len(y) or y[end] == 0
    np.testing.assert_array_equal(se.spans_to_labels(out, len(y)), y)  # the inverse


def test_spans_to_labels_round_trip_on_random_labels():
    y = (np.random.default_rng(0).random(500) > 0.8).astype(int)
    np.testing.assert_array_equal(se.spans_to_labels(se.find_runs(y), 500), y)
    assert se.spans_to_labels(np.zeros((0, 2), int), 4).tolist() == [0, 0, 0, 0]
    assert se.spans_to_labels([[1, 3], [2, 4]], 5).tolist() == [0, 1, 1, 1, 0]  # overlaps are fine


def test_span_labels_rules():
    labels = np.zeros(100, dtype=int)
    labels[40:60] = 1
    spans = np.array([[0, 20], [30, 50], [45, 65], [40, 60], [34, 46]])  # the last: 6 of 12, a tie
    assert se.span_labels(labels, spans, rule="any").tolist() == [0, 1, 1, 1, 1]
    assert se.span_labels(labels, spans, rule="majority").tolist() == [0, 0, 1, 1, 0]
    assert se.span_labels(labels, spans, rule="center").tolist() == [0, 1, 1, 1, 1]  # 34 + 12 // 2 = 40 is labelled


def test_spans_to_timesteps_fill_and_reduce():
    spans = [[0, 4], [2, 6]]
    assert se.spans_to_timesteps([1.0, 3.0], spans, 8, reduce="max", fill=-1.0).tolist() == [
        1.0,
        1.0,
        3.0,
        3.0,
        3.0,
        3.0,
        -1.0,
        -1.0,
    ]
    mean = se.spans_to_timesteps([1.0, 3.0], spans, 8, reduce="mean")  # fill=None: the nearest covered step
    assert mean.tolist() == [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0]
    per_step = se.spans_to_timesteps([[1.0, 2.0], [5.0, 7.0]], [[0, 2], [1, 3]], 4, reduce="mean")
    assert per_step.tolist() == [1.0, 3.5, 7.0, 7.0]
    same_start = se.spans_to_timesteps([1.0, 5.0], [[0, 2], [0, 3]], 3, reduce="mean")  # repeated starts count twice
    assert same_start.tolist() == [3.0, 3.0, 5.0]


# --------------------------------------------------------------------------------------
# Windows and beats share one implementation
# --------------------------------------------------------------------------------------


def test_windows_and_beats_share_one_implementation():
    labels = (np.random.default_rng(1).random(300) > 0.7).astype(int)
    width, stride = 12, 5
    spans = se.window_spans(300, width, stride)
    np.testing.assert_array_equal(spans[:, 0], se.window_starts(300, width, stride))
    assert (spans[:, 1] - spans[:, 0] == width).all()
    for rule in ("any", "majority", "center"):
        by_window = se.window_labels(labels, width, stride, rule=rule)
        by_beat = se.beat_labels(labels, spans, rule=rule)  # windows seen as beats
        np.testing.assert_array_equal(by_window, by_beat)
        np.testing.assert_array_equal(by_window, se.span_labels(labels, spans, rule=rule))
    scores = np.random.default_rng(2).random(len(spans))
    by_window = se.windows_to_timesteps(scores, 300, width, stride, reduce="max")
    by_beat = se.beat_scores_to_timesteps(scores, spans, 300, fill=0.0)
    covered = se.spans_to_labels(spans, 300).astype(bool)
    np.testing.assert_array_equal(by_window[covered], by_beat[covered])  # they differ only where no span is
    np.testing.assert_array_equal(by_window, se.spans_to_timesteps(scores, spans, 300, reduce="max"))
    # the windows of a series are its beats cut at the window starts
    x = np.random.default_rng(3).normal(size=300)
    beats, beat_spans = se.segment_beats(x, spans[:, 0], before=0, after=width)
    np.testing.assert_array_equal(beats, se.sliding_windows(x, width, stride)[:, :, 0])
    np.testing.assert_array_equal(beat_spans, spans)


# --------------------------------------------------------------------------------------
# Windows
# --------------------------------------------------------------------------------------


def test_sliding_windows_shapes():
    x = np.arange(10.0)
    w = se.sliding_windows(x, 4, stride=3)
    assert w.shape == (3, 4, 1) and w.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(w[:, :, 0], [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]])
    w[0, 0, 0] = 99  # a copy, not a view
    assert x[0] == 0
    multi = se.sliding_windows(np.ones((20, 3), np.float32), 5)
    assert multi.shape == (16, 5, 3) and multi.dtype == np.float32
    np.testing.assert_array_equal(se.window_starts(10, 4, 3), [0, 3, 6])


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("any", [1, 1, 1, 1, 1, 1, 0]), ("majority", [0, 0, 1, 1, 0, 0, 0]), ("center", [0, 1, 1, 1, 0, 0, 0])],
)
def test_window_labels(rule, expected):
    labels = np.array([0, 0, 0, 1, 1, 1, 0, 0, 0, 0])
    np.testing.assert_array_equal(se.window_labels(labels, 4, rule=rule), expected)


@pytest.mark.parametrize(("n", "width", "stride"), [(100, 10, 1), (100, 10, 3), (97, 8, 5), (50, 5, 7)])
@pytest.mark.parametrize("reduce", ["mean", "max"])
def test_windows_round_trip(n, width, stride, reduce):
    x = np.random.default_rng(0).normal(size=n)
    w = se.sliding_windows(x, width, stride)[:, :, 0]
    back = se.windows_to_timesteps(w, n, width, stride, reduce=reduce)
    covered = np.zeros(n, bool)
    for s in se.window_starts(n, width, stride):
        covered[s : s + width] = True
    np.testing.assert_allclose(back[covered], x[covered])
    if stride <= width and (n - width) % stride == 0:
        np.testing.assert_allclose(back, x)


def test_windows_to_timesteps_reduce_and_fill():
    scores = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(se.windows_to_timesteps(scores, 10, 4, 3, reduce="max"), [1, 1, 1, 2, 2, 2, 3, 3, 3, 3])
    np.testing.assert_allclose(
        se.windows_to_timesteps(scores, 10, 4, 3, reduce="mean"), [1, 1, 1, 1.5, 2, 2, 2.5, 3, 3, 3]
    )
    # tail not covered (stride does not divide): nearest covered step
    np.testing.assert_allclose(se.windows_to_timesteps(np.array([1.0, 2.0]), 9, 4, 3), [1, 1, 1, 1.5, 2, 2, 2, 2, 2])
    # gaps between windows (stride > width): nearest covered step, earlier on a tie
    np.testing.assert_allclose(se.windows_to_timesteps(scores, 12, 2, 5), [1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3])


# --------------------------------------------------------------------------------------
# Heartbeats
# --------------------------------------------------------------------------------------


def _spiky(n: int = 1000, positions=(100, 400, 700)) -> np.ndarray:
    x = np.zeros(n)
    x[list(positions)] = 1.0
    return x


def test_find_r_peaks_on_spikes():
    assert se.find_r_peaks(_spiky(), fs=100).tolist() == [100, 400, 700]


def test_find_r_peaks_min_distance_keeps_the_taller():
    x = _spiky(positions=(100, 110, 400))
    x[110] = 0.8
    assert se.find_r_peaks(x, fs=100, min_distance=0.25).tolist() == [100, 400]
    assert se.find_r_peaks(x, fs=100, min_distance=0.05, height=0.5).tolist() == [100, 110, 400]


def test_find_r_peaks_accepts_a_column_and_finds_every_beat_of_mitdb():
    frame = load_mitdb()
    v = frame["value"].to_numpy()
    peaks = se.find_r_peaks(v[:, None], fs=MITDB_FS)
    assert len(peaks) == 26
    assert frame["label"].to_numpy()[peaks].sum() == 1  # exactly one R peak inside the abnormal beat


def test_segment_beats_aligns_and_skips_edges():
    x = np.arange(1000.0)
    beats, spans = se.segment_beats(x, [5, 100, 400, 995], before=10, after=20)
    assert beats.shape == (2, 30)
    assert spans.tolist() == [[90, 120], [390, 420]]
    assert np.array_equal(beats[:, 10], [100.0, 400.0])  # the peak sits at column `before`
    assert np.array_equal(beats[1], x[390:420])


def test_beat_labels_rules():
    labels = np.zeros(100, dtype=int)
    labels[40:60] = 1
    spans = np.array([[0, 20], [30, 50], [45, 65], [40, 60]])
    assert se.beat_labels(labels, spans, rule="any").tolist() == [0, 1, 1, 1]
    assert se.beat_labels(labels, spans).tolist() == [0, 0, 1, 1]


def test_beat_scores_to_timesteps_takes_the_max_on_overlaps():
    out = se.beat_scores_to_timesteps([1.0, 3.0], [[0, 4], [2, 6]], 8, fill=-1.0)
    assert out.tolist() == [1.0, 1.0, 3.0, 3.0, 3.0, 3.0, -1.0, -1.0]


def test_old_import_paths_still_work():
    # TRANSITIONAL shims: the lessons import these until they migrate.
    from anomaly_helpers import data, ecg

    assert data.sliding_windows is se.sliding_windows and data.windows_to_timesteps is se.windows_to_timesteps
    assert ecg.beat_labels is se.beat_labels and ecg.find_r_peaks is se.find_r_peaks
    for module in (data, ecg):
        for name in module.__all__:
            assert hasattr(module, name)


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------

BAD_INPUT = [
    ("windows too long", lambda: se.sliding_windows(np.zeros(10), 11), ValueError, "width=11 is longer"),
    ("windows stride 0", lambda: se.sliding_windows(np.zeros(10), 3, stride=0), ValueError, "stride"),
    ("windows 3-D x", lambda: se.sliding_windows(np.zeros((4, 3, 2)), 2), ValueError, "x must be 1-D or 2-D"),
    ("windows NaN", lambda: se.sliding_windows(np.array([1.0, np.nan, 2.0]), 2), ValueError, "x contains"),
    ("window_labels rule", lambda: se.window_labels(np.zeros(10), 3, rule="all"), ValueError, "rule"),
    ("window_labels values", lambda: se.window_labels(np.arange(10), 3), ValueError, "labels must contain"),
    ("window_starts width", lambda: se.window_starts(5, 6), ValueError, "width=6"),
    ("to_timesteps count", lambda: se.windows_to_timesteps(np.ones(5), 10, 4, 3), ValueError, "5 windows.*give 3"),
    ("to_timesteps width", lambda: se.windows_to_timesteps(np.ones((3, 5)), 10, 4, 3), ValueError, "width=4"),
    (
        "to_timesteps 3-D",
        lambda: se.windows_to_timesteps(np.ones((3, 4, 2)), 10, 4, 3),
        ValueError,
        "mean\\(axis=-1\\)",
    ),
    ("to_timesteps reduce", lambda: se.windows_to_timesteps(np.ones(3), 10, 4, 3, reduce="sum"), ValueError, "reduce"),
    ("find_runs values", lambda: se.find_runs([0, 2, 1]), ValueError, "labels must contain only 0"),
    ("find_runs empty", lambda: se.find_runs([]), ValueError, "labels is empty"),
    ("spans_to_labels n", lambda: se.spans_to_labels([[0, 2]], 0), ValueError, "n_timesteps must be"),
    (
        "spans_to_timesteps rows",
        lambda: se.spans_to_timesteps([1.0], [[0, 2], [2, 4]], 5),
        ValueError,
        "one score per span",
    ),
    (
        "spans_to_timesteps per-step length",
        lambda: se.spans_to_timesteps(np.ones((2, 3)), [[0, 2], [2, 4]], 5),
        ValueError,
        "scores has shape",
    ),
    ("spans_to_timesteps fill", lambda: se.spans_to_timesteps([1.0], [[0, 2]], 5, fill="x"), TypeError, "fill must be"),
    ("span_labels rule", lambda: se.span_labels([0, 1], [[0, 2]], rule="most"), ValueError, "rule must be one of"),
    ("ecg peaks 2 leads", lambda: se.find_r_peaks(np.zeros((10, 2)), fs=100), ValueError, "x must be one ECG lead"),
    ("ecg peaks NaN", lambda: se.find_r_peaks([np.nan, 1.0, 0.0], fs=100), ValueError, "x contains"),
    ("ecg peaks text", lambda: se.find_r_peaks(["a", "b"], fs=100), TypeError, "x contains non-numeric"),
    ("ecg fs 0", lambda: se.find_r_peaks(_spiky(), fs=0), ValueError, "fs must be a positive"),
    ("ecg fs str", lambda: se.find_r_peaks(_spiky(), fs="360"), TypeError, "fs must be a positive"),
    ("ecg height", lambda: se.find_r_peaks(_spiky(), fs=100, height="high"), TypeError, "height must be"),
    ("ecg min_distance", lambda: se.find_r_peaks(_spiky(), fs=100, min_distance=-1), ValueError, "min_distance"),
    ("beats outside", lambda: se.segment_beats(_spiky(), [100, 2000], 10, 20), ValueError, "peaks must lie inside"),
    ("beats float peak", lambda: se.segment_beats(_spiky(), [100.5], 10, 20), ValueError, "peaks must be whole"),
    ("beats before -1", lambda: se.segment_beats(_spiky(), [100], -1, 20), ValueError, "before must be"),
    ("beats after 0", lambda: se.segment_beats(_spiky(), [100], 10, 0), ValueError, "after must be"),
    ("beats before float", lambda: se.segment_beats(_spiky(), [100], 10.0, 20), TypeError, "before must be"),
    ("beats none fit", lambda: se.segment_beats(_spiky(), [5], 10, 20), ValueError, "no beat fits"),
    ("beats no peaks", lambda: se.segment_beats(_spiky(), [], 10, 20), ValueError, "peaks is empty"),
    ("beat_labels values", lambda: se.beat_labels([0, 2, 1], [[0, 2]]), ValueError, "labels must contain only"),
    ("beat_labels rule", lambda: se.beat_labels([0, 1, 1], [[0, 2]], rule="all"), ValueError, "rule must be one of"),
    ("beat_labels shape", lambda: se.beat_labels([0, 1, 1], [[0, 2, 3]]), ValueError, "spans must have shape"),
    ("beat_labels order", lambda: se.beat_labels([0, 1, 1], [[2, 1]]), ValueError, "spans must satisfy"),
    ("beat_labels reach", lambda: se.beat_labels([0, 1, 1], [[0, 5]]), ValueError, "spans reach sample 5"),
    (
        "beat scores count",
        lambda: se.beat_scores_to_timesteps([1.0, 2.0], [[0, 2]], 5),
        ValueError,
        "beat_scores has 2 values",
    ),
    ("beat scores reach", lambda: se.beat_scores_to_timesteps([1.0], [[0, 9]], 5), ValueError, "spans reach sample 9"),
    (
        "beat scores fill",
        lambda: se.beat_scores_to_timesteps([1.0], [[0, 2]], 5, fill=np.nan),
        TypeError,
        "fill must be",
    ),
    ("beat scores n", lambda: se.beat_scores_to_timesteps([1.0], [[0, 2]], 0), ValueError, "n_timesteps must be"),
]


@pytest.mark.parametrize(("case", "call", "error", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input(case, call, error, message):
    with pytest.raises(error, match=message):
        call()
