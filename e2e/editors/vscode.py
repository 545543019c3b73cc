"""One VS Code window for one test: code-server on a workspace copy, Chromium driven by
vscode_driver.mjs, and the JSON-lines calls the tests make to it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from e2e.editors.tooling import HERE, VSCodeTools, dockerls_executable, path_without_dockerls

T = TypeVar("T")

# What every test window starts with: nothing that pops up over the editor, and saving only
# when the test saves (code-server auto-saves by default, which would hide fix-all on save).
USER_SETTINGS: dict[str, object] = {
    "files.autoSave": "off",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "security.workspace.trust.enabled": False,
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "extensions.ignoreRecommendations": True,
    "update.mode": "none",
    "telemetry.telemetryLevel": "off",
    "chat.commandCenter.enabled": False,
    "chat.disableAIFeatures": True,
    # Output channels unwrapped: one line of the log is one line of text (the ids are
    # "Log" for plain channels and "log" for log channels such as the extension's).
    "[Log]": {"editor.wordWrap": "off"},
    "[log]": {"editor.wordWrap": "off"},
}


class DriverError(AssertionError):
    """A UI step failed; the message has the driver's error and the failure screenshot."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(what: str, probe: Callable[[], T | None], seconds: float = 30.0) -> T:
    """Call ``probe`` until it returns neither None nor False; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    last: T | None = None
    while True:
        last = probe()
        if last is not None and last is not False:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


class Window:
    """The browser side: one call per UI step (see vscode_driver.mjs for the commands)."""

    def __init__(self, process: subprocess.Popen[str], log: Path) -> None:
        self._process = process
        self._log = log

    def call(self, name: str, /, **args: Any) -> Any:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"name": name, "args": args}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise DriverError(f"the driver died during {name}: see {self._log}")
        answer = json.loads(line)
        if not answer["ok"]:
            raise DriverError(
                f"{name}({args}) failed; screenshot {answer.get('screenshot')}\n{answer['error']}"
            )
        return answer["value"]

    def problems(self) -> list[str]:
        rows: list[str] = self.call("problems")
        return rows

    def wait_problems(self, check: Callable[[list[str]], bool], what: str) -> list[str]:
        seen: list[str] = []

        def probe() -> list[str] | None:
            seen[:] = self.problems()
            return seen if check(seen) else None

        try:
            return wait_for(what, probe, 60)
        except AssertionError as error:
            raise AssertionError(f"{error}; the panel lists:\n" + "\n".join(seen)) from None


def _wait_healthy(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    def healthy() -> bool:
        if server.poll() is not None:
            raise AssertionError(f"code-server exited ({server.returncode}): see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                return bool(reply.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    wait_for("code-server's /healthz", healthy, 60)


def install_extension(tools: VSCodeTools, extensions: Path, scratch: Path) -> None:
    """Install the .vsix the way a user does (`--install-extension`) into ``extensions``."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(scratch / "config")}
    done = subprocess.run(
        [
            str(tools.code_server),
            "--install-extension",
            str(tools.vsix),
            "--extensions-dir",
            str(extensions),
            "--user-data-dir",
            str(scratch / "user-data"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    if "successfully installed" not in done.stdout:
        raise AssertionError(f"--install-extension failed:\n{done.stdout}\n{done.stderr}")


@contextmanager
def vscode_window(
    tools: VSCodeTools,
    extensions: Path,
    workspace: Path,
    home: Path,
    *,
    dockerls_on_path: bool,
    user_settings: dict[str, object] | None = None,
) -> Iterator[Window]:
    """code-server on ``workspace`` and a browser on it, until the block ends.

    ``home`` is the user's home. VS Code takes the extension host's environment from the user's
    login shell, so PATH is what ``~/.profile`` makes it: Debian's default one, which puts
    ``~/.local/bin`` first, and with ``dockerls_on_path`` dockerls there as `pipx install`
    leaves it. Otherwise no folder on PATH has a dockerls.
    """
    skeleton = Path("/etc/skel/.profile")
    if skeleton.is_file():
        shutil.copy2(skeleton, home / ".profile")
    if dockerls_on_path:
        (home / ".local" / "bin").mkdir(parents=True)
        (home / ".local" / "bin" / "dockerls").symlink_to(dockerls_executable())
    user_data = home / "user-data"
    (user_data / "User").mkdir(parents=True)
    settings = {**USER_SETTINGS, **(user_settings or {})}
    (user_data / "User" / "settings.json").write_text(json.dumps(settings, indent=2))
    artifacts = home / "artifacts"
    artifacts.mkdir()
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VSCODE_", "PYTEST_", "VIRTUAL_ENV"))
    }
    env.update(
        PATH=path_without_dockerls(),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    server_log = home / "code-server.log"
    driver_log = home / "driver.log"
    with server_log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(tools.code_server),
                "--bind-addr",
                f"127.0.0.1:{port}",
                "--auth",
                "none",
                "--disable-telemetry",
                "--disable-update-check",
                "--disable-workspace-trust",
                "--extensions-dir",
                str(extensions),
                "--user-data-dir",
                str(user_data),
                str(workspace),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    driver: subprocess.Popen[str] | None = None
    try:
        _wait_healthy(port, server, server_log)
        with driver_log.open("w") as err:
            driver = subprocess.Popen(
                [
                    shutil.which("node") or "node",
                    str(HERE / "vscode_driver.mjs"),
                    f"http://127.0.0.1:{port}/?folder={workspace}",
                    str(artifacts),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env={
                    **os.environ,
                    "E2E_NODE_MODULES": str(tools.node_modules),
                    "E2E_CHROMIUM": str(tools.chromium),
                },
                start_new_session=True,
            )
        window = Window(driver, driver_log)
        window.call("open")
        yield window
    finally:
        if driver is not None:
            if driver.poll() is None and driver.stdin is not None:
                try:
                    driver.stdin.write(json.dumps({"name": "close"}) + "\n")
                    driver.stdin.close()
                    driver.wait(timeout=20)
                except (OSError, subprocess.TimeoutExpired):
                    os.killpg(driver.pid, signal.SIGKILL)
            driver.wait()
        # code-server and what it started (extension host, dockerls) share its process group.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # anything of the group still running
