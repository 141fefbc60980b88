"""Ship a fitted detector: save it to a folder and load it back, Keras networks in safe mode.

A scikit-learn pipeline that ends in :class:`~anomaly_helpers.detectors.AutoencoderDetector`
holds a Keras network. Pickling it whole would store the network in a pickle, which Keras
loads with ``safe_mode=False``. :func:`save_pipeline` writes the network to its own ``.keras``
file instead, and :func:`load_pipeline` loads it with ``safe_mode=True``.

See Also
--------
anomaly_helpers.selection : choosing the detector to ship.
Lesson 08 (``notebooks/08_practice_end_to_end.ipynb``) saves and reloads its chosen pipeline.
"""

from __future__ import annotations

from typing import Any

__all__ = ["save_pipeline", "load_pipeline"]

_PIPELINE_FILE = "pipeline.joblib"
_MANIFEST_FILE = "keras_models.json"


def _keras_attributes(estimator: Any) -> list[tuple[int, str]]:
    """(step index, attribute name) of every Keras model held by the estimator's steps."""
    steps = [s for _, s in estimator.steps] if hasattr(estimator, "steps") else [estimator]
    found = []
    for i, step in enumerate(steps):
        for attr, value in vars(step).items():
            if type(value).__module__.startswith("keras") and hasattr(value, "save"):
                found.append((i, attr))
    return found


def _step(estimator: Any, index: int) -> Any:
    return estimator.steps[index][1] if hasattr(estimator, "steps") else estimator


def save_pipeline(estimator: Any, directory: Any) -> Any:
    """Save a fitted detector or pipeline; Keras networks go to ``.keras`` files.

    The scikit-learn part is written with ``joblib`` (``pipeline.joblib``); every Keras model
    a step holds (the autoencoder's ``model_``) is written in Keras's own format and left out
    of the joblib file, so that :func:`load_pipeline` can load it in Keras's safe mode.

    Parameters
    ----------
    estimator : fitted estimator or Pipeline
    directory : str or path-like
        Created if missing. Use a temporary or project folder, never the course repository.

    Returns
    -------
    pathlib.Path
        The directory.

    See Also
    --------
    load_pipeline
    """
    import json
    from pathlib import Path

    import joblib
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(estimator)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    manifest, held = [], []
    for index, attr in _keras_attributes(estimator):
        step = _step(estimator, index)
        file = f"step{index}_{attr}.keras"
        getattr(step, attr).save(folder / file)
        manifest.append({"step": index, "attribute": attr, "file": file})
        held.append((step, attr, getattr(step, attr)))
    try:
        for step, attr, _ in held:
            setattr(step, attr, None)
        joblib.dump(estimator, folder / _PIPELINE_FILE)
    finally:
        for step, attr, model in held:
            setattr(step, attr, model)
    (folder / _MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return folder


def load_pipeline(directory: Any) -> Any:
    """Load what :func:`save_pipeline` wrote: a new, fitted estimator.

    Keras networks are loaded with ``safe_mode=True`` (no arbitrary code from the file). The
    joblib part is a pickle: load only files you or your team wrote.

    Parameters
    ----------
    directory : str or path-like

    Returns
    -------
    estimator
        Ready for ``decision_function``.

    See Also
    --------
    save_pipeline
    """
    import json
    from pathlib import Path

    import joblib

    folder = Path(directory)
    if not (folder / _PIPELINE_FILE).is_file():
        raise FileNotFoundError(
            f"directory {str(folder)!r} holds no {_PIPELINE_FILE}; pass the folder written by save_pipeline."
        )
    estimator = joblib.load(folder / _PIPELINE_FILE)
    manifest_file = folder / _MANIFEST_FILE
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.is_file() else []
    if manifest:
        import keras

        for entry in manifest:
            model = keras.saving.load_model(folder / entry["file"], safe_mode=True)
            setattr(_step(estimator, entry["step"]), entry["attribute"], model)
    return estimator
