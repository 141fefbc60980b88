"""The course's own rules, checked on every lesson notebook."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]
TF_NOISE = re.compile(r"absl::InitializeLog|oneDNN custom operations|cpu_feature_guard|Unable to register cu")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _markdown(nb) -> str:
    return "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_there_are_lessons():
    assert LESSONS, "notebooks/ holds no lessons"
    assert LESSONS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_file_name_is_numbered_snake_case(path):
    assert re.fullmatch(r"\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", path.name)


def test_lesson_numbers_are_consecutive():
    numbers = [int(p.name[:2]) for p in LESSONS]
    assert numbers == list(range(len(numbers))), f"lesson numbers must run 00, 01, … without gaps: {numbers}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_shape(path):
    nb = _load(path)
    first = _source(nb["cells"][0])
    assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith(f"# {path.name[:2]} · "), (
        "the first cell must be the title '# NN · Title'"
    )
    md = _markdown(nb)
    assert "**You will learn to**" in md, "objectives missing ('**You will learn to**')"
    assert re.search(r"\*\*Time\*\*\s*(?:core\s*)?~?\d+\s*min", md), (
        "time estimate missing ('**Time** core ~N min' or '**Time** ~N min')"
    )
    assert re.search(r"\*\*Runs in\*\*", md), "run time missing ('**Runs in** ~N s')"
    assert re.search(r"^## Setup", md, re.M), "'## Setup' section missing"
    assert re.search(r"^## Summary", md, re.M), "'## Summary' section missing"
    if int(path.name[:2]) < len(LESSONS) - 1:
        assert "**Next:**" in md, "a 'Next' link to the following lesson is missing"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_has_exercises(path):
    nb = _load(path)
    code = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert "### BEGIN SOLUTION" in code and ".check(" in code, "every lesson has at least one checked exercise"
    if path.name != "00_start_here.ipynb":
        assert code.count(".check(") >= 3, "lessons 01+ have at least 3 checked exercises"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_stored_outputs_are_a_clean_fresh_run(path):
    nb = _load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and _source(c).strip()]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), "execution counts must be 1..n in order: run `make execute`"
    for cell in code:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"a stored output is an error: {out.get('ename')}"
            text = "".join(out.get("text", "")) if out.get("output_type") == "stream" else ""
            assert not TF_NOISE.search(text), "TensorFlow's C++ log lines are stored as output"
            assert "Incorrect" not in text and "Incorrect" not in json.dumps(out.get("data", {})), (
                "a stored exercise verdict says Incorrect"
            )
    assert path.stat().st_size < 2_000_000, "notebook larger than 2 MB"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_setup_cell_seeds(path):
    nb = _load(path)
    code = [_source(c) for c in nb["cells"] if c["cell_type"] == "code"]
    setup = next((i for i, s in enumerate(code) if "setup_lesson(" in s), None)
    assert setup is not None, "the setup cell must call setup_lesson()"
    assert setup <= 1, "setup_lesson() must run in the first code cells"
    assert not any(re.search(r"^\s*(import|from)\s+(tensorflow|keras)\b", s, re.M) for s in code[:setup]), (
        "tensorflow/keras must be imported after anomaly_helpers"
    )


def test_ruff_lint_and_format():
    """ruff over the package, tests, tools and notebooks (settings in pyproject.toml)."""
    paths = ["anomaly_helpers", "tests", "tools", "data", "notebooks", "benchmarks"]
    paths = [p for p in paths if (ROOT / p).exists()]
    check = subprocess.run([sys.executable, "-m", "ruff", "check", *paths], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *paths], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_nbval_markers_are_whole_comment_lines(path):
    """nbval only honours a marker that is a whole comment line; anything after it silently disables it."""
    nb = _load(path)
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for line in _source(cell).splitlines():
            if "NBVAL_" in line:
                assert re.fullmatch(r"# NBVAL_(IGNORE_OUTPUT|SKIP|RAISES_EXCEPTION|CHECK_OUTPUT)", line.strip()), line
