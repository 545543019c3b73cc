"""Everything the CLI prints for a set of Dockerfiles, in one file, to compare two trees.

For every corpus file, bundled example and e2e fixture: ``check --format json`` (every
severity), ``fix --diff``, ``fix --diff --unsafe``, ``fix --diff --split`` with each
runtime kind, and ``fix --diff --reorder``. Run it before and after a change that must not
change behaviour, then compare the two files byte for byte::

    .venv/bin/python scripts/output_snapshot.py /tmp/before.txt   # on the old tree
    .venv/bin/python scripts/output_snapshot.py /tmp/after.txt    # on the new tree
    cmp /tmp/before.txt /tmp/after.txt

The runs are in-process (``dockerls.cli.main``), so the whole snapshot takes seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

from dockerls.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
MODES: tuple[tuple[str, ...], ...] = (
    ("check", "--format", "json", "--severity-threshold", "hint"),
    ("fix", "--diff"),
    ("fix", "--diff", "--unsafe"),
    *(("fix", "--diff", "--split", "--runtime", kind) for kind in ("slim", "alpine", "distroless")),
    ("fix", "--diff", "--split", "--runtime", "scratch"),
    ("fix", "--diff", "--reorder"),
)


def dockerfiles() -> list[Path]:
    found = [p for p in sorted(CORPUS.iterdir()) if p.is_file() and p.name != "MANIFEST.tsv"]
    for pattern in ("examples/**/Dockerfile*", "e2e/fixtures/*/Dockerfile*"):
        found.extend(sorted(ROOT.glob(pattern)))
    return found


def run(argv: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status: object = cli_main(argv)
        except SystemExit as stop:
            status = stop.code
    return f"exit {status}\n--- stdout\n{out.getvalue()}--- stderr\n{err.getvalue()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: the snapshot needs ../shared beside the repository")
        return 2
    with args.output.open("w", encoding="utf-8") as handle:
        for path in dockerfiles():
            for mode in MODES:
                text = f"=== {path} :: {' '.join(mode)}\n{run([*mode, str(path)])}"
                # the same bytes from any checkout: the repository and its parent by name
                handle.write(text.replace(str(ROOT), "<repo>").replace(str(ROOT.parent), "<root>"))
    print(f"{len(dockerfiles())} files x {len(MODES)} modes -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
