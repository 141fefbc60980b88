"""Studies run by ``make benchmark`` after the lesson timings.

Each study returns a table ``{"title", "note", "columns", "rows"}`` that the benchmark
writes to ``benchmarks/RESULTS.md`` and ``benchmarks/results.json``. Lessons quote these
committed figures instead of re-running long sweeps; nothing here is typed by hand.
"""

from __future__ import annotations

from collections.abc import Callable


def _unsupervised(seed: int):
    from anomaly_helpers.data import make_wbc

    X, y = make_wbc(n_anomalies=21, random_state=seed)
    return X, None, y


def baselines_on_breast_cancer() -> dict:
    """ROC-AUC / PR-AUC of the six classical detectors on the two breast-cancer setups."""
    from anomaly_helpers.baselines import compare_detectors
    from anomaly_helpers.data import load_breast_cancer, make_wbc, one_class_split

    X_wbc, y_wbc = make_wbc(n_anomalies=21, random_state=0)
    unsupervised = compare_detectors(X_wbc, None, y_wbc)
    # The 21 malignant rows are a random choice: average over ten choices as well.
    subsets = [compare_detectors(*_unsupervised(seed)) for seed in range(10)]
    mean_auc = sum(t["roc_auc"] for t in subsets) / len(subsets)
    min_auc = subsets[0]["roc_auc"].copy()
    max_auc = subsets[0]["roc_auc"].copy()
    for t in subsets[1:]:
        min_auc = min_auc.combine(t["roc_auc"], min)
        max_auc = max_auc.combine(t["roc_auc"], max)

    X, y = load_breast_cancer()
    split = one_class_split(X, y, test_size=0.3, random_state=0)
    one_class = compare_detectors(split.X_train, split.X_test, split.y_test)

    rows = []
    for name in unsupervised.index:
        rows.append(
            {
                "detector": name,
                "WBC ROC-AUC": unsupervised.loc[name, "roc_auc"],
                "WBC PR-AUC": unsupervised.loc[name, "pr_auc"],
                "WBC ROC-AUC, 10 subsets: mean (min–max)": f"{mean_auc[name]:.3f} ({min_auc[name]:.3f}–{max_auc[name]:.3f})",
                "one-class ROC-AUC": one_class.loc[name, "roc_auc"],
                "one-class PR-AUC": one_class.loc[name, "pr_auc"],
            }
        )
    return {
        "title": "Classical baselines on the breast-cancer data",
        "note": (
            "WBC: ODDS-style subset (357 benign + 21 malignant, seed 0, 5.6 % anomalies), unsupervised "
            "(fit and score the whole set, as ODDS/PyOD benchmarks do); the mean column repeats this for ten random "
            "choices of the 21 malignant rows (seeds 0–9). One-class: train on 70 % of the benign "
            "tumours of the full table, test on the other 30 % + all 212 malignant (seed 0). Published and "
            "reproduced figures for IsolationForest on WBC: ROC-AUC ≈ 0.93–0.96. PR-AUC's no-skill level is the "
            f"prevalence: {y_wbc.mean():.3f} on WBC, {split.y_test.mean():.3f} on the one-class test set."
        ),
        "columns": [
            "detector",
            "WBC ROC-AUC",
            "WBC PR-AUC",
            "WBC ROC-AUC, 10 subsets: mean (min–max)",
            "one-class ROC-AUC",
            "one-class PR-AUC",
        ],
        "rows": rows,
    }


#: Detectors of the leave-one-digit-out study, in the order of the table's columns.
DIGIT_DETECTORS = (
    "conv AE",
    "conv AE + dense bottleneck",
    "dense AE",
    "CNN features + kNN",
    "kNN (pixels)",
    "PCA (pixels)",
    "IsolationForest (pixels)",
)


def _digits_leave_one_out_scores(anomaly_digit: int) -> dict[str, float]:
    """Test ROC-AUC of every detector of :data:`DIGIT_DETECTORS` for one held-out digit."""
    from sklearn.metrics import roc_auc_score

    from anomaly_helpers import baselines, data, models, scoring, training
    from anomaly_helpers.repro import setup_lesson

    def seeded(build, *args, **kwargs):
        setup_lesson(seed=0)  # seeds Keras (weight initialisation) and turns on op determinism
        return build(*args, **kwargs)

    split = data.load_digits_leave_one_out(anomaly_digit, test_size=0.3, val_size=0.2, random_state=0)
    X_train, X_test, y_test = split.X_train, split.X_test, split.y_test
    X_val_normal = split.X_val[split.y_val == 0]  # the classifier's early stopping watches normal images only
    flat_train, flat_test = X_train.reshape(len(X_train), -1), X_test.reshape(len(X_test), -1)
    fit_ae = {"epochs": 30, "batch_size": 64, "learning_rate": 5e-3, "patience": None, "validation_split": None}
    fit_cnn = {"epochs": 30, "batch_size": 32, "learning_rate": 3e-3, "patience": 3}
    auc: dict[str, float] = {}

    def autoencoder_auc(model, x_train, x_test):
        training.fit_model(model, x_train, verbose="silent", **fit_ae)
        return roc_auc_score(y_test, scoring.reconstruction_error(x_test, training.predict(model, x_test)))

    auc["conv AE"] = autoencoder_auc(seeded(models.conv2d_autoencoder), X_train, X_test)
    auc["conv AE + dense bottleneck"] = autoencoder_auc(
        seeded(models.conv2d_autoencoder, latent_dense=8), X_train, X_test
    )
    auc["dense AE"] = autoencoder_auc(
        seeded(models.dense_autoencoder, 64, hidden=(32,), latent=8), flat_train, flat_test
    )

    classifier, encoder = seeded(models.cnn_feature_extractor, n_classes=9)
    digits = split.info["digits_train"]
    classes = digits - (digits > anomaly_digit)  # the nine normal digits as classes 0..8
    val_digits = split.info["digits_val"][split.y_val == 0]
    val_classes = val_digits - (val_digits > anomaly_digit)
    training.fit_model(
        classifier, X_train, classes, validation_data=(X_val_normal, val_classes), verbose="silent", **fit_cnn
    )
    knn = baselines.make_detector("knn", scale=False).fit(training.predict(encoder, X_train))
    auc["CNN features + kNN"] = roc_auc_score(y_test, knn.score(training.predict(encoder, X_test)))

    pixel_detectors = {
        "kNN (pixels)": baselines.make_detector("knn", scale=False),
        "PCA (pixels)": baselines.make_detector("pca", scale=False),
        "IsolationForest (pixels)": baselines.make_detector("iforest", random_state=0),
    }
    for name, det in pixel_detectors.items():
        auc[name] = roc_auc_score(y_test, det.fit(flat_train).score(flat_test))
    return auc


def digits_leave_one_out() -> dict:
    """ROC-AUC of autoencoders, CNN features and pixel baselines for each held-out digit (lesson 03)."""
    rows = []
    for digit in range(10):
        auc = _digits_leave_one_out_scores(digit)
        rows.append({"held-out digit": str(digit), **{k: round(float(auc[k]), 3) for k in DIGIT_DETECTORS}})
    means = {k: round(sum(r[k] for r in rows) / len(rows), 3) for k in DIGIT_DETECTORS}
    rows.append({"held-out digit": "mean", **means})
    return {
        "title": "Leave one digit out: train on nine digits, flag the tenth (ROC-AUC on the test split)",
        "note": (
            "scikit-learn's 8 x 8 digits; for each held-out digit: train on 50 % of the other nine digits' images, "
            "keep 20 % for validation, test on the other 30 % plus 60 % of the held-out digit's images "
            "(load_digits_leave_one_out(d, test_size=0.3, val_size=0.2, random_state=0)). "
            "conv AE: models.conv2d_autoencoder() (filters 16, 8; 2 x 2 x 8 code); + dense bottleneck: "
            "latent_dense=8; dense AE: 64-32-8-32-64; each 30 epochs, Adam 5e-3, batch 64, seed 0, no early stopping. "
            "CNN features: the 32-d embedding of models.cnn_feature_extractor trained to classify the nine normal "
            "digits (Adam 3e-3, batch 32, at most 30 epochs, early stopping on the normal validation images with "
            "patience 3), scored by kNN. Pixel baselines on the 64 raw pixels (kNN k=5 mean distance and PCA 90 % "
            "variance, both unscaled; IsolationForest 100 trees). Score = mean squared reconstruction error for "
            "the autoencoders."
        ),
        "columns": ["held-out digit", *DIGIT_DETECTORS],
        "rows": rows,
    }


STUDIES: dict[str, Callable[[], dict]] = {
    "baselines_breast_cancer": baselines_on_breast_cancer,
    "digits_leave_one_out": digits_leave_one_out,
}
