"""A scenario: loaded from a file, a TOML or JSON string or a dict, and varied."""

from __future__ import annotations

import json
import os
from typing import Any, Mapping, Optional, Union

from . import _native
from ._common import PathLike, _input_error, _json, _plain


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
