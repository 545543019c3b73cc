"""Fixtures of the real-editor tests: the set-up once per run, a workspace copy per test."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from e2e import results
from e2e.editors.tooling import (
    SECTION,
    EmacsTools,
    SetupFailed,
    VSCodeTools,
    emacs_tools,
    vscode_tools,
)
from e2e.editors.vscode import install_extension
from e2e.engine import REPO

EXAMPLE = REPO / "examples" / "node-app"


@pytest.fixture(scope="session")
def vscode(tmp_path_factory: pytest.TempPathFactory) -> tuple[VSCodeTools, Path]:
    """code-server, Chromium and playwright-core set up, the .vsix installed once."""
    try:
        tools = vscode_tools()
    except SetupFailed as error:
        pytest.skip(f"VS Code set-up: {error}")
    started = time.monotonic()
    scratch = tmp_path_factory.mktemp("vscode-install")
    extensions = scratch / "extensions"
    install_extension(tools, extensions, scratch)
    seconds = tools.seconds + time.monotonic() - started
    results.note(SECTION, f"VS Code set-up (apt, npm ci, .vsix, install) took {seconds:.0f} s.")
    return tools, extensions


@pytest.fixture(scope="session")
def emacs() -> EmacsTools:
    try:
        tools = emacs_tools()
    except SetupFailed as error:
        pytest.skip(f"Emacs set-up: {error}")
    results.note(SECTION, f"Emacs set-up (apt) took {tools.seconds:.0f} s.")
    return tools


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the bloated example app (auto-save and fixes write to it: one per test)."""
    target = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """One row per test in e2e/RESULTS.md: what it checks, its outcome, how long it took."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        function = getattr(item, "function", None)
        doc = (getattr(function, "__doc__", None) or "").strip().split("\n\n")[0]
        shown: str = report.outcome
        if report.skipped and isinstance(report.longrepr, tuple):
            shown = f"skipped: {report.longrepr[2].removeprefix('Skipped: ')}"
        results.record(
            SECTION,
            {
                "test": item.name,
                "checks": " ".join(doc.split()),
                "outcome": shown,
                "seconds": f"{report.duration:.0f}",
            },
        )
