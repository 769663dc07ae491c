"""ccsim in Python: the contact-centre simulation engine, driven from a notebook.

The same engine as the ``ccsim`` command, called as a library (not by running the command):

>>> import ccsim
>>> quick = ccsim.Scenario.quickstart()
>>> result = ccsim.run(quick.with_settings({"agents.sales-early.count": 6}), threads=2)
>>> result.summary            # one row per scope (queue, then "all") and metric, with 95 % CIs
>>> result.intervals          # intervals.csv, as a DataFrame

Results are pandas DataFrames with the columns of the files ``ccsim`` writes (the very text of
those files is parsed, so every figure is the command's, to the last digit). Simulations run
with the GIL released; Ctrl-C (a notebook's interrupt) stops them. Bad input raises
:class:`InputError`, whose ``problems`` carry file, line, column, field and message.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _native
from ._common import PathLike, Progress, _driven, _input_error, _json
from ._native import BudgetError, Error, InputError, InvariantError, Problem
from .results import CompareResult, ErlangResult, RunResult, StaffResult, SweepResult
from .scenario import Scenario, ScenarioLike, _scenario, _with

__all__ = [
    "BudgetError",
    "CompareResult",
    "ErlangResult",
    "Error",
    "InputError",
    "InvariantError",
    "Problem",
    "RunResult",
    "Scenario",
    "StaffResult",
    "SweepResult",
    "compare",
    "erlang",
    "run",
    "staff",
    "sweep",
]

__version__ = _native.__version__


def run(
    scenario: ScenarioLike = None,
    *,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Progress = None,
    check: bool = False,
    max_conversations: Optional[int] = None,
    max_open: Optional[int] = None,
) -> RunResult:
    """Runs a scenario (a :class:`Scenario`, a file's path, or the quickstart when omitted):
    its replications on ``threads`` threads (the machine's cores by default; results never
    depend on it). ``check`` runs the invariant checker beside it. ``max_conversations`` and
    ``max_open`` are the budget (the command line's defaults): a run expected past it is
    refused with :class:`BudgetError`."""
    s = _with(_scenario(scenario), seed, replications)
    native = _driven(
        progress,
        "replication",
        lambda tick: _native.run(
            s._native, threads, tick, check, max_conversations, max_open
        ),
    )
    return RunResult(native, s)


def _toml_value(value: Any) -> str:
    """A value as TOML: a gate rule's fields (text, numbers, true/false, ``{abs = 0.02}``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        pairs = (f"{_json(str(k), 'gate')} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + ", ".join(pairs) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return _json(value, "gate")


def _gate_text(gate: Any) -> Optional[tuple]:
    if gate is None:
        return None
    if isinstance(gate, os.PathLike) or (
        isinstance(gate, str) and "\n" not in gate and "[[rule]]" not in gate
    ):
        path = os.fspath(gate)
        try:
            with open(path, encoding="utf-8") as f:
                return f.read(), path
        except OSError as e:
            raise _input_error(f"{path}: cannot read the gate: {e.strerror}", "gate") from None
    if isinstance(gate, str):
        return gate, "<gate>"
    if isinstance(gate, (list, tuple)):
        lines = []
        for rule in gate:
            if not isinstance(rule, Mapping):
                raise _input_error(
                    "expected a list of rules such as "
                    '{"metric": "service_level", "scope": "all", "max_worsening": 0.02}',
                    "gate",
                )
            lines.append("[[rule]]")
            for key, value in rule.items():
                lines.append(f"{_json(str(key), 'gate')} = {_toml_value(value)}")
        return "\n".join(lines) + "\n", "<gate>"
    raise _input_error(
        f"expected a gate file's path, its TOML text or a list of rules, not {type(gate).__name__}",
        "gate",
    )


def compare(
    base: ScenarioLike,
    candidate: Union[Scenario, PathLike, Mapping[str, Any]],
    *,
    gate: Any = None,
    name: Optional[str] = None,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Progress = None,
    max_conversations: Optional[int] = None,
    max_open: Optional[int] = None,
) -> CompareResult:
    """Compares ``candidate`` with ``base`` replication by replication on the same random
    numbers. The candidate is another scenario (or its file), a variation file of the base
    (``name`` and a ``[set]`` table, as ``ccsim compare`` takes), or a dict of settings that
    vary the base.
    ``gate`` (a gate file's path, its TOML text, or a list of rules as dicts) judges the
    deltas: see :attr:`CompareResult.passed`."""
    b = _with(_scenario(base), seed, replications)
    if isinstance(candidate, Mapping):
        c = b.with_settings(candidate)
        label = name or "candidate"
    elif isinstance(candidate, (str, os.PathLike)) and _native.Scenario.is_variation_file(
        os.fspath(candidate)
    ):
        varied, file_name = b._native.vary_file(os.fspath(candidate))
        c = Scenario(varied)
        label = name or file_name
    else:
        c = _scenario(candidate)
        label = name or c.name
    gate_text = _gate_text(gate)
    native = _driven(
        progress,
        "pair",
        lambda tick: _native.compare(
            b._native, c._native, label, gate_text, threads, tick, max_conversations, max_open
        ),
    )
    return CompareResult(native)


def staff(
    scenario: ScenarioLike = None,
    *,
    service_level: float = 0.8,
    confidence: float = 0.9,
    shrinkage: float = 0.3,
    asa_s: Optional[float] = None,
    max_occupancy: Optional[float] = None,
    fte_hours: float = 40.0,
    max_rounds: int = 60,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Progress = None,
    max_conversations: Optional[int] = None,
    max_open: Optional[int] = None,
) -> StaffResult:
    """The agents each queue needs per interval to answer ``service_level`` of its customers
    within its threshold, at ``confidence``: Erlang C/A first, then checked and corrected by
    simulation, as ``ccsim staff`` does (the same defaults)."""
    s = _with(_scenario(scenario), seed, replications)
    native = _driven(
        progress,
        "round",
        lambda tick: _native.staff(
            s._native,
            float(service_level),
            float(confidence),
            float(shrinkage),
            None if asa_s is None else float(asa_s),
            None if max_occupancy is None else float(max_occupancy),
            float(fte_hours),
            int(max_rounds),
            threads,
            tick,
            max_conversations,
            max_open,
        ),
    )
    return StaffResult(native)


def _points(points: Any) -> list:
    if points is None:
        return []
    if isinstance(points, Mapping):
        return [{"name": str(k), "set": dict(v or {})} for k, v in points.items()]
    return [dict(p) for p in points]


def _grid(grid: Any) -> list:
    if grid is None:
        return []
    if isinstance(grid, Mapping):
        return [{"path": str(k), "values": list(v)} for k, v in grid.items()]
    return [dict(a) for a in grid]


def sweep(
    plan: Union[Scenario, PathLike],
    *,
    points: Union[None, Mapping[str, Mapping[str, Any]], Sequence[Mapping[str, Any]]] = None,
    grid: Union[None, Mapping[str, Iterable[Any]], Sequence[Mapping[str, Any]]] = None,
    name: str = "sweep",
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Progress = None,
    allow_outside_files: bool = False,
    max_conversations: Optional[int] = None,
    max_open: Optional[int] = None,
) -> SweepResult:
    """Runs every point of a sweep: a plan file (``ccsim sweep PLAN``), or a scenario with
    ``points`` (``{"name": {path: value}}``) crossed with a ``grid`` (``{path: [values]}``),
    named as a plan file names them."""
    if isinstance(plan, Scenario):
        s = _with(plan, seed, replications)
        native = _driven(
            progress,
            "unit",
            lambda tick: _native.sweep_points(
                s._native,
                name,
                _json(_points(points)),
                _json(_grid(grid)),
                threads,
                tick,
                max_conversations,
                max_open,
            ),
        )
        return SweepResult(native)
    if points is not None or grid is not None or seed is not None or replications is not None:
        raise _input_error(
            "points, grid, seed and replications vary a Scenario; a plan file names its own",
            "plan",
        )
    native = _driven(
        progress,
        "unit",
        lambda tick: _native.sweep_plan(
            os.fspath(plan), allow_outside_files, threads, tick, max_conversations, max_open
        ),
    )
    return SweepResult(native)


def erlang(
    *,
    aht_s: float,
    rate_per_h: Optional[float] = None,
    volume: Optional[float] = None,
    interval_min: float = 30.0,
    threshold_s: float = 20.0,
    patience_s: Optional[float] = None,
    concurrency: float = 1.0,
    agents: Optional[int] = None,
    service_level: float = 0.8,
    asa_s: Optional[float] = None,
    max_occupancy: Optional[float] = None,
    shrinkage: float = 0.0,
) -> ErlangResult:
    """Erlang C (or A, with ``patience_s``) for one queue and interval, as ``ccsim erlang``
    answers it: the arrivals as ``rate_per_h``, or ``volume`` per ``interval_min``."""
    f = lambda x: None if x is None else float(x)  # noqa: E731
    text = _native.erlang(
        float(aht_s),
        f(rate_per_h),
        f(volume),
        float(interval_min),
        float(threshold_s),
        f(patience_s),
        float(concurrency),
        None if agents is None else int(agents),
        float(service_level),
        f(asa_s),
        f(max_occupancy),
        float(shrinkage),
    )
    return ErlangResult(json.loads(text))
