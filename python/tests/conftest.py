"""Shared helpers: the repository's root, and the `ccsim` command the package is checked
against (CCSIM_BIN, else the debug build of this checkout)."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def ccsim_bin() -> str:
    explicit = os.environ.get("CCSIM_BIN")
    if explicit:
        return explicit
    for candidate in (ROOT / "target" / "debug" / "ccsim", ROOT / "target" / "release" / "ccsim"):
        if candidate.exists():
            return str(candidate)
    raise RuntimeError(
        "the ccsim command is needed to check the package against it: "
        "build it (cargo build) or set CCSIM_BIN"
    )


def cli_exit(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Runs the command from the repository's root, whatever its exit code."""
    return subprocess.run(
        [ccsim_bin(), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Runs the command; fails the test with its stderr when it does not exit 0."""
    done = cli_exit(*args, cwd=cwd)
    assert done.returncode == 0, f"ccsim {' '.join(args)} exited {done.returncode}:\n{done.stderr}"
    return done


@pytest.fixture
def root() -> Path:
    return ROOT
