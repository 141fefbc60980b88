"""Colours and small checks shared by the plot helpers (private: use :mod:`anomaly_helpers.plotting`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes

__all__ = [
    "ANOMALY_COLOR",
    "NORMAL_COLOR",
    "NO_SKILL_COLOR",
    "NO_SKILL_GID",
    "THRESHOLD_COLOR",
    "check_axes",
    "legend_above",
]

#: Colour of normal samples (and of the raw series).
NORMAL_COLOR = "tab:blue"
#: Colour of anomalies (labelled events, flagged points, reconstruction error).
ANOMALY_COLOR = "tab:red"
#: Colour of the decision threshold.
THRESHOLD_COLOR = "tab:orange"
#: Colour of the no-skill (chance level) reference lines.
NO_SKILL_COLOR = "0.55"
#: Matplotlib ``gid`` of those lines, so that overlays draw them only once.
NO_SKILL_GID = "no-skill"


def check_axes(axes: Any, n: int, name: str = "axes") -> np.ndarray:
    """Return ``axes`` as a flat object array of ``n`` Axes, or raise."""
    arr = np.atleast_1d(np.asarray(axes, dtype=object)).ravel()
    if arr.size != n or not all(isinstance(a, Axes) for a in arr):
        raise ValueError(
            f"{name} must be {'an Axes or ' if n == 1 else ''}an array of {n} Matplotlib Axes, "
            f"got {arr.size} object(s); pass e.g. plt.subplots({n}, 1)[1], or leave {name}=None."
        )
    return arr


def legend_above(ax: Axes, handles: list | None = None) -> None:
    """A one-row legend above the axes, so it never hides data."""
    kwargs = {"handles": handles} if handles is not None else {}
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=4, frameon=False, fontsize="small", **kwargs)
