"""What the calls return: the reports the command writes, as DataFrames and dicts."""

from __future__ import annotations

import json
import os
from functools import cached_property
from typing import Any, Optional

from . import _native
from ._common import PathLike, _csv
from .scenario import Scenario


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
        ``answered_by.weighted``, …), in the file's order within each scope; the scopes in the
        scenario's order of queues, then ``all``."""
        import pandas as pd

        return pd.DataFrame.from_records(
            self._native.summary_rows(),
            columns=["scope", "metric", "mean", "half_width", "ci_low", "ci_high"],
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
        s = self.scenario
        return f"RunResult(scenario={s.name!r}, replications={s.replications})"


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
