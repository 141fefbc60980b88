"""anomaly_helpers.studies: lessons read stored study results through the package, from any folder."""

from __future__ import annotations

import json

import pytest

from anomaly_helpers import studies

TABLE = {"title": "T", "columns": ["a", "b"], "rows": [{"a": 1, "b": 0.5}]}


def test_the_shipped_results_hold_the_study_lesson_03_reads():
    table = studies.load_result("digits_leave_one_out")
    assert {"title", "columns", "rows"} <= set(table)
    assert table["columns"][0] == "held-out digit" and len(table["rows"]) >= 10


def test_found_next_to_the_package_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert studies.results_file().is_file()
    assert studies.results_file().parent.name == "benchmarks"


@pytest.mark.parametrize(
    "layout",
    [{"studies": {"s": {"table": TABLE, "seconds": 1.0}}}, {"s": {"provenance": {"commit": "abc"}, "result": TABLE}}],
    ids=["table-under-studies", "record-with-provenance"],
)
def test_both_layouts_give_the_table(layout, tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(layout))
    monkeypatch.setenv("ANOMALY_RESULTS_FILE", str(path))
    assert studies.load_result("s") == TABLE


def test_unknown_study_and_missing_file_say_what_to_do(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match=r"\bname\b.*use one of: .*digits_leave_one_out"):
        studies.load_result("digits")
    with pytest.raises(TypeError, match=r"\bname\b.*pass"):
        studies.load_result(3)
    monkeypatch.setenv("ANOMALY_RESULTS_FILE", str(tmp_path / "none.json"))
    with pytest.raises(FileNotFoundError, match="git checkout -- benchmarks/results.json"):
        studies.load_result("digits_leave_one_out")
