"""Session fixtures of the real-build tests: the engine and the base images.

Every e2e test that asks for ``engine`` (or ``base_images``) skips with one line saying why
when the machine cannot run them: not root, no engine (e2e/engine.py), or a base image that
cannot be made. The results table (e2e/RESULTS.md) is written when the session ends.
"""

from __future__ import annotations

import os
import sys
import time

import pytest

from e2e import results
from e2e.apps import apps, needed_images
from e2e.engine import Engine, EngineUnavailable, cache_dir
from e2e.images import ImageError, Made, make

collect_ignore_glob = ["fixtures/*"]  # the fixture applications' own files are not tests


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The e2e engine, started once (idempotent across processes), or a one-line skip."""
    if os.geteuid() != 0:
        pytest.skip("e2e: the real-build tests need root (dockerd, overlay mounts)")
    try:
        return Engine.ensure()
    except EngineUnavailable as reason:
        pytest.skip(f"e2e: no Docker engine here: {reason}")


@pytest.fixture(scope="session")
def base_images(engine: Engine) -> Made:
    """Every image the fixtures and their offered splits name, made (or reused from the cache)
    under its exact tag; the ones that cannot be made here are in ``unavailable``."""
    try:
        made = make(engine, needed_images(apps()))
    except ImageError as reason:
        pytest.skip(f"e2e: a base image cannot be made: {reason}")
    section = "Base images"
    results.SESSION.keyed(section, "tag")
    results.note(
        section,
        "Made on this machine from the Debian mirror, the npm registry and PyPI (e2e/images.py); "
        "what each stands in for and how it differs from the real image is in the last column.",
    )
    for tag in sorted(made.notes):
        results.record(section, {"tag": tag, "made as": made.tags[tag], "how": made.notes[tag]})
    for tag, why in sorted(made.unavailable.items()):
        results.record(section, {"tag": tag, "made as": "not verifiable here", "how": why})
    if made.made:
        timings = ", ".join(f"{k} {v:.0f} s" for k, v in made.made.items())
        results.note(section, f"Made in this run: {timings}.")
    return made


_started: dict[str, float | bool] = {}


def pytest_sessionstart(session: pytest.Session) -> None:
    _started["at"] = time.monotonic()
    _started["fresh"] = not (cache_dir() / "engine").exists()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    args = " ".join(session.config.invocation_params.args) or "e2e"
    if not any(results.SESSION.rows.values()):
        return  # nothing ran for real (not root, no engine): RESULTS.md stays as it was
    minutes, seconds = divmod(round(time.monotonic() - float(_started.get("at", 0))), 60)
    section = "Timing"
    results.SESSION.keyed(section, "cache at the start")
    results.note(section, f"On {os.cpu_count()} cores; the last run of each kind is kept.")
    results.record(
        section,
        {
            "cache at the start": "empty" if _started.get("fresh") else "warm",
            "command": f"pytest {args}",
            "took": f"{minutes} min {seconds} s",
            "exit status": exitstatus,
        },
    )
    if results.write(command=f"pytest {args}"):
        print(f"\ne2e: results written to {results.RESULTS}", file=sys.stderr)
