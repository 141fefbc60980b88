"""Studies of lesson 09 (challenges and trends): the parts too slow to run live.

Each study trains Keras autoencoders over several seeds and returns a table
``{"title", "note", "columns", "rows"}``; lesson 09 reads the committed results through the
package and plots them next to the classical detectors it runs live.
"""

from __future__ import annotations

import itertools
import statistics
import time

#: Seeds of every study (splits and, where it applies, weight initialisation).
SEEDS = (0, 1, 2, 3, 4)
#: Shares of anomalies mixed into the Shuttle training data (section 1).
CONTAMINATION_RATES = (0.0, 0.01, 0.02, 0.05, 0.10)
#: Shuttle split of section 1: normal training rows, normal and anomalous test rows.
SHUTTLE_SIZES = {"n_train": 1000, "n_test": 1000, "n_test_anomalies": 50}
#: Breast-cancer split of sections 2-4: benign training rows, benign and malignant test rows.
CANCER_SIZES = {"n_train": 200, "n_test": 157, "n_test_anomalies": 20}
#: Share of the highest-scoring training rows dropped before the refit ("trimmed refit").
TRIM = 0.1
#: Autoencoder training settings shared by the studies.
AE_SETTINGS = {"epochs": 30, "batch_size": 64, "patience": 5, "validation_fraction": 0.1}
#: Autoencoder sizes of the cost-of-complexity study: name -> (hidden layers, latent size).
AE_SIZES = {
    "AE tiny (4)-2": ((4,), 2),
    "AE small (16)-4": ((16,), 4),
    "AE medium (64-32)-8": ((64, 32), 8),
    "AE large (256-128)-16": ((256, 128), 16),
}
#: How many features an explanation keeps, and how many flagged test rows are explained.
TOP_K, N_EXPLAINED = 3, 10


def _auc(y, s) -> tuple[float, float]:
    from sklearn.metrics import average_precision_score, roc_auc_score

    return float(roc_auc_score(y, s)), float(average_precision_score(y, s))


def _mean_sd(values) -> tuple[float, float]:
    values = list(values)
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def _pipe(detector):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), detector)


def _trimmed_refit(pipe, X, trim):
    """Fit, drop the ``trim`` share of training rows with the highest training scores, refit a clone."""
    import numpy as np
    from sklearn.base import clone

    pipe.fit(X)
    scores = pipe[-1].decision_scores_
    keep = scores < np.quantile(scores, 1 - trim)
    return clone(pipe).fit(X[keep])


def _autoencoder(seed, hidden=(16,), latent=4):
    from anomaly_helpers.detectors import AutoencoderDetector

    return AutoencoderDetector(hidden=hidden, latent=latent, random_state=seed, **AE_SETTINGS)


def challenges_contamination() -> dict:
    """ROC-AUC / PR-AUC of Isolation Forest and an autoencoder when the training data hold anomalies."""
    from anomaly_helpers.datasets import load_shuttle
    from anomaly_helpers.detectors import IsolationForestDetector
    from anomaly_helpers.stress import contaminated_split

    X, y = load_shuttle()
    X, y = X.to_numpy(float), y.to_numpy()
    results: dict[tuple[str, float], list[tuple[float, float]]] = {}
    for rate, seed in itertools.product(CONTAMINATION_RATES, SEEDS):
        X_tr, X_te, y_te, _ = contaminated_split(X, y, rate, random_state=seed, **SHUTTLE_SIZES)
        runs = {
            "Isolation Forest": _pipe(IsolationForestDetector(random_state=seed)).fit(X_tr),
            "autoencoder": _pipe(_autoencoder(seed)).fit(X_tr),
        }
        runs["autoencoder, trimmed refit"] = _trimmed_refit(_pipe(_autoencoder(seed)), X_tr, TRIM)
        for name, pipe in runs.items():
            results.setdefault((name, rate), []).append(_auc(y_te, pipe.decision_function(X_te)))
    rows = []
    for (name, rate), values in results.items():
        roc, roc_sd = _mean_sd(v[0] for v in values)
        pr, pr_sd = _mean_sd(v[1] for v in values)
        rows.append(
            {"detector": name, "rate": rate, "roc_auc": roc, "roc_auc_sd": roc_sd, "pr_auc": pr, "pr_auc_sd": pr_sd}
        )
    return {
        "title": "Lesson 09 · contaminated training data (Shuttle)",
        "note": (
            f"Training: {SHUTTLE_SIZES['n_train']} normal Shuttle rows plus anomalies making up the given share; "
            f"test: {SHUTTLE_SIZES['n_test']} other normal rows and {SHUTTLE_SIZES['n_test_anomalies']} anomalies "
            f"never used in training. Standardised in a pipeline. Mean and standard deviation over seeds {SEEDS} "
            f"(split and weights). Trimmed refit: drop the {TRIM:.0%} highest training scores, fit again."
        ),
        "columns": ["detector", "rate", "roc_auc", "roc_auc_sd", "pr_auc", "pr_auc_sd"],
        "rows": rows,
    }


def _cancer():
    from anomaly_helpers.datasets import load_breast_cancer

    X, y = load_breast_cancer()
    return X.to_numpy(float), y.to_numpy(), list(X.columns)


def challenges_complexity() -> dict:
    """Parameters, fit time and quality of classical detectors and autoencoders of four sizes."""
    from anomaly_helpers.detectors import IsolationForestDetector, KNNDetector, PCADetector
    from anomaly_helpers.stress import contaminated_split

    X, y, _ = _cancer()
    makers = {
        "kNN (k=5)": lambda seed: KNNDetector(scale=False),
        "PCA": lambda seed: PCADetector(scale=False),
        "Isolation Forest": lambda seed: IsolationForestDetector(random_state=seed),
    }
    for name, (hidden, latent) in AE_SIZES.items():
        makers[name] = lambda seed, h=hidden, z=latent: _autoencoder(seed, h, z)
    rows = []
    for name, make in makers.items():
        aucs, seconds, n_params = [], [], None
        for seed in SEEDS:
            X_tr, X_te, y_te, _ = contaminated_split(X, y, 0.0, random_state=seed, **CANCER_SIZES)
            pipe = _pipe(make(seed))
            start = time.perf_counter()
            pipe.fit(X_tr)
            seconds.append(time.perf_counter() - start)
            aucs.append(_auc(y_te, pipe.decision_function(X_te)))
            if hasattr(pipe[-1], "model_") and hasattr(pipe[-1].model_, "count_params"):
                n_params = int(pipe[-1].model_.count_params())
        roc, roc_sd = _mean_sd(a[0] for a in aucs)
        pr, pr_sd = _mean_sd(a[1] for a in aucs)
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
            f"Training: {CANCER_SIZES['n_train']} benign tumours; test: {CANCER_SIZES['n_test']} other benign and "
            f"{CANCER_SIZES['n_test_anomalies']} malignant. Standardised in a pipeline. Mean and standard deviation "
            f"over seeds {SEEDS}; fit time is the median wall-clock time of one fit on the benchmark machine "
            f"(2 cores). Autoencoders: {AE_SETTINGS}. Parameters: trainable weights of the network (empty for "
            "the classical detectors)."
        ),
        "columns": ["detector", "parameters", "fit_seconds", "roc_auc", "roc_auc_sd", "pr_auc", "pr_auc_sd"],
        "rows": rows,
    }


def explained_rows(X_tr, X_te, y_te):
    """The test anomalies to explain: the ``N_EXPLAINED`` that kNN (k=5, standardised) scores highest."""
    import numpy as np

    from anomaly_helpers.detectors import KNNDetector

    scores = _pipe(KNNDetector(scale=False)).fit(X_tr).decision_function(X_te)
    anomalies = np.flatnonzero(y_te == 1)
    return anomalies[np.argsort(-scores[anomalies], kind="stable")[:N_EXPLAINED]]


def challenges_explanations() -> dict:
    """Top features of the same flagged rows, explained by autoencoders trained with different seeds."""
    import numpy as np

    from anomaly_helpers.explain import occlusion_attributions, top_features, top_k_agreement
    from anomaly_helpers.stress import contaminated_split

    X, y, names = _cancer()
    X_tr, X_te, y_te, _ = contaminated_split(X, y, 0.0, random_state=0, **CANCER_SIZES)
    reference = np.median(X_tr, axis=0)
    explained = explained_rows(X_tr, X_te, y_te)
    rows = []
    for hidden, latent, label in (((16,), 4, "AE small (16)-4"), ((256, 128), 16, "AE large (256-128)-16")):
        attributions = []
        for seed in SEEDS:
            pipe = _pipe(_autoencoder(seed, hidden, latent)).fit(X_tr)
            attributions.append(occlusion_attributions(pipe.decision_function, X_te[explained], reference))
        for r, row in enumerate(explained):
            pairs = [
                top_k_agreement(attributions[a][r], attributions[b][r], TOP_K)
                for a, b in itertools.combinations(range(len(SEEDS)), 2)
            ]
            tops = [" / ".join(names[j] for j in top_features(attributions[s][r], TOP_K)) for s in range(len(SEEDS))]
            rows.append(
                {
                    "model": label,
                    "test_row": int(row),
                    "rank": r + 1,
                    "agreement": statistics.fmean(pairs),
                    **{f"top{TOP_K}_seed{seed}": tops[i] for i, seed in enumerate(SEEDS)},
                }
            )
    return {
        "title": "Lesson 09 · stability of explanations (breast cancer)",
        "note": (
            f"Breast-cancer split of seed 0 ({CANCER_SIZES}); autoencoders trained with seeds {SEEDS} on the same "
            f"data. Each explains the {N_EXPLAINED} test anomalies that kNN (k=5) scores highest, "
            f"by occlusion (score drop when a feature is set to its training median). Agreement: mean Jaccard "
            f"index of the top-{TOP_K} feature sets over all pairs of seeds (1 = the same features)."
        ),
        "columns": ["model", "test_row", "rank", "agreement"] + [f"top{TOP_K}_seed{s}" for s in SEEDS],
        "rows": rows,
    }


#: Lesson 09's studies, by name.
STUDIES = {
    "challenges_contamination": challenges_contamination,
    "challenges_complexity": challenges_complexity,
    "challenges_explanations": challenges_explanations,
}
