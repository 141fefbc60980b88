# Deep Learning for Anomaly Detection — the course's commands.
#   make lab        set up .venv (if needed) and open the course in JupyterLab
#   make test       set up .venv (if needed) and run the whole test suite
#   make execute    re-run every lesson in a fresh kernel and store its outputs
#   make benchmark  time every lesson (wall time, peak memory) -> benchmarks/RESULTS.md
#   make student    write student notebooks (solutions removed) to build/student/
#   make doctor     check the environment and the data files
#   make lint       ruff check + format check
#   make data       rebuild data/ from the packages that ship the originals
#   make test-lower-bounds  unit tests with the oldest supported versions (in .venv-min)

PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
# Jupyter refuses to run as root (containers, some classroom VMs) unless told it may.
JUPYTER_ARGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

.PHONY: lab test test-lower-bounds execute benchmark studies student doctor lint format data clean help
.DEFAULT_GOAL := help

help:
	@sed -n '2,10p' Makefile

$(PY):
	@$(PYTHON) -c 'import sys; v=sys.version_info[:2]; sys.exit(0 if (3,11)<=v<=(3,13) else "Python 3.11-3.13 is needed, found %d.%d: run make with PYTHON=python3.12 (or another supported version)." % v)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when pyproject.toml changes.
$(VENV)/.installed-lab: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[lab]"
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[lab,test]"
	@touch $@

lab: $(VENV)/.installed-lab
	$(PY) -m jupyter lab $(JUPYTER_ARGS) notebooks/00_start_here.ipynb

test: $(VENV)/.installed-test
	$(PY) -m pytest

execute: $(VENV)/.installed-test
	$(PY) tools/nbtools.py execute $(NOTEBOOKS)

benchmark: $(VENV)/.installed-test
	$(PY) tools/nbtools.py benchmark $(NOTEBOOKS)

# make studies [STUDY="name ..."]: rerun benchmark studies -> benchmarks/results.json, STUDIES.md
studies: $(VENV)/.installed-test
	$(PY) -m benchmarks.studies $(STUDY)

student: $(VENV)/.installed-lab
	$(PY) -m anomaly_helpers.exercises.student notebooks build/student

doctor: $(VENV)/.installed-lab
	$(PY) -c "import anomaly_helpers as ah; raise SystemExit(0 if ah.doctor().ok else 1)"

lint: $(VENV)/.installed-test
	$(PY) -m ruff check anomaly_helpers tests tools data notebooks benchmarks
	$(PY) -m ruff format --check anomaly_helpers tests tools data notebooks benchmarks

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix anomaly_helpers tests tools data notebooks benchmarks
	$(PY) -m ruff format anomaly_helpers tests tools data notebooks benchmarks

data: $(PY)
	$(PY) -m pip install --quiet -e ".[rebuild-data]"
	$(PY) data/build_data.py

# The notebooks' stored outputs belong to the current versions; with the oldest versions
# only the unit tests are run (the lowest digits of printed figures may differ).
test-lower-bounds:
	$(PYTHON) -m venv .venv-min
	.venv-min/bin/python -m pip install --quiet --upgrade pip
	.venv-min/bin/python -m pip install --quiet -r tests/lower-bounds.txt
	.venv-min/bin/python -m pip install --quiet -e ".[lab,test]"
	.venv-min/bin/python -m pytest tests -p no:nbval -o addopts="" -q

clean:
	rm -rf build .pytest_cache .venv-min
