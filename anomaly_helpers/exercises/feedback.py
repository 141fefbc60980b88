"""Comparisons that explain themselves: the messages a learner reads when an answer is wrong.

Every function here raises :class:`Incorrect` with a short, learner-facing reason, or returns
quietly. The rules (teachers: see ``anomaly_helpers/exercises/README.md``):

* tolerances are **relative** to the expected value, with a small absolute floor for an
  expected value near 0 (``|got - expected| <= max(rtol * |expected|, atol)``);
* an answer that is the expected value **rounded** (or cut off) to ``k`` decimals is recognised:
  it is accepted when ``k`` gives at least three significant digits and three decimals, and
  otherwise told "rounded to k decimals: give at least N decimals";
* no repr longer than about 60 characters ever reaches a learner (:func:`short_repr`), and no
  internal error text either.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "Incorrect",
    "LearnerFunction",
    "NotAttempted",
    "short_repr",
    "check_number",
    "check_array",
    "compare",
    "decimals_needed",
]

#: Longest repr shown to a learner (characters).
REPR_LIMIT = 60


class Incorrect(Exception):
    """Raised inside a check to report *why* an answer is wrong (the message is shown to the learner)."""


class NotAttempted(Exception):
    """Raised when the learner's function still raises ``NotImplementedError`` (the student placeholder)."""


# --------------------------------------------------------------------------- short reprs
def _cap(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fmt_number(x: Any) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, numbers.Real):
        return f"{float(x):.6g}"
    return repr(x)


def short_repr(obj: Any, limit: int = REPR_LIMIT) -> str:
    """A repr of at most ``limit`` characters: arrays, Series and long lists are summarised.

    Parameters
    ----------
    obj : object
        Anything a learner may pass or a function may return.
    limit : int, default 60

    Returns
    -------
    str
        e.g. ``0.333333``, ``array([1, 2, 3])``, ``array of shape (40, 3) [0.12, -1.3, 0.5, …]``,
        ``Series 'mean radius' of 378 values``.
    """
    try:
        return _short_repr(obj, limit)
    except Exception:  # a learner's object with a broken __repr__
        return f"a {type(obj).__name__} object"


def _short_repr(obj: Any, limit: int) -> str:
    if isinstance(obj, (numbers.Number, np.bool_)) and not isinstance(obj, complex):
        return _fmt_number(obj)
    if isinstance(obj, np.ndarray):
        if obj.ndim == 0:
            return f"array({_fmt_number(obj.item())})"
        if obj.size <= 6 and obj.dtype.kind in "biuf":
            text = "array([" + ", ".join(_fmt_number(v) for v in obj.ravel()) + "])"
            if obj.ndim == 1 and len(text) <= limit:
                return text
        head = ", ".join(_fmt_number(v) for v in obj.ravel()[:3])
        more = ", …" if obj.size > 3 else ""
        text = f"array of shape {obj.shape} [{head}{more}]"
        return text if len(text) <= limit else f"array of shape {obj.shape}"
    kind = type(obj).__name__
    if kind == "Series" and hasattr(obj, "to_numpy"):
        name = f" {obj.name!r}" if getattr(obj, "name", None) is not None else ""
        return _cap(f"Series{name} of {len(obj)} values", limit)
    if kind == "DataFrame" and hasattr(obj, "shape"):
        return f"DataFrame of {obj.shape[0]} rows × {obj.shape[1]} columns"
    if isinstance(obj, (list, tuple)):
        inner = ", ".join(_short_repr(v, limit) for v in obj[:4])
        text = ("[" + inner + "]") if isinstance(obj, list) else ("(" + inner + ("," if len(obj) == 1 else "") + ")")
        if len(obj) <= 4 and len(text) <= limit:
            return text
        return _cap(f"{kind} of {len(obj)} items, starting {_short_repr(obj[0], limit // 2)}", limit)
    if isinstance(obj, dict):
        inner = ", ".join(f"{_short_repr(k, 20)}: {_short_repr(v, 20)}" for k, v in list(obj.items())[:4])
        return _cap("{" + inner + (", …" if len(obj) > 4 else "") + "}", limit)
    if isinstance(obj, str):
        return repr(obj) if len(obj) <= limit else repr(obj[: limit - 5]) + "…"
    if callable(obj):
        return f"function {getattr(obj, '__name__', kind)}"
    if obj is None or obj is Ellipsis:
        return repr(obj)
    return _cap(f"{kind} {obj!r}", limit)


# --------------------------------------------------------------------------- numbers
def decimals_needed(expected: float) -> int:
    """Fewest decimals an answer may be rounded to: at least 3, and at least 3 significant digits.

    ``0.3333 -> 3``, ``0.0556 -> 4``, ``17.57 -> 3``, ``3e-4 -> 6``.
    """
    e = abs(float(expected))
    if e == 0 or not math.isfinite(e):
        return 3
    return max(3, 2 - math.floor(math.log10(e)))


def _given_decimals(got: Any) -> int | None:
    """Decimals the learner wrote (shortest repr of the float); None for a computed-looking value."""
    if isinstance(got, numbers.Integral):
        return 0
    value = got if isinstance(got, np.floating) else float(got)
    text = np.format_float_positional(value, unique=True, trim="-")
    digits = len(text.split(".")[1]) if "." in text else 0
    return digits if digits <= 10 else None


def _rounded_to(got: float, expected: float, raw: Any) -> int | None:
    """k when ``got`` is ``expected`` rounded or cut off to its k written decimals (k >= 1), else None."""
    k = _given_decimals(raw)
    if k is None or k < 1:
        return None
    unit = 10.0**-k
    slack = 1e-9 * max(1.0, abs(expected))
    if abs(got - expected) <= 0.5 * unit + slack:
        return k
    if got * expected >= 0 and abs(got) <= abs(expected) + slack and abs(expected) - abs(got) < unit + slack:
        return k  # cut off instead of rounded
    return None


def _as_number(got: Any, what: str) -> float:
    """Turn a learner's number (int, float, NumPy scalar, 0-d array) into a float, or explain why not."""
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if isinstance(got, (bool, np.bool_)):
        raise Incorrect(f"{what} is {got}, a truth value; give a number.")
    if isinstance(got, str):
        raise Incorrect(f"{what} is the text {short_repr(got)}; give a number (without quotes).")
    if isinstance(got, np.ndarray) or type(got).__name__ in ("Series", "DataFrame") or isinstance(got, (list, tuple)):
        size = getattr(got, "size", None) if not isinstance(got, (list, tuple)) else len(got)
        if size == 1:
            raise Incorrect(
                f"{what} is {short_repr(got)}, a container with one value; take the number out: float(...)."
            )
        raise Incorrect(f"{what} is {short_repr(got)}; give one number.")
    if not isinstance(got, numbers.Real):
        raise Incorrect(f"{what} is {short_repr(got)}; give one number.")
    value = float(got)
    if not math.isfinite(value):
        raise Incorrect(f"{what} is {value}, not a finite number.")
    return value


def _within(got: float, expected: float, rtol: float, atol: float) -> bool:
    return abs(got - expected) <= max(rtol * abs(expected), atol)


def check_number(
    got: Any,
    expected: float,
    *,
    what: str = "your answer",
    rtol: float = 1e-6,
    atol: float = 1e-12,
    accept_rounded: bool = True,
    reveal: bool = False,
) -> None:
    """Raise :class:`Incorrect` unless ``got`` is the number ``expected``.

    Parameters
    ----------
    got : object
        The learner's answer (int, float, NumPy scalar or 0-d array are all fine).
    expected : float
    what : str, default "your answer"
        How the message names the answer, e.g. "your precision".
    rtol : float, default 1e-6
        Relative tolerance: ``|got - expected| <= rtol * |expected|`` passes.
    atol : float, default 1e-12
        Absolute floor, used when ``expected`` is (nearly) 0.
    accept_rounded : bool, default True
        Accept ``expected`` rounded or cut off to at least :func:`decimals_needed` decimals.
    reveal : bool, default False
        Say the expected value in the message (function exercises do; value exercises do not).
    """
    value = _as_number(got, what)
    expected = float(expected)
    if _within(value, expected, rtol, atol):
        return
    needed = decimals_needed(expected)
    k = _rounded_to(value, expected, got.item() if isinstance(got, np.ndarray) else got)
    if k is not None and k >= needed and accept_rounded:
        return
    if k is not None and k < needed:
        plural = "s" if k > 1 else ""
        raise Incorrect(
            f"{what} {_fmt_number(value)} is rounded to {k} decimal{plural}: give at least {needed} decimals "
            "(or do not round at all)."
        )
    if reveal:
        raise Incorrect(f"{what} is {_fmt_number(value)}, expected {_fmt_number(expected)}.")
    direction = "too high" if value > expected else "too low"
    close = rtol > 0 and abs(value - expected) <= 100 * rtol * abs(expected)
    extra = f" (close, but more than {rtol:g} away in relative terms)" if close else ""
    raise Incorrect(f"{what} {_fmt_number(value)} is {direction}{extra}.")


# --------------------------------------------------------------------------- arrays
def _as_array(got: Any, expected: np.ndarray, what: str) -> np.ndarray:
    if got is None:
        raise Incorrect(f"{what} is None; give {_describe(expected)}.")
    if isinstance(got, str):
        raise Incorrect(f"{what} is the text {short_repr(got)}; give {_describe(expected)}.")
    try:
        arr = np.asarray(got, dtype=float if expected.dtype.kind in "biuf" else None)
    except (TypeError, ValueError):
        raise Incorrect(f"{what} is {short_repr(got)}; give {_describe(expected)}.") from None
    if arr.dtype == object:
        raise Incorrect(f"{what} is {short_repr(got)}; give {_describe(expected)}.")
    return arr


def _describe(expected: np.ndarray) -> str:
    if expected.ndim == 0:
        return "one number"
    if expected.ndim == 1:
        return f"{expected.shape[0]} values (a list or an array)"
    return f"an array of shape {expected.shape}"


def check_array(
    got: Any,
    expected: Any,
    *,
    what: str = "your answer",
    rtol: float = 1e-6,
    atol: float | None = None,
    reveal: bool = False,
) -> None:
    """Raise :class:`Incorrect` unless ``got`` matches the array ``expected`` (shape and values).

    Lists, tuples, Series and arrays are all accepted for an array. Tolerances are relative
    per value; the absolute floor defaults to ``rtol * 1e-3 * max|expected|`` (zeros in an
    array of large values are compared on the array's scale). The message names the first
    differing position and, with ``reveal``, the expected value there.
    """
    exp = np.asarray(expected)
    arr = _as_array(got, exp, what)
    if arr.shape != exp.shape:
        if arr.size == exp.size:
            raise Incorrect(f"{what} has shape {arr.shape}, expected {exp.shape} (same values, another layout?).")
        raise Incorrect(f"{what} has shape {arr.shape}, expected {exp.shape}.")
    if exp.dtype.kind not in "biuf":
        if not np.array_equal(arr, exp):
            bad = np.argwhere(arr != exp)
            raise Incorrect(f"{what} differs at {_index(bad[0]) if len(bad) else 'some position'}.")
        return
    if not np.all(np.isfinite(arr)) and np.all(np.isfinite(exp)):
        where = _index(np.argwhere(~np.isfinite(arr))[0])
        raise Incorrect(f"{what} contains NaN or infinite values (first at {where}).")
    scale = float(np.max(np.abs(exp))) if exp.size else 0.0
    floor = max(1e-12, rtol * 1e-3 * scale) if atol is None else atol
    bad = np.abs(arr - exp) > np.maximum(rtol * np.abs(exp), floor)
    if not bad.any():
        return
    first = np.argwhere(bad)[0] if exp.ndim else ()
    g, e = arr[tuple(first)], exp[tuple(first)]
    where = f" at {_index(first)}" if exp.ndim else ""
    head = f"{int(bad.sum())} of {exp.size} values differ" if exp.size > 1 else "the value differs"
    if reveal:
        raise Incorrect(f"{head}; first{where}: expected {_fmt_number(e)}, got {_fmt_number(g)}.")
    raise Incorrect(f"{what}: {head}; the first{where} is {_fmt_number(g)}.")


def _index(idx: Any) -> str:
    idx = tuple(int(i) for i in np.atleast_1d(idx))
    return f"index {idx[0]}" if len(idx) == 1 else f"index {list(idx)}"


# --------------------------------------------------------------------------- anything
def compare(got: Any, expected: Any, *, what: str = "your answer", rtol: float = 1e-6, **kwargs: Any) -> None:
    """Compare any answer with the expected one: numbers, arrays, strings, tuples of those, dicts.

    Numbers go to :func:`check_number`, arrays to :func:`check_array`; a tuple of results
    (e.g. ``(mse, mae)``) is compared item by item and accepted as a list or an array too.
    """
    if isinstance(expected, (str, bool, np.bool_)) or expected is None:
        if got != expected:
            raise Incorrect(f"{what} is {short_repr(got)}, not the expected {short_repr(expected)}.")
        return
    if isinstance(expected, numbers.Real):
        # the caller shows expected and returned values itself when it wants them shown
        check_number(got, expected, what=what, rtol=rtol, **{k: v for k, v in kwargs.items() if k != "reveal"})
        return
    if isinstance(expected, dict):
        _compare_dict(got, expected, what, rtol, kwargs)
        return
    if isinstance(expected, tuple) and any(not isinstance(e, numbers.Real) for e in expected):
        _compare_tuple(got, expected, what, rtol, kwargs)
        return
    reveal = kwargs.get("reveal", False)
    check_array(got, expected, what=what, rtol=rtol, reveal=reveal)


def _compare_tuple(got: Any, expected: tuple, what: str, rtol: float, kwargs: dict) -> None:
    if isinstance(got, (str, dict)) or not hasattr(got, "__len__") or len(got) != len(expected):
        n = len(expected)
        raise Incorrect(f"{what} is {short_repr(got)}; return {n} results, e.g. `return a, b`.")
    for i, (g, e) in enumerate(zip(got, expected, strict=True), start=1):
        compare(g, e, what=f"{what} (item {i} of {len(expected)})", rtol=rtol, **kwargs)


def _compare_dict(got: Any, expected: dict, what: str, rtol: float, kwargs: dict) -> None:
    if not isinstance(got, dict):
        raise Incorrect(f"{what} is {short_repr(got)}; give a dict like {short_repr(expected)}.")
    keys = {k.item() if isinstance(k, np.generic) else k for k in got}
    if keys != set(expected):
        raise Incorrect(f"{what} has the keys {sorted(map(str, keys))}, expected {sorted(map(str, expected))}.")
    normal = {(k.item() if isinstance(k, np.generic) else k): v for k, v in got.items()}
    for k, e in expected.items():
        compare(normal[k], e, what=f"{what}[{k!r}]", rtol=rtol, **kwargs)


# --------------------------------------------------------------------------- learner functions
def _empty() -> None:
    """A function with nothing but a docstring, like the student placeholder."""


def _is_stub(fn: Callable[..., Any]) -> bool:
    """True when ``fn``'s body does nothing (a docstring, ``pass`` or comments: the student placeholder)."""
    code = getattr(fn, "__code__", None)
    return code is not None and code.co_code == _empty.__code__.co_code


class LearnerFunction:
    """Calls a learner's function safely: deep copies of every argument, errors turned into feedback."""

    def __init__(self, fn: Callable[..., Any], name: str, arg_names: Sequence[str]):
        self.fn, self.name, self.arg_names = fn, name, tuple(arg_names)

    def describe_call(self, args: tuple) -> str:
        names = list(self.arg_names) + [f"arg{i}" for i in range(len(self.arg_names), len(args))]
        inner = ", ".join(f"{n}={short_repr(a, 40)}" for n, a in zip(names, args, strict=False))
        return f"{self.name}({inner})"

    def __call__(self, *args: Any, case: str = "a test input") -> Any:
        try:
            copies = copy.deepcopy(args)
        except Exception:
            copies = tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)
        try:
            got = self.fn(*copies)
        except NotImplementedError:
            raise NotAttempted() from None
        except Exception as exc:
            # The whole first line of the error (never cut mid-sentence): the later lines of a long error
            # (Keras's, say) are its call stack and context, which the learner sees by calling the function.
            text = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
            raise Incorrect(
                f"on {case}, {self.describe_call(args)} raised {type(exc).__name__}" + (f": {text}" if text else ".")
            ) from None
        if got is None and _is_stub(self.fn):
            raise NotAttempted()
        if got is None:
            raise Incorrect(f"on {case}, {self.describe_call(args)} returned None — did you forget `return`?")
        return got
