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


STUDIES: dict[str, Callable[[], dict]] = {
    "baselines_breast_cancer": baselines_on_breast_cancer,
}
