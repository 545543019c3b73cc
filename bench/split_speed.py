#!/usr/bin/env python3
"""The split refactor through the server: how long a client waits for it.

For the bundled example and every corpus file where the server offers "Split into build
and runtime stages", through ``dockerls serve`` in a subprocess (``hover_speed``'s minimal
client), after the document was opened and its diagnostics published:

- ``list``: ``textDocument/codeAction`` over the whole file with refactorings asked for, by a
  client that resolves edits lazily (VS Code): the titles, size estimates and notes;
- ``resolve``: ``codeAction/resolve`` of the first split offered: the edit itself;
- ``eager``: the same ``codeAction`` by a client without resolve support (Neovim 0.9,
  Helix, Emacs), which gets every edit in the answer.

Each figure is the median and p95 of ``--reps`` round trips, in milliseconds.

.venv/bin/python bench/split_speed.py [--reps 20] [FILE ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.hover_speed import CORPUS, RawClient

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "node-app" / "Dockerfile"
KINDS = ["", "quickfix", "refactor", "refactor.rewrite", "source", "source.fixAll"]


def start(lazy: bool) -> RawClient:
    code_action: dict[str, Any] = {
        "codeActionLiteralSupport": {"codeActionKind": {"valueSet": KINDS}},
        "dataSupport": True,
        "disabledSupport": True,
    }
    if lazy:
        code_action["resolveSupport"] = {"properties": ["edit"]}
    client = RawClient()
    caps = {"textDocument": {"codeAction": code_action}, "workspace": {"workspaceEdit": {}}}
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": caps})
    client.send({"method": "initialized", "params": {}})
    return client


def open_file(client: RawClient, uri: str, text: str) -> None:
    item = {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
    client.until(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
    )


def close_file(client: RawClient, uri: str) -> None:
    client.send({"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})


def splits(client: RawClient, uri: str, text: str) -> list[dict[str, Any]]:
    """The split actions offered over the whole file (those not disabled)."""
    end = {"line": len(text.splitlines()) + 1, "character": 0}
    params = {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": end},
        "context": {"diagnostics": [], "only": ["refactor"]},
    }
    actions = client.request("textDocument/codeAction", params) or []
    return [a for a in actions if a["title"].startswith("Split") and "disabled" not in a]


def timed(reps: int, call: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(reps):
        begin = time.perf_counter()
        call()
        times.append((time.perf_counter() - begin) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def candidates(paths: list[Path]) -> list[Path]:
    if paths:
        return paths
    found = [EXAMPLE]
    if CORPUS.is_dir():
        skip = ("README.md", "MANIFEST.tsv")
        found += sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name not in skip)
    return found


def measure(lazy: RawClient, eager: RawClient, path: Path, reps: int) -> str | None:
    """A table row for ``path``, or None when no split is offered there."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    uri = path.resolve().as_uri()
    open_file(lazy, uri, text)
    offered = splits(lazy, uri, text)
    if not offered:
        close_file(lazy, uri)
        return None
    listed = timed(reps, lambda: splits(lazy, uri, text))
    resolved = timed(reps, lambda: lazy.request("codeAction/resolve", offered[0]))
    close_file(lazy, uri)
    open_file(eager, uri, text)
    eagerly = timed(reps, lambda: splits(eager, uri, text))
    close_file(eager, uri)
    name = path.name if len(path.name) <= 58 else path.name[:57] + "…"
    return (
        f"{name:<58} {len(text.splitlines()):>5} {len(offered):>6}  "
        f"{listed[0]:5.1f}/{listed[1]:5.1f}  {resolved[0]:7.1f}/{resolved[1]:5.1f}  "
        f"{eagerly[0]:5.1f}/{eagerly[1]:5.1f}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--reps", type=int, default=20)
    args = ap.parse_args()
    lazy, eager = start(lazy=True), start(lazy=False)
    print(f"{'file':<58} {'lines':>5} {'splits':>6}  list p50/p95  resolve p50/p95  eager p50/p95")
    rows = [measure(lazy, eager, path, args.reps) for path in candidates(args.files)]
    lazy.close()
    eager.close()
    shown = [row for row in rows if row is not None]
    print("\n".join(shown))
    print(f"{len(shown)} files with a split offered; {args.reps} round trips each")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
