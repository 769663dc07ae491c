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

import io
import json
import os
import sys
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from . import _native
from ._native import BudgetError, Error, InputError, InvariantError, Problem

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


class Scenario:
    """A checked scenario: loaded from a file, a TOML or JSON string or a dict, and varied.

    A scenario is immutable: :meth:`with_settings` returns a new one. Every form is checked
    exactly as ``ccsim validate`` checks a file, and a problem raises :class:`InputError`.
    """

    __slots__ = ("_native",)

    def __init__(self, native: "_native.Scenario"):
        self._native = native

    @classmethod
    def load(cls, path: PathLike, *, allow_outside_files: bool = False) -> "Scenario":
        """The scenario file at ``path`` (.toml or .json). The files it names (profiles,
        rosters, traces) must lie in its folder unless ``allow_outside_files``."""
        return cls(_native.Scenario.load(os.fspath(path), allow_outside_files))

    @classmethod
    def from_toml(
        cls,
        text: str,
        *,
        origin: str = "<toml>",
        base_dir: PathLike = ".",
        allow_outside_files: bool = False,
    ) -> "Scenario":
        """Scenario TOML text; ``origin`` names it in errors, files it names resolve in
        ``base_dir``."""
        return cls(
            _native.Scenario.parse(text, "toml", origin, os.fspath(base_dir), allow_outside_files)
        )

    @classmethod
    def from_json(
        cls,
        text: str,
        *,
        origin: str = "<json>",
        base_dir: PathLike = ".",
        allow_outside_files: bool = False,
    ) -> "Scenario":
        """Scenario JSON text (the fields of the TOML format)."""
        return cls(
            _native.Scenario.parse(text, "json", origin, os.fspath(base_dir), allow_outside_files)
        )

    @classmethod
    def from_dict(
        cls,
        doc: Mapping[str, Any],
        *,
        origin: str = "<dict>",
        base_dir: PathLike = ".",
        allow_outside_files: bool = False,
    ) -> "Scenario":
        """A scenario given as a dict with the fields of the file format (as ``tomllib.load``
        returns them). Errors name the field; their lines are those of the dict written as
        indented JSON."""
        try:
            text = json.dumps(doc, indent=2, default=_plain)
        except (TypeError, ValueError) as e:
            raise _input_error(f"the document cannot be read as a scenario: {e}", "doc") from None
        return cls.from_json(
            text,
            origin=origin,
            base_dir=base_dir,
            allow_outside_files=allow_outside_files,
        )

    @classmethod
    def quickstart(cls) -> "Scenario":
        """The bundled quickstart scenario: what ``ccsim run`` runs without a file."""
        return cls(_native.Scenario.quickstart())

    def with_settings(
        self,
        settings: Optional[Mapping[str, Any]] = None,
        /,
        *,
        seed: Optional[int] = None,
        replications: Optional[int] = None,
        **named: Any,
    ) -> "Scenario":
        """This scenario with settings applied, as ``ccsim run --set PATH=VALUE`` and a
        sweep's points apply them: a dotted path walks the document by key, and names an
        element of an array by its ``name`` (``agents.sales-early.count``,
        ``queues.sales.assignment.mode``); ``arrival_scale`` multiplies every arrival rate and
        ``route_order`` reorders the routes. Keyword arguments are settings too
        (``duration_days=365``). ``seed`` and ``replications`` replace the scenario's."""
        pairs = list((settings or {}).items()) + list(named.items())
        encoded = [(str(path), _json(value, str(path))) for path, value in pairs]
        return Scenario(self._native.vary(encoded, seed, replications))

    @property
    def name(self) -> str:
        """Name (the command line writes reports to ``reports/<name>/``)."""
        return self._native.name

    @property
    def seed(self) -> int:
        return self._native.seed

    @property
    def replications(self) -> int:
        return self._native.replications

    @property
    def queues(self) -> list:
        """Queue names, in the scenario's order."""
        return list(self._native.queues)

    @property
    def origin(self) -> str:
        """The file (or name) it came from."""
        return self._native.origin

    @property
    def settings(self) -> dict:
        """The settings applied so far, path to value."""
        return {path: json.loads(value) for path, value in self._native.applied}

    @property
    def warnings(self) -> list:
        """What to know before trusting its results, as (field, message) pairs."""
        return list(self._native.warnings)

    @property
    def expected_conversations(self) -> float:
        """Conversations a run is expected to simulate, over every replication."""
        return self._native.expected_conversations

    def to_toml(self) -> str:
        """The scenario as a TOML file with its settings, seed and replications: ``ccsim run``
        of that file gives the same figures."""
        return self._native.to_toml()

    def __repr__(self) -> str:
        extra = f", settings={self.settings!r}" if self.settings else ""
        return (
            f"Scenario(name={self.name!r}, origin={self.origin!r}, seed={self.seed}, "
            f"replications={self.replications}{extra})"
        )


ScenarioLike = Union[Scenario, PathLike, None]


def _scenario(s: ScenarioLike) -> Scenario:
    if s is None:
        return Scenario.quickstart()
    if isinstance(s, Scenario):
        return s
    if isinstance(s, (str, os.PathLike)):
        return Scenario.load(s)
    raise _input_error(
        f"expected a Scenario or the path of a scenario file, not {type(s).__name__}", "scenario"
    )


def _with(s: Scenario, seed: Optional[int], replications: Optional[int]) -> Scenario:
    if seed is None and replications is None:
        return s
    return s.with_settings(seed=seed, replications=replications)


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


def _flatten_estimates(node: Any, prefix: str, out: list, scope: str) -> None:
    if isinstance(node, dict):
        if {"mean", "half_width", "ci_low", "ci_high"} <= node.keys():
            out.append(
                (scope, prefix, node["mean"], node["half_width"], node["ci_low"], node["ci_high"])
            )
            return
        for key, value in node.items():
            _flatten_estimates(value, f"{prefix}.{key}" if prefix else key, out, scope)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            name = value.get("name") if isinstance(value, dict) else None
            _flatten_estimates(value, f"{prefix}.{name if name is not None else i}", out, scope)


class RunResult:
    """A run's reports: the figures of ``summary.json`` and ``intervals.csv``."""

    def __init__(self, native: "_native.RunOutput", scenario: Scenario):
        self._native = native
        self.scenario = scenario

    @property
    def simulation_s(self) -> float:
        """Wall time of the simulation alone (the replications, not the reports), s."""
        return self._native.simulation_s

    @cached_property
    def summary_json(self) -> dict:
        """``summary.json`` as a dict."""
        return json.loads(self._native.summary_json())

    @cached_property
    def summary(self):
        """Per scope (each queue, then ``all`` for the whole centre) and metric, the mean over
        replications and its 95 % confidence interval: columns ``scope``, ``metric``,
        ``mean``, ``half_width``, ``ci_low``, ``ci_high``. Metric names are the paths of
        ``summary.json`` (``service_level``, ``open_hours.service_level``,
        ``answered_by.weighted``, …)."""
        import pandas as pd

        rows: list = []
        doc = self.summary_json
        for queue in doc["queues"]:
            _flatten_estimates(
                {k: v for k, v in queue.items() if k != "name"}, "", rows, queue["name"]
            )
        _flatten_estimates(doc["overall"], "", rows, "all")
        return pd.DataFrame(
            rows, columns=["scope", "metric", "mean", "half_width", "ci_low", "ci_high"]
        )

    @cached_property
    def intervals(self):
        """``intervals.csv``: per interval and queue, the mean per replication."""
        return _csv(self._native.intervals_csv())

    @cached_property
    def intervals_by_channel(self):
        """``intervals_by_channel.csv``."""
        return _csv(self._native.channels_csv())

    def html(self) -> str:
        """``report.html``, the command's page."""
        return self._native.html()

    def save(self, directory: PathLike) -> None:
        """Writes the four files of ``ccsim run`` into ``directory`` (all or none)."""
        self._native.save(os.fspath(directory))

    def __repr__(self) -> str:
        return f"RunResult(scenario={self.scenario.name!r}, replications={self.scenario.replications})"


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
        return "{ " + ", ".join(f"{_json(str(k), 'gate')} = {_toml_value(v)}" for k, v in value.items()) + " }"
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


class CompareResult:
    """A paired comparison (and its gate's verdict): the reports of ``ccsim compare``."""

    def __init__(self, native: "_native.CompareOutput"):
        self._native = native

    @property
    def passed(self) -> Optional[bool]:
        """Whether every gate check passed; ``None`` without a gate."""
        return self._native.passed

    @property
    def failures(self) -> list:
        """The worst gate failures, one line each."""
        return list(self._native.failures)

    @cached_property
    def json(self) -> dict:
        """``compare.json`` as a dict."""
        return json.loads(self._native.json())

    @property
    def markdown(self) -> str:
        """``compare.md``."""
        return self._native.markdown()

    @cached_property
    def totals(self):
        """Whole-run deltas per scope and metric: ``scope``, ``metric``, ``base``,
        ``candidate``, ``diff``, ``diff_ci_low``, ``diff_ci_high``, ``pairs``."""
        import pandas as pd

        rows = []
        for scope in self.json["scopes"]:
            for metric, d in scope["totals"].items():
                rows.append(
                    (
                        scope["scope"],
                        metric,
                        d["base"],
                        d["candidate"],
                        d["diff"]["mean"],
                        d["diff"]["ci_low"],
                        d["diff"]["ci_high"],
                        d["pairs"],
                    )
                )
        return pd.DataFrame(
            rows,
            columns=[
                "scope",
                "metric",
                "base",
                "candidate",
                "diff",
                "diff_ci_low",
                "diff_ci_high",
                "pairs",
            ],
        )

    @cached_property
    def intervals(self):
        """``compare_intervals.csv``: every per-interval delta."""
        return _csv(self._native.intervals_csv())

    def save(self, directory: PathLike) -> None:
        """Writes the files of ``ccsim compare`` into ``directory``."""
        self._native.save(os.fspath(directory))


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
    numbers. The candidate is another scenario, or a dict of settings that vary the base.
    ``gate`` (a gate file's path, its TOML text, or a list of rules as dicts) judges the
    deltas: see :attr:`CompareResult.passed`."""
    b = _with(_scenario(base), seed, replications)
    if isinstance(candidate, Mapping):
        c = b.with_settings(candidate)
        label = name or "candidate"
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


class StaffResult:
    """A staffing plan: the reports of ``ccsim staff``."""

    def __init__(self, native: "_native.StaffOutput"):
        self._native = native

    @cached_property
    def table(self):
        """``staffing.csv``: per queue and interval, the agents needed and the roster's."""
        return _csv(self._native.csv())

    @cached_property
    def json(self) -> dict:
        """``staffing.json`` as a dict."""
        return json.loads(self._native.json())

    @cached_property
    def totals(self):
        """Per queue, what ``ccsim staff`` prints: ``queue``, ``erlang_h`` and ``simulated_h``
        (agent-hours to schedule, after shrinkage), ``roster_h``, ``short_intervals`` (open
        intervals where the roster has fewer agents than needed), ``disagree`` (where Erlang
        and the simulation differ), ``peak`` and ``fte``."""
        import pandas as pd

        return pd.DataFrame(
            json.loads(self._native.totals_json()),
            columns=[
                "queue",
                "erlang_h",
                "simulated_h",
                "roster_h",
                "short_intervals",
                "disagree",
                "peak",
                "fte",
            ],
        )

    @property
    def converged(self) -> bool:
        """Whether the search met the target everywhere within its rounds."""
        return bool(self.json["converged"])

    def text(self) -> str:
        """The table ``ccsim staff`` prints."""
        return self._native.table()

    def save(self, directory: PathLike) -> None:
        """Writes the files of ``ccsim staff`` into ``directory``."""
        self._native.save(os.fspath(directory))


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


class SweepResult:
    """A sweep's reports: the files of ``ccsim sweep``."""

    def __init__(self, native: "_native.SweepOutput"):
        self._native = native

    @cached_property
    def summary(self):
        """``sweep.csv``: per point, scope and metric, the mean and 95 % interval."""
        return _csv(self._native.csv())

    @cached_property
    def settings(self):
        """``settings.csv``: each point's settings."""
        return _csv(self._native.settings_csv())

    @cached_property
    def intervals(self):
        """``intervals.csv``: per point, interval and scope."""
        return _csv(self._native.intervals_csv())

    @cached_property
    def json(self) -> dict:
        """``sweep.json`` as a dict."""
        return json.loads(self._native.json())

    def save(self, directory: PathLike) -> None:
        """Writes the files of ``ccsim sweep`` into ``directory``."""
        self._native.save(os.fspath(directory))


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


class ErlangResult:
    """The Erlang calculator's answer: the agents a target needs, and the measures around it."""

    def __init__(self, answer: dict):
        self.answer = answer

    @property
    def model(self) -> str:
        """``Erlang C``, or ``Erlang A`` when customers have a patience."""
        return self.answer["model"]

    @property
    def offered_erlangs(self) -> float:
        return self.answer["offered_erlangs"]

    @property
    def required_agents(self) -> Optional[int]:
        """Agents on the floor for the target; ``None`` when out of reach."""
        return self.answer["required_agents"]

    @property
    def required_scheduled(self) -> Optional[int]:
        """Agents to schedule for the target at the shrinkage asked."""
        return self.answer["required_scheduled"]

    @cached_property
    def table(self):
        """Per agent count: ``agents``, ``service_level``, ``asa_s``, ``abandon_rate``,
        ``occupancy``, ``p_wait``."""
        import pandas as pd

        return pd.DataFrame(
            self.answer["rows"],
            columns=["agents", "service_level", "asa_s", "abandon_rate", "occupancy", "p_wait"],
        )

    def __repr__(self) -> str:
        return (
            f"ErlangResult(model={self.model!r}, offered_erlangs={self.offered_erlangs:.3f}, "
            f"required_agents={self.required_agents})"
        )


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
