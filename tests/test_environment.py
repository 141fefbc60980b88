"""environment.yml (conda classrooms) and pyproject.toml (pip) must agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from tests.conftest import ROOT


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def _conda_requirement(spec: str) -> Requirement:
    # conda's "python=3.12" pins are not PEP 508; everything else in the file is.
    return Requirement(spec)


def pyproject_requirements() -> dict[str, Requirement]:
    project = _pyproject()["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in ("lab", "test", "teacher"):
        reqs += [Requirement(r) for r in project["optional-dependencies"][extra]]
    out: dict[str, Requirement] = {}
    for r in reqs:
        key = f"{r.name.lower()}|{r.marker}" if r.marker else r.name.lower()
        out.setdefault(key, r)
    return out


def environment_requirements() -> dict[str, Requirement]:
    out: dict[str, Requirement] = {}
    for dep in _environment()["dependencies"]:
        specs = dep["pip"] if isinstance(dep, dict) else [dep]
        for spec in specs:
            spec = spec.strip()
            if spec.startswith("-e") or spec == "pip" or spec.startswith("python="):
                continue
            r = _conda_requirement(spec)
            key = f"{r.name.lower()}|{r.marker}" if r.marker else r.name.lower()
            out[key] = r
    return out


def test_channels_are_conda_forge_without_defaults():
    channels = _environment()["channels"]
    assert channels[0] == "conda-forge"
    assert "nodefaults" in channels
    assert "defaults" not in channels, "the defaults channel carries terms of service; use conda-forge + nodefaults"


def test_python_pin_inside_requires_python():
    pins = [d for d in _environment()["dependencies"] if isinstance(d, str) and d.startswith("python=")]
    assert len(pins) == 1, "environment.yml must pin python exactly once (python=3.X)"
    version = pins[0].split("=", 1)[1]
    requires = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert version + ".0" in requires, f"python={version} is outside requires-python {requires}"


def test_every_dependency_is_in_both_with_the_same_bounds():
    py = pyproject_requirements()
    env = environment_requirements()
    missing_in_env = sorted(set(py) - set(env))
    missing_in_py = sorted(set(env) - set(py))
    assert not missing_in_env, f"in pyproject.toml but not in environment.yml: {missing_in_env}"
    assert not missing_in_py, f"in environment.yml but not in pyproject.toml: {missing_in_py}"
    different = {k: (str(py[k].specifier), str(env[k].specifier)) for k in py if py[k].specifier != env[k].specifier}
    assert not different, f"bounds differ (pyproject, environment.yml): {different}"


def test_environment_installs_the_package_itself():
    pip = next(d["pip"] for d in _environment()["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip


def test_tensorflow_markers_cover_every_classroom_platform():
    """Linux x86_64 and Windows get tensorflow-cpu, macOS and Linux ARM get tensorflow, never both."""
    tf = [r for r in pyproject_requirements().values() if r.name in ("tensorflow", "tensorflow-cpu")]
    platforms = [
        {"sys_platform": "linux", "platform_machine": "x86_64"},
        {"sys_platform": "linux", "platform_machine": "aarch64"},
        {"sys_platform": "win32", "platform_machine": "AMD64"},
        {"sys_platform": "darwin", "platform_machine": "arm64"},
        {"sys_platform": "darwin", "platform_machine": "x86_64"},
    ]
    for env in platforms:
        chosen = [r for r in tf if r.marker.evaluate(env)]
        assert len(chosen) == 1, f"{env}: expected exactly one TensorFlow requirement, got {chosen}"
        # Intel Macs stop at TensorFlow 2.16.2: the lower bound must admit it.
        assert chosen[0].specifier.contains("2.16.2"), "the TensorFlow lower bound locks out Intel Macs"
        assert chosen[0].specifier.contains("2.21.0")


@pytest.mark.parametrize("name", ["numpy", "pandas", "scikit-learn", "matplotlib", "keras"])
def test_runtime_bounds_admit_the_tested_versions(name):
    from importlib.metadata import version

    req = pyproject_requirements()[name]
    assert req.specifier.contains(version(name)), f"installed {name} {version(name)} is outside {req.specifier}"


def test_min_versions_in_doctor_match_pyproject():
    from anomaly_helpers.repro import MIN_VERSIONS

    py = pyproject_requirements()
    for name, minimum in MIN_VERSIONS.items():
        reqs = [
            r for r in py.values() if r.name.lower() in ({name, "tensorflow-cpu"} if name == "tensorflow" else {name})
        ]
        assert reqs, f"{name} is checked by the doctor but not a dependency"
        for r in reqs:
            lows = [s.version for s in r.specifier if s.operator == ">="]
            assert lows == [minimum], f"doctor's minimum for {name} ({minimum}) differs from pyproject ({lows})"


def test_readme_states_platforms_and_commands():
    text = (ROOT / "README.md").read_text()
    for word in ("Linux", "Windows", "macOS", "make lab", "make test"):
        assert word in text
    ci = (ROOT / ".ci" / "run").read_text()
    test_cmd = re.search(r"```(?:bash|sh)?\n(make test)\n```", text)
    assert test_cmd, "README must show the test command `make test` in a code block"
    assert "make test" in ci.splitlines()[-1], ".ci/run must call exactly the README's test command"


def test_lower_bounds_file_pins_exactly_the_lower_bounds():
    """tests/lower-bounds.txt (make test-lower-bounds) installs the oldest versions pyproject admits."""
    pins = {}
    for line in (ROOT / "tests" / "lower-bounds.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            r = Requirement(line)
            pins[f"{r.name}|{r.marker}" if r.marker else r.name] = next(iter(r.specifier)).version
    runtime = [Requirement(r) for r in _pyproject()["project"]["dependencies"]]
    for r in runtime:
        key = f"{r.name}|{r.marker}" if r.marker else r.name
        low = [s.version for s in r.specifier if s.operator == ">="][0]
        assert key in pins, f"{r.name} is missing from tests/lower-bounds.txt"
        assert pins[key].startswith(low) or pins[key] == low, f"{r.name}: pinned {pins[key]}, lower bound {low}"


LOCK = ROOT / "requirements" / "lock-linux-x86_64-py3.11.txt"
REFERENCE = {
    "sys_platform": "linux",
    "platform_machine": "x86_64",
    "python_version": "3.11",
    "platform_system": "Linux",
}


def _lock_pins() -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins = {}
    for line in LOCK.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert "==" in line and not line.startswith("-e"), f"the lock must hold exact pins only, found {line!r}"
        r = Requirement(line)
        pins[canonicalize_name(r.name)] = next(iter(r.specifier)).version
    return pins


def test_lock_pins_every_dependency_within_pyproject_ranges():
    """Every dependency of the reference platform is pinned, and each pin satisfies pyproject's range."""
    from packaging.utils import canonicalize_name

    pins = _lock_pins()
    project = _pyproject()["project"]
    groups = {
        "runtime": project["dependencies"],
        **{e: project["optional-dependencies"][e] for e in ("lab", "test", "teacher")},
    }
    for group, specs in groups.items():
        for spec in specs:
            r = Requirement(spec)
            if r.marker and not r.marker.evaluate(REFERENCE):
                continue
            name = canonicalize_name(r.name)
            assert name in pins, f"{r.name} ({group}) is not pinned in {LOCK.name}: run `make lock`"
            assert r.specifier.contains(pins[name], prereleases=True), (
                f"{LOCK.name} pins {r.name}=={pins[name]}, outside pyproject's range {r.specifier}: run `make lock`"
            )
    assert "anomaly-helpers" not in pins, "the lock must not pin the course's own package"


def test_installed_versions_are_the_locked_ones_on_the_reference_platform():
    """The outputs were made with the lock: on the reference platform the test run uses exactly it."""
    import platform
    import sys
    from importlib.metadata import version

    if not (sys.platform == "linux" and platform.machine() == "x86_64" and (3, 11) <= sys.version_info[:2] <= (3, 13)):
        pytest.skip("not the lock's platform: the ranges of pyproject.toml apply")
    stamp = Path(sys.prefix) / ".course-installed"  # written by the Makefile's install: lock, ranges, canary, ...
    how = stamp.read_text().strip() if stamp.is_file() else "not by make"
    if how != "lock":
        pytest.skip(f"this environment was not installed from the lock ({how})")
    pins = _lock_pins()
    for name in ("tensorflow-cpu", "keras", "numpy", "pandas", "scipy", "scikit-learn", "matplotlib", "nbval"):
        assert version(name) == pins[name], f"installed {name} {version(name)} is not the locked {pins[name]}"


def test_readme_names_the_versions_that_made_the_outputs():
    text = (ROOT / "README.md").read_text()
    pins = _lock_pins()
    for name in ("tensorflow-cpu", "keras", "numpy", "pandas", "scikit-learn"):
        assert f"{name} {pins[name]}" in text, f"README must say which {name} made the outputs ({pins[name]})"
    assert LOCK.relative_to(ROOT).as_posix() in text


def test_nothing_points_outside_the_repository():
    """No tracked file mentions the notes the project was built with, nor paths outside the repository."""
    import subprocess

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if files.returncode != 0:
        pytest.skip("not a git checkout")
    forbidden = re.compile("|".join(["ENGINEERING" + "_NOTES", "COURSE" + "_GUIDE", r"\.\./shared"]))
    hits = []
    for name in files.stdout.splitlines():
        path = ROOT / name
        if path.suffix in {".gz", ".png", ".csv"} or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if forbidden.search(line):
                hits.append(f"{name}:{number}: {line.strip()[:100]}")
    assert not hits, "files point outside the repository:\n" + "\n".join(hits)
