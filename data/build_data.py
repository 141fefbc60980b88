"""Rebuild every file in data/ from the packages that ship the originals.

Run from the repository root::

    python -m pip install -e ".[rebuild-data]"
    python data/build_data.py            # writes the files, then checks their sha256
    python data/build_data.py --check    # only checks that the rebuilt bytes match

Sources
-------
breast_cancer.csv  scikit-learn's bundled Wisconsin Diagnostic Breast Cancer data
                   (load_breast_cancer), target flipped so that 1 = malignant (= anomaly).
mitdb_ecg.csv      copied byte for byte from the sktime 1.2.0 wheel
                   (sktime/datasets/data/mitdb/mitdb.csv).
shuttle.csv.gz     copied byte for byte from the river 0.26.1 wheel
                   (river/datasets/shuttle.csv.gz).

The sktime and river files are located through their installed distributions'
metadata, so neither package is imported.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _packaged_file(dist: str, relative: str) -> bytes:
    try:
        d = importlib.metadata.distribution(dist)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"{dist} is not installed; run: python -m pip install -e '.[rebuild-data]'")
    path = Path(d.locate_file(relative))
    if not path.exists():
        sys.exit(f"{relative} not found in the installed {dist} {d.version}; install the pinned version.")
    return path.read_bytes()


def breast_cancer_csv() -> bytes:
    """scikit-learn's bundled WDBC table, 30 features + target (1 = malignant)."""
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame
    # scikit-learn codes 0 = malignant, 1 = benign; the course uses 1 = anomaly.
    frame["target"] = (frame["target"] == 0).astype(int)
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def mitdb_csv() -> bytes:
    return _packaged_file("sktime", "sktime/datasets/data/mitdb/mitdb.csv")


def shuttle_csv_gz() -> bytes:
    return _packaged_file("river", "river/datasets/shuttle.csv.gz")


BUILDERS = {
    "breast_cancer.csv": breast_cancer_csv,
    "mitdb_ecg.csv": mitdb_csv,
    "shuttle.csv.gz": shuttle_csv_gz,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare rebuilt bytes with data/ without writing")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    from anomaly_helpers.datasets import DATA_FILES

    ok = True
    for name, build in BUILDERS.items():
        content = build()
        digest = hashlib.sha256(content).hexdigest()
        expected = DATA_FILES[name]
        target = HERE / name
        if args.check:
            same = target.exists() and target.read_bytes() == content
            print(f"{name:20s} {digest}  {'identical' if same else 'DIFFERENT'}")
            ok &= same
        else:
            target.write_bytes(content)
            print(f"wrote {name:20s} {len(content):>9,d} bytes  sha256 {digest}")
        if digest != expected:
            print(f"  sha256 differs from anomaly_helpers.datasets.DATA_FILES[{name!r}] = {expected}")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
