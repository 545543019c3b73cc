#!/usr/bin/env python3
"""dockerls against the Node Dockerfile server, side by side, through lspbench.

.venv/bin/python bench/run_lspbench.py [--node PATH] [--lspbench PATH] [--quick] [--json OUT]

One lspbench invocation drives both servers over stdio on byte-identical input: cold start,
didOpen -> publishDiagnostics, per-keystroke didChange -> publishDiagnostics, hover,
completion, code action, document symbols and RSS at 20, 200, 2,000 and 10,000 lines.
The documents are ``bench/generate.py``'s (not lspbench's own generator). The table at the
end puts the two servers next to each other with the ratio dockerls/node (< 1: dockerls is
faster or smaller).

Nothing is downloaded: when the Node server or lspbench is missing the script says so and
exits 0. Install the Node server outside the repository with
``npm install --prefix /tmp/nodels dockerfile-language-server-nodejs``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shlex
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import dockerfile  # noqa: E402

DEFAULT_NODE = "/tmp/nodels/node_modules/.bin/docker-langserver"
DEFAULT_LSPBENCH = ROOT.parent / "shared" / "tools" / "lspbench" / "lspbench.py"
SIZES = "20,200,2000,10000"

# (label, key in lspbench's per-size results)
REQUESTS = [
    ("open->diagnostics", "open_diag_ms"),
    ("hover FROM image", "hover_from"),
    ("hover keyword", "hover_keyword"),
    ("completion", "completion"),
    ("codeAction whole file", "codeAction"),
    ("documentSymbol", "documentSymbol"),
]
EDITS = [("single-char edit", "single_char"), ("type a line, per key", "type_line")]


def load_lspbench(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("lspbench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def use_generated_files(lspbench: ModuleType) -> None:
    """Make lspbench open ``bench/generate.py``'s Dockerfiles instead of its own."""
    original_positions = lspbench.find_positions

    def gen_dockerfile(target_lines: int, seed: int = 1) -> str:
        return dockerfile(target_lines)

    def find_positions(text: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        # lspbench completes at EX|POSE; generate.py writes no EXPOSE, so complete at WO|RKDIR
        # (a keyword in the middle of the file) rather than at lspbench's fallback, line 0.
        from_pos, kw_pos, compl_pos = original_positions(text)
        if "\nEXPOSE " not in text:
            lines = text.split("\n")
            workdirs = [i for i, line in enumerate(lines) if line.startswith("WORKDIR ")]
            if workdirs:
                compl_pos = {"line": workdirs[len(workdirs) // 2], "character": 2}
        return from_pos, kw_pos, compl_pos

    lspbench.gen_dockerfile = gen_dockerfile
    lspbench.find_positions = find_positions


def num(value: Any) -> str:
    if not isinstance(value, int | float):
        return "-"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def stat(st: Any, keys: tuple[str, ...]) -> str:
    if not isinstance(st, dict):
        return "-"
    if st.get("advertised") is False:
        return "n/a"
    if not st.get("n"):
        return "TIMEOUT" if st.get("timeouts") else "-"
    text = "/".join(num(st.get(k)) for k in keys)
    return text + ("*" if st.get("result_size") == 0 else "")


def ratio(ours: Any, theirs: Any, key: str = "p50") -> str:
    a = ours.get(key) if isinstance(ours, dict) else ours
    b = theirs.get(key) if isinstance(theirs, dict) else theirs
    if not isinstance(a, int | float) or not isinstance(b, int | float) or b <= 0:
        return "-"
    r = a / b
    return f"{r:.2f}x" if r < 1 else f"{r:.1f}x"


def side_by_side(node: dict[str, Any], ours: dict[str, Any]) -> str:
    """One table: metric, size, node, dockerls, ratio of p50s (dockerls/node)."""
    out = [f"{'':26}{'lines':>6}  {'node':>20}  {'dockerls':>20}  {'dkls/node':>9}"]

    def line(label: str, lines: Any, a: str, b: str, r: str) -> None:
        out.append(f"{label:26}{lines!s:>6}  {a:>20}  {b:>20}  {r:>9}")

    for who in (node, ours):
        cold = who.get("cold") or {}
        who["_cold_init"] = cold.get("init_ms") or {}
        who["_cold_diag"] = cold.get("first_diag_ms") or {}
    line(
        "cold: spawn->initialize",
        "",
        num(node["_cold_init"].get("p50")),
        num(ours["_cold_init"].get("p50")),
        ratio(ours["_cold_init"], node["_cold_init"]),
    )
    line(
        "cold: spawn->first diag",
        "",
        num(node["_cold_diag"].get("p50")),
        num(ours["_cold_diag"].get("p50")),
        ratio(ours["_cold_diag"], node["_cold_diag"]),
    )
    sizes = sorted({*(node.get("sizes") or {}), *(ours.get("sizes") or {})}, key=int)
    for label, key in REQUESTS:
        out.append(f"{label} ms p50/p95")
        for s in sizes:
            a = (node.get("sizes") or {}).get(s) or {}
            b = (ours.get("sizes") or {}).get(s) or {}
            lines = b.get("lines") or a.get("lines") or s
            ks = ("p50", "p95")
            line(
                "", lines, stat(a.get(key), ks), stat(b.get(key), ks), ratio(b.get(key), a.get(key))
            )
    esizes = sorted({*(node.get("edits") or {}), *(ours.get("edits") or {})}, key=int)
    for label, key in EDITS:
        out.append(f"{label} edit->diag ms p50/p95/max")
        for s in esizes:
            a = (node.get("edits") or {}).get(s) or {}
            b = (ours.get("edits") or {}).get(s) or {}
            lines = b.get("lines") or a.get("lines") or s
            ks = ("p50", "p95", "max")
            line(
                "", lines, stat(a.get(key), ks), stat(b.get(key), ks), ratio(b.get(key), a.get(key))
            )
    out.append("server CPU ms per single-char edit")
    for s in esizes:
        a = ((node.get("edits") or {}).get(s) or {}).get("single_char") or {}
        b = ((ours.get("edits") or {}).get(s) or {}).get("single_char") or {}
        ca, cb = a.get("server_cpu_ms_per_edit"), b.get("server_cpu_ms_per_edit")
        line("", s, num(ca), num(cb), ratio(cb, ca))
    out.append("RSS/peak MiB after the size")
    for s in sizes:
        a = ((node.get("sizes") or {}).get(s) or {}).get("mem") or {}
        b = ((ours.get("sizes") or {}).get(s) or {}).get("mem") or {}
        line(
            "",
            s,
            f"{num(a.get('rss_mb'))}/{num(a.get('hwm_mb'))}",
            f"{num(b.get('rss_mb'))}/{num(b.get('hwm_mb'))}",
            ratio(b.get("rss_mb"), a.get("rss_mb")),
        )
    out.append("diagnostics published")
    for s in sizes:
        a = ((node.get("sizes") or {}).get(s) or {}).get("n_diagnostics")
        b = ((ours.get("sizes") or {}).get(s) or {}).get("n_diagnostics")
        line("", s, str(a), str(b), "")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--node", default=DEFAULT_NODE, help="docker-langserver binary (run with --stdio)"
    )
    ap.add_argument("--lspbench", default=str(DEFAULT_LSPBENCH), help="path to lspbench.py")
    ap.add_argument(
        "--dockerls",
        default=f"{shlex.quote(sys.executable)} -m dockerls serve",
        help="dockerls command line (default: this interpreter, -m dockerls serve)",
    )
    ap.add_argument("--json", help="also keep lspbench's full results here")
    ap.add_argument("--quick", action="store_true", help="smoke run: 20 and 200 lines, few reps")
    ap.add_argument(
        "--table", metavar="JSON", help="only render the table from saved --json results"
    )
    ap.add_argument("extra", nargs="*", help="passed to lspbench after --")
    args = ap.parse_args()
    if args.table:
        return print_side_by_side(Path(args.table))

    node = Path(args.node)
    lspbench_path = Path(args.lspbench)
    if not lspbench_path.is_file():
        print(f"run_lspbench: skipped: lspbench not found at {lspbench_path}")
        return 0
    if not node.is_file():
        print(
            f"run_lspbench: skipped: Node server not found at {node}\n"
            "  npm install --prefix /tmp/nodels dockerfile-language-server-nodejs"
        )
        return 0

    lspbench = load_lspbench(lspbench_path)
    use_generated_files(lspbench)
    out = Path(args.json) if args.json else Path(tempfile.mkdtemp(prefix="lspbench-")) / "out.json"
    argv = [
        "--server",
        f"{shlex.quote(str(node))} --stdio",
        "--name",
        "node",
        "--server",
        args.dockerls,
        "--name",
        "dockerls",
        "--sizes",
        SIZES,
        "--edit-sizes",
        SIZES,
        "--json",
        str(out),
        "--quiet",
    ]
    if args.quick:
        argv.append("--quick")
    rc: int = lspbench.main([*argv, *args.extra])
    print_side_by_side(out)
    return rc


def print_side_by_side(path: Path) -> int:
    results = json.loads(path.read_text(encoding="utf-8"))["results"]
    by_name = {r["server"]: r for r in results}
    if "node" not in by_name or "dockerls" not in by_name:
        print(f"run_lspbench: {path} does not hold both servers")
        return 1
    print()
    print("side by side (ratio = dockerls p50 / node p50; documents from bench/generate.py)")
    print(side_by_side(by_name["node"], by_name["dockerls"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
