"""Plots of what a model does: reconstructions, training curves, feature maps.

Import them from :mod:`anomaly_helpers.plotting`.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from anomaly_helpers._plot_common import (
    ANOMALY_COLOR,
    NORMAL_COLOR,
    THRESHOLD_COLOR,
    check_axes,
)
from anomaly_helpers._validate import check_array, check_positive_int

__all__ = ["plot_image_reconstructions", "plot_series_reconstruction", "plot_training_curves", "plot_feature_maps"]


def _check_images(x: Any, name: str) -> np.ndarray:
    arr = check_array(x, name, ndim=(3, 4))
    if arr.ndim == 4:
        if arr.shape[-1] != 1:
            raise ValueError(
                f"{name} has shape {arr.shape}; only grey images are supported, of shape (n, h, w) or (n, h, w, 1)."
            )
        arr = arr[..., 0]
    return arr


def plot_image_reconstructions(
    images: Any,
    reconstructions: Any,
    n: int = 8,
    errors: Any = None,
    axes: Any = None,
) -> np.ndarray:
    """Originals above their reconstructions, optionally with per-pixel error maps below.

    Originals and reconstructions share one grey scale, so a washed-out reconstruction
    looks washed out. Each reconstruction is titled with its mean squared error.

    Parameters
    ----------
    images : array-like of shape (n_images, h, w) or (n_images, h, w, 1)
    reconstructions : array-like of the same shape
        The model's output for ``images``.
    n : int, default 8
        Number of images to show (the first ``n``; fewer if there are fewer).
    errors : None, True or array-like of the same shape as ``images``
        ``None``: two rows. ``True``: a third row with the squared error
        ``(image - reconstruction)**2`` as a red heat map. An array: that per-pixel
        error map instead.
    axes : array of Axes of shape (n_rows, n), optional
        ``n_rows`` is 2, or 3 with ``errors``.

    Returns
    -------
    axes : ndarray of Axes, shape (n_rows, n)

    Notes
    -----
    See lesson 05 (training an autoencoder) and lesson 07 (the article's code example).
    """
    imgs = _check_images(images, "images")
    recs = _check_images(reconstructions, "reconstructions")
    if recs.shape != imgs.shape:
        raise ValueError(
            f"reconstructions has shape {recs.shape} but images has shape {imgs.shape}; "
            "pass the model's output for exactly these images."
        )
    n = min(check_positive_int(n, "n"), imgs.shape[0])
    if errors is None or errors is False:
        err = None
    elif errors is True:
        err = (imgs - recs) ** 2
    else:
        err = _check_images(errors, "errors")
        if err.shape != imgs.shape:
            raise ValueError(f"errors has shape {err.shape} but images has shape {imgs.shape}; pass one map per image.")
    n_rows = 2 if err is None else 3
    if axes is None:
        _, axes = plt.subplots(n_rows, n, figsize=(1.15 * n + 0.5, 1.3 * n_rows), squeeze=False, layout="constrained")
    axs = check_axes(axes, n_rows * n).reshape(n_rows, n)

    vmin = float(min(imgs[:n].min(), recs[:n].min()))
    vmax = float(max(imgs[:n].max(), recs[:n].max()))
    mse = ((imgs[:n] - recs[:n]) ** 2).reshape(n, -1).mean(axis=1)
    emax = float(err[:n].max()) if err is not None else 0.0
    for i in range(n):
        axs[0, i].imshow(imgs[i], cmap="gray", vmin=vmin, vmax=vmax)
        axs[1, i].imshow(recs[i], cmap="gray", vmin=vmin, vmax=vmax)
        axs[1, i].set_title(f"MSE {mse[i]:.3f}", fontsize="small")
        if err is not None:
            axs[2, i].imshow(err[i], cmap="Reds", vmin=0, vmax=emax if emax > 0 else 1)
    row_names = ["original", "reconstruction", "error"][:n_rows]
    for r in range(n_rows):
        for a in axs[r]:
            a.set_xticks([])
            a.set_yticks([])
        axs[r, 0].set_ylabel(row_names[r], fontsize="small")
    return axs


def plot_series_reconstruction(x: Any, x_hat: Any, ax: Axes | None = None) -> Axes:
    """One window and its reconstruction, with the error shaded in red.

    Parameters
    ----------
    x : array-like of shape (width,) or (width, n_channels)
        The input window. A batch of one, (1, width, n_channels), is accepted too.
    x_hat : array-like of the same shape
        The reconstruction.
    ax : Axes, optional

    Returns
    -------
    ax : Axes
        Titled with the window's mean squared error.

    Notes
    -----
    See lesson 04 (RNN features) and lesson 07 (the article's code example).
    """
    a = check_array(x, "x", ndim=(1, 2, 3))
    b = check_array(x_hat, "x_hat", ndim=(1, 2, 3))
    if a.ndim == 3:
        if a.shape[0] != 1:
            raise ValueError(
                f"x has shape {a.shape}; pass one window, e.g. x[0], of shape (width,) or (width, channels)."
            )
        a = a[0]
    if b.ndim == 3 and b.shape[0] == 1:
        b = b[0]
    if b.shape != a.shape:
        raise ValueError(
            f"x_hat has shape {b.shape} but x has shape {a.shape}; pass the reconstruction of this very window."
        )
    if a.ndim == 1:
        a, b = a[:, None], b[:, None]
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.2), layout="constrained")
    steps = np.arange(a.shape[0])
    multi = a.shape[1] > 1
    for c in range(a.shape[1]):
        color = NORMAL_COLOR if not multi else f"C{c % 10}"
        suffix = f" (ch {c})" if multi else ""
        ax.plot(steps, a[:, c], color=color, lw=1.5, label=f"input{suffix}")
        ax.plot(steps, b[:, c], color=color if multi else "black", ls="--", lw=1.2, label=f"reconstruction{suffix}")
        ax.fill_between(
            steps,
            a[:, c],
            b[:, c],
            color=ANOMALY_COLOR,
            alpha=0.25,
            lw=0,
            label="error" if c == a.shape[1] - 1 else None,
        )
    mse = float(((a - b) ** 2).mean())
    ax.set_xlabel("time step in window")
    ax.set_ylabel("value")
    ax.set_title(f"Reconstruction (MSE = {mse:.3f})")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return ax


def plot_training_curves(history: Any, ax: Axes | None = None, log: bool = False) -> Axes:
    """Training (and validation) loss per epoch, with the best epoch marked.

    The best epoch is the one with the lowest ``val_loss`` when validation loss is
    present (otherwise the lowest ``loss``); epochs are counted from 1, as Keras prints.

    Parameters
    ----------
    history : keras.callbacks.History or dict of lists
        What ``model.fit`` returns, or its ``.history`` dict, e.g.
        ``{"loss": [...], "val_loss": [...]}``.
    ax : Axes, optional
    log : bool, default False
        Use a logarithmic y axis (helps when the loss drops by orders of magnitude).

    Returns
    -------
    ax : Axes

    Notes
    -----
    See lesson 05 (training): over-fitting and early stopping.
    """
    hist = getattr(history, "history", history)
    if not isinstance(hist, dict):
        raise TypeError(
            f"history must be a Keras History or a dict of lists, got {type(history).__name__}; "
            "pass the return value of model.fit(...)."
        )
    if "loss" not in hist:
        raise ValueError(
            f"history has no 'loss' entry (keys: {sorted(hist)}); pass model.fit(...)'s return value "
            "or a dict like {'loss': [...], 'val_loss': [...]}."
        )
    loss = check_array(hist["loss"], "history['loss']", ndim=1, allow_nan=True)
    val = None
    if "val_loss" in hist:
        val = check_array(hist["val_loss"], "history['val_loss']", ndim=1, allow_nan=True)
        if val.shape != loss.shape:
            raise ValueError(
                f"history['val_loss'] has {val.shape[0]} epochs but history['loss'] has {loss.shape[0]}; "
                "pass both from the same training run."
            )
    track = val if val is not None else loss
    if not np.isfinite(track).any():
        raise ValueError("history's losses are all NaN or infinite; the training diverged (lower the learning rate).")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    epochs = np.arange(1, loss.shape[0] + 1)
    ax.plot(epochs, loss, color=NORMAL_COLOR, marker="o", ms=3, label="training loss")
    if val is not None:
        ax.plot(epochs, val, color=THRESHOLD_COLOR, marker="o", ms=3, label="validation loss")
    best = int(np.nanargmin(np.where(np.isfinite(track), track, np.nan)))
    which = "val_loss" if val is not None else "loss"
    ax.axvline(epochs[best], color="0.4", ls=":", lw=1.2)
    ax.scatter(
        [epochs[best]],
        [track[best]],
        s=80,
        facecolors="none",
        edgecolors="black",
        zorder=3,
        label=f"best epoch {epochs[best]} ({which} {track[best]:.3g})",
    )
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Training curves")
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_feature_maps(feature_maps: Any, n: int = 8, axes: Any = None, title: str | None = None) -> np.ndarray:
    """Show the first ``n`` channels of a convolutional layer's activations as images.

    Each channel gets its own colour scale (viridis), titled with its index.

    Parameters
    ----------
    feature_maps : array-like of shape (h, w, n_channels) or (1, h, w, n_channels)
        Activations of one input, e.g. ``feature_model.predict(x[:1])``.
    n : int, default 8
        Number of channels to show (fewer if the layer has fewer); up to 8 per row.
    axes : array of Axes, optional
        At least as many Axes as channels shown; extra ones are hidden.
    title : str, optional
        Figure title (``fig.suptitle``).

    Returns
    -------
    axes : ndarray of Axes, shape (n_shown,)
        The Axes holding the channels, in order.

    Notes
    -----
    See lesson 03 (CNN feature extraction).
    """
    fm = check_array(feature_maps, "feature_maps", ndim=(3, 4))
    if fm.ndim == 4:
        if fm.shape[0] != 1:
            raise ValueError(
                f"feature_maps has shape {fm.shape}, a batch of {fm.shape[0]}; pass one input's maps, "
                "e.g. feature_maps[0] of shape (h, w, channels)."
            )
        fm = fm[0]
    n_show = min(check_positive_int(n, "n"), fm.shape[-1])
    if axes is None:
        nrows = -(-n_show // 8)
        ncols = -(-n_show // nrows)  # balanced rows: 12 channels -> 2 x 6, not 8 + 4
        _, axes = plt.subplots(
            nrows, ncols, figsize=(1.4 * ncols + 0.2, 1.5 * nrows + 0.4), squeeze=False, layout="constrained"
        )
    flat = np.atleast_1d(np.asarray(axes, dtype=object)).ravel()
    if flat.size < n_show or not all(isinstance(a, Axes) for a in flat):
        raise ValueError(
            f"axes must hold at least {n_show} Matplotlib Axes (one per channel shown), got {flat.size}; "
            "pass more axes, a smaller n, or axes=None."
        )
    for c, a in enumerate(flat):
        if c < n_show:
            a.imshow(fm[:, :, c], cmap="viridis")
            a.set_title(f"channel {c}", fontsize="small")
            a.set_xticks([])
            a.set_yticks([])
        else:
            a.set_axis_off()
    if title is not None:
        flat[0].figure.suptitle(title)
    return flat[:n_show]
