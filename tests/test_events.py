"""Events are end-exclusive everywhere, and one function finds them.

``series.find_runs`` finds the runs of 1s; ``metrics.label_events`` returns the same runs;
the ECG-like generator's event table uses the same ``[start, end)`` convention; and
``plotting.plot_series_with_events`` shades exactly the samples of each event, whichever
form the events come in (labels, ``label_events`` pairs, or an events table).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from anomaly_helpers import metrics, plotting  # noqa: E402
from anomaly_helpers.series import find_runs  # noqa: E402
from anomaly_helpers.synthetic import make_ecg_like  # noqa: E402

LABELS = np.array([0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0])


def _shaded(ax) -> list[tuple[float, float]]:
    """(left, right) x extent of every shaded span, in data units."""
    out = []
    for patch in ax.patches:
        if hasattr(patch, "get_width"):  # a Rectangle (recent Matplotlib)
            out.append((float(patch.get_x()), float(patch.get_x() + patch.get_width())))
        else:  # a Polygon (older Matplotlib)
            xs = np.asarray(patch.get_xy())[:, 0]
            out.append((float(xs.min()), float(xs.max())))
    return sorted(out)


def _samples_inside(extent: tuple[float, float], n: int) -> list[int]:
    return [i for i in range(n) if extent[0] < i < extent[1]]


def test_label_events_is_find_runs():
    assert metrics.label_events(LABELS) == [tuple(r) for r in find_runs(LABELS).tolist()]
    assert metrics.label_events(LABELS) == [(1, 3), (6, 7), (8, 11)]
    assert all(isinstance(v, int) for pair in metrics.label_events(LABELS) for v in pair)


@pytest.mark.parametrize("form", ["labels", "label_events pairs", "events table"])
def test_plot_shades_exactly_the_samples_of_each_event(form):
    x = np.arange(LABELS.size, dtype=float)
    events = metrics.label_events(LABELS)
    kwargs = {
        "labels": {"labels": LABELS},
        "label_events pairs": {"events": events},
        "events table": {"events": pd.DataFrame(events, columns=["start", "end"])},
    }[form]
    ax = plotting.plot_series_with_events(x, **kwargs)[0]
    shaded = _shaded(ax)
    assert len(shaded) == len(events)
    for extent, (start, end) in zip(shaded, events, strict=True):
        assert _samples_inside(extent, LABELS.size) == list(range(start, end))  # not one sample too many
    plt.close("all")


def test_generator_events_shade_their_labelled_samples():
    series = make_ecg_like(n_timesteps=3000, kinds=("level_shift", "missing_beat"), n_anomalies=2, random_state=0)
    ax = plotting.plot_series_with_events(series.values[:, 0], events=series.events)[0]
    for extent, row in zip(_shaded(ax), series.events.itertuples(), strict=True):
        inside = _samples_inside(extent, series.n_timesteps)
        assert inside == list(range(row.start, row.end))
        assert series.labels[inside].all()
    plt.close("all")


def test_pairs_in_time_units_are_end_exclusive_too():
    t = np.arange(12) * 0.5  # seconds
    ax = plotting.plot_series_with_events(np.zeros(12), events=[(1.0, 2.0)], t=t)[0]
    ((left, right),) = _shaded(ax)
    assert [s for s in t if left < s < right] == [1.0, 1.5]  # 2.0 is the exclusive end
    plt.close("all")


def test_empty_or_reversed_pairs_are_rejected():
    with pytest.raises(ValueError, match=r"events\[0\] ends before it starts or is empty.*end exclusive"):
        plotting.plot_series_with_events(np.zeros(10), events=[(3, 3)])
    with pytest.raises(ValueError, match=r"events row 0 is empty"):
        plotting.plot_series_with_events(np.zeros(10), events=pd.DataFrame({"start": [4], "end": [4]}))
    with pytest.raises(ValueError, match=r"outside the series of 10 samples"):
        plotting.plot_series_with_events(np.zeros(10), events=pd.DataFrame({"start": [8], "end": [11]}))
    plotting.plot_series_with_events(np.zeros(10), events=pd.DataFrame({"start": [8], "end": [10]}))  # ends at n
    plt.close("all")
