"""The package a user installs: built from the tracked files (sdist, then the wheel from it),
checked as PyPI checks it, installed into a fresh virtual environment as `pipx install` does,
and run from there (`dockerls check`, and `dockerls serve` answering `initialize`).

In e2e because the isolated build and the install download setuptools and the dependencies
from the package registry (~40 s)."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from e2e.engine import REPO

EXAMPLE = REPO / "examples" / "node-app"
UNREACHABLE = ("Could not find a version", "No matching distribution", "connection", "resolve")


def run(args: list[str], what: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a step; skip when it failed for want of the package registry, else fail."""
    done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=600, check=False)
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if any(sign in output for sign in UNREACHABLE):
            pytest.skip(f"{what}: the package registry cannot be reached")
        raise AssertionError(f"{what} failed ({done.returncode}):\n{output}")
    return done


def tracked_copy(target: Path) -> Path:
    """The repository's tracked files only, as a release is cut from a clean checkout."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    )
    for name in listed.stdout.split("\0"):
        source = REPO / name
        if name and source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


class Messages:
    """LSP messages (Content-Length framed) read from a pipe, each before a deadline."""

    def __init__(self, stream: int, seconds: float) -> None:
        self._stream = stream
        self._deadline = time.monotonic() + seconds
        self._data = b""

    def _more(self) -> None:
        left = self._deadline - time.monotonic()
        ready, _, _ = select.select([self._stream], [], [], max(left, 0))
        if not ready:
            raise AssertionError("dockerls serve did not answer in time")
        chunk = os.read(self._stream, 65536)
        if not chunk:
            raise AssertionError("dockerls serve closed its output")
        self._data += chunk

    def next(self) -> dict[str, object]:
        while b"\r\n\r\n" not in self._data:
            self._more()
        header, _, rest = self._data.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in header.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(rest) < length:
            self._more()
            rest = self._data.partition(b"\r\n\r\n")[2]
        self._data = rest[length:]
        message: dict[str, object] = json.loads(rest[:length])
        return message

    def answer(self, request_id: int) -> dict[str, object]:
        """The response to ``request_id``, past the notifications the server sends meanwhile."""
        while (message := self.next()).get("id") != request_id or "method" in message:
            pass
        return message


def frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    """sdist + wheel build without warnings, twine check --strict passes, the metadata says
    License-Expression MIT; installed in a fresh venv, `dockerls check` exits 1 with DKL201 and
    `dockerls serve` answers initialize and shutdown."""
    source = tracked_copy(tmp_path / "source")
    dist = tmp_path / "dist"
    built = run([sys.executable, "-m", "build", "--outdir", str(dist)], "python -m build", source)
    for warning in ("SetuptoolsDeprecationWarning", "License classifiers are deprecated"):
        assert warning not in built.stdout + built.stderr
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")

    checked = run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
                  "twine check")  # fmt: skip
    assert checked.stdout.count("PASSED") == 2, checked.stdout

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    text = metadata.decode()
    for line in ("License-Expression: MIT", "License-File: LICENSE", "Classifier: Typing :: Typed",
                 "Project-URL: Homepage, ", "Requires-Python: >=3.11"):  # fmt: skip
        assert line in text, line
    assert "dockerls/knowledge/images.json" in names and "dockerls/py.typed" in names

    # What `pipx install dockerls` does: a virtual environment of its own, the package in it.
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], "python -m venv")
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
         str(wheel)], "pip install of the wheel")  # fmt: skip
    dockerls = venv / "bin" / "dockerls"

    version = subprocess.run(
        [str(dockerls), "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and "0.1.0" in version.stdout

    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    checked_example = subprocess.run(
        [str(dockerls), "check", "."], cwd=project, capture_output=True, text=True, check=False
    )
    assert checked_example.returncode == 1, checked_example.stderr  # 1: findings
    assert "Dockerfile:2:11: DKL201" in checked_example.stdout

    server = subprocess.Popen(
        [str(dockerls), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=project
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        messages = Messages(server.stdout.fileno(), 60)
        server.stdin.write(frame({
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": None, "rootUri": project.as_uri(), "capabilities": {}},
        }))  # fmt: skip
        server.stdin.flush()
        result = messages.answer(1)["result"]
        assert isinstance(result, dict)
        assert result["serverInfo"] == {"name": "dockerls", "version": "0.1.0"}
        assert "hoverProvider" in result["capabilities"]
        server.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        server.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        server.stdin.flush()
        assert messages.answer(2)["result"] is None
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
