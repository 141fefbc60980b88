"""The Makefile: `make` lists every command, and after the one install every command runs offline.

The offline proof runs the real commands (``make student doctor lab-setup``) with the package
index disabled and pointed at a dead address, in the environment the suite itself runs in:
after ``make test`` has installed, nothing may reinstall (a reinstall needs ``setuptools>=77``
from the index and fails offline).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")

MAKEFILE = (ROOT / "Makefile").read_text()
VENV = Path(sys.prefix)
STAMP = VENV / ".course-installed"
OFFLINE = {"PIP_NO_INDEX": "1", "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_FIND_LINKS": ""}


def _make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", f"VENV={VENV}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def _phony_targets() -> list[str]:
    block = re.search(r"^\.PHONY:(.*?)(?<!\\)\n", MAKEFILE, re.S | re.M)
    assert block, "the Makefile declares its commands in .PHONY"
    return block.group(1).replace("\\\n", " ").split()


def test_make_without_a_target_lists_every_command():
    run = subprocess.run(["make", "--no-print-directory"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    listed = re.findall(r"^  make (\S+)", run.stdout, re.M)
    assert listed, run.stdout
    assert set(listed) == set(_phony_targets()), "every command (.PHONY) has a `## description` on its line"


def test_every_command_depends_on_the_one_install():
    """No recipe installs except the stamp's and those that say they need the index."""
    needs_index = {"data", "lock", "canary", "test-lower-bounds"}
    for target in set(_phony_targets()) - {"help"} - needs_index:
        rule = re.search(rf"^{re.escape(target)}:([^\n#]*)", MAKEFILE, re.M)
        assert rule, target
        recipe = MAKEFILE[rule.end() :].split("\n\n")[0]
        assert "pip install" not in recipe, f"make {target} installs: only the install stamp may"
        if target not in ("lab", "clean"):  # lab depends on lab-setup, which depends on the stamp
            assert "$(STAMP)" in rule.group(1), f"make {target} must depend on the install stamp"
    stamp_rule = re.search(r"^\$\(STAMP\):([^\n]*)", MAKEFILE, re.M)
    assert stamp_rule and "pyproject.toml" in stamp_rule.group(1) and "$(LOCK)" in stamp_rule.group(1)


def test_commands_after_the_install_run_offline_without_reinstalling(tmp_path):
    if _make("-q", str(STAMP)).returncode != 0:
        if os.environ.get("MAKELEVEL"):
            pytest.fail(f"make test must leave the install stamp {STAMP} up to date, but make would reinstall")
        pytest.skip(f"no up-to-date install stamp in {VENV}: run this test through `make test`")
    dirs = [f"WORK_DIR={tmp_path / 'work'}", f"STUDENT_DIR={tmp_path / 'build' / 'student'}"]
    targets = ["student", "doctor", "lab-setup", "execute", "benchmark", "lint", "reset-lesson", "LESSON=01"]
    dry = _make("-n", *dirs, *targets)
    assert dry.returncode == 0, dry.stderr
    assert "pip" not in dry.stdout, f"a command would reinstall:\n{dry.stdout}"

    real = _make(*dirs, "student", "doctor", "lab-setup", env=OFFLINE)
    log = real.stdout + real.stderr
    assert real.returncode == 0, f"offline run failed:\n{log[-3000:]}"
    assert "pip install" not in log and "Installing" not in log, log
    assert "All OK" in real.stdout
    assert sorted(p.name for p in (tmp_path / "build" / "student").glob("*.ipynb")) == sorted(
        p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    )
    assert (tmp_path / "work" / "00_start_here.ipynb").is_file()


def test_the_install_uses_the_lock_on_the_reference_platform_and_says_when_it_does_not():
    dry = _make("-n", "-W", "pyproject.toml", str(STAMP))  # what make would run if pyproject.toml changed
    assert "-c requirements/lock-linux-x86_64-py3.11.txt" in dry.stdout
    assert "ranges" in dry.stdout and "$(PY)" not in dry.stdout
