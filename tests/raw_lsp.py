"""A raw LSP client for tests: ``dockerls serve`` in a subprocess, fed bytes.

pytest-lsp cannot send malformed JSON, messages out of turn or broken framing; this
writes ``Content-Length`` frames to the server's stdin and reads its stdout on a
thread. Every wait has a deadline (``TIMEOUT``); nothing sleeps.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dockerls.rpc import FdReader, read_frames

SERVE = [sys.executable, "-m", "dockerls", "serve"]

TIMEOUT = 20.0
URI = "file:///project/Dockerfile"

Message = dict[str, Any]


def frame(body: bytes, header: bytes = b"Content-Length") -> bytes:
    return header + b": " + str(len(body)).encode() + b"\r\n\r\n" + body


def encode(message: Message) -> bytes:
    return frame(json.dumps(message).encode())


class Server:
    """``dockerls serve`` over pipes; the server's requests are answered as an editor would."""

    def __init__(self, cwd: Path, command: Sequence[str] = SERVE) -> None:
        self.stderr = (cwd / "stderr.log").open("wb")
        self.process = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=cwd,
        )
        self.inbox: queue.Queue[Message | None] = queue.Queue()
        self.received: list[Message] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        read_frames(FdReader(self.process.stdout.fileno()), self._deliver)
        self.inbox.put(None)

    def _deliver(self, body: bytes) -> None:
        message = json.loads(body)
        if "method" in message and "id" in message:  # the server asks: answer at once
            items = (message.get("params") or {}).get("items", [])
            result = [None] * len(items) if message["method"] == "workspace/configuration" else None
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        self.inbox.put(message)

    def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: Message) -> None:
        self.write(encode(message))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def ask(self, method: str, params: Any = None) -> int:
        """Send a request; its id."""
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, wanted: Callable[[Message], bool]) -> Message:
        """The first message (received before or from now on) that is ``wanted``."""
        for message in self.received:
            if wanted(message):
                return message
        return self.next(wanted)

    def next(self, wanted: Callable[[Message], bool]) -> Message:
        """The first message from now on that is ``wanted``."""
        while True:
            message = self.inbox.get(timeout=TIMEOUT)
            assert message is not None, "the server closed its output"
            self.received.append(message)
            if wanted(message):
                return message

    def reply(self, msg_id: Any) -> Message:
        return self.wait(lambda m: "method" not in m and m.get("id") == msg_id)

    def request(self, method: str, params: Any = None) -> Message:
        return self.reply(self.ask(method, params))

    def error_code(self, msg_id: Any) -> int:
        found = self.reply(msg_id)
        assert "error" in found, found
        return int(found["error"]["code"])

    def initialize(self, root: Path | None = None) -> None:
        params = {
            "processId": None,
            "rootUri": root.as_uri() if root else None,
            "capabilities": {},
        }
        assert "result" in self.request("initialize", params)
        self.notify("initialized", {})

    def open(self, text: str, uri: str = URI, version: int = 1) -> Message:
        item = {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})
        return self.published(uri, version)

    def published(self, uri: str, version: int | None = None) -> Message:
        return self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and (version is None or m["params"].get("version") == version)
            )
        )

    def symbols(self, uri: str = URI) -> Message:
        return self.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})

    def still_answers(self) -> None:
        uri = "file:///project/small/Dockerfile"
        if not any(m.get("params", {}).get("uri") == uri for m in self.received):
            self.open("FROM alpine:3.20 AS base\n", uri=uri)
        found = self.symbols(uri)
        assert [s["name"] for s in found["result"]] == ["FROM alpine:3.20 AS base"]
        assert self.process.poll() is None

    def responses(self) -> list[Message]:
        return [m for m in self.received if "method" not in m]

    def exit_code(self) -> int:
        return self.process.wait(timeout=TIMEOUT)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        self.stderr.close()
