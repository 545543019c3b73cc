#!/usr/bin/env python3
"""Compare dockerls's correctness checks with the Node language server's validator.

The Node Dockerfile language server reports builder errors through the
``dockerfile-utils`` npm package. This script runs its ``validate()`` on every
corpus file (and on a few probes written here), maps its ``ValidationCode`` names
to dockerls rule codes (``MAPPING``), and lists every line where only one of the two
tools reports a mapped problem.

Install the validator outside the repository first (it is not a dependency):

    npm install --prefix /tmp/dfutils dockerfile-utils
    .venv/bin/python bench/validator_diff.py [--validator /tmp/dfutils] [--corpus DIR]

The package's CLI (``dockerfile-utils lint FILE``) prints messages without codes,
so the script calls the library from a small Node program instead.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.findings import Finding

# The validator's code name -> the dockerls rules that report the same problem.
# An empty tuple: dockerls deliberately has no equivalent (see docs/correctness.md).
MAPPING: dict[str, tuple[str, ...]] = {
    "CASING_INSTRUCTION": ("DKL523",),
    "CASING_DIRECTIVE": (),
    "ARGUMENT_MISSING": ("DKL002",),
    "ARGUMENT_EXTRA": ("DKL501", "DKL502"),
    "ARGUMENT_REQUIRES_ONE": (),
    "ARGUMENT_REQUIRES_AT_LEAST_ONE": ("DKL002", "DKL502"),
    "ARGUMENT_REQUIRES_TWO": ("DKL007",),
    "ARGUMENT_REQUIRES_AT_LEAST_TWO": ("DKL502",),
    "ARGUMENT_REQUIRES_ONE_OR_THREE": ("DKL501",),
    "ARGUMENT_UNNECESSARY": ("DKL502",),
    "DUPLICATE_BUILD_STAGE_NAME": ("DKL524",),
    "EMPTY_CONTINUATION_LINE": ("DKL522",),
    "INVALID_BUILD_STAGE_NAME": ("DKL501",),
    "FLAG_AT_LEAST_ONE": ("DKL505",),
    "FLAG_DUPLICATE": ("DKL504",),
    "FLAG_INVALID_DURATION": ("DKL505",),
    "FLAG_LESS_THAN_1MS": ("DKL505",),
    "FLAG_MISSING_DURATION": ("DKL505",),
    "FLAG_MISSING_VALUE": ("DKL504",),
    "FLAG_UNKNOWN_UNIT": ("DKL505",),
    "NO_SOURCE_IMAGE": ("DKL006",),
    "INVALID_ESCAPE_DIRECTIVE": ("DKL005",),
    "INVALID_AS": ("DKL501",),
    "INVALID_DESTINATION": ("DKL513",),
    "INVALID_PORT": ("DKL508",),
    "INVALID_PROTO": ("DKL508",),
    "INVALID_REFERENCE_FORMAT": ("DKL503",),
    "INVALID_SIGNAL": ("DKL509",),
    "INVALID_SYNTAX": ("DKL505",),
    "ONBUILD_CHAINING_DISALLOWED": ("DKL511",),
    "ONBUILD_TRIGGER_DISALLOWED": ("DKL511",),
    "SHELL_JSON_FORM": ("DKL510", "DKL004"),
    "SHELL_REQUIRES_ONE": ("DKL510",),
    "SYNTAX_MISSING_EQUALS": ("DKL007",),
    "SYNTAX_MISSING_NAMES": ("DKL007",),
    "SYNTAX_MISSING_SINGLE_QUOTE": ("DKL514",),
    "SYNTAX_MISSING_DOUBLE_QUOTE": ("DKL514",),
    "MULTIPLE_INSTRUCTIONS": ("DKL530",),
    "UNKNOWN_INSTRUCTION": ("DKL001",),
    "UNKNOWN_ADD_FLAG": ("DKL504",),
    "UNKNOWN_COPY_FLAG": ("DKL504",),
    "UNKNOWN_FROM_FLAG": ("DKL504",),
    "UNKNOWN_HEALTHCHECK_FLAG": ("DKL504",),
    "UNKNOWN_TYPE": ("DKL502",),
    "UNSUPPORTED_MODIFIER": ("DKL512",),
    "DEPRECATED_MAINTAINER": ("DKL526",),
    "HEALTHCHECK_CMD_ARGUMENT_MISSING": ("DKL502",),
    "FLAG_INVALID_FROM_VALUE": ("DKL503",),
    "FLAG_EXPECTED_BOOLEAN_VALUE": ("DKL504",),
    "JSON_IN_SINGLE_QUOTES": ("DKL004",),
    "WORKDIR_IS_NOT_ABSOLUTE": ("DKL528",),
    "BASE_NAME_EMPTY": ("DKL527", "DKL533"),
    "DUPLICATED_ESCAPE_DIRECTIVE": ("DKL005",),
}
COMPARED = frozenset(code for codes in MAPPING.values() for code in codes)

# Small Dockerfiles (written for this comparison) that exercise checks the corpus,
# being made of files that build, never triggers.
PROBES: dict[str, str] = {
    "run-flags": "FROM alpine:3.20\nRUN --mount=type=cahce,target=/x --netwrk=host true\n",
    "retries-zero": "FROM alpine:3.20\nHEALTHCHECK --retries=0 CMD true\n",
    "expose-range": "FROM alpine:3.20\nEXPOSE 99999 8080:80\n",
    "workdir-space": "FROM alpine:3.20\nWORKDIR /my app\n",
    "copy-dot": "FROM alpine:3.20\nCOPY a b .\n",
    "copy-no-slash": "FROM alpine:3.20\nCOPY a b /dest\n",
    "from-typo": "FROM golang:1.22 AD build\n",
    "stage-name": "FROM golang:1.22 AS 1st\n",
    "duplicate-stage": "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS a\n",
    "bad-reference": "FROM Alpine:3.20\nCOPY --from=golang: /a /b\n",
    "healthcheck": "FROM alpine:3.20\nHEALTHCHECK --interval=30 curl -f http://localhost/\n",
    "signal": "FROM alpine:3.20\nSTOPSIGNAL SIGTERMINATE\n",
    "signal-without-prefix": "FROM alpine:3.20\nSTOPSIGNAL TERM\n",
    "onbuild": "FROM alpine:3.20\nONBUILD ONBUILD RUN true\nONBUILD FROM alpine\n",
    "shell": "FROM alpine:3.20\nSHELL /bin/sh -c\n",
    "modifier": "FROM alpine:3.20\nENV A=${B:0:3}\nRUN echo ${B:0:3}\n",
    "quote": 'FROM alpine:3.20\nENV A="open\n',
    "empty-continuation": "FROM alpine:3.20\nRUN true \\\n\n  && true\n",
    "casing": "from alpine:3.20\nrun true\n",
    "multiple-cmd": 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\n',
    "arg-in-from": "ARG TAG\nFROM alpine:${TAG}\nFROM alpine:${TGA}\n",
    "copy-flags": "FROM alpine:3.20\nCOPY --form=x --link=maybe --chown a /b/\n",
    "mount-size": "FROM alpine:3.20\nRUN --mount=type=cache,target=/x,size=1g true\n",
}

_DRIVER = """
const fs = require('fs');
const utils = require('dockerfile-utils');
const out = {};
for (const file of process.argv.slice(1)) {
  const text = fs.readFileSync(file, 'utf8');
  out[file] = utils.validate(text).map(d => ({
    code: utils.ValidationCode[d.code], line: d.range.start.line,
    end: d.range.end.line, severity: d.severity, message: d.message,
  }));
}
process.stdout.write(JSON.stringify(out));
"""


@dataclass(frozen=True, slots=True)
class Theirs:
    code: str
    line: int
    end: int
    message: str


def validator_version(prefix: Path) -> str:
    package = prefix / "node_modules" / "dockerfile-utils" / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8")).get("version", "?"))


def run_validator(prefix: Path, files: list[Path]) -> dict[str, list[Theirs]]:
    env = {"NODE_PATH": str(prefix / "node_modules"), "PATH": "/usr/local/bin:/usr/bin:/bin"}
    proc = subprocess.run(
        ["node", "-e", _DRIVER, *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    data = json.loads(proc.stdout)
    return {
        name: [Theirs(d["code"], d["line"], d["end"], d["message"]) for d in diags]
        for name, diags in data.items()
    }


def ours(text: str) -> list[Finding]:
    found = analyze(text, Settings(select=("all",))).findings
    return [f for f in found if f.code in COMPARED]


def covers(f: Finding, line: int) -> bool:
    return f.span.start.line <= line <= f.span.end.line


@dataclass(slots=True)
class Diff:
    only_theirs: list[tuple[str, Theirs]]
    only_ours: list[tuple[str, Finding]]
    agreed: Counter[str]


def compare(name: str, theirs: list[Theirs], mine: list[Finding], diff: Diff) -> None:
    matched: set[int] = set()
    for t in theirs:
        codes = MAPPING.get(t.code, ())
        hits = [i for i, f in enumerate(mine) if f.code in codes and covers(f, t.line)]
        if hits:
            matched.update(hits)
            diff.agreed[t.code] += 1
        else:
            diff.only_theirs.append((name, t))
    for i, f in enumerate(mine):
        if i in matched:
            continue
        if any(f.code in MAPPING.get(t.code, ()) and covers(f, t.line) for t in theirs):
            continue
        diff.only_ours.append((name, f))


def report(diff: Diff, files: int, probes: int, version: str) -> str:
    lines = [
        f"dockerfile-utils {version}; {files} corpus files and {probes} probes.",
        f"Agreed: {sum(diff.agreed.values())} "
        + ", ".join(f"{k} x{v}" for k, v in sorted(diff.agreed.items())),
        f"Only the validator: {len(diff.only_theirs)}",
    ]
    lines += [f"  {n}:{t.line + 1} {t.code}: {t.message}" for n, t in diff.only_theirs]
    lines.append(f"Only dockerls: {len(diff.only_ours)}")
    lines += [
        f"  {n}:{f.span.start.line + 1} {f.code} {f.severity.name.lower()}: {f.message}"
        for n, f in diff.only_ours
    ]
    return "\n".join(lines)


def main() -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=default)
    ap.add_argument("--validator", type=Path, default=Path("/tmp/dfutils"))
    ap.add_argument("--no-probes", action="store_true", help="only the corpus")
    args = ap.parse_args()
    if not (args.validator / "node_modules" / "dockerfile-utils").is_dir():
        print(f"npm install --prefix {args.validator} dockerfile-utils", file=sys.stderr)
        return 2
    corpus = sorted(
        p
        for p in args.corpus.iterdir()
        if p.is_file() and p.name not in ("README.md", "MANIFEST.tsv")
    )
    diff = Diff([], [], Counter())
    with tempfile.TemporaryDirectory() as tmp:
        probes = [] if args.no_probes else list(PROBES.items())
        probe_files = []
        for name, text in probes:
            path = Path(tmp) / f"probe-{name}"
            path.write_text(text, encoding="utf-8", newline="")
            probe_files.append(path)
        theirs = run_validator(args.validator, [*corpus, *probe_files])
        for path in [*corpus, *probe_files]:
            text = path.read_bytes().decode("utf-8")
            compare(path.name, theirs.get(str(path), []), ours(text), diff)
    print(report(diff, len(corpus), len(probe_files), validator_version(args.validator)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
