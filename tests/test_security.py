"""What the server may touch: files inside its workspace only, no process, no network.

The end-to-end test runs ``dockerls serve`` under a Python audit hook that logs every
file the server opens or lists under the test's directory, and every process or socket
it starts; the workspace is full of symlinks pointing out of it and of configuration
outside it that would change the diagnostics if it were read.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockerls.config_io import MAX_CONFIG_BYTES, find_config
from tests.raw_lsp import Message, Server

needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")

# Runs the server with an audit hook: argv[1] is the log, argv[2] the directory watched.
AUDITED_SERVER = r"""
import os, socket, sys
log = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND)
watched = sys.argv[2]
ALWAYS = ("subprocess.", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.system",
          "pty.", "os.startfile", "webbrowser.", "urllib.Request", "socket.connect",
          "socket.bind", "socket.getaddrinfo", "socket.gethost", "socket.send")

def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir"):
        path = args[0] if args else None
        if isinstance(path, (str, bytes, os.PathLike)):
            path = os.fsdecode(path)
            if path.startswith(watched):
                writes = event == "open" and (
                    any(c in (args[1] or "") for c in "wax+")
                    or (args[2] or 0) & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC)
                )
                os.write(log, f"{event}\t{'write' if writes else 'read'}\t{path}\n".encode())
    elif event.startswith(ALWAYS) or (
        # asyncio's own wake-up socket pair is local; a network socket is not
        event == "socket.__new__" and args[1] in (socket.AF_INET, socket.AF_INET6)
    ):
        os.write(log, f"{event}\t-\t{args!r}\n".encode())

sys.addaudithook(hook)
from dockerls.server import main
main()
"""

ADD = "FROM alpine:3.20\nADD run.sh /app/\n"  # DKL405: ADD of a local file
IGNORE_ADD = 'ignore = ["DKL405"]\n'


def codes(published: Message) -> set[str]:
    return {d["code"] for d in published["params"]["diagnostics"]}


@pytest.fixture
def layout(tmp_path: Path) -> Iterator[Path]:
    """tmp/ws is the workspace; tmp/outside and tmp itself hold what must not be read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".dockerls.toml").write_text(IGNORE_ADD)
    (outside / "secret.json").write_text('{"name": "secret", "scripts": {}}')
    (outside / "ignore").write_text("secret\n")
    (outside / "Dockerfile").write_text(ADD)
    (tmp_path / ".dockerls.toml").write_text(IGNORE_ADD)  # above the workspace
    workspace = tmp_path / "ws"
    app = workspace / "app"
    app.mkdir(parents=True)
    (app / "Dockerfile").write_text(ADD)
    (app / ".dockerls.toml").symlink_to(outside / ".dockerls.toml")
    (app / "package.json").symlink_to(outside / "secret.json")
    (app / ".dockerignore").symlink_to(outside / "ignore")
    (workspace / "linked").symlink_to(outside, target_is_directory=True)
    inside = workspace / "inside"
    inside.mkdir()
    (inside / ".dockerls.toml").write_text(IGNORE_ADD)  # the control: this one is read
    yield tmp_path


@needs_symlinks
def test_the_server_reads_only_inside_its_workspace_and_runs_nothing(layout: Path) -> None:
    log = layout / "audit.log"
    marker = layout / "ran"
    # -I: the current directory is not on sys.path, so imports do not list it
    command = [sys.executable, "-I", "-c", AUDITED_SERVER, str(log), str(layout)]
    server = Server(layout, command)
    try:
        server.initialize(root=layout / "ws")
        hostile = (
            f"FROM alpine:3.20\nARG X=$(touch {marker})\nRUN touch {marker}\n"
            f"ONBUILD RUN touch {marker}\nHEALTHCHECK CMD touch {marker}\n"
            f'CMD ["sh", "-c", "touch {marker}"]\nADD https://example.com/x /x\n'
        )
        uris = {
            "app": (layout / "ws" / "app" / "Dockerfile").as_uri(),
            "linked": (layout / "ws" / "linked" / "Dockerfile").as_uri(),
            "outside": (layout / "outside" / "Dockerfile").as_uri(),
            "inside": (layout / "ws" / "inside" / "Dockerfile").as_uri(),
            "hostile": (layout / "ws" / "hostile" / "Dockerfile").as_uri(),
        }
        published = {
            name: server.open(hostile if name == "hostile" else ADD, uri=uri)
            for name, uri in uris.items()
        }
        # configuration out of the workspace is never applied; the one inside it is
        del published["hostile"]
        assert {name: "DKL405" in codes(p) for name, p in published.items()} == {
            "app": True,
            "linked": True,
            "outside": True,
            "inside": False,
        }
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}
        for uri in uris.values():
            document = {"textDocument": {"uri": uri}}
            server.request(
                "textDocument/codeAction",
                {**document, "range": whole, "context": {"diagnostics": []}},
            )
            server.request("textDocument/hover", {**document, "position": whole["start"]})
            server.notify("textDocument/didSave", document)
        server.still_answers()
        assert server.request("shutdown")["result"] is None
        server.notify("exit")
        assert server.exit_code() == 0
    finally:
        server.close()
    assert not marker.exists()
    events = [line.split("\t") for line in log.read_text().splitlines()]
    workspace = (layout / "ws").resolve()
    outside = [
        (event, path)
        for event, _, path in events
        if event in ("open", "os.listdir", "os.scandir")
        and not Path(path).resolve().is_relative_to(workspace)
    ]
    assert outside == []
    assert [e for e in events if e[1] == "write"] == []
    assert [e for e in events if e[1] == "-"] == []  # no process, no socket
    assert any(Path(path).name == ".dockerls.toml" for _, _, path in events)  # it did look


@needs_symlinks
def test_configuration_is_not_followed_out_of_the_workspace(layout: Path) -> None:
    workspace = layout / "ws"
    assert find_config(workspace / "app" / "Dockerfile", workspace).path is None
    assert find_config(workspace / "linked" / "Dockerfile", workspace).path is None
    assert find_config(layout / "outside" / "Dockerfile", workspace).path is None
    inside = find_config(workspace / "inside" / "Dockerfile", workspace)
    assert inside.path == workspace / "inside" / ".dockerls.toml"
    assert inside.settings.ignore == ("DKL405",)
    # without a workspace (the CLI) the search goes up to the filesystem root
    assert find_config(workspace / "app" / "Dockerfile").settings.ignore == ("DKL405",)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_configuration_files_that_cannot_be_read_safely(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".dockerls.toml")  # opening it for reading would block
    (tmp_path / "pyproject.toml").write_text("[tool.dockerls]\n" + "#" * MAX_CONFIG_BYTES)
    found = find_config(tmp_path / "Dockerfile", tmp_path)
    assert found.path == tmp_path / "pyproject.toml"
    assert found.settings.ignore == ()
    assert "too large" in found.complaints[0]


def test_each_workspace_folder_is_a_root_of_its_own(tmp_path: Path) -> None:
    """With several workspace folders a document's files are read inside its own folder:
    configuration next to it applies, configuration above the folders does not."""
    (tmp_path / ".dockerls.toml").write_text(IGNORE_ADD)  # above both folders
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    (tmp_path / "b" / ".dockerls.toml").write_text(IGNORE_ADD)
    server = Server(tmp_path)
    try:
        folders = [{"uri": (tmp_path / n).as_uri(), "name": n} for n in ("a", "b")]
        params = {"processId": None, "rootUri": None, "capabilities": {}}
        assert "result" in server.request("initialize", {**params, "workspaceFolders": folders})
        server.notify("initialized", {})
        found = {
            name: "DKL405" in codes(server.open(ADD, uri=(tmp_path / name / "Dockerfile").as_uri()))
            for name in ("a", "b")
        }
        assert found == {"a": True, "b": False}
    finally:
        server.close()
