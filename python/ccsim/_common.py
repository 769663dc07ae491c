"""What the package's modules share: argument encoding, errors raised on the Python side, the
report text as DataFrames, and progress."""

from __future__ import annotations

import io
import json
import os
import sys
from typing import Any, Callable, Optional, Union

from ._native import InputError

PathLike = Union[str, "os.PathLike[str]"]
Progress = Union[None, bool, Callable[[int, int], Any]]


def _csv(text: str):
    """A CSV report as a DataFrame: only empty cells are missing (a queue named "NA" stays
    "NA")."""
    import pandas as pd

    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])


def _plain(value: Any) -> Any:
    """numpy scalars and arrays as plain Python values, for JSON."""
    if hasattr(value, "item") and callable(value.item) and getattr(value, "shape", None) == ():
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} cannot be written in a scenario")


def _input_error(message: str, field: Optional[str] = None) -> InputError:
    """An :class:`InputError` raised by the Python half, with the attributes the native half
    sets."""
    e = InputError(f"{field}: {message}" if field else message)
    e.message, e.field, e.file, e.line, e.column, e.problems = message, field, None, None, None, []
    return e


def _json(value: Any, field: Optional[str] = None) -> str:
    try:
        return json.dumps(value, default=_plain)
    except (TypeError, ValueError) as e:
        raise _input_error(str(e), field) from None


def _in_notebook() -> bool:
    return "ipykernel" in sys.modules


def _progress(progress: Progress, unit: str):
    """The native callback for ``progress``, and a function that closes what it opened.

    ``None``: a tqdm bar when tqdm is installed and someone is watching (a terminal or a
    notebook); ``False``: none; ``True``: a tqdm bar (tqdm must be installed); a callable:
    called as ``progress(done, total)`` on the calling thread after each unit."""
    if progress is False:
        return None, lambda: None
    if callable(progress) and progress is not True:
        user = progress
        return (lambda done, total, note: user(done, total)), lambda: None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress is True:
            raise ImportError("progress=True draws a tqdm bar: pip install tqdm") from None
        return None, lambda: None
    if progress is None and not (_in_notebook() or sys.stderr.isatty()):
        return None, lambda: None
    bar = None

    def tick(done: int, total: int, note: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit=unit, leave=False)
        bar.n = done
        if note:
            bar.set_postfix_str(note, refresh=False)
        bar.refresh()

    def close() -> None:
        if bar is not None:
            bar.close()

    return tick, close


def _driven(progress: Progress, unit: str, call: Callable[[Any], Any]):
    tick, close = _progress(progress, unit)
    try:
        return call(tick)
    finally:
        close()
