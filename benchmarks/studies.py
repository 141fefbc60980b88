"""Benchmark studies: figures the lessons quote, each stored with its provenance.

Run them with ``python -m benchmarks.studies [NAME ...]`` (``make studies``); no name
runs every study. Each study writes one record to ``benchmarks/results.json``::

    {"<study name>": {"provenance": {...}, "result": {"title", "columns", "rows", "settings"}}}

and a readable copy to ``benchmarks/STUDIES.md``. The provenance holds the git commit,
the date, the library versions, the seconds taken, the study's parameters (read from
the code: the function's keyword defaults and the module constants it uses) and a
SHA-256 of its source: the function and every function, class and constant of the course it
uses, transitively (``benchmarks/provenance.py``: token streams without comments, docstrings
and formatting, the same on Python 3.11 to 3.13). The test suite fails when a stored hash no
longer matches the code, and recomputes the cheapest study (its trained figures within the
tolerance that covers another processor's float rounding).

Nothing in a result is typed by hand: settings are read from the objects that ran.
Numbers are rounded to 3 decimals, the precision the lessons print.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import provenance

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = Path(__file__).with_name("results.json")
MARKDOWN_FILE = Path(__file__).with_name("STUDIES.md")
DECIMALS = 3

#: name -> study function; filled by :func:`study`.
STUDIES: dict[str, Callable[..., dict]] = {}


def study(fn: Callable[..., dict]) -> Callable[..., dict]:
    """Register ``fn`` as a study under its own name."""
    STUDIES[fn.__name__] = fn
    return fn


# -- provenance ------------------------------------------------------------------------
# What a study's result depends on, hashed in a way that holds across Python versions: benchmarks/provenance.py.


def parameters(name: str) -> dict[str, Any]:
    """The study's parameters as the code states them (keyword defaults, module constants)."""
    return provenance.parameters(STUDIES[name])


def source_hash(name: str) -> str:
    """SHA-256 of the token streams of the study and of everything it uses in the course (not comments)."""
    return provenance.source_hash(STUDIES[name])


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=40"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("tensorflow", "tensorflow-cpu", "keras", "numpy", "pandas", "scikit-learn"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def stale_studies(stored: dict[str, dict]) -> list[str]:
    """One message per study whose stored record does not match the current code."""
    problems = []
    for name in STUDIES:
        rerun = f"rerun it with `python -m benchmarks.studies {name}` (or `make studies`) and commit benchmarks/{RESULTS_FILE.name}"
        if name not in stored:
            problems.append(f"study {name!r} has no stored result: {rerun}")
            continue
        prov = stored[name].get("provenance", {})
        if prov.get("source_sha256") != source_hash(name):
            problems.append(f"study {name!r} changed since its result was stored (source hash differs): {rerun}")
        elif prov.get("parameters") != parameters(name):
            problems.append(f"study {name!r}: stored parameters differ from the code's: {rerun}")
    for name in stored:
        if name not in STUDIES:
            problems.append(f"{RESULTS_FILE.name} holds {name!r}, which is no study any more: delete its record")
    return problems


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:  # NumPy scalar
        return _rounded(value.item())
    return value


def run_study(name: str) -> dict:
    """Run one study; return its record ``{"provenance", "result"}`` (not yet saved)."""
    if name not in STUDIES:
        raise ValueError(f"name {name!r} is not a study; use one of {sorted(STUDIES)}.")
    t0 = time.perf_counter()
    result = _rounded(STUDIES[name]())
    provenance = {
        "commit": _git_commit(),
        "date": time.strftime("%Y-%m-%d"),
        "seconds": round(time.perf_counter() - t0, 1),
        "source_sha256": source_hash(name),
        "parameters": parameters(name),
        "versions": _versions(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "onednn_max_cpu_isa": os.environ.get("ONEDNN_MAX_CPU_ISA", "unset"),
    }
    return {"provenance": provenance, "result": json.loads(json.dumps(result))}


def load_results(path: Path = RESULTS_FILE) -> dict[str, dict]:
    """The stored records, ``{}`` when there are none."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _cell(value: Any) -> str:
    return f"{value:.{DECIMALS}f}" if isinstance(value, float) else str(value)


def render_markdown(records: dict[str, dict]) -> str:
    """A readable copy of the stored studies (tables, settings, provenance)."""
    lines = ["# Benchmark studies", "", "Written by `python -m benchmarks.studies`; do not edit by hand."]
    for name, rec in records.items():
        res, prov = rec["result"], rec["provenance"]
        cols = res["columns"]
        lines += ["", f"## {res['title']}", "", f"Study `{name}`. {res.get('note', '')}".rstrip(), ""]
        lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(_cell(row.get(c, "")) for c in cols) + " |" for row in res["rows"]]
        lines += ["", "Settings: `" + json.dumps(res.get("settings", {}), sort_keys=True) + "`", ""]
        lines.append(
            f"Computed {prov['date']} in {prov['seconds']} s at commit `{prov['commit']}`; parameters "
            f"`{json.dumps(prov['parameters'], sort_keys=True)}`; source sha256 `{prov['source_sha256'][:12]}…`."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(STUDIES)
    unknown = [n for n in names if n not in STUDIES]
    if unknown:
        print(f"unknown study {unknown}; choose from {sorted(STUDIES)}", file=sys.stderr)
        return 2
    from anomaly_helpers import _env

    # The course's TensorFlow environment (log level, oneDNN, threads, instruction-set cap), before
    # TensorFlow starts: a stored result is made the way the lessons' stored outputs are.
    _env.apply(os.environ, override=True)
    records = load_results()
    for name in names:
        print(f"study {name}: running ...", flush=True)
        records[name] = run_study(name)
        print(f"study {name}: done in {records[name]['provenance']['seconds']} s", flush=True)
        records = {n: records[n] for n in STUDIES if n in records}
        RESULTS_FILE.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        MARKDOWN_FILE.write_text(render_markdown(records), encoding="utf-8")
    return 0


# -- the studies -------------------------------------------------------------------------

#: Detectors of the leave-one-digit-out study, in the order of the table's columns.
DIGIT_DETECTORS = (
    "conv AE",
    "conv AE + dense bottleneck",
    "dense AE",
    "conv AE code + kNN",
    "CNN features + kNN",
    "kNN (pixels)",
    "PCA (pixels)",
    "IsolationForest (pixels)",
)
#: Training settings of the leave-one-digit-out autoencoders and feature classifier.
DIGITS_FIT_AUTOENCODER = {
    "epochs": 30,
    "batch_size": 64,
    "learning_rate": 5e-3,
    "patience": None,
    "validation_split": None,
}
DIGITS_FIT_CLASSIFIER = {"epochs": 30, "batch_size": 32, "learning_rate": 3e-3, "patience": 3}


def _settings(obj: Any) -> dict[str, Any]:
    """JSON-able parameters of a detector (``get_params``), for the result's settings."""
    params = obj.get_params() if hasattr(obj, "get_params") else {}
    return {k: v if isinstance(v, (int, float, str, bool, type(None))) else repr(v) for k, v in params.items()}


@study
def baselines_breast_cancer(*, n_anomalies: int = 21, subset_seeds: int = 10, test_size: float = 0.3) -> dict:
    """ROC-AUC / PR-AUC of the six classical detectors on the two breast-cancer setups.

    Unsupervised: an ODDS-style WBC subset (all benign rows, ``n_anomalies`` malignant
    ones drawn with seed 0), each detector fitted on it and scoring it; the spread column
    repeats this for seeds ``0 .. subset_seeds - 1``. One-class: train on benign rows of
    the full table, test on ``test_size`` of them plus every malignant row (seed 0).
    """
    from anomaly_helpers.datasets import load_breast_cancer, make_wbc
    from anomaly_helpers.detectors import compare_detectors, make_detector
    from anomaly_helpers.splits import one_class_split

    X_wbc, y_wbc = make_wbc(n_anomalies=n_anomalies, random_state=0)
    unsupervised = compare_detectors(X_wbc, None, y_wbc)
    subsets = []
    for seed in range(subset_seeds):
        X_s, y_s = make_wbc(n_anomalies=n_anomalies, random_state=seed)
        subsets.append(compare_detectors(X_s, None, y_s)["roc_auc"])
    X, y = load_breast_cancer()
    split = one_class_split(X, y, test_size=test_size, random_state=0)
    one_class = compare_detectors(split.X_train, split.X_test, split.y_test)
    spread = f"WBC ROC-AUC, {subset_seeds} subsets: mean (min–max)"
    rows = [
        {
            "detector": name,
            "WBC ROC-AUC": unsupervised.loc[name, "roc_auc"],
            "WBC PR-AUC": unsupervised.loc[name, "pr_auc"],
            spread: f"{sum(s[name] for s in subsets) / len(subsets):.3f} "
            f"({min(s[name] for s in subsets):.3f}–{max(s[name] for s in subsets):.3f})",
            "one-class ROC-AUC": one_class.loc[name, "roc_auc"],
            "one-class PR-AUC": one_class.loc[name, "pr_auc"],
        }
        for name in unsupervised.index
    ]
    return {
        "title": "Classical baselines on the breast-cancer data",
        "note": (
            f"WBC: {int((y_wbc == 0).sum())} benign + {int(y_wbc.sum())} malignant rows "
            f"(prevalence {y_wbc.mean():.3f}, PR-AUC's no-skill level); one-class test set: "
            f"{len(split.y_test)} rows, prevalence {split.y_test.mean():.3f}."
        ),
        "columns": ["detector", "WBC ROC-AUC", "WBC PR-AUC", spread, "one-class ROC-AUC", "one-class PR-AUC"],
        "rows": rows,
        "settings": {name: _settings(make_detector(name)) for name in unsupervised.index},
    }


def _architecture(model: Any) -> list[str]:
    """Layer class names and output shapes of a Keras model, e.g. ``Conv2D(4, 4, 16)``."""
    return [f"{layer.__class__.__name__}{tuple(layer.output.shape[1:])}" for layer in model.layers]


def _digits_leave_one_out_scores(anomaly_digit: int, test_size: float, val_size: float, seed: int):
    """Test ROC-AUC of every detector of :data:`DIGIT_DETECTORS` for one held-out digit, and the settings."""
    from sklearn.metrics import roc_auc_score

    from anomaly_helpers import datasets, detectors, models, scoring, training
    from anomaly_helpers.repro import setup_lesson

    setup_lesson(seed=seed)  # op determinism; weights and batch order are seeded by random_state below

    def seeded(build, *args, **kwargs):
        return build(*args, random_state=seed, **kwargs)

    split = datasets.load_digits_leave_one_out(anomaly_digit, test_size=test_size, val_size=val_size, random_state=seed)
    X_train, X_test, y_test = split.X_train, split.X_test, split.y_test
    X_val_normal = split.X_val[split.y_val == 0]  # the classifier's early stopping watches normal images only
    flat_train, flat_test = X_train.reshape(len(X_train), -1), X_test.reshape(len(X_test), -1)
    auc: dict[str, float] = {}
    settings: dict[str, Any] = {"autoencoder fit": DIGITS_FIT_AUTOENCODER, "classifier fit": DIGITS_FIT_CLASSIFIER}

    def autoencoder_auc(name, model, x_train, x_test):
        settings[name] = _architecture(model)
        training.fit_model(model, x_train, verbose="silent", random_state=seed, **DIGITS_FIT_AUTOENCODER)
        auc[name] = roc_auc_score(y_test, scoring.reconstruction_error(x_test, training.predict(model, x_test)))

    autoencoder_auc("conv AE", seeded(models.conv2d_autoencoder), X_train, X_test)
    bottleneck = seeded(models.conv2d_autoencoder, latent_dense=8)
    autoencoder_auc("conv AE + dense bottleneck", bottleneck, X_train, X_test)
    autoencoder_auc("dense AE", seeded(models.dense_autoencoder, 64, hidden=(32,), latent=8), flat_train, flat_test)

    code = models.encoder_of(bottleneck)  # the bottleneck's trained encoder as a feature extractor: image -> 8 numbers
    code_knn = detectors.make_detector("knn", scale=False).fit(training.predict(code, X_train))
    settings["conv AE code + kNN"] = _settings(code_knn)
    auc["conv AE code + kNN"] = roc_auc_score(y_test, code_knn.decision_function(training.predict(code, X_test)))

    classifier, encoder = seeded(models.cnn_feature_extractor, n_classes=9)
    settings["CNN features"] = _architecture(encoder)
    digits = split.info["digits_train"]
    classes = digits - (digits > anomaly_digit)  # the nine normal digits as classes 0..8
    val_digits = split.info["digits_val"][split.y_val == 0]
    val_classes = val_digits - (val_digits > anomaly_digit)
    training.fit_model(
        classifier, X_train, classes, validation_data=(X_val_normal, val_classes), verbose="silent",
        random_state=seed, **DIGITS_FIT_CLASSIFIER,
    )  # fmt: skip
    knn = detectors.make_detector("knn", scale=False).fit(training.predict(encoder, X_train))
    settings["CNN features + kNN"] = _settings(knn)
    auc["CNN features + kNN"] = roc_auc_score(y_test, knn.decision_function(training.predict(encoder, X_test)))

    pixel_detectors = {
        "kNN (pixels)": detectors.make_detector("knn", scale=False),
        "PCA (pixels)": detectors.make_detector("pca", scale=False),
        "IsolationForest (pixels)": detectors.make_detector("iforest", random_state=seed),
    }
    for name, det in pixel_detectors.items():
        settings[name] = _settings(det)
        auc[name] = roc_auc_score(y_test, det.fit(flat_train).decision_function(flat_test))
    return auc, settings


@study
def digits_leave_one_out(*, test_size: float = 0.3, val_size: float = 0.2, seed: int = 0) -> dict:
    """ROC-AUC of autoencoders, CNN features and pixel baselines for each held-out digit (lesson 03).

    For each digit d: ``load_digits_leave_one_out(d, test_size, val_size, random_state=seed)``;
    every Keras model and its training get ``random_state=seed``. Scores: mean squared
    reconstruction error for the autoencoders, the detectors' own scores otherwise.
    """
    rows = []
    for digit in range(10):
        auc, settings = _digits_leave_one_out_scores(digit, test_size, val_size, seed)
        rows.append({"held-out digit": str(digit), **{k: round(float(auc[k]), 3) for k in DIGIT_DETECTORS}})
    means = {k: round(sum(r[k] for r in rows) / len(rows), 3) for k in DIGIT_DETECTORS}
    rows.append({"held-out digit": "mean", **means})
    return {
        "title": "Leave one digit out: train on nine digits, flag the tenth (ROC-AUC on the test split)",
        "columns": ["held-out digit", *DIGIT_DETECTORS],
        "rows": rows,
        "settings": settings,
    }


# -- lesson 09: challenges (autoencoder sweeps too slow to run live) ------------------------

#: Seeds of the lesson 09 studies (splits and weight initialisation).
CHALLENGES_SEEDS = (0, 1, 2, 3, 4)
#: Shares of anomalies mixed into the Shuttle training data (lesson 09, section 1).
CHALLENGES_RATES = (0.0, 0.01, 0.02, 0.05, 0.10)
#: Shuttle split of lesson 09, section 1: normal training rows, normal and anomalous test rows.
CHALLENGES_SHUTTLE_SIZES = {"n_train": 1000, "n_test": 1000, "n_test_anomalies": 50}
#: Breast-cancer split of lesson 09, sections 2-4: benign training rows, benign and malignant test rows.
CHALLENGES_CANCER_SIZES = {"n_train": 200, "n_test": 157, "n_test_anomalies": 20}
#: Share of the highest-scoring training rows dropped before the refit ("trimmed refit").
CHALLENGES_TRIM = 0.1
#: Autoencoder training settings of the lesson 09 studies.
CHALLENGES_AE = {"epochs": 30, "batch_size": 64, "patience": 5, "validation_fraction": 0.1}
#: Autoencoder sizes of the cost-of-complexity study: name -> (hidden layers, latent size).
CHALLENGES_AE_SIZES = {
    "AE tiny (4)-2": ((4,), 2),
    "AE small (16)-4": ((16,), 4),
    "AE medium (64-32)-8": ((64, 32), 8),
    "AE large (256-128)-16": ((256, 128), 16),
}
#: How many features an explanation keeps, and how many flagged test rows are explained.
CHALLENGES_TOP_K, CHALLENGES_N_EXPLAINED = 3, 10


def _challenges_auc(y, s) -> tuple[float, float]:
    from sklearn.metrics import average_precision_score, roc_auc_score

    return float(roc_auc_score(y, s)), float(average_precision_score(y, s))


def _challenges_mean_sd(values) -> tuple[float, float]:
    import statistics

    values = list(values)
    return statistics.fmean(values), statistics.stdev(values)


def _challenges_pipe(detector):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), detector)


def _challenges_autoencoder(seed, hidden=(16,), latent=4):
    from anomaly_helpers.detectors import AutoencoderDetector

    return AutoencoderDetector(hidden=hidden, latent=latent, random_state=seed, **CHALLENGES_AE)


def _challenges_trimmed_refit(pipe, X, trim):
    """Fit, drop the ``trim`` share of training rows with the highest training scores, refit a clone."""
    import numpy as np
    from sklearn.base import clone

    pipe.fit(X)
    scores = pipe[-1].decision_scores_
    keep = scores < np.quantile(scores, 1 - trim)
    return clone(pipe).fit(X[keep])


def _challenges_free_keras() -> None:
    import gc

    import keras

    keras.backend.clear_session()
    gc.collect()


@study
def challenges_contamination() -> dict:
    """Lesson 09, section 1: Isolation Forest and an autoencoder trained on Shuttle data holding anomalies."""
    from anomaly_helpers.datasets import load_shuttle
    from anomaly_helpers.detectors import IsolationForestDetector
    from anomaly_helpers.stress import contaminated_split

    X, y = load_shuttle()
    X, y = X.to_numpy(float), y.to_numpy()
    results: dict[tuple[str, float], list[tuple[float, float]]] = {}
    for rate in CHALLENGES_RATES:
        for seed in CHALLENGES_SEEDS:
            X_tr, X_te, y_te, _ = contaminated_split(X, y, rate, random_state=seed, **CHALLENGES_SHUTTLE_SIZES)
            runs = {
                "Isolation Forest": _challenges_pipe(IsolationForestDetector(random_state=seed)).fit(X_tr),
                "autoencoder": _challenges_pipe(_challenges_autoencoder(seed)).fit(X_tr),
                "autoencoder, trimmed refit": _challenges_trimmed_refit(
                    _challenges_pipe(_challenges_autoencoder(seed)), X_tr, CHALLENGES_TRIM
                ),
            }
            for name, pipe in runs.items():
                results.setdefault((name, rate), []).append(_challenges_auc(y_te, pipe.decision_function(X_te)))
            _challenges_free_keras()
    rows = []
    for (name, rate), values in results.items():
        roc, roc_sd = _challenges_mean_sd(v[0] for v in values)
        pr, pr_sd = _challenges_mean_sd(v[1] for v in values)
        rows.append(
            {"detector": name, "rate": rate, "roc_auc": roc, "roc_auc_sd": roc_sd, "pr_auc": pr, "pr_auc_sd": pr_sd}
        )
    return {
        "title": "Lesson 09 · contaminated training data (Shuttle)",
        "note": (
            f"Training: {CHALLENGES_SHUTTLE_SIZES['n_train']} normal Shuttle rows plus anomalies making up the given "
            f"share; test: {CHALLENGES_SHUTTLE_SIZES['n_test']} other normal rows and "
            f"{CHALLENGES_SHUTTLE_SIZES['n_test_anomalies']} anomalies never used in training "
            "(anomaly_helpers.stress.contaminated_split). Standardised in a pipeline. Mean and standard deviation over "
            f"seeds {CHALLENGES_SEEDS} (split and weights). Trimmed refit: drop the {CHALLENGES_TRIM:.0%} highest "
            "training scores, fit again."
        ),
        "columns": ["detector", "rate", "roc_auc", "roc_auc_sd", "pr_auc", "pr_auc_sd"],
        "rows": rows,
        "settings": {"autoencoder": _settings(_challenges_autoencoder(0)), "trim": CHALLENGES_TRIM},
    }


def _challenges_cancer():
    from anomaly_helpers.datasets import load_breast_cancer

    X, y = load_breast_cancer()
    return X.to_numpy(float), y.to_numpy(), list(X.columns)


@study
def challenges_complexity() -> dict:
    """Lesson 09, section 3: parameters, fit time and quality of classical detectors and autoencoders of four sizes."""
    import statistics

    from anomaly_helpers.detectors import IsolationForestDetector, KNNDetector, PCADetector
    from anomaly_helpers.stress import contaminated_split

    X, y, _ = _challenges_cancer()
    makers = {
        "kNN (k=5)": lambda seed: KNNDetector(scale=False),
        "PCA": lambda seed: PCADetector(scale=False),
        "Isolation Forest": lambda seed: IsolationForestDetector(random_state=seed),
    }
    for name, (hidden, latent) in CHALLENGES_AE_SIZES.items():
        makers[name] = lambda seed, h=hidden, z=latent: _challenges_autoencoder(seed, h, z)
    rows = []
    for name, make in makers.items():
        aucs, seconds, n_params = [], [], None
        for seed in CHALLENGES_SEEDS:
            X_tr, X_te, y_te, _ = contaminated_split(X, y, 0.0, random_state=seed, **CHALLENGES_CANCER_SIZES)
            pipe = _challenges_pipe(make(seed))
            start = time.perf_counter()
            pipe.fit(X_tr)
            seconds.append(time.perf_counter() - start)
            aucs.append(_challenges_auc(y_te, pipe.decision_function(X_te)))
            if hasattr(pipe[-1], "model_") and hasattr(pipe[-1].model_, "count_params"):
                n_params = int(pipe[-1].model_.count_params())
            _challenges_free_keras()
        roc, roc_sd = _challenges_mean_sd(a[0] for a in aucs)
        pr, pr_sd = _challenges_mean_sd(a[1] for a in aucs)
        rows.append(
            {
                "detector": name,
                "parameters": n_params,
                "fit_seconds": statistics.median(seconds),
                "roc_auc": roc,
                "roc_auc_sd": roc_sd,
                "pr_auc": pr,
                "pr_auc_sd": pr_sd,
            }
        )
    return {
        "title": "Lesson 09 · cost of complexity (breast cancer, one-class)",
        "note": (
            f"Training: {CHALLENGES_CANCER_SIZES['n_train']} benign tumours; test: "
            f"{CHALLENGES_CANCER_SIZES['n_test']} other benign and {CHALLENGES_CANCER_SIZES['n_test_anomalies']} "
            "malignant. Standardised in a pipeline. Mean and standard deviation over seeds "
            f"{CHALLENGES_SEEDS}; fit_seconds is the median wall-clock time of one fit on the machine that ran the "
            "study (2 cores, shared: compare the rows, not the absolute times). Parameters: trainable weights of "
            "the network (empty for the classical detectors)."
        ),
        "columns": ["detector", "parameters", "fit_seconds", "roc_auc", "roc_auc_sd", "pr_auc", "pr_auc_sd"],
        "rows": rows,
        "settings": {"autoencoder": _settings(_challenges_autoencoder(0)), "sizes": CHALLENGES_AE_SIZES},
    }


def challenges_explained_rows(X_tr, X_te, y_te):
    """The test anomalies lesson 09 explains: the ten that kNN (k=5, standardised) scores highest."""
    import numpy as np

    from anomaly_helpers.detectors import KNNDetector

    scores = _challenges_pipe(KNNDetector(scale=False)).fit(X_tr).decision_function(X_te)
    anomalies = np.flatnonzero(y_te == 1)
    return anomalies[np.argsort(-scores[anomalies], kind="stable")[:CHALLENGES_N_EXPLAINED]]


@study
def challenges_explanations() -> dict:
    """Lesson 09, section 4: top features of the same flagged rows, from autoencoders trained with different seeds."""
    import itertools
    import statistics

    import numpy as np

    from anomaly_helpers.explain import occlusion_attributions, top_features, top_k_agreement
    from anomaly_helpers.stress import contaminated_split

    X, y, names = _challenges_cancer()
    X_tr, X_te, y_te, _ = contaminated_split(X, y, 0.0, random_state=0, **CHALLENGES_CANCER_SIZES)
    reference = np.median(X_tr, axis=0)
    explained = challenges_explained_rows(X_tr, X_te, y_te)
    k, seeds = CHALLENGES_TOP_K, CHALLENGES_SEEDS
    rows = []
    for label in ("AE small (16)-4", "AE large (256-128)-16"):
        hidden, latent = CHALLENGES_AE_SIZES[label]
        attributions = []
        for seed in seeds:
            pipe = _challenges_pipe(_challenges_autoencoder(seed, hidden, latent)).fit(X_tr)
            attributions.append(occlusion_attributions(pipe.decision_function, X_te[explained], reference))
            _challenges_free_keras()
        for r, row in enumerate(explained):
            pairs = [
                top_k_agreement(attributions[a][r], attributions[b][r], k)
                for a, b in itertools.combinations(range(len(seeds)), 2)
            ]
            tops = [" / ".join(names[j] for j in top_features(attributions[i][r], k)) for i in range(len(seeds))]
            rows.append(
                {
                    "model": label,
                    "test_row": int(row),
                    "rank": r + 1,
                    "agreement": statistics.fmean(pairs),
                    **{f"top{k}_seed{seed}": tops[i] for i, seed in enumerate(seeds)},
                }
            )
    return {
        "title": "Lesson 09 · stability of explanations (breast cancer)",
        "note": (
            f"Breast-cancer split of seed 0 ({CHALLENGES_CANCER_SIZES}); autoencoders trained with seeds {seeds} on "
            f"the same data. Each explains the {CHALLENGES_N_EXPLAINED} test anomalies that kNN (k=5) scores highest, "
            "by occlusion (score drop when a feature is set to its training median). Agreement: mean Jaccard index "
            f"of the top-{k} feature sets over all pairs of seeds (1 = the same features)."
        ),
        "columns": ["model", "test_row", "rank", "agreement"] + [f"top{k}_seed{s}" for s in seeds],
        "rows": rows,
        "settings": {"autoencoder": _settings(_challenges_autoencoder(0))},
    }


#: Windows (past samples) of the lesson 04 window-length study: a quarter of a beat, and a little over one beat.
ECG_WINDOW_WIDTHS = (24, 100)
#: Seeds (weights and batch order) of the GRU forecaster in that study.
ECG_WINDOW_SEEDS = 5
#: Training of that forecaster, exactly as lesson 04 trains it (fitted on every 2nd window of the fit part).
ECG_GRU_FIT = {"epochs": 15, "batch_size": 64, "learning_rate": 0.01, "patience": None, "validation_split": None}
ECG_FIT_STRIDE = 2


def _gru_forecast_scores(x: Any, w: int, n_fit: int, seed: int) -> tuple[Any, Any]:
    """Lesson 04's GRU forecaster with ``w`` past samples, fitted on ``x[:n_fit]``.

    Returns the |forecast error| per sample and the kNN score of every window's final hidden state
    (5 neighbours, fitted on the windows whose target lies before ``n_fit``); 0 for the first ``w`` samples.
    """
    import numpy as np

    from anomaly_helpers import detectors, models, series, training
    from anomaly_helpers.exercises import lesson04

    fit_w = series.sliding_windows(x[:n_fit], w + 1, stride=ECG_FIT_STRIDE)
    model = lesson04.build_forecaster(w, units=16, seed=seed)
    training.fit_model(model, fit_w[:, :w], fit_w[:, w], verbose="silent", random_state=seed, **ECG_GRU_FIT)
    all_w = series.sliding_windows(x, w + 1)
    forecast = training.predict(model, all_w[:, :w], batch_size=1024)[:, 0]
    features = training.predict(models.encoder_of(model), all_w[:, :w], batch_size=1024)
    knn = detectors.KNNDetector(n_neighbors=lesson04.KNN_NEIGHBORS, scale=False).fit(features[: n_fit - w])
    pad = np.zeros(w)
    return np.concatenate([pad, np.abs(all_w[:, w, 0] - forecast)]), np.concatenate(
        [pad, knn.decision_function(features)]
    )


@study
def ecg_window_length() -> dict:
    """Lesson 04: GRU forecaster, kNN on its hidden states (5 seeds) and kNN on raw windows, short and long windows.

    The lesson's ECG-like series and cut (``anomaly_helpers.exercises.lesson04.ecg_split``): models are
    fitted on the first 32 % of the series, thresholds are the 99th percentile of the scores on the
    held-out clean tail (32–40 %), the test period is the last 60 %.
    """
    from anomaly_helpers.exercises import lesson04
    from anomaly_helpers.repro import setup_lesson

    setup_lesson(seed=0)  # op determinism; the builder and fit_model seed themselves
    cut = lesson04.ecg_split()
    rows = []

    def row(detector: str, w: int, seed: Any, result: dict) -> dict:
        return {
            "detector": detector,
            "w": w,
            "seed": seed,
            "PR-AUC": result["pr_auc"],
            "events detected": result["events_detected"],
            "missing beats found": result["missing_found"],
            "normal test samples flagged": result["false_alarm_rate"],
        }

    for w in ECG_WINDOW_WIDTHS:
        rows.append(row("kNN on raw windows", w, "-", lesson04.knn_window_result(w)))
        for seed in range(ECG_WINDOW_SEEDS):
            error, hidden = _gru_forecast_scores(cut["x"], w, cut["n_fit"], seed)
            rows.append(row("GRU forecaster", w, seed, lesson04.evaluate_scores(error)))
            rows.append(row("kNN on GRU hidden states", w, seed, lesson04.evaluate_scores(hidden)))
    return {
        "title": "Lesson 04: window length; GRU forecaster and kNN on its hidden states (5 seeds) against kNN on raw windows",
        "note": (
            f"ECG-like series {lesson04.ECG_SERIES}; fit on x[:{cut['n_fit']}], threshold on the clean tail "
            f"x[{cut['n_fit']}:{cut['n_clean']}] (1 % budget), test on x[{cut['n_clean']}:]. "
            f"kNN: {lesson04.KNN_NEIGHBORS} neighbours, deterministic."
        ),
        "columns": [
            "detector",
            "w",
            "seed",
            "PR-AUC",
            "events detected",
            "missing beats found",
            "normal test samples flagged",
        ],
        "rows": rows,
        "settings": {"GRU fit": ECG_GRU_FIT, "fit stride": ECG_FIT_STRIDE, "units": 16},
    }


#: How lesson 05 (section 5) trains its WBC autoencoder; the study trains it the same way.
WBC_AE_FIT = {"epochs": 80, "patience": 5, "optimizer": "adam", "learning_rate": 0.01, "batch_size": 32}
#: The WBC detectors of :func:`wbc_autoencoder_vs_baselines`, in the order of the table's columns.
WBC_DETECTORS = ("trained AE", "untrained AE", "squared norm ‖x‖²", "Isolation Forest")


def _wbc_split_scores(seed: int, init_seed: int) -> dict[str, float]:
    """Test ROC-AUC of the four WBC detectors on one split (lesson 05's pipeline, split seed ``seed``).

    ``make_wbc(random_state=seed)``, ``one_class_split(test_size=0.3, val_size=0.2, random_state=seed)``, a
    scaler fitted on the normal training rows; the autoencoders are built with ``random_state=init_seed``.
    """
    from sklearn.metrics import roc_auc_score
    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers import datasets, detectors, models, scoring, splits, training

    X, y = datasets.make_wbc(random_state=seed)
    split = splits.one_class_split(X, y, test_size=0.3, val_size=0.2, random_state=seed)
    scaler = StandardScaler().fit(split.X_train)
    X_train, X_val, X_test = (scaler.transform(p).astype("float32") for p in (split.X_train, split.X_val, split.X_test))
    y_test = split.y_test.to_numpy()
    X_val_normal = X_val[split.y_val.to_numpy() == 0]

    untrained = models.dense_autoencoder(X_train.shape[1], random_state=init_seed)
    trained = models.dense_autoencoder(X_train.shape[1], random_state=init_seed)
    training.fit_model(
        trained, X_train, validation_data=X_val_normal, verbose="silent", random_state=init_seed, **WBC_AE_FIT
    )
    iforest = detectors.make_detector("iforest", random_state=seed).fit(X_train)
    scores = {
        "trained AE": scoring.reconstruction_error(X_test, training.predict(trained, X_test)),
        "untrained AE": scoring.reconstruction_error(X_test, training.predict(untrained, X_test)),
        "squared norm ‖x‖²": (X_test**2).sum(axis=1),
        "Isolation Forest": iforest.decision_function(X_test),
    }
    return {name: float(roc_auc_score(y_test, s)) for name, s in scores.items()}


def _summary_rows(rows: list[dict], key: str, columns: tuple[str, ...]) -> list[dict]:
    """Mean, min and max rows of ``columns`` over ``rows``."""
    out = []
    for label, fn in (("mean", lambda v: sum(v) / len(v)), ("min", min), ("max", max)):
        out.append({key: label, **{c: round(fn([r[c] for r in rows]), 3) for c in columns}})
    return out


@study
def wbc_autoencoder_vs_baselines(*, n_splits: int = 10, n_inits: int = 10) -> dict:
    """Lesson 05's "surprise" over many splits: trained vs untrained autoencoder vs ‖x‖² vs Isolation Forest.

    Rows ``0 .. n_splits - 1``: the WBC subset, the one-class split and the autoencoders' initial weights all
    drawn with that seed (split 0 is lesson 05's). Test ROC-AUC of the 30-16-4-16-30 autoencoder trained as in
    the lesson (Adam, early stopping on the validation split's normal rows), the same network untrained, the
    squared distance from the training mean (the data are standardised) and Isolation Forest. ``init_spread``:
    the trained autoencoder on split 0 with initial weights ``0 .. n_inits - 1``.
    """
    from anomaly_helpers.repro import setup_lesson

    setup_lesson(seed=0)  # op determinism; every model below is seeded locally
    rows = [{"split": str(s), **_wbc_split_scores(s, s)} for s in range(n_splits)]
    wins = {
        f"trained AE > {other}": sum(r["trained AE"] > r[other] for r in rows)
        for other in ("untrained AE", "squared norm ‖x‖²", "Isolation Forest")
    }
    inits = [_wbc_split_scores(0, i)["trained AE"] for i in range(n_inits)]
    rows = [{k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()} for r in rows]
    return {
        "title": "WBC: trained vs untrained autoencoder vs ‖x‖² vs Isolation Forest (test ROC-AUC, 10 splits)",
        "note": (
            f"Wins of the trained autoencoder over {n_splits} splits: "
            + ", ".join(f"{k}: {v}" for k, v in wins.items())
            + f". Trained AE on split 0 with {n_inits} initialisations: ROC-AUC {min(inits):.3f}–{max(inits):.3f}."
        ),
        "columns": ["split", *WBC_DETECTORS],
        "rows": rows + _summary_rows(rows, "split", WBC_DETECTORS),
        "wins": wins,
        "init_spread": {"split": 0, "roc_auc": [round(v, 3) for v in inits]},
        "settings": {"autoencoder": "dense_autoencoder(30, hidden=(16,), latent=4)", "fit": WBC_AE_FIT},
    }


@study
def wbc_contamination_mse_vs_mae(*, n_seeds: int = 5, settings: tuple = (0, 30)) -> dict:
    """Lesson 05's exercise 5.3 over several initialisations: MSE vs MAE autoencoders on contaminated rows.

    For each number of malignant rows mixed into the 179 normal training rows (``settings``) and each seed
    ``0 .. n_seeds - 1`` (initial weights and batch order), the test ROC-AUC of
    ``anomaly_helpers.exercises.lesson05.contamination_auc`` with ``loss="mse"`` and ``loss="mae"`` — seed 0 is
    the lesson's run.
    """
    from anomaly_helpers.exercises.lesson05 import CONTAMINATION_FIT, contamination_auc
    from anomaly_helpers.repro import setup_lesson

    setup_lesson(seed=0)  # op determinism; every model is seeded locally
    rows = []
    for n in settings:
        for seed in range(n_seeds):
            mse, mae = contamination_auc(n, "mse", seed), contamination_auc(n, "mae", seed)
            rows.append({"malignant rows in training": n, "seed": seed, "MSE": mse, "MAE": mae, "MAE - MSE": mae - mse})
    summary = []
    for n in settings:
        part = [r for r in rows if r["malignant rows in training"] == n]
        for col in ("MSE", "MAE", "MAE - MSE"):
            values = [r[col] for r in part]
            summary.append(
                {"malignant rows in training": n, "column": col, "mean": sum(values) / len(values),
                 "min": min(values), "max": max(values)}
            )  # fmt: skip
    return {
        "title": "WBC: autoencoders trained with MSE and with MAE on contaminated rows (test ROC-AUC)",
        "note": f"{n_seeds} initialisations per setting; the split is lesson 05's (make_wbc and one_class_split, seed 0).",
        "columns": ["malignant rows in training", "seed", "MSE", "MAE", "MAE - MSE"],
        "rows": rows,
        "summary": summary,
        "settings": {"fit": CONTAMINATION_FIT},
    }


#: Lesson 07: the article's split and training (``train_test_split(test_size=0.2, random_state=42)``, Adam,
#: binary cross-entropy, 100 epochs of batches of 32 after ``keras.utils.set_random_seed(42)``).
ARTICLE_FIT = {"test_size": 0.2, "split_seed": 42, "global_seed": 42, "epochs": 100, "batch_size": 32}
#: Bins of predicted probability for the reliability table of :func:`article_initial_weights`.
ARTICLE_RELIABILITY_BINS = 5


def _article_network(n_features: int, random_state: int | None) -> Any:
    """The article's 32-16-1 network: its own ``Sequential`` code when ``random_state`` is None, else seeded."""
    import warnings

    import keras

    from anomaly_helpers import models

    if random_state is not None:
        return models.mlp_classifier(n_features, random_state=random_state)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Do not pass an `input_shape`", category=UserWarning)
        model = keras.Sequential()
        model.add(keras.layers.Dense(32, activation="relu", input_dim=n_features))
        model.add(keras.layers.Dense(16, activation="relu"))
        model.add(keras.layers.Dense(1, activation="sigmoid"))
    return model


def _article_run(random_state: int | None) -> dict:
    """Train the article's network the article's way on its split; ``random_state`` seeds only the weights.

    ``keras.utils.set_random_seed`` is called before the network is built, as in the article, so the batch
    order is the article's whatever the initial weights (checked: the seeded builder given the article's
    initial weights reproduces the article's predictions exactly).
    """
    import keras
    import numpy as np
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers import datasets

    X, y = datasets.make_wbc()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=ARTICLE_FIT["test_size"], random_state=ARTICLE_FIT["split_seed"]
    )
    scaler = StandardScaler()
    X_train, X_test = scaler.fit_transform(X_train), scaler.transform(X_test)
    keras.utils.set_random_seed(ARTICLE_FIT["global_seed"])
    model = _article_network(X_train.shape[1], random_state)
    model.compile(loss="binary_crossentropy", optimizer="adam")
    model.fit(
        X_train, y_train.to_numpy(), epochs=ARTICLE_FIT["epochs"], batch_size=ARTICLE_FIT["batch_size"], verbose=0
    )
    p_train = np.asarray(model.predict(X_train, verbose=0)).ravel()
    p_test = np.asarray(model.predict(X_test, verbose=0)).ravel()
    y_te = y_test.to_numpy()
    flag = p_test >= 0.5
    return {
        "row": {
            "accuracy": float((flag == y_te).mean()),
            "anomalies found": int(flag[y_te == 1].sum()),
            "false alarms": int(flag[y_te == 0].sum()),
        },
        "p_train_normal": p_train[y_train.to_numpy() == 0],
        "p_test": p_test,
        "y_test": y_te,
    }


@study
def article_initial_weights(*, n_inits: int = 10) -> dict:
    """Lesson 07's second lottery: the article's network on the article's split from ``n_inits`` initial weights.

    Row "article": the article's code as written (initial weights from Keras's global seed 42), the run lesson 07
    executes live and checks against this row. Rows ``0 .. n_inits - 1``: the same split, the same batch order, the
    same 100 epochs; only the initial weights differ (``mlp_classifier(random_state=seed)``). ``reliability``: the
    predicted probabilities of the test rows, pooled over the ``n_inits`` seeded runs, in equal-width bins, with the
    fraction of anomalies in each bin; ``p_below_1e-5``: the share of normal training rows given p < 1e-5 (pooled).
    """
    import numpy as np

    from anomaly_helpers.repro import setup_lesson

    setup_lesson(seed=0)  # op determinism; every draw below is seeded
    article = _article_run(None)
    runs = [_article_run(seed) for seed in range(n_inits)]
    rows = [{"initial weights": str(seed), **run["row"]} for seed, run in enumerate(runs)]
    columns = ("accuracy", "anomalies found", "false alarms")
    p_pooled = np.concatenate([run["p_test"] for run in runs])
    y_pooled = np.concatenate([run["y_test"] for run in runs])
    edges = np.linspace(0, 1, ARTICLE_RELIABILITY_BINS + 1)
    which = np.clip(np.searchsorted(edges[1:-1], p_pooled, side="right"), 0, ARTICLE_RELIABILITY_BINS - 1)
    reliability = [
        {
            "bin of p": f"{edges[b]:.1f}–{edges[b + 1]:.1f}",
            "predictions": int((which == b).sum()),
            "mean p": float(p_pooled[which == b].mean()),
            "fraction that are anomalies": float(y_pooled[which == b].mean()),
        }
        for b in range(ARTICLE_RELIABILITY_BINS)
        if (which == b).any()
    ]
    p_normal = np.concatenate([run["p_train_normal"] for run in runs])
    return {
        "title": f"The article's network on the article's split from {n_inits} initial weights (threshold 0.5)",
        "note": (
            f"Same split, batch order and 100 epochs; only the initial weights differ. The test set holds "
            f"{int(article['y_test'].sum())} anomalies among {len(article['y_test'])} rows."
        ),
        "columns": ["initial weights", *columns],
        "rows": [
            {"initial weights": "article", **article["row"]},
            *rows,
            *_summary_rows(rows, "initial weights", columns),
        ],
        "article_test_anomaly_p": sorted(float(p) for p in article["p_test"][article["y_test"] == 1]),
        "reliability": reliability,
        "p_below_1e-5": float((p_normal < 1e-5).mean()),
        "settings": {"fit": ARTICLE_FIT, "reliability bins": ARTICLE_RELIABILITY_BINS},
    }


@study
def shuttle_autoencoder_search() -> dict:
    """Lesson 08's autoencoder search on Shuttle: each setting over several seeds, on validation data only.

    The split, the seeds, the grid and the training settings are the lesson's
    (:mod:`anomaly_helpers.exercises.lesson08`); every fit goes through
    :func:`anomaly_helpers.selection.select_detectors`, as in the lesson, so the lesson can
    refit the chosen setting live and check that it reproduces its row. The search itself uses
    validation data only. Then, once, the setting with the highest mean validation PR-AUC is
    scored on the test set (``"chosen"``): per seed, its validation and test PR-AUC and its
    recall at the alarm budget with the threshold chosen on validation; and the row of
    :func:`anomaly_helpers.selection.scoreboard` for its seeds, which the lesson puts on its
    scoreboard next to the classical detectors.
    """
    import numpy as np
    from sklearn.metrics import average_precision_score

    from anomaly_helpers.exercises import lesson08 as lesson
    from anomaly_helpers.repro import setup_lesson
    from anomaly_helpers.selection import alarm_threshold, scoreboard, select_detectors

    setup_lesson(seed=0)  # op determinism, as in the lesson; every model is seeded locally
    X_train, X_val, y_val, X_test, y_test = lesson.shuttle_split()
    rows, best = [], None
    for setting in lesson.ae_settings():
        name = lesson.setting_name(**setting)
        sel = select_detectors(
            {name: lesson.autoencoder(**setting)},
            X_train,
            X_val,
            y_val,
            metric="pr_auc",
            seeds=lesson.SEEDS,
            alarm_rate=lesson.ALARM_RATE,
        )
        summary = sel.table.loc[name]
        if best is None or summary["mean"] > best.table["mean"].iloc[0]:
            best = sel
        losses = [float(np.mean(s)) for s in sel.val_scores[name]]
        epochs = [len(pipe[-1].history_["loss"]) for pipe in sel.estimators[name]]
        rows.append(
            {
                "setting": name,
                "latent": setting["latent"],
                "hidden": "-".join(map(str, setting["hidden"])),
                "learning rate": setting["learning_rate"],
                "val loss mean": float(np.mean(losses)),
                "val loss std": float(np.std(losses, ddof=1)),
                "val PR-AUC mean": summary["mean"],
                "val PR-AUC std": summary["std"],
                "val PR-AUC min": summary["min"],
                "val PR-AUC max": summary["max"],
                "epochs": float(np.mean(epochs)),
                "fits": int(summary["n_fits"]),
                "fit s": summary["fit_s"],
            }
        )
    # the test set, once: the setting chosen by validation PR-AUC, every seed, thresholds from validation
    chosen = best.best
    y_v, y_t = y_val.to_numpy(), y_test.to_numpy()
    per_seed = []
    for seed, pipe, val_s in zip(best.runs["seed"], best.estimators[chosen], best.val_scores[chosen], strict=True):
        threshold = alarm_threshold(val_s, lesson.ALARM_RATE)
        test_s = pipe.decision_function(X_test)
        per_seed.append(
            {
                "seed": int(seed),
                "val PR-AUC": float(average_precision_score(y_v, val_s)),
                "val loss": float(np.mean(val_s)),
                "val recall": float((val_s >= threshold)[y_v == 1].mean()),
                "test PR-AUC": float(average_precision_score(y_t, test_s)),
                "test recall": float((test_s >= threshold)[y_t == 1].mean()),
                "test alarm rate": float((test_s >= threshold).mean()),
                "test false alarms": int(np.sum((test_s >= threshold) & (y_t == 0))),
                "test misses": int(np.sum((test_s < threshold) & (y_t == 1))),
            }
        )
    test_row = scoreboard(best, X_test, y_test, alarm_rate=lesson.ALARM_RATE).loc[chosen]
    return {
        "title": "Shuttle: autoencoder search on validation data (lesson 08)",
        "note": (
            f"{len(rows)} settings x {lesson.SEEDS} seeds; training: {len(X_train)} normal rows; validation: "
            f"{len(X_val)} rows with {int(y_val.sum())} anomalies (PR-AUC no-skill {y_val.mean():.3f}). Validation "
            "loss = mean reconstruction error of the validation rows, labels ignored. 'fit s' is the wall time of "
            f"one fit on the machine that ran the study. Chosen by validation PR-AUC: {chosen}; scored once on the "
            f"test set ({len(X_test)} rows, {int(y_test.sum())} anomalies): PR-AUC {test_row['pr_auc']:.3f} ± "
            f"{test_row['pr_auc_std']:.3f}, recall at a {lesson.ALARM_RATE:.0%} alarm budget (threshold from "
            f"validation) {test_row['recall']:.3f} ± {test_row['recall_std']:.3f} over {lesson.SEEDS} seeds."
        ),
        "columns": list(rows[0]),
        "rows": rows,
        "chosen": {
            "setting": chosen,
            "seeds": per_seed,
            "test": {k: (int(v) if k == "n_seeds" else float(v)) for k, v in test_row.items()},
        },
        "settings": {
            "seeds": lesson.SEEDS,
            "split": lesson.SPLIT,
            "training": lesson.AE_TRAINING,
            "grid": {k: list(v) for k, v in lesson.AE_GRID.items()},
            "alarm rate": lesson.ALARM_RATE,
        },
    }


@study
def shuttle_training_sample(*, train_size: int = 1000) -> dict:
    """Lesson 08's Going further: the classical candidates, each seed fitted on its own sample of normal rows.

    :func:`anomaly_helpers.selection.select_detectors` with ``train_size`` rows drawn per seed from the
    lesson's pool of normal training rows (:func:`anomaly_helpers.exercises.lesson08.normal_pool`), so that
    even the deterministic detectors show how much their validation PR-AUC depends on the rows they saw.
    The lesson refits one candidate live and checks that it reproduces its row.
    """
    from anomaly_helpers.exercises import lesson08 as lesson
    from anomaly_helpers.selection import select_detectors

    _, X_val, y_val, _, _ = lesson.shuttle_split()
    pool = lesson.normal_pool()
    sel = select_detectors(
        lesson.classical_candidates(),
        pool,
        X_val,
        y_val,
        metric="pr_auc",
        seeds=lesson.SEEDS,
        train_size=train_size,
        alarm_rate=lesson.ALARM_RATE,
    )
    table = sel.table[["mean", "std", "min", "max", "n_fits"]].reset_index()
    return {
        "title": "Shuttle: classical candidates, each seed on its own training sample (lesson 08, going further)",
        "note": (
            f"{lesson.SEEDS} seeds; each fits on {train_size} rows drawn with its seed from {len(pool)} normal rows; "
            f"validation PR-AUC on {len(X_val)} rows with {int(y_val.sum())} anomalies."
        ),
        "columns": list(table.columns),
        "rows": table.to_dict("records"),
        "settings": {"seeds": lesson.SEEDS, "split": lesson.SPLIT, "alarm rate": lesson.ALARM_RATE},
    }


#: Training settings of section 4's texture autoencoder (lesson 03).
TEXTURE_FIT_AUTOENCODER = {"epochs": 8, "batch_size": 32, "learning_rate": 3e-3, "validation_split": None}


@study
def texture_scratch(*, seeds: int = 5, median_size: int = 5) -> dict:
    """Pixel ROC-AUC of three per-pixel maps on section 4's scratched texture patches (lesson 03).

    The conv autoencoder (``conv2d_autoencoder(input_shape=(16, 16, 1), random_state=seed)``,
    fitted with the same ``random_state``) for seeds ``0 .. seeds - 1``; a PCA residual
    (``PCA_COMPONENTS`` components) and a median-filter residual, which draw no random numbers.
    """
    from sklearn.metrics import roc_auc_score

    from anomaly_helpers import models, scoring, training
    from anomaly_helpers.exercises import lesson03
    from anomaly_helpers.repro import setup_lesson

    setup_lesson(seed=0)  # op determinism; weights and batch order are seeded by random_state below
    data = lesson03.scratch_data()
    names = list(lesson03.SCRATCH_VALUES)

    def row(detector: str, seed: Any, maps: dict) -> dict:
        out = {"detector": detector, "seed": seed}
        out |= {f"{n} scratch": roc_auc_score(data[n][1].ravel(), maps[n].ravel()) for n in names}
        return out

    rows = []
    for seed in range(seeds):
        model = models.conv2d_autoencoder(input_shape=(lesson03.PATCH, lesson03.PATCH, 1), random_state=seed)
        training.fit_model(model, data["train"], verbose="silent", random_state=seed, **TEXTURE_FIT_AUTOENCODER)
        maps = {
            n: scoring.reconstruction_error(data[n][0], training.predict(model, data[n][0]), per="pixel") for n in names
        }
        rows.append(row("conv AE", seed, maps))
    k = lesson03.PCA_COMPONENTS
    rows.append(
        row(f"PCA ({k} components)", "-", {n: lesson03.pca_residual_map(data["train"], data[n][0], k) for n in names})
    )
    rows.append(row(f"median filter ({median_size} x {median_size})", "-",
                    {n: lesson03.median_residual_map(data[n][0], median_size) for n in names}))  # fmt: skip
    return {
        "title": "Locating a scratch: pixel ROC-AUC of three per-pixel maps on texture patches",
        "columns": ["detector", "seed", *(f"{n} scratch" for n in names)],
        "rows": rows,
        "settings": {"autoencoder fit": TEXTURE_FIT_AUTOENCODER, "scratch values": lesson03.SCRATCH_VALUES},
    }


#: Augmentations of the lesson 02 study: name -> arguments of ``preprocessing.augment_images``
#: (None: no augmentation, the few images repeated).
AUGMENTATIONS = {
    "none (repeated)": None,
    "shift only": {"shift": 1, "rotate": 0, "noise": 0.0},
    "shift + rotate + noise": {"shift": 1, "rotate": 10, "noise": 0.05},
}


def _augmentation_scores(seed: int, normal_digit: int, n_train: int, copies: int, epochs: int) -> list[dict]:
    """ROC-AUC of a dense autoencoder and of kNN for each augmentation of :data:`AUGMENTATIONS`, one seed."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    from anomaly_helpers import datasets, detectors, models, scoring, training
    from anomaly_helpers import preprocessing as pp

    digits = datasets.load_digits_one_class(normal_digit=normal_digit, random_state=seed, flatten=False)
    few = digits.X_train[:n_train]
    tests = {
        "as is": digits.X_test,
        "shifted": pp.augment_images(digits.X_test, shift=1, rotate=0, noise=0.0, random_state=123 + seed),
    }
    rows = []
    for name, kwargs in AUGMENTATIONS.items():
        if kwargs is None:
            train = np.concatenate([few] * (copies + 1))
        else:
            made = [pp.augment_images(few, **kwargs, random_state=10 * seed + s) for s in range(copies)]
            train = np.concatenate([few, *made])
        flat = train.reshape(len(train), -1)
        model = models.dense_autoencoder(64, hidden=(32,), latent=8, random_state=seed)
        training.fit_model(
            model, flat, epochs=epochs, batch_size=32, patience=None, validation_split=None, verbose="silent",
            random_state=seed,
        )  # fmt: skip
        knn_train = few.reshape(n_train, -1) if kwargs is None else flat  # kNN: no repeated copies
        knn = detectors.KNNDetector(n_neighbors=5, scale=False).fit(knn_train)
        for test_name, images in tests.items():
            x = images.reshape(len(images), -1)
            errors = scoring.reconstruction_error(x, training.predict(model, x))
            rows.append({"seed": seed, "augmentation": name, "test": test_name,
                         "autoencoder": roc_auc_score(digits.y_test, errors),
                         "kNN": roc_auc_score(digits.y_test, knn.decision_function(x))})  # fmt: skip
    return rows


@study
def augmentation_digits(
    *, seeds: int = 5, normal_digit: int = 3, n_train: int = 20, copies: int = 9, epochs: int = 30
) -> dict:
    """Augmenting few normal digit images: dense autoencoder and kNN, test set as is and shifted (lesson 02).

    For each seed: ``load_digits_one_class(normal_digit, random_state=seed)``, the first
    ``n_train`` training images, and ``copies`` augmented copies of each (or the images repeated);
    a 64-32-8-32-64 autoencoder (``random_state=seed``) and kNN (k = 5) score the test set as
    it is and shifted by up to one pixel. ROC-AUC per seed, augmentation and test set.
    """
    rows = []
    for seed in range(seeds):
        rows.extend(_augmentation_scores(seed, normal_digit, n_train, copies, epochs))
    return {
        "title": f"Augmenting {n_train} images of digit {normal_digit}: ROC-AUC per seed",
        "columns": ["seed", "augmentation", "test", "autoencoder", "kNN"],
        "rows": rows,
        "settings": {"augmentations": {k: v for k, v in AUGMENTATIONS.items()}},
    }


#: Training settings of lesson 02's raw-vs-standardised curves (Adam, fixed row order, no shuffling).
NORMALISATION_FIT = {"batch_size": 32, "learning_rate": 1e-3}


def _normalisation_curve(seed: int, standardise: bool, epochs: int) -> tuple[list[float], dict]:
    """Lesson 02's error curve for one seed: reconstruction MSE on the standardised scale after each epoch.

    The WBC one-class split (``random_state=seed``), a 30-16-4-16-30 autoencoder
    (``random_state=seed``) trained on the raw or the standardised training rows, in the fixed
    order ``default_rng(seed).permutation``; seed 0 is the lesson's live run.
    """
    import keras
    import numpy as np
    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers import datasets, models, splits

    X, y = datasets.make_wbc()
    split = splits.one_class_split(X, y, test_size=0.3, random_state=seed)
    raw = split.X_train.to_numpy(dtype="float32")
    standardiser = StandardScaler().fit(raw)
    std = standardiser.transform(raw).astype("float32")
    inputs, to_standard = (std, lambda a: a) if standardise else (raw, standardiser.transform)
    order = np.random.default_rng(seed).permutation(len(raw))
    model = models.dense_autoencoder(30, hidden=(16,), latent=4, random_state=seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=NORMALISATION_FIT["learning_rate"]), loss="mse")
    errors: list[float] = []

    def record(epoch, logs):
        reconstruction = to_standard(np.asarray(model(inputs, training=False)))
        errors.append(float(np.mean((reconstruction - std) ** 2)))

    model.fit(
        inputs[order], inputs[order], epochs=epochs, batch_size=NORMALISATION_FIT["batch_size"], shuffle=False,
        verbose=0, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=record)],
    )  # fmt: skip
    return errors, {
        "dense_units": [layer.units for layer in model.layers if hasattr(layer, "units")],
        "optimizer": type(model.optimizer).__name__,
        "loss": model.loss,
    }


@study
def normalisation_speed(*, seeds: int = 5, epochs: int = 20) -> dict:
    """The same autoencoder trained on raw and on standardised WBC rows, error after each epoch (lesson 02).

    For each seed, :func:`_normalisation_curve` with raw and with standardised inputs; the error
    is measured on the standardised scale (1.0 = predicting each feature's mean).
    """
    rows, model_settings = [], {}
    for seed in range(seeds):
        for inputs in ("raw features", "standardised"):
            errors, model_settings = _normalisation_curve(seed, inputs == "standardised", epochs)
            rows.append({"seed": seed, "inputs": inputs, **{f"epoch {e}": v for e, v in enumerate(errors, start=1)}})
    return {
        "title": "Raw vs standardised inputs: reconstruction MSE (standardised scale) after each epoch, per seed",
        "columns": ["seed", "inputs", *(f"epoch {e}" for e in range(1, epochs + 1))],
        "rows": rows,
        "settings": {**model_settings, "fit": NORMALISATION_FIT},
    }


if __name__ == "__main__":
    sys.exit(main())
