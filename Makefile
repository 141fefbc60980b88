# Deep Learning for Anomaly Detection — the course's commands. `make` (or `make help`) lists them:
# the list is generated from the `##` comment on each target's line, so it cannot go stale.
#
# One install, then offline: every command depends on ONE install stamp ($(STAMP)), made once
# (by the first `make lab` or `make test`) and again only when pyproject.toml or the lock file
# changes. Nothing else installs, so every command but `make data`, `make lock` and
# `make canary` works without the package index.

PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.course-installed
# The exact versions that produced the stored outputs, on the reference platform.
LOCK   := requirements/lock-linux-x86_64-py3.11.txt
# Where `make lab` keeps the learner's copies of the lessons (student versions, git-ignored), and where
# `make student` writes the student notebooks.
WORK_DIR    ?= work
STUDENT_DIR ?= build/student
# Jupyter refuses to run as root (containers, some classroom VMs) unless told it may.
JUPYTER_ARGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
# Exit status 0 when this Python is the lock's platform: Linux x86_64, CPython 3.11 (which froze the lock), 3.12 or
# 3.13 (every locked version has wheels for them, so they install exactly the versions that made the outputs).
IS_REFERENCE = $(PY) -c 'import platform, sys; sys.exit(not (sys.platform == "linux" and platform.machine() == "x86_64" and (3, 11) <= sys.version_info[:2] <= (3, 13)))'

.PHONY: help install lab lab-setup reset-lesson test test-lower-bounds canary lock execute benchmark studies student \
	guide site site-check grade doctor lint format data clean
.DEFAULT_GOAL := help

help: ## list these commands
	@echo "Usage: make COMMAND   (the first one installs into $(VENV)/ once; the others then work offline)"
	@echo
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-zA-Z0-9_-]+:[^#]*## / {printf "  make %-18s %s\n", $$1, $$2}' $(firstword $(MAKEFILE_LIST))

$(PY):
	@$(PYTHON) -c 'import sys; v=sys.version_info[:2]; sys.exit(0 if (3,11)<=v<=(3,13) else "Python 3.11-3.13 is needed, found %d.%d: run make with PYTHON=python3.12 (or another supported version)." % v)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The one install: the lab and test extras together, with the lock where it applies. The stamp
# records how ("lock" or "ranges"); the canary and lower-bounds venvs write their own.
$(STAMP): pyproject.toml $(LOCK) | $(PY)
	@if $(IS_REFERENCE); then \
		echo "Installing the locked versions ($(LOCK)) and the course's helper package into $(VENV)/ ..."; \
		$(PY) -m pip install --quiet -c $(LOCK) -e ".[lab,test,teacher]" && echo lock > $@; \
	else \
		echo "NOTE: $(LOCK) is for Linux x86_64 with Python 3.11-3.13; this is $$($(PY) -c 'import platform; print(platform.system(), platform.machine(), "Python", platform.python_version())')."; \
		echo "      Installing the newest versions within pyproject.toml's ranges instead: the lowest digits of"; \
		echo "      some printed numbers may differ from the stored outputs."; \
		$(PY) -m pip install --quiet -e ".[lab,test,teacher]" && echo ranges > $@; \
	fi

install: $(STAMP) ## set up .venv/ once (the locked versions on Linux x86_64 + Python 3.11-3.13)

# The learner's lab: tools/learner_jupyter switches nbgrader's extensions off (the teacher's tools stay installed).
LEARNER_JUPYTER = $(abspath tools/learner_jupyter)

lab: lab-setup ## set up (once) and open your working copy of the course in JupyterLab
	cd $(WORK_DIR) && JUPYTER_CONFIG_PATH=$(LEARNER_JUPYTER) $(abspath $(PY)) -m jupyter lab $(JUPYTER_ARGS) 00_start_here.ipynb

lab-setup: $(STAMP) ## set up and write your working copy of the lessons (student versions) in work/ (no Jupyter)
	$(PY) tools/workcopy.py setup --work $(WORK_DIR)

reset-lesson: $(STAMP) ## LESSON=03: one lesson's student version afresh into work/ (yours is backed up first)
	@test -n "$(LESSON)" || { echo "Say which lesson: make reset-lesson LESSON=03"; exit 2; }
	$(PY) tools/workcopy.py reset $(LESSON) --work $(WORK_DIR)

test: $(STAMP) ## run the whole test suite (what CI runs)
	$(PY) -m pytest

execute: $(STAMP) ## re-run every lesson in a fresh kernel and store its outputs (NOTEBOOKS=... for some)
	$(PY) tools/nbtools.py execute $(NOTEBOOKS)

benchmark: $(STAMP) ## time every lesson 3 times (median wall time, peak memory) -> benchmarks/RESULTS.md, README, headers
	$(PY) tools/nbtools.py benchmark $(NOTEBOOKS)

studies: $(STAMP) ## rerun the benchmark studies -> benchmarks/results.json, STUDIES.md (STUDY="name ..." for some)
	$(PY) -m benchmarks.studies $(STUDY)

student: $(STAMP) ## write student notebooks (solutions removed) to build/student/
	$(PY) -m anomaly_helpers.exercises.student notebooks $(STUDENT_DIR)

guide: $(STAMP) ## regenerate the teacher's lesson plans and answer key in docs/ from the lessons
	$(PY) tools/teacher_guide.py

site: $(STAMP) ## build the offline course site (lessons + handouts as HTML, from stored outputs) in build/site/
	$(PY) tools/course_site.py build --out build/site

site-check: $(STAMP) site ## open the site's lesson pages in headless Chromium (reports "skipped" without Chromium)
	$(PY) tools/course_site.py check-browser --out build/site

# Grades are student data: by default they go into build/grades/, which git ignores (GRADES=path to choose).
GRADES ?= build/grades/grades.csv

grade: $(STAMP) ## SUBMISSIONS=folder (one sub-folder per student): grade through nbgrader -> build/grades/grades.csv
	@test -n "$(SUBMISSIONS)" || { echo "Say where the submissions are: make grade SUBMISSIONS=path/to/folder"; exit 2; }
	$(PY) tools/grading.py grade $(SUBMISSIONS) --out $(GRADES)

doctor: $(STAMP) ## check the environment and the data files
	$(PY) -c "import anomaly_helpers as ah; raise SystemExit(0 if ah.doctor().ok else 1)"

lint: $(STAMP) ## ruff check + format check
	$(PY) -m ruff check anomaly_helpers tests tools data notebooks benchmarks
	$(PY) -m ruff format --check anomaly_helpers tests tools data notebooks benchmarks

format: $(STAMP) ## ruff fix + format
	$(PY) -m ruff check --fix anomaly_helpers tests tools data notebooks benchmarks
	$(PY) -m ruff format anomaly_helpers tests tools data notebooks benchmarks

data: $(STAMP) ## rebuild data/ from the packages that ship the originals (needs the package index)
	@echo "Installing the rebuild-data extra (sktime, river): this needs the package index."
	@if $(IS_REFERENCE); then \
		$(PY) -m pip install --quiet -c $(LOCK) -e ".[rebuild-data]"; \
	else \
		$(PY) -m pip install --quiet -e ".[rebuild-data]"; \
	fi
	$(PY) data/build_data.py

# A fresh venv with the newest versions within pyproject.toml's caps, frozen into the lock.
# Then re-execute (make execute) and re-benchmark (make benchmark): the outputs belong to the lock.
lock: ## refresh the lock with the newest versions within the caps (needs the index; then make execute, make benchmark)
	@$(PYTHON) -c 'import platform, sys; sys.exit(0 if sys.platform == "linux" and platform.machine() == "x86_64" and sys.version_info[:2] == (3, 11) else "make lock needs Linux x86_64 and Python 3.11 (the lock'"'"'s platform): run it with PYTHON=python3.11 there.")'
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e ".[lab,test,teacher]"
	sed -n '/^#/p' $(LOCK) > $(LOCK).new
	.venv-lock/bin/python -m pip freeze --exclude-editable >> $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf .venv-lock
	@echo "Wrote $(LOCK). Now re-execute and re-benchmark with these versions: make execute && make benchmark,"
	@echo "check the changed outputs (git diff notebooks), and commit the lock with them."

canary: ## run the suite with the newest versions within the caps, in .venv-canary/ (needs the index)
	rm -rf .venv-canary
	$(PYTHON) -m venv .venv-canary
	.venv-canary/bin/python -m pip install --quiet --upgrade pip
	.venv-canary/bin/python -m pip install --quiet -e ".[lab,test,teacher]"
	echo canary > .venv-canary/.course-installed
	.venv-canary/bin/python -m pip freeze --exclude-editable | diff $(LOCK) - | grep '^[<>]' || true
	.venv-canary/bin/python -m pytest

# The notebooks' stored outputs belong to the locked versions; with the oldest versions
# only the unit tests are run (the lowest digits of printed figures may differ).
test-lower-bounds: ## unit tests with the oldest supported versions, in .venv-min/ (needs the index)
	$(PYTHON) -m venv .venv-min
	.venv-min/bin/python -m pip install --quiet --upgrade pip
	.venv-min/bin/python -m pip install --quiet -r tests/lower-bounds.txt
	.venv-min/bin/python -m pip install --quiet -e ".[lab,test,teacher]"
	echo lower-bounds > .venv-min/.course-installed
	.venv-min/bin/python -m pytest tests -p no:nbval -o addopts="" -q

clean: ## remove build/ and the extra venvs (never .venv/ nor your work/)
	rm -rf build .pytest_cache .venv-min .venv-canary .venv-lock
