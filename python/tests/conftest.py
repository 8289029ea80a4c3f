"""Shared fixtures: the repository, the command-line binary (the oracle the package must agree
with), and a loud rule for optional dependencies: outside CI a missing one skips its tests with
the reason printed; with CI=true it is a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(module: str):
    """Imports ``module``, or skips (outside CI, loudly) / fails (in CI) without it."""
    try:
        return __import__(module)
    except ImportError as e:
        if IN_CI:
            pytest.fail(f"{module} is required in CI (python/requirements-test.txt): {e}")
        pytest.skip(f"SKIPPED LOUDLY: {module} is not installed ({e}); install "
                    "python/requirements-test.txt to run these tests (CI=true makes this a failure)")


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `borderline` binary: $BORDERLINE_BIN, else target/{release,debug}, else built."""
    given = os.environ.get("BORDERLINE_BIN")
    if given:
        return Path(given)
    for profile in ("release", "debug"):
        path = REPO / "target" / profile / "borderline"
        if path.exists():
            return path
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.fail("no borderline binary and no cargo to build one (set BORDERLINE_BIN)")
    subprocess.run([cargo, "build", "--quiet"], cwd=REPO, check=True)
    return REPO / "target" / "debug" / "borderline"


def run_cli(cli: Path, *args: str) -> str:
    done = subprocess.run([str(cli), *args], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def pytest_report_header(config):
    return f"borderline tests: CI={'yes' if IN_CI else 'no'} (optional dependencies {'required' if IN_CI else 'skipped loudly when missing'})"
