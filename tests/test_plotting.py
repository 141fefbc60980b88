"""Tests for anomaly_helpers.plotting (Agg backend, no display)."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from sklearn.metrics import average_precision_score, roc_auc_score  # noqa: E402

from anomaly_helpers import plotting as P  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures(monkeypatch):
    def _no_show(*args, **kwargs):
        raise AssertionError("plot helpers must never call plt.show()")

    monkeypatch.setattr(plt, "show", _no_show)
    yield
    plt.close("all")


@pytest.fixture
def series():
    rng = np.random.default_rng(0)
    n = 200
    x = np.sin(np.arange(n) / 5) + 0.1 * rng.normal(size=n)
    labels = np.zeros(n, dtype=int)
    labels[50:60] = 1
    labels[150:153] = 1
    x[labels == 1] += 2
    scores = np.abs(x - np.sin(np.arange(n) / 5))
    return x, labels, scores


@pytest.fixture
def scored():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(90, dtype=int), np.ones(10, dtype=int)]
    s = rng.normal(size=100) + 2.0 * y
    return y, s


def _legend_texts(ax: Axes) -> list[str]:
    leg = ax.get_legend()
    return [t.get_text() for t in leg.get_texts()] if leg is not None else []


# -- plot_series_with_events ---------------------------------------------------------------
def test_series_without_scores(series):
    x, labels, _ = series
    axs = P.plot_series_with_events(x, labels=labels, title="demo")
    assert isinstance(axs, np.ndarray) and axs.shape == (1,)
    ax = axs[0]
    assert len(ax.get_lines()) == 1
    assert len(ax.patches) == 2  # two runs of 1s -> two shaded events
    assert ax.get_title(loc="left") == "demo"
    assert ax.get_xlabel() == "time step" and ax.get_ylabel() == "value"
    assert "anomaly (label)" in _legend_texts(ax)


def test_series_with_scores_and_threshold(series):
    x, labels, scores = series
    axs = P.plot_series_with_events(x, labels=labels, scores=scores, threshold=1.0)
    assert axs.shape == (2,)
    top, bottom = axs
    assert top.get_shared_x_axes().joined(top, bottom)
    assert len(top.patches) == 2 and len(bottom.patches) == 2  # events shaded on both panels
    assert len(bottom.get_lines()) == 2  # score + threshold
    assert bottom.get_lines()[1].get_ydata()[0] == 1.0
    assert len(bottom.collections) == 1  # red dots for flagged points
    assert bottom.get_ylabel() == "score" and bottom.get_xlabel() == "time step"
    assert "threshold = 1" in _legend_texts(bottom)


def test_series_events_multichannel_and_given_axes(series):
    x, _, _ = series
    fig, ax = plt.subplots()
    axs = P.plot_series_with_events(np.c_[x, -x], events=[(10, 20), (100, 130)], axes=ax)
    assert axs[0] is ax
    assert len(ax.get_lines()) == 2 and len(ax.patches) == 2
    fig2, pair = plt.subplots(2, 1)
    out = P.plot_series_with_events(x, scores=np.abs(x), axes=pair)
    assert out[0] is pair[0] and out[1] is pair[1]


def test_series_datetime_axis(series):
    x, labels, scores = series
    t = pd.date_range("2024-01-01", periods=len(x), freq="h")
    axs = P.plot_series_with_events(x, labels=labels, scores=scores, t=t)
    assert axs[1].get_xlabel() == "time"
    assert len(axs[0].patches) == 2


# -- plot_score_hist -----------------------------------------------------------------------
def test_score_hist(scored):
    y, s = scored
    ax = P.plot_score_hist(y, s, threshold=1.0, bins=20)
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 2  # one filled step histogram per class
    colors = [p.get_facecolor()[:3] for p in ax.patches]
    assert colors[0] == pytest.approx(matplotlib.colors.to_rgb(P.NORMAL_COLOR))
    assert colors[1] == pytest.approx(matplotlib.colors.to_rgb(P.ANOMALY_COLOR))
    assert len(ax.get_lines()) == 1 and ax.get_lines()[0].get_xdata()[0] == 1.0
    assert ax.get_ylabel() == "density" and ax.get_xlabel() == "anomaly score"
    texts = _legend_texts(ax)
    assert "normal (n=90)" in texts and "anomaly (n=10)" in texts


def test_score_hist_counts_and_one_class(scored):
    y, s = scored
    _, ax = plt.subplots()
    assert P.plot_score_hist(y[:90], s[:90], ax=ax, density=False) is ax
    assert len(ax.patches) == 1 and ax.get_ylabel() == "count"


def test_score_hist_takes_y_true_first_and_still_reads_the_old_order(scored):
    y, s = scored
    new = P.plot_score_hist(y, s, threshold=1.0, bins=20)
    _, ax = plt.subplots()
    old = P.plot_score_hist(s, y, threshold=1.0, bins=20, ax=ax)  # TRANSITIONAL: the old order is swapped
    assert _legend_texts(new) == _legend_texts(old)
    for a, b in zip(new.patches, old.patches, strict=True):
        np.testing.assert_allclose(a.get_path().vertices, b.get_path().vertices)


def test_every_helper_takes_y_true_before_scores():
    import inspect

    for func in (P.plot_score_hist, P.plot_roc_pr):
        assert list(inspect.signature(func).parameters)[:2] == ["y_true", "scores"]


# -- plot_roc_pr ---------------------------------------------------------------------------
def test_roc_pr_and_overlay(scored):
    y, s = scored
    axs = P.plot_roc_pr(y, s, label="model A")
    assert axs.shape == (2,)
    roc, pr = axs
    assert len(roc.get_lines()) == 2 and len(pr.get_lines()) == 2  # curve + no-skill
    assert f"model A (ROC-AUC = {roc_auc_score(y, s):.3f})" in _legend_texts(roc)
    assert f"model A (AP = {average_precision_score(y, s):.3f})" in _legend_texts(pr)
    assert pr.get_lines()[1].get_ydata()[0] == pytest.approx(0.1)  # prevalence line
    assert roc.get_xlabel() == "false positive rate" and pr.get_ylabel() == "precision"
    out = P.plot_roc_pr(y, -s, axes=axs, label="model B")
    assert out[0] is roc
    assert len(roc.get_lines()) == 3 and len(pr.get_lines()) == 3  # no-skill lines not drawn twice
    assert _legend_texts(roc)[-1].startswith("no skill")


def test_roc_pr_draws_with_scikit_learns_displays(scored, monkeypatch):
    from sklearn.metrics import PrecisionRecallDisplay, RocCurveDisplay

    calls = []
    for display in (RocCurveDisplay, PrecisionRecallDisplay):
        original = display.from_predictions.__func__

        def spy(cls, *args, _original=original, **kwargs):
            calls.append((cls.__name__, kwargs["plot_chance_level"], kwargs["ax"]))
            return _original(cls, *args, **kwargs)

        monkeypatch.setattr(display, "from_predictions", classmethod(spy))
    y, s = scored
    axs = P.plot_roc_pr(y, s)
    P.plot_roc_pr(y, s + 1.0, axes=axs)
    assert calls == [
        ("RocCurveDisplay", True, axs[0]),
        ("PrecisionRecallDisplay", True, axs[1]),
        ("RocCurveDisplay", False, axs[0]),  # the chance level is drawn once per axes
        ("PrecisionRecallDisplay", False, axs[1]),
    ]


# -- plot_confusion --------------------------------------------------------------------------
def test_confusion():
    y_true = np.array([0, 0, 0, 0, 1, 1, 1])
    y_pred = np.array([0, 0, 0, 1, 1, 1, 0])
    ax = P.plot_confusion(y_true, y_pred)
    assert len(ax.images) == 1
    np.testing.assert_array_equal(ax.images[0].get_array(), [[3, 1], [1, 2]])
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 4 and texts[0].startswith("TN\n3") and texts[3].startswith("TP\n2")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["normal", "anomaly"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["normal", "anomaly"]
    assert ax.get_xlabel() == "predicted" and ax.get_ylabel() == "true"


# -- plot_image_reconstructions ------------------------------------------------------------------
def test_image_reconstructions():
    rng = np.random.default_rng(0)
    imgs = rng.random((10, 8, 8))
    recs = imgs + 0.1
    axs = P.plot_image_reconstructions(imgs, recs, n=5)
    assert axs.shape == (2, 5)
    assert all(len(a.images) == 1 for a in axs.ravel())
    assert axs[0, 0].get_ylabel() == "original" and axs[1, 0].get_ylabel() == "reconstruction"
    assert axs[1, 0].get_title() == "MSE 0.010"
    axs = P.plot_image_reconstructions(imgs[..., None], recs[..., None], n=20, errors=True)
    assert axs.shape == (3, 10)  # n clipped to the number of images
    assert axs[2, 0].get_ylabel() == "error"
    np.testing.assert_allclose(axs[2, 0].images[0].get_array(), np.full((8, 8), 0.01))
    custom = np.abs(imgs - recs)
    axs = P.plot_image_reconstructions(imgs, recs, n=3, errors=custom)
    np.testing.assert_allclose(axs[2, 1].images[0].get_array(), custom[1])


# -- plot_series_reconstruction ----------------------------------------------------------------------
def test_series_reconstruction():
    x = np.sin(np.linspace(0, 6, 50))
    ax = P.plot_series_reconstruction(x, x + 0.1)
    assert len(ax.get_lines()) == 2 and len(ax.collections) == 1
    assert ax.get_title() == "Reconstruction (MSE = 0.010)"
    assert _legend_texts(ax) == ["input", "reconstruction", "error"]
    x2 = np.c_[x, -x]
    ax = P.plot_series_reconstruction(x2[None], x2[None] * 0.9)  # a batch of one is accepted
    assert len(ax.get_lines()) == 4 and len(ax.collections) == 2


# -- plot_training_curves --------------------------------------------------------------------------------
def test_training_curves_dict_and_history_object():
    hist = {"loss": [1.0, 0.5, 0.3, 0.2], "val_loss": [1.1, 0.6, 0.5, 0.55], "mae": [0.9, 0.5, 0.4, 0.3]}
    ax = P.plot_training_curves(hist)
    assert len(ax.get_lines()) == 3  # loss, val_loss, best-epoch vertical line
    assert ax.get_lines()[2].get_xdata()[0] == 3  # epochs counted from 1
    assert "best epoch 3 (val_loss 0.5)" in _legend_texts(ax)
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    ax = P.plot_training_curves(SimpleNamespace(history={"loss": [3.0, 2.0, 1.0]}), log=True)
    assert len(ax.get_lines()) == 2 and ax.get_yscale() == "log"
    assert "best epoch 3 (loss 1)" in _legend_texts(ax)


def test_training_curves_with_nan():
    ax = P.plot_training_curves({"loss": [1.0, 0.5, float("nan")]})
    assert "best epoch 2 (loss 0.5)" in _legend_texts(ax)


# -- plot_feature_maps ---------------------------------------------------------------------------------
def test_feature_maps():
    fm = np.random.default_rng(0).random((1, 6, 6, 12))
    axs = P.plot_feature_maps(fm, n=12, title="layer 1")
    assert axs.shape == (12,)
    assert all(len(a.images) == 1 for a in axs)
    assert axs[3].get_title() == "channel 3"
    assert axs[0].figure.get_suptitle() == "layer 1"
    axs = P.plot_feature_maps(fm[0], n=50)
    assert axs.shape == (12,)  # clipped to the number of channels
    fig, grid = plt.subplots(2, 3)
    out = P.plot_feature_maps(fm[0], n=4, axes=grid)
    assert out.shape == (4,) and not grid[1, 2].axison  # unused axes hidden


# -- bad input -------------------------------------------------------------------------------------------
_x = np.arange(10.0)
_lab = np.r_[np.zeros(8, dtype=int), np.ones(2, dtype=int)]
_imgs = np.zeros((4, 5, 5))


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: P.plot_series_with_events(_x, labels=_lab[:-1]), ValueError, "labels has 9 labels"),
        (lambda: P.plot_series_with_events(_x, labels=np.full(10, 2)), ValueError, "labels must contain only 0"),
        (lambda: P.plot_series_with_events(_x, labels=_lab, events=[(1, 2)]), ValueError, "labels .* or events"),
        (lambda: P.plot_series_with_events(_x, events=[(5, 1)]), ValueError, r"events\[0\] ends before"),
        (lambda: P.plot_series_with_events(_x, events=[(1, 2, 3)]), ValueError, r"events\[0\] has 3 value"),
        (lambda: P.plot_series_with_events(_x, events=5), TypeError, "events must be a list"),
        (lambda: P.plot_series_with_events(_x, scores=_x[:5]), ValueError, "scores has 5 values"),
        (lambda: P.plot_series_with_events(_x, threshold=0.5), ValueError, "threshold needs scores"),
        (lambda: P.plot_series_with_events(_x, t=_x[:3]), ValueError, "t has shape"),
        (lambda: P.plot_series_with_events(np.zeros((2, 2, 2))), ValueError, "values must be 1-D or 2-D"),
        (lambda: P.plot_series_with_events(_x, scores=_x, axes=plt.subplots()[1]), ValueError, "axes must be"),
        (lambda: P.plot_score_hist(_lab[:5], _x), ValueError, "y_true has 5 labels"),
        (lambda: P.plot_score_hist(_lab, _x, bins=0), ValueError, "bins must be an integer"),
        (lambda: P.plot_score_hist(_lab, _x, threshold="high"), TypeError, "threshold must be"),
        (lambda: P.plot_score_hist(_lab, np.r_[_x[:-1], np.nan]), ValueError, "scores contains 1 NaN"),
        (lambda: P.plot_roc_pr(np.zeros(10), _x), ValueError, "y_true contains only normal"),
        (lambda: P.plot_roc_pr(_lab, _x[:4]), ValueError, "y_true has 10 labels but 4"),
        (lambda: P.plot_roc_pr(_lab, ["a"] * 10), TypeError, "scores contains non-numeric"),
        (lambda: P.plot_confusion(_lab, _x), ValueError, "y_pred must contain only 0"),
        (lambda: P.plot_confusion(_lab, _lab[:3]), ValueError, "y_pred has 3 labels"),
        (lambda: P.plot_image_reconstructions(_imgs[0], _imgs[0]), ValueError, "images must be 3-D or 4-D"),
        (lambda: P.plot_image_reconstructions(_imgs, _imgs[:2]), ValueError, "reconstructions has shape"),
        (
            lambda: P.plot_image_reconstructions(np.zeros((4, 5, 5, 3)), np.zeros((4, 5, 5, 3))),
            ValueError,
            "images has shape .* only grey",
        ),
        (lambda: P.plot_image_reconstructions(_imgs, _imgs, n=0), ValueError, "n must be an integer >= 1"),
        (lambda: P.plot_image_reconstructions(_imgs, _imgs, errors=_imgs[:1]), ValueError, "errors has shape"),
        (lambda: P.plot_series_reconstruction(_x, _x[:5]), ValueError, "x_hat has shape"),
        (lambda: P.plot_series_reconstruction(np.zeros((2, 5, 1)), np.zeros((2, 5, 1))), ValueError, "x has shape"),
        (lambda: P.plot_training_curves([0.1, 0.2]), TypeError, "history must be a Keras History"),
        (lambda: P.plot_training_curves({"acc": [0.1]}), ValueError, "history has no 'loss'"),
        (
            lambda: P.plot_training_curves({"loss": [1.0, 0.5], "val_loss": [1.0]}),
            ValueError,
            r"history\['val_loss'\] has 1 epochs",
        ),
        (lambda: P.plot_training_curves({"loss": [np.nan, np.nan]}), ValueError, "history's losses are all NaN"),
        (lambda: P.plot_feature_maps(np.zeros((5, 5))), ValueError, "feature_maps must be 3-D or 4-D"),
        (lambda: P.plot_feature_maps(np.zeros((2, 5, 5, 3))), ValueError, "feature_maps has shape .* a batch of 2"),
        (
            lambda: P.plot_feature_maps(np.zeros((5, 5, 8)), n=8, axes=plt.subplots(1, 2)[1]),
            ValueError,
            "axes must hold at least 8",
        ),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_module_exports():
    for name in P.__all__:
        assert hasattr(P, name)


def test_series_with_events_table_labels_kinds_and_widens_short_events():
    from anomaly_helpers.data import make_ecg_like

    series = make_ecg_like(n_timesteps=3000, random_state=0)
    axs = P.plot_series_with_events(series.values[:, 0], events=series.events, t=series.t)
    texts = [t.get_text() for t in axs[0].texts]
    assert sorted(texts) == sorted(k.replace("_", " ") for k in series.events["kind"])
    spans = [p for p in axs[0].patches]
    assert len(spans) == len(series.events)
    widths = [p.get_width() if hasattr(p, "get_width") else None for p in spans]
    assert all(w is None or w >= 0.004 * (series.t[-1] - series.t[0]) * 0.99 for w in widths)
    plt.close("all")


def test_series_with_events_table_needs_start_and_end():

    with pytest.raises(ValueError, match="events"):
        P.plot_series_with_events(np.zeros(10), events=pd.DataFrame({"begin": [1]}))
    plt.close("all")
