"""Old home of the datasets, splits, the ECG-like generator and windows (re-exports only).

The names now live in modules by concern: :mod:`anomaly_helpers.datasets` (shipped files
and loaders), :mod:`anomaly_helpers.splits` (``Split``, ``one_class_split``),
:mod:`anomaly_helpers.synthetic` (``make_ecg_like``) and :mod:`anomaly_helpers.series`
(windows and beats). Import them from there.
"""

# TRANSITIONAL: remove when lessons import the new modules

from anomaly_helpers.datasets import (
    DATA_FILES,
    MITDB_FS,
    data_dir,
    load_breast_cancer,
    load_digits_leave_one_out,
    load_digits_one_class,
    load_mitdb,
    load_shuttle,
    make_wbc,
    sha256_of,
    verify_data_files,
)
from anomaly_helpers.series import sliding_windows, window_labels, window_starts, windows_to_timesteps
from anomaly_helpers.splits import Split, one_class_split
from anomaly_helpers.synthetic import ECG_KINDS, EcgSeries, make_ecg_like

__all__ = [
    "DATA_FILES",
    "MITDB_FS",
    "ECG_KINDS",
    "data_dir",
    "sha256_of",
    "verify_data_files",
    "load_breast_cancer",
    "make_wbc",
    "load_mitdb",
    "load_shuttle",
    "Split",
    "one_class_split",
    "load_digits_one_class",
    "load_digits_leave_one_out",
    "EcgSeries",
    "make_ecg_like",
    "sliding_windows",
    "window_labels",
    "window_starts",
    "windows_to_timesteps",
]
