"""Open -> first diagnostics of one server, size by size, each open on a settled server.

lspbench reopens a document as soon as its first diagnostics arrive, while the previous
full analysis may still run; this probe waits for the server to settle between opens (the
full set of diagnostics, then a pause), so each figure is one open on an idle server. It
prints, per size, every open's milliseconds to the first ``publishDiagnostics`` and the
server's RSS (VmRSS, KiB) after the size::

    .venv/bin/python bench/open_probe.py 20 200 2000 10000
    .venv/bin/python bench/open_probe.py --server "node docker-langserver --stdio" 2000

Documents come from ``bench/generate.py``. Every wait has a deadline.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import dockerfile

TIMEOUT = 60.0
OPENS = 7


class Client:
    """A server over pipes; a reader thread keeps every message with its arrival time."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: list[tuple[float, dict[str, Any]]] = []
        self.arrived = threading.Condition()
        self.writing = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        with self.writing:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = out.read(1)
                if not byte:
                    return
                header += byte
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            message = json.loads(out.read(length))
            if "id" in message and "method" in message:  # a request: answer as an editor would
                items = message.get("params", {}).get("items", [None])
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": [None] * len(items)})
            with self.arrived:
                self.messages.append((time.perf_counter(), message))
                self.arrived.notify_all()

    def wait(self, wanted: Any, start: int) -> tuple[float, dict[str, Any]]:
        deadline = time.perf_counter() + TIMEOUT
        with self.arrived:
            while True:
                for arrival, message in self.messages[start:]:
                    if wanted(message):
                        return arrival, message
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError("no answer from the server")
                self.arrived.wait(left)

    def settle(self, quiet: float) -> None:
        """Wait until nothing has arrived for ``quiet`` seconds."""
        count = -1
        while count != len(self.messages):
            count = len(self.messages)
            time.sleep(quiet)


def _diagnostics_of(uri: str) -> Any:
    """Whether a message is a ``publishDiagnostics`` for ``uri``."""

    def match(message: dict[str, Any]) -> bool:
        return bool(
            message.get("method") == "textDocument/publishDiagnostics"
            and message["params"]["uri"] == uri
        )

    return match


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int, help="document sizes in lines")
    parser.add_argument("--server", default=f"{sys.executable} -m dockerls serve")
    args = parser.parse_args()
    client = Client(shlex.split(args.server))
    client.send(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        }
    )
    client.wait(lambda m: m.get("id") == 1, 0)
    client.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    for size in args.sizes:
        text, uri, times = dockerfile(size), f"file:///tmp/open-probe/{size}/Dockerfile", []
        for _ in range(OPENS):
            start, sent = len(client.messages), time.perf_counter()
            item = {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}
            client.send(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didOpen",
                    "params": {"textDocument": item},
                }
            )
            arrival, _ = client.wait(_diagnostics_of(uri), start)
            times.append((arrival - sent) * 1000)
            client.settle(max(0.3, size / 10_000))
            closing = {"textDocument": {"uri": uri}}
            client.send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": closing})
            client.settle(0.1)
        status = Path(f"/proc/{client.process.pid}/status").read_text().splitlines()
        rss = next((line.split()[1] for line in status if line.startswith("VmRSS")), "?")
        print(f"{size} lines: " + " ".join(f"{t:.0f}" for t in times) + f" ms; RSS {rss} KiB")
    client.process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
