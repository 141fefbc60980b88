"""Exercises of lesson 08 · Practice: an end-to-end project on Shuttle.

The lesson's data and settings are defined here once (:func:`shuttle_split`, :data:`SPLIT`,
:func:`classical_candidates`, :func:`autoencoder`, :data:`AE_GRID`), so that the checks, the
benchmark study of the autoencoder search and the lesson all use the same rows and detectors.
"""

from __future__ import annotations

import itertools
import math
import numbers
import sys
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, Incorrect
from anomaly_helpers.exercises.feedback import short_repr
from anomaly_helpers.exercises.progress import progress_of

#: The lesson's split of Shuttle: a stratified 20 % test set, then 2,000 stratified validation rows,
#: and 2,000 *normal* training rows drawn from the rest (the one-class setting, subsampled for speed).
SPLIT = {"test_size": 0.2, "val_size": 2000, "train_size": 2000, "random_state": 0}

#: The alarm budget: the team can check 8 readings in 100.
ALARM_RATE = 0.08

#: Costs of the errors, in units of one false alarm: a missed fault costs ``COST_FN`` false alarms.
COST_FP = 1
COST_FN = 20

#: Seeds of every comparison in the lesson.
SEEDS = 5

#: Fixed training settings of every autoencoder (the search varies the others): at most 40 epochs,
#: stopped when the training loss has not improved for 5 epochs (no validation split: it would cost
#: a third more time per fit, and the lesson's validation rows are kept for choosing).
AE_TRAINING = {"epochs": 40, "batch_size": 256, "patience": 5, "validation_fraction": None}

#: The autoencoder search: latent size x depth x learning rate.
AE_GRID = {"latent": (2, 4, 6, 8), "hidden": ((16,), (32, 16)), "learning_rate": (3e-3, 1e-2)}


@lru_cache(maxsize=1)
def shuttle_split() -> tuple[Any, Any, Any, Any, Any]:
    """The lesson's split: ``(X_train, X_val, y_val, X_test, y_test)`` (DataFrames / Series).

    ``X_train`` holds :data:`SPLIT` ``["train_size"]`` normal rows only; validation and test
    keep Shuttle's anomaly rate (stratified).
    """
    from sklearn.model_selection import train_test_split

    from anomaly_helpers.datasets import load_shuttle

    X, y = load_shuttle()
    rs = SPLIT["random_state"]
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=SPLIT["test_size"], stratify=y, random_state=rs)
    X_pool, X_val, y_pool, y_val = train_test_split(
        X_rest, y_rest, test_size=SPLIT["val_size"], stratify=y_rest, random_state=rs
    )
    X_train = X_pool[y_pool == 0].sample(n=SPLIT["train_size"], random_state=rs)
    return X_train, X_val, y_val, X_test, y_test


@lru_cache(maxsize=1)
def normal_pool() -> Any:
    """Every normal row left after the test and validation sets are put aside (the pool ``X_train`` is drawn from)."""
    from sklearn.model_selection import train_test_split

    from anomaly_helpers.datasets import load_shuttle

    X, y = load_shuttle()
    rs = SPLIT["random_state"]
    X_rest, _, y_rest, _ = train_test_split(X, y, test_size=SPLIT["test_size"], stratify=y, random_state=rs)
    X_pool, _, y_pool, _ = train_test_split(
        X_rest, y_rest, test_size=SPLIT["val_size"], stratify=y_rest, random_state=rs
    )
    return X_pool[y_pool == 0]


def classical_candidates() -> dict[str, Any]:
    """The lesson's classical candidates, as pipelines (Isolation Forest needs no scaling)."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers.detectors import (
        IsolationForestDetector,
        KNNDetector,
        LOFDetector,
        OneClassSVMDetector,
        PCADetector,
    )

    return {
        "Isolation Forest": IsolationForestDetector(random_state=0),
        "kNN (k=5)": make_pipeline(StandardScaler(), KNNDetector(n_neighbors=5, scale=False)),
        "LOF (k=20)": make_pipeline(StandardScaler(), LOFDetector(n_neighbors=20, scale=False)),
        "PCA (90 % variance)": make_pipeline(StandardScaler(), PCADetector(n_components=0.9, scale=False)),
        "One-class SVM": make_pipeline(StandardScaler(), OneClassSVMDetector(nu=0.05, scale=False)),
    }


def autoencoder(latent: int, hidden: tuple[int, ...], learning_rate: float) -> Any:
    """The lesson's autoencoder pipeline: scaler + dense autoencoder with :data:`AE_TRAINING`."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers.detectors import AutoencoderDetector

    return make_pipeline(
        StandardScaler(),
        AutoencoderDetector(
            hidden=tuple(hidden), latent=latent, learning_rate=learning_rate, random_state=0, **AE_TRAINING
        ),
    )


def setting_name(latent: int, hidden: tuple[int, ...], learning_rate: float) -> str:
    """Short name of one autoencoder setting, e.g. ``"AE latent 4, hidden 16, lr 0.01"``."""
    return f"AE latent {latent}, hidden {'-'.join(map(str, hidden))}, lr {learning_rate:g}"


def ae_settings() -> list[dict[str, Any]]:
    """Every setting of :data:`AE_GRID`, as keyword dicts for :func:`autoencoder`."""
    keys = list(AE_GRID)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*AE_GRID.values())]


def parse_hidden(text: str) -> tuple[int, ...]:
    """The hidden layer sizes of a study row, e.g. ``"32-16"`` -> ``(32, 16)``."""
    return tuple(int(part) for part in str(text).split("-") if part)


# --------------------------------------------------------------------------- shared, cached fits
@lru_cache(maxsize=1)
def baseline_selection() -> Any:
    """The lesson's classical selection (section 3), recomputed with the lesson's arguments."""
    from anomaly_helpers.selection import select_detectors

    X_train, X_val, y_val, _, _ = shuttle_split()
    return select_detectors(
        classical_candidates(), X_train, X_val, y_val, metric="pr_auc", seeds=SEEDS, alarm_rate=ALARM_RATE
    )


@lru_cache(maxsize=1)
def _iforest() -> tuple[Any, np.ndarray, float]:
    """Isolation Forest of seed 0 on the lesson's training rows: (model, validation scores, budget threshold)."""
    from anomaly_helpers.detectors import IsolationForestDetector
    from anomaly_helpers.selection import alarm_threshold

    X_train, X_val, _, _, _ = shuttle_split()
    model = IsolationForestDetector(random_state=0).fit(X_train)
    scores = model.decision_function(X_val)
    return model, scores, alarm_threshold(scores, ALARM_RATE)


def occlusion(score: Any, x: Any, reference: Any) -> Any:
    """Drop of ``score`` when each feature of the row ``x`` (a Series) is set to ``reference``."""
    frame = x.to_frame().T.astype(float)
    base = float(score(frame)[0])
    drops = {}
    for feature in frame.columns:
        changed = frame.copy()
        changed[feature] = float(reference[feature])
        drops[feature] = base - float(score(changed)[0])
    import pandas as pd

    return pd.Series(drops)


def _as_dict(answer: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(answer, Mapping):
        raise Incorrect(f"answer with a dict with the keys {', '.join(map(repr, keys))}, got {short_repr(answer)}.")
    missing = [k for k in keys if k not in answer]
    if missing:
        raise Incorrect(f"the dict misses the key(s) {', '.join(map(repr, missing))}.")
    return dict(answer)


def _number(value: Any, what: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.number)):
        raise Incorrect(f"{what} must be a number, got {short_repr(value)}.")
    if not math.isfinite(float(value)):
        raise Incorrect(f"{what} is {value}, not a finite number.")
    return float(value)


# --------------------------------------------------------------------------- Exercise 8.1
q1 = ChoiceExercise(
    "Exercise 8.1 (★☆☆)",
    answer={"a", "d", "e"},
    choices=["a", "b", "c", "d", "e"],
    explanation=(
        "(a) fits the scaler on every row, test rows included, before splitting; (d) sets the threshold on the "
        "training scores, the data the model was fitted on; (e) sets it on the test scores. (b) and (c) are right: "
        "a stratified split, and a one-class fit on normal training rows."
    ),
    why_not={
        "b": "(b) is a stratified split: it keeps the anomaly rate in both parts and leaks nothing.",
        "c": "(c) fits on the normal training rows only: that is the one-class setting of this lesson.",
    },
    hints=[
        "A line breaks the rules when test rows influence anything fitted or chosen, or when a threshold is set on "
        "the data the model was fitted on.",
        "Three lines do: one about the scaler, two about the threshold.",
    ],
)


# --------------------------------------------------------------------------- Exercise 8.2
def _check_one_more(answer: Any) -> None:
    from anomaly_helpers.selection import Selection

    given = _as_dict(answer, ("selection", "changed"))
    sel, changed = given["selection"], given["changed"]
    if not isinstance(sel, Selection):
        raise Incorrect(f"'selection' must be what select_detectors returns, got {short_repr(sel)}.")
    if not isinstance(changed, (bool, np.bool_)):
        raise Incorrect(f"'changed' must be True or False, got {short_repr(changed)}.")
    originals = list(classical_candidates())
    names = list(sel.table.index)
    missing = [n for n in originals if n not in names]
    if missing:
        raise Incorrect(f"keep the lesson's candidates and add one; {', '.join(missing)} is missing.")
    if len(names) <= len(originals):
        raise Incorrect("your selection has no new candidate: add one to `more` (a copy of `candidates`) and rerun.")
    n_val = {len(scores[0]) for scores in sel.val_scores.values()}
    if sel.metric != "pr_auc" or int(sel.table["n_seeds"].min()) < 3 or n_val != {SPLIT["val_size"]}:
        raise Incorrect(
            "rerun with the same arguments as the lesson: X_train, X_val, y_val, metric='pr_auc', seeds=ex.SEEDS."
        )
    before = str(sel.table.loc[originals, "mean"].idxmax())
    really_changed = sel.best != before
    if bool(changed) != really_changed:
        raise Incorrect(
            f"your table ranks {sel.best!r} first, and {before!r} was first among the lesson's candidates, so the "
            f"choice {'did' if really_changed else 'did not'} change."
        )


def _one_more_answer(changed_right: bool = True) -> dict[str, Any]:
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers.detectors import KNNDetector
    from anomaly_helpers.selection import select_detectors

    X_train, X_val, y_val, _, _ = shuttle_split()
    more = classical_candidates()
    more["kNN (k=20)"] = make_pipeline(StandardScaler(), KNNDetector(n_neighbors=20, scale=False))
    sel = select_detectors(more, X_train, X_val, y_val, metric="pr_auc", seeds=SEEDS, alarm_rate=ALARM_RATE)
    changed = sel.best != str(sel.table.loc[list(classical_candidates()), "mean"].idxmax())
    return {"selection": sel, "changed": changed if changed_right else not changed}


def _context_82() -> dict[str, Any]:
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers import selection
    from anomaly_helpers.detectors import KNNDetector

    X_train, X_val, y_val, _, _ = shuttle_split()
    return {
        "candidates": classical_candidates(),
        "baseline": baseline_selection(),
        "X_train": X_train,
        "X_val": X_val,
        "y_val": y_val,
        "selection": selection,
        "make_pipeline": make_pipeline,
        "StandardScaler": StandardScaler,
        "KNNDetector": KNNDetector,
        "ex": sys.modules[__name__],
    }


q2 = CustomExercise(
    "Exercise 8.2 (★★☆)",
    check_fn=_check_one_more,
    reference=_one_more_answer,
    what_to_give="a dict {'selection': the new Selection, 'changed': True or False}",
    hints=[
        "`more = dict(candidates)` copies the candidates; add `more['kNN (k=20)'] = make_pipeline(StandardScaler(), "
        "KNNDetector(n_neighbors=20, scale=False))` or any other detector, then call select_detectors with `more`.",
        "The choice is the top of the ranking: compare `baseline_plus.best` with `baseline.best`.",
    ],
    solution=(
        "more = dict(candidates)\n"
        "more['kNN (k=20)'] = make_pipeline(StandardScaler(), KNNDetector(n_neighbors=20, scale=False))\n"
        "baseline_plus = selection.select_detectors(\n"
        "    more, X_train, X_val, y_val, metric='pr_auc', seeds=ex.SEEDS, alarm_rate=ex.ALARM_RATE\n"
        ")\n"
        "# the best is now {baseline_plus.best!r}; it was {baseline.best!r}\n"
        "answer_82 = {'selection': baseline_plus, 'changed': baseline_plus.best != baseline.best}"
    ),
    context=_context_82,
)


# --------------------------------------------------------------------------- Exercise 8.3
BUDGETS = tuple(round(0.01 * k, 2) for k in range(1, 21))


def cost_table(cost_fn: float, cost_fp: float = COST_FP) -> Any:
    """Cost and recall of each budget in :data:`BUDGETS`, for the Isolation Forest of seed 0 on validation."""
    import pandas as pd

    from anomaly_helpers.selection import alarm_threshold

    _, scores, _ = _iforest()
    y = shuttle_split()[2].to_numpy()
    rows = {}
    for b in BUDGETS:
        flagged = scores >= alarm_threshold(scores, b)
        fp, fn = int(np.sum(flagged & (y == 0))), int(np.sum(~flagged & (y == 1)))
        rows[b] = {"cost": cost_fp * fp + cost_fn * fn, "recall": float(flagged[y == 1].mean()), "fp": fp, "fn": fn}
    return pd.DataFrame.from_dict(rows, orient="index")


def _check_budget(answer: Any) -> None:
    given = _as_dict(answer, ("cost_fn", "budget", "recall"))
    cost_fn = _number(given["cost_fn"], "cost_fn")
    budget = _number(given["budget"], "budget")
    recall = _number(given["recall"], "recall")
    if cost_fn <= 0:
        raise Incorrect("cost_fn must be positive: a miss costs something.")
    table = cost_table(cost_fn)
    match = [b for b in table.index if math.isclose(b, budget, abs_tol=1e-9)]
    if not match:
        if budget > 1:
            raise Incorrect("give the budget as a fraction (0.05), not a percentage.")
        raise Incorrect(f"the budget must be one of `budgets` ({BUDGETS[0]} to {BUDGETS[-1]}), got {budget:g}.")
    row = table.loc[match[0]]
    best = float(table["cost"].min())
    if row["cost"] > best:
        cheapest = float(table["cost"].idxmin())
        raise Incorrect(
            f"with cost_fn={cost_fn:g}, budget {budget:g} costs {row['cost']:g} but budget {cheapest:g} costs "
            f"{best:g}: cost = COST_FP * FP + cost_fn * FN, minimised over the budgets."
        )
    if not math.isclose(recall, row["recall"], abs_tol=1e-3):
        raise Incorrect(
            f"the budget is right, but the validation recall at {budget:g} is not {recall:.3f}: count the flagged "
            "anomalies among all validation anomalies."
        )


def _budget_answer(cost_fn: float = COST_FN) -> dict[str, float]:
    table = cost_table(cost_fn)
    best = float(table["cost"].idxmin())
    return {"cost_fn": cost_fn, "budget": best, "recall": float(table.loc[best, "recall"])}


def _context_83() -> dict[str, Any]:
    from anomaly_helpers import selection

    _, scores, _ = _iforest()
    return {
        "val_scores": scores,
        "budgets": np.array(BUDGETS),
        "y_val_arr": shuttle_split()[2].to_numpy(),
        "selection": selection,
        "ex": sys.modules[__name__],
    }


q3 = CustomExercise(
    "Exercise 8.3 (★★☆)",
    check_fn=_check_budget,
    reference=_budget_answer,
    what_to_give="a dict {'cost_fn': ..., 'budget': ..., 'recall': ...}",
    hints=[
        "For one budget b: `flagged = val_scores >= selection.alarm_threshold(val_scores, b)`; "
        "FP = flagged normal rows, FN = anomalies not flagged.",
        "Collect the cost of every budget in a list, take `np.argmin`, and read the recall at that budget. A dearer "
        "miss makes flagging more worthwhile, so the budget grows.",
    ],
    solution=(
        "cost_fn = ex.COST_FN\n"
        "costs, recalls = [], []\n"
        "for b in budgets:\n"
        "    flagged = val_scores >= selection.alarm_threshold(val_scores, b)\n"
        "    fp = int(np.sum(flagged & (y_val_arr == 0)))\n"
        "    fn = int(np.sum(~flagged & (y_val_arr == 1)))\n"
        "    costs.append(ex.COST_FP * fp + cost_fn * fn)\n"
        "    recalls.append(float(flagged[y_val_arr == 1].mean()))\n"
        "i = int(np.argmin(costs))  # budget {budgets[i]:.2f}: cost {costs[i]}, recall {recalls[i]:.3f}\n"
        "answer_83 = {'cost_fn': cost_fn, 'budget': float(budgets[i]), 'recall': recalls[i]}"
    ),
    context=_context_83,
)


# --------------------------------------------------------------------------- Exercise 8.4
def _check_explained_row(answer: Any) -> None:
    given = _as_dict(answer, ("row", "named", "new_score", "below"))
    X_train, X_val, y_val, _, _ = shuttle_split()
    model, scores, threshold = _iforest()
    row, named = given["row"], given["named"]
    if row not in X_val.index:
        raise Incorrect(f"'row' must be an index label of X_val, got {short_repr(row)}.")
    position = X_val.index.get_loc(row)
    if y_val.loc[row] != 1 or scores[position] < threshold:
        raise Incorrect(f"row {row} is not a validation anomaly flagged by the Isolation Forest: pick one that is.")
    if isinstance(named, str):
        named = [named]
    if not isinstance(named, (list, tuple)) or not 1 <= len(named) <= 3 or any(f not in X_val.columns for f in named):
        raise Incorrect(
            f"'named' must be a list of one to three feature names such as ['f1'], got {short_repr(named)}."
        )
    median = X_train.median()
    drops = occlusion(model.decision_function, X_val.loc[row], median)
    kth = float(drops.sort_values(ascending=False).iloc[len(named) - 1])
    weaker = [f for f in named if drops[f] < kth - 1e-12]
    if weaker:
        raise Incorrect(
            f"{', '.join(weaker)} is not among the {len(named)} largest occlusion drops of row {row}; the largest "
            f"are {', '.join(drops.nlargest(len(named)).index)}."
        )
    changed = X_val.loc[[row]].astype(float)
    changed[list(named)] = median[list(named)].to_numpy()
    expected = float(model.decision_function(changed)[0])
    if not math.isclose(_number(given["new_score"], "new_score"), expected, rel_tol=1e-6, abs_tol=1e-9):
        raise Incorrect(
            "the new score is not the Isolation Forest's score of the row with the named features set to their "
            "training medians (and only those)."
        )
    if not isinstance(given["below"], (bool, np.bool_)) or bool(given["below"]) != (expected < threshold):
        raise Incorrect(
            f"the new score {expected:.3f} is {'below' if expected < threshold else 'still at or above'} the "
            f"threshold {threshold:.3f}: 'below' must be {expected < threshold}."
        )


def _explained_row_answer(wrong: bool = False) -> dict[str, Any]:
    X_train, X_val, y_val, _, _ = shuttle_split()
    model, scores, threshold = _iforest()
    flagged = X_val.index[(scores >= threshold) & (y_val.to_numpy() == 1)]
    row = flagged[1]
    drops = occlusion(model.decision_function, X_val.loc[row], X_train.median())
    named = list(drops.nsmallest(2).index if wrong else drops.nlargest(2).index)
    changed = X_val.loc[[row]].astype(float)
    changed[named] = X_train.median()[named].to_numpy()
    new_score = float(model.decision_function(changed)[0])
    return {"row": row, "named": named, "new_score": new_score, "below": new_score < threshold}


def _context_84() -> dict[str, Any]:
    X_train, X_val, y_val, _, _ = shuttle_split()
    model, scores, threshold = _iforest()
    return {
        "X_val": X_val,
        "flagged_by_all": (scores >= threshold) & (y_val.to_numpy() == 1),
        "occlusion": occlusion,
        "if_model": model,
        "median": X_train.median(),
        "thresholds": {"Isolation Forest": [threshold]},
    }


q4 = CustomExercise(
    "Exercise 8.4 (★★★)",
    check_fn=_check_explained_row,
    reference=_explained_row_answer,
    what_to_give="a dict {'row': ..., 'named': [...], 'new_score': ..., 'below': True or False}",
    hints=[
        "`drops = occlusion(if_model.decision_function, X_val.loc[row_84], median)`; `drops.nlargest(2).index` "
        "names the two features whose replacement lowers the score most.",
        "Copy the row as a one-row frame, `changed = X_val.loc[[row_84]].astype(float)`, set "
        "`changed[named] = median[named].to_numpy()`, and score it with `if_model.decision_function(changed)[0]`.",
    ],
    solution=(
        "row_84 = X_val[flagged_by_all].index[1]\n"
        "drops = occlusion(if_model.decision_function, X_val.loc[row_84], median)\n"
        "named = list(drops.nlargest(2).index)\n"
        "changed = X_val.loc[[row_84]].astype(float)\n"
        "changed[named] = median[named].to_numpy()\n"
        "new_score = float(if_model.decision_function(changed)[0])  # before: {drops.sum():.3f} of drops in all\n"
        "answer_84 = {'row': row_84, 'named': named, 'new_score': new_score,\n"
        "             'below': new_score < thresholds['Isolation Forest'][0]}"
    ),
    context=_context_84,
)


# --------------------------------------------------------------------------- Check yourself
q5 = ChoiceExercise(
    "Question 8.1 (★★☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "A lower reconstruction loss on rows that include anomalies means the anomalies are reconstructed well too: "
        "the criterion rewards capacity, not separation. A few labels measure what matters."
    ),
    why_not={
        "a": "a lower loss means better reconstruction of every row, anomalies included; a detector needs the "
        "anomalies reconstructed *badly*.",
        "c": "the loss depends on the setting (section 4 shows it varies by orders of magnitude).",
    },
    hints=["An autoencoder flags a row when it reconstructs it badly. What does a low loss on anomalies mean?"],
)

q6 = ChoiceExercise(
    "Question 8.2 (★★☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "Once a choice depends on test results, the test set has become a validation set and its figure is "
        "optimistic; choose fixes on validation data and keep a test set that nothing was chosen on."
    ),
    why_not={
        "a": "the fix was chosen after seeing the test set, so the new test figure is no longer an unbiased estimate.",
        "c": "averaging does not remove the bias of a choice made on the test set.",
    },
    hints=["Was anything chosen after looking at the test set? What is a test set for?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning the answer),
#: used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: "a, d, e", lambda: "a, e"),
    "q2": (_one_more_answer, lambda: _one_more_answer(changed_right=False)),
    "q3": (_budget_answer, lambda: {**_budget_answer(), "recall": 0.5 * _budget_answer()["recall"]}),
    "q4": (_explained_row_answer, lambda: _explained_row_answer(wrong=True)),
    "q5": (lambda: "b", lambda: "a"),
    "q6": (lambda: "b", lambda: "a"),
}
