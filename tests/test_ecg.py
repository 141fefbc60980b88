"""Tests for anomaly_helpers.ecg (R peaks, beat segmentation, beat labels and scores)."""

from __future__ import annotations

import numpy as np
import pytest

from anomaly_helpers import data, ecg


def _spiky(n: int = 1000, positions=(100, 400, 700)) -> np.ndarray:
    x = np.zeros(n)
    x[list(positions)] = 1.0
    return x


def test_find_r_peaks_on_spikes():
    assert ecg.find_r_peaks(_spiky(), fs=100).tolist() == [100, 400, 700]


def test_find_r_peaks_min_distance_keeps_the_taller():
    x = _spiky(positions=(100, 110, 400))
    x[110] = 0.8
    assert ecg.find_r_peaks(x, fs=100, min_distance=0.25).tolist() == [100, 400]
    assert ecg.find_r_peaks(x, fs=100, min_distance=0.05, height=0.5).tolist() == [100, 110, 400]


def test_find_r_peaks_accepts_a_column_and_finds_every_beat_of_mitdb():
    frame = data.load_mitdb()
    v = frame["value"].to_numpy()
    peaks = ecg.find_r_peaks(v[:, None], fs=data.MITDB_FS)
    assert len(peaks) == 26
    assert frame["label"].to_numpy()[peaks].sum() == 1  # exactly one R peak inside the abnormal beat


def test_segment_beats_aligns_and_skips_edges():
    x = np.arange(1000.0)
    beats, spans = ecg.segment_beats(x, [5, 100, 400, 995], before=10, after=20)
    assert beats.shape == (2, 30)
    assert spans.tolist() == [[90, 120], [390, 420]]
    assert np.array_equal(beats[:, 10], [100.0, 400.0])  # the peak sits at column `before`
    assert np.array_equal(beats[1], x[390:420])


def test_beat_labels_rules():
    labels = np.zeros(100, dtype=int)
    labels[40:60] = 1
    spans = np.array([[0, 20], [30, 50], [45, 65], [40, 60]])
    assert ecg.beat_labels(labels, spans, rule="any").tolist() == [0, 1, 1, 1]
    assert ecg.beat_labels(labels, spans).tolist() == [0, 0, 1, 1]


def test_beat_scores_to_timesteps_takes_the_max_on_overlaps():
    out = ecg.beat_scores_to_timesteps([1.0, 3.0], [[0, 4], [2, 6]], 8, fill=-1.0)
    assert out.tolist() == [1.0, 1.0, 3.0, 3.0, 3.0, 3.0, -1.0, -1.0]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: ecg.find_r_peaks(np.zeros((10, 2)), fs=100), ValueError, "x must be one ECG lead"),
        (lambda: ecg.find_r_peaks([np.nan, 1.0, 0.0], fs=100), ValueError, "x contains"),
        (lambda: ecg.find_r_peaks(["a", "b"], fs=100), TypeError, "x contains non-numeric"),
        (lambda: ecg.find_r_peaks(_spiky(), fs=0), ValueError, "fs must be a positive"),
        (lambda: ecg.find_r_peaks(_spiky(), fs="360"), TypeError, "fs must be a positive"),
        (lambda: ecg.find_r_peaks(_spiky(), fs=100, height="high"), TypeError, "height must be"),
        (lambda: ecg.find_r_peaks(_spiky(), fs=100, min_distance=-1), ValueError, "min_distance"),
        (lambda: ecg.segment_beats(_spiky(), [100, 2000], 10, 20), ValueError, "peaks must lie inside"),
        (lambda: ecg.segment_beats(_spiky(), [100.5], 10, 20), ValueError, "peaks must be whole"),
        (lambda: ecg.segment_beats(_spiky(), [100], -1, 20), ValueError, "before must be"),
        (lambda: ecg.segment_beats(_spiky(), [100], 10, 0), ValueError, "after must be"),
        (lambda: ecg.segment_beats(_spiky(), [100], 10.0, 20), TypeError, "before must be"),
        (lambda: ecg.segment_beats(_spiky(), [5], 10, 20), ValueError, "no beat fits"),
        (lambda: ecg.segment_beats(_spiky(), [], 10, 20), ValueError, "peaks is empty"),
        (lambda: ecg.beat_labels([0, 2, 1], [[0, 2]]), ValueError, "labels must contain only"),
        (lambda: ecg.beat_labels([0, 1, 1], [[0, 2]], rule="all"), ValueError, "rule must be one of"),
        (lambda: ecg.beat_labels([0, 1, 1], [[0, 2, 3]]), ValueError, "spans must have shape"),
        (lambda: ecg.beat_labels([0, 1, 1], [[2, 1]]), ValueError, "spans must satisfy"),
        (lambda: ecg.beat_labels([0, 1, 1], [[0, 5]]), ValueError, "spans reach sample 5"),
        (lambda: ecg.beat_scores_to_timesteps([1.0, 2.0], [[0, 2]], 5), ValueError, "beat_scores has 2 values"),
        (lambda: ecg.beat_scores_to_timesteps([1.0], [[0, 9]], 5), ValueError, "spans reach sample 9"),
        (lambda: ecg.beat_scores_to_timesteps([1.0], [[0, 2]], 5, fill=np.nan), TypeError, "fill must be"),
        (lambda: ecg.beat_scores_to_timesteps([1.0], [[0, 2]], 0), ValueError, "n_timesteps must be"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
