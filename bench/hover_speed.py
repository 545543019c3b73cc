#!/usr/bin/env python3
"""Hover latency at every token of the largest corpus file (by lines).

Two measurements, each printing count, mean, p95 and max in milliseconds:

- ``pure``: ``dockerls.hover.hover(analysis, position, markdown=True)`` on one analysis;
- ``server``: ``textDocument/hover`` round trips to ``dockerls serve`` in a subprocess,
  through a minimal client written here (Content-Length framing over pipes, one
  request at a time), after the document was opened and its diagnostics published.

.venv/bin/python bench/hover_speed.py [--file PATH] [--no-server]

A token starts at every non-blank character that follows a blank or a character that is
not a letter, digit or ``_`` (so ``--mount=type=cache`` gives several positions).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.hover import hover
from dockerls.syntax import Position

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SERVER = [sys.executable, "-c", "from dockerls.server import main; main()"]


def largest_corpus_file() -> Path:
    files = [
        p for p in CORPUS.iterdir() if p.is_file() and p.name not in ("README.md", "MANIFEST.tsv")
    ]
    if not files:
        raise SystemExit(f"no corpus at {CORPUS}")
    return max(files, key=lambda p: (len(p.read_bytes().splitlines()), p.name))


def token_starts(lines: list[str]) -> list[Position]:
    starts = []
    for n, line in enumerate(lines):
        for col, ch in enumerate(line):
            if ch.isspace():
                continue
            if col == 0 or not (line[col - 1].isalnum() or line[col - 1] == "_"):
                starts.append(Position(n, col))
    return starts


def summary(name: str, times: list[float], hits: int) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"{name:<7} {len(ms)} hovers ({hits} with content): mean {statistics.fmean(ms):.3f} ms, "
        f"p95 {p95:.3f} ms, max {ms[-1]:.3f} ms, total {sum(ms):.0f} ms"
    )


def pure(text: str, positions: list[Position]) -> str:
    start = time.perf_counter()
    analysis = analyze(text, Settings())
    analysed = (time.perf_counter() - start) * 1000
    hover(analysis, Position(0, 0), True)  # warm up lazy imports and caches
    times, hits = [], 0
    for pos in positions:
        start = time.perf_counter()
        found = hover(analysis, pos, True)
        times.append(time.perf_counter() - start)
        hits += found is not None
    return f"(analysis {analysed:.1f} ms)\n" + summary("pure", times, hits)


# --- a minimal LSP client over pipes ---------------------------------------------------


class RawClient:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        self.next_id = 0

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.stdin.flush()

    def messages(self) -> Iterator[dict[str, Any]]:
        while True:
            length = 0
            while (line := self.stdout.readline().strip()) != b"":
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if not length:
                raise SystemExit("the server closed its output")
            yield json.loads(self.stdout.read(length))

    def request(self, method: str, params: object) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.until(lambda m: m.get("id") == self.next_id and "method" not in m)["result"]

    def until(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        for message in self.messages():
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
            if wanted(message):
                return message
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.request("shutdown", None)
        self.send({"method": "exit"})
        self.process.wait(timeout=10)


def server(path: Path, text: str, positions: list[Position]) -> str:
    client = RawClient()
    uri = path.resolve().as_uri()
    caps = {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}}
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": caps})
    client.send({"method": "initialized", "params": {}})
    start = time.perf_counter()
    item = {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
    client.until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    published = (time.perf_counter() - start) * 1000
    # The positions are code points; they are UTF-16 units here only on ASCII lines.
    lines = text.splitlines()
    times, hits = [], 0
    for pos in positions:
        column = len(lines[pos.line][: pos.column].encode("utf-16-le")) // 2
        params = {"textDocument": {"uri": uri}, "position": {"line": pos.line, "character": column}}
        start = time.perf_counter()
        found = client.request("textDocument/hover", params)
        times.append(time.perf_counter() - start)
        hits += found is not None
    client.close()
    return f"(open to diagnostics {published:.1f} ms)\n" + summary("server", times, hits)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, help="a Dockerfile (default: largest corpus file)")
    ap.add_argument("--no-server", action="store_true", help="only the pure measurement")
    args = ap.parse_args()
    path = args.file or largest_corpus_file()
    text = path.read_bytes().decode("utf-8")
    lines = text.splitlines()
    positions = token_starts(lines)
    print(f"{path.name}: {len(lines)} lines, {len(positions)} token starts")
    print(pure(text, positions))
    if not args.no_server:
        print(server(path, text, positions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
