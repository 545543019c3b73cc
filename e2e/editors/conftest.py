"""Fixtures of the real-editor tests: the set-up once per run, a workspace copy per test."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from e2e.editors.tooling import EmacsTools, SetupFailed, VSCodeTools, emacs_tools, vscode_tools
from e2e.editors.vscode import install_extension
from e2e.engine import REPO

EXAMPLE = REPO / "examples" / "node-app"
TIMINGS: dict[str, float] = {}


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
    TIMINGS["VS Code set-up (apt, npm, .vsix, install)"] = (
        tools.seconds + time.monotonic() - started
    )
    return tools, extensions


@pytest.fixture(scope="session")
def emacs() -> EmacsTools:
    try:
        tools = emacs_tools()
    except SetupFailed as error:
        pytest.skip(f"Emacs set-up: {error}")
    TIMINGS["Emacs set-up (apt)"] = tools.seconds
    return tools


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the bloated example app (auto-save and fixes write to it: one per test)."""
    target = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture(autouse=True)
def _timed(request: pytest.FixtureRequest) -> Iterator[None]:
    started = time.monotonic()
    yield
    TIMINGS[request.node.name] = time.monotonic() - started


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TIMINGS:
        terminalreporter.section("e2e/editors timings")
        for name, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{seconds:7.1f} s  {name}")
