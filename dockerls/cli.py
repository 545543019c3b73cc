"""The command-line edge: ``dockerls serve`` and ``dockerls check``.

Start-up stays fast: at module level only the standard library is imported. The
analysis core is imported by ``check`` and the protocol stack by ``serve``.

``check`` is built from small pure pieces that tests call directly:
``discover`` (paths to files), ``decode`` (bytes to text) and the formatters in
``FORMATTERS`` (a ``Report`` to the text printed on standard output).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dockerls import __version__

if TYPE_CHECKING:
    import argparse

    from dockerls.actions.fixall import FixAllResult
    from dockerls.analysis import Finding
    from dockerls.config import Settings
    from dockerls.config_io import ConfigFile
    from dockerls.context import BuildContext
    from dockerls.syntax.model import Severity

# How the CLI and its JSON output spell each ``Severity`` member (keyed by member name),
# most severe first.
SEVERITY_LABELS: dict[str, str] = {
    "ERROR": "error",
    "WARNING": "warning",
    "INFORMATION": "info",
    "HINT": "hint",
}
RUNTIME_KINDS = ("slim", "alpine", "distroless", "scratch")
_SEVERITY_NAMES = {label: name for name, label in SEVERITY_LABELS.items()}

# Directory names never searched when walking a directory.
SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv"})

STDIN = "-"

# ``check --jobs``: below this many files per process, one process is faster.
MIN_FILES_PER_JOB = 8

# Files bigger than this are not checked: real Dockerfiles are a few kilobytes, and
# analysing megabytes of text would take minutes.
MAX_SOURCE_BYTES = 1 << 20


class SourceError(Exception):
    """A file that cannot be checked; the message is the reason shown to the user."""


@dataclass(frozen=True, slots=True)
class FileError:
    path: str
    message: str


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    findings: tuple[Finding, ...]  # sorted by position


@dataclass(frozen=True, slots=True)
class Report:
    files: tuple[FileReport, ...]  # every file that was read and analysed
    errors: tuple[FileError, ...]  # every path that could not be


def severity_label(severity: Severity) -> str:
    return SEVERITY_LABELS[severity.name]


# ---------------------------------------------------------------------------
# Finding the files


def is_dockerfile_name(name: str) -> bool:
    """Whether a file found while walking a directory is a Dockerfile.

    ``Dockerfile``, ``Dockerfile.*``, ``*.Dockerfile`` and the same for
    ``Containerfile``, in any letter case. ``Dockerfile.dockerignore`` is the
    per-Dockerfile ignore file, not a Dockerfile.
    """
    lower = name.lower()
    if lower.endswith(".dockerignore"):
        return False
    return (
        lower in ("dockerfile", "containerfile")
        or lower.startswith(("dockerfile.", "containerfile."))
        or lower.endswith(".dockerfile")
    )


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _walk(root: str, errors: list[FileError], warnings: list[str]) -> list[str]:
    def on_error(exc: OSError) -> None:
        errors.append(FileError(exc.filename or root, _reason(exc)))

    real_root = os.path.realpath(root)
    found: list[str] = []
    # Symbolic links to directories are listed but not entered (followlinks=False),
    # so a link cycle cannot make the walk loop.
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = [d for d in dirnames if d not in SKIPPED_DIRS]
        for name in filenames:
            if not is_dockerfile_name(name):
                continue
            path = os.path.normpath(os.path.join(dirpath, name))
            if os.path.islink(path):
                target = os.path.realpath(path)
                if os.path.commonpath((real_root, target)) != real_root:
                    warnings.append(f"{path}: not followed: a symbolic link out of {root}")
                    continue
            found.append(path)
    return sorted(found, key=lambda path: path.split(os.sep))


def discover(
    paths: Iterable[str], warnings: list[str] | None = None
) -> tuple[list[str], list[FileError]]:
    """The files to check, in order, and the directories that could not be searched.

    A directory is searched recursively for Dockerfiles (see ``is_dockerfile_name``);
    a symbolic link found there that leads out of it is skipped with a line in
    ``warnings``. Anything else, including ``-`` (standard input) and a path that
    does not exist, is taken as a file to read, so reading reports what is wrong with it.
    """
    files: list[str] = []
    errors: list[FileError] = []
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            files.extend(_walk(path, errors, [] if warnings is None else warnings))
        else:
            files.append(path)
    return list(dict.fromkeys(files)), errors


# ---------------------------------------------------------------------------
# Reading them


def decode(data: bytes) -> str:
    """The text of a Dockerfile; a UTF-8 byte order mark is kept (the parser records it)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError("encoded as UTF-16, not UTF-8")
    if b"\0" in data:
        raise SourceError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise SourceError(f"not valid UTF-8 (byte 0x{byte:02x} at offset {exc.start})") from None


def read_source(path: str) -> str:
    """The text of ``path``; ``-`` reads standard input.

    Only a regular file (or standard input) of at most ``MAX_SOURCE_BYTES`` is read:
    a FIFO or a device is refused without waiting on it.
    """
    from dockerls.context_io import NotReadable, read_bounded, read_regular_file

    try:
        if path == STDIN:
            data = read_bounded(sys.stdin.buffer.read, MAX_SOURCE_BYTES)
        else:
            data = read_regular_file(path, MAX_SOURCE_BYTES)
    except OSError as exc:
        raise SourceError(_reason(exc)) from None
    except NotReadable as exc:
        raise SourceError(str(exc)) from None
    return decode(data)


# ---------------------------------------------------------------------------
# Formatting the report


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def format_text(report: Report) -> str:
    """One ``path:line:col: CODE [severity] message (name)`` line per finding, then a summary.

    Lines and columns are 1-based; columns count code points.
    """
    lines: list[str] = []
    for file in report.files:
        for f in file.findings:
            start = f.span.start
            message = " ".join(f.message.split())
            lines.append(
                f"{file.path}:{start.line + 1}:{start.column + 1}: "
                f"{f.code} [{severity_label(f.severity)}] {message} ({f.name})"
            )
    findings = [f for file in report.files for f in file.findings]
    checked = _plural(len(report.files), "file")
    if findings:
        fixable = sum(f.fixable for f in findings)
        summary = f"{_plural(len(findings), 'finding')} in {checked} ({fixable} fixable)"
    elif report.errors:
        summary = f"No findings in {checked}"
    else:
        summary = f"All checked: no findings in {checked}"
    if report.errors:
        summary += f"; {_plural(len(report.errors), 'file')} could not be read"
    lines.append(summary)
    return "".join(line + "\n" for line in lines)


def _finding_json(f: Finding) -> dict[str, object]:
    start, end = f.span.start, f.span.end
    return {
        "code": f.code,
        "name": f.name,
        "severity": severity_label(f.severity),
        "message": f.message,
        "start": {"line": start.line + 1, "column": start.column + 1},
        "end": {"line": end.line + 1, "column": end.column + 1},
        "fixable": f.fixable,
    }


def format_json(report: Report) -> str:
    """The document described by ``docs/check-output.schema.json`` (1-based positions)."""
    document = {
        "version": 1,
        "tool": "dockerls",
        "toolVersion": __version__,
        "files": [
            {"path": file.path, "findings": [_finding_json(f) for f in file.findings]}
            for file in report.files
        ],
        "errors": [{"path": e.path, "message": e.message} for e in report.errors],
    }
    return json.dumps(document, indent=2) + "\n"


def format_sarif(report: Report) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other SARIF consumers."""
    from dockerls.sarif import to_sarif

    return to_sarif(
        [(file.path, file.findings) for file in report.files],
        [(e.path, e.message) for e in report.errors],
    )


Formatter = Callable[[Report], str]

# The formats of ``check --format``. To add one (``sarif``, say), write a function
# from ``Report`` to the complete standard output and register it here; the
# command line offers it from then on.
FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
}


# ---------------------------------------------------------------------------
# The commands


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    """``--select A,B --select C`` as ``("A", "B", "C")``."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def _settings_for(
    path: str, cli: dict[str, object], seen: set[str], configs: dict[Path, ConfigFile]
) -> Settings:
    """The configuration file's settings for ``path``, with the command line on top.

    ``configs`` remembers what applies in each folder already searched.
    """
    from dockerls.config import Settings
    from dockerls.config_io import find_config

    base = Settings()
    if path != STDIN:
        found = find_config(Path(path), cache=configs)
        base = found.settings
        for complaint in found.complaints:
            if complaint not in seen:
                seen.add(complaint)
                print(f"dockerls: warning: {complaint}", file=sys.stderr)
    settings, _ = Settings.from_mapping(cli, base)
    return settings


@dataclass(frozen=True, slots=True)
class _Input:
    """One file to check or fix, with what applies to it."""

    path: str
    text: str
    settings: Settings
    context: BuildContext


def _inputs(args: argparse.Namespace, errors: list[FileError]) -> tuple[list[str], list[_Input]]:
    """The files named on the command line, read, each with its settings and build context.

    Files that cannot be read are added to ``errors``; the others are still returned.
    """
    from dockerls.context import CONTEXT_EMPTY
    from dockerls.context_io import read_build_context

    cli = _cli_settings(args)
    paths, sources = _read_sources(args.paths, errors)
    seen: set[str] = set()
    configs: dict[Path, ConfigFile] = {}
    inputs: list[_Input] = []
    for path, text in sources:
        context = CONTEXT_EMPTY if path == STDIN else read_build_context(Path(path))
        inputs.append(_Input(path, text, _settings_for(path, cli, seen, configs), context))
    return paths, inputs


def _read_sources(
    names: list[str], errors: list[FileError]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The files ``names`` lead to, and (path, text) for those that could be read; discovery
    warnings go to standard error, files that cannot be read to ``errors``."""
    warnings: list[str] = []
    paths, found = discover(names, warnings)
    errors.extend(found)
    for warning in warnings:
        print(f"dockerls: warning: {warning}", file=sys.stderr)
    sources: list[tuple[str, str]] = []
    for path in paths:
        try:
            sources.append((path, read_source(path)))
        except SourceError as exc:
            errors.append(FileError(path, str(exc)))
    return paths, sources


def _at_threshold(findings: Iterable[Finding], args: argparse.Namespace) -> tuple[Finding, ...]:
    """The findings at or above ``--severity-threshold``, in position order."""
    from dockerls.syntax.model import Severity

    threshold = Severity[_SEVERITY_NAMES[args.severity_threshold]]
    kept = [f for f in findings if f.severity <= threshold]
    kept.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return tuple(kept)


def _finish(paths: list[str], files: list[FileReport], errors: list[FileError]) -> int:
    """Report unreadable files on standard error; the exit status of check and fix."""
    for error in errors:
        print(f"dockerls: {error.path}: {error.message}", file=sys.stderr)
    if not paths and not errors:
        print("dockerls: warning: no Dockerfiles found", file=sys.stderr)
    if errors:
        return 2
    return 1 if any(file.findings for file in files) else 0


def _findings(i: _Input) -> tuple[Finding, ...]:
    from dockerls.analysis import analyze

    return analyze(i.text, i.settings, i.context).findings


def _analyse_all(inputs: list[_Input], jobs: int) -> list[tuple[Finding, ...]]:
    """The findings of each input, in order; with ``jobs`` > 1 in that many processes.

    The workers are forked after the core is imported, so they start at once; where
    fork is not available, or there are too few files to share, one process does it all.
    """
    import multiprocessing

    import dockerls.analysis  # noqa: F401  (imported before forking: the workers inherit it)

    jobs = min(jobs, len(inputs) // MIN_FILES_PER_JOB)
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_findings(i) for i in inputs]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(inputs) // (jobs * 8))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        return list(pool.map(_findings, inputs, chunksize=chunk))


def _check(args: argparse.Namespace) -> int:
    errors: list[FileError] = []
    paths, inputs = _inputs(args, errors)
    jobs = args.jobs or os.cpu_count() or 1
    files = [
        FileReport(i.path, _at_threshold(findings, args))
        for i, findings in zip(inputs, _analyse_all(inputs, jobs), strict=True)
    ]
    status = _finish(paths, files, errors)
    sys.stdout.write(FORMATTERS[args.format](Report(tuple(files), tuple(errors))))
    return status


def _cli_settings(args: argparse.Namespace) -> dict[str, object]:
    cli: dict[str, object] = {}
    if args.select:
        cli["select"] = list(_codes(args.select))
    if args.ignore:
        cli["ignore"] = list(_codes(args.ignore))
    if args.target:
        cli["target"] = args.target
    return cli


def write_atomically(path: str, data: bytes) -> None:
    """Replace a file's content in one step, keeping its permission bits.

    The new content goes to a temporary file in the same directory, which then
    replaces the original (``os.replace``), so a reader sees the old file or the
    new one, never half of it. A symbolic link is followed: its target is replaced.
    """
    import stat
    import tempfile

    real = os.path.realpath(path)
    mode = stat.S_IMODE(os.stat(real).st_mode)
    directory, name = os.path.split(real)
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".dockerls-tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file, line breaks as they are (``\\ No newline`` marked)."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _split(i: _Input, runtime: str | None) -> FixAllResult | str:
    """The file split into build and runtime stages (the remedy for DKL203), or why not.

    ``runtime`` picks the first offered runtime of that kind (slim, alpine, distroless,
    scratch); without it the first offered runtime is taken.
    """
    from dockerls.actions.fixall import FixAllResult
    from dockerls.actions.offers import plan_split, runtime_kind, split_title
    from dockerls.analysis import analyze
    from dockerls.edits import apply_edits

    analysis = analyze(i.text, i.settings, i.context)
    stages = analysis.document.stages
    if not stages:
        return "not split: there is no FROM"
    planned = plan_split(analysis, stages[-1], i.context)
    if isinstance(planned, str):
        return f"not split: {planned}"
    chosen = [p for p in planned if runtime is None or runtime_kind(p.runtime_image) == runtime]
    if not chosen:
        offered = ", ".join(f"{runtime_kind(p.runtime_image)} ({p.runtime_image})" for p in planned)
        return f"not split: no {runtime} runtime is offered for this build; offered: {offered}"
    split = chosen[0]
    print(f"dockerls: {i.path}: {split_title(split, i.text)}", file=sys.stderr)
    for note in split.warnings:
        print(f"dockerls: {i.path}: note: {note}", file=sys.stderr)
    return FixAllResult(apply_edits(i.text, split.edits), {"DKL203": 1})


# ``fix --reorder``: at most this many rewrites in one file (one per dependency install).
MAX_REORDERS = 64


def _reorder(i: _Input) -> FixAllResult | str:
    """The file with its dependency manifests copied first (the remedy for DKL301), or
    why not: every rewrite the editor offers, in every stage, each planned again on the
    result of the one before so that they never overlap."""
    from dockerls.actions.fixall import FixAllResult
    from dockerls.actions.offers import plan_reorder
    from dockerls.analysis import analyze
    from dockerls.edits import apply_edits

    text = i.text
    planned = plan_reorder(analyze(text, i.settings, i.context), i.context)
    # Refusals are named by their line in the file as it was.
    reasons = [f"line {r.install.start.line + 1}: {r.reason}" for r in planned.refusals]
    done = 0
    while planned.actions and done < MAX_REORDERS:
        action = planned.actions[0]
        print(f"dockerls: {i.path}: {action.title}", file=sys.stderr)
        if action.unsafe_reason is not None:
            print(f"dockerls: {i.path}: note: {action.unsafe_reason}", file=sys.stderr)
        text = apply_edits(text, action.edits)
        done += 1
        planned = plan_reorder(analyze(text, i.settings, i.context), i.context)
    if not done:
        if not reasons:
            return (
                "not reordered: no dependency install runs after a copy of the sources "
                "(DKL301), so there is nothing to reorder"
            )
        return "not reordered: " + " ".join(reasons)
    for reason in reasons:
        print(f"dockerls: {i.path}: note: not reordered: {reason}", file=sys.stderr)
    return FixAllResult(text, {"DKL301": done})


def _fix(args: argparse.Namespace) -> int:
    from collections import Counter

    from dockerls.actions.fixall import fix_all
    from dockerls.analysis import analyze

    errors: list[FileError] = []
    paths, inputs = _inputs(args, errors)
    files: list[FileReport] = []
    applied: Counter[str] = Counter()
    changed = 0
    for i in inputs:
        path, text = i.path, i.text
        if args.split or args.reorder:
            refactored = _split(i, args.runtime) if args.split else _reorder(i)
            if isinstance(refactored, str):
                errors.append(FileError(path, refactored))
                continue
            result = refactored
        else:
            result = fix_all(text, i.settings, i.context, unsafe=args.unsafe)
        if result.text != text:
            if args.diff:
                sys.stdout.write(unified_diff(path, text, result.text))
            elif path == STDIN:
                sys.stdout.write(result.text)
            else:
                try:
                    write_atomically(path, result.text.encode("utf-8"))
                except OSError as exc:
                    errors.append(FileError(path, f"could not write: {_reason(exc)}"))
                    continue
            changed += 1
            applied.update(result.applied)
        elif path == STDIN and not args.diff:
            sys.stdout.write(text)
        remaining = analyze(result.text, i.settings, i.context).findings
        files.append(FileReport(path, _at_threshold(remaining, args)))

    status = _finish(paths, files, errors)
    # Standard output carries the diff (or the fixed text of standard input) alone.
    report_to = sys.stderr if args.diff or STDIN in paths else sys.stdout
    report_to.write(
        format_fix_summary(Report(tuple(files), tuple(errors)), applied, changed, args.diff)
    )
    return status


def format_fix_summary(report: Report, applied: Mapping[str, int], changed: int, dry: bool) -> str:
    """What remains (as ``check`` prints it) and a line saying what was fixed."""
    remaining = format_text(report).splitlines(keepends=True)[:-1]
    total = sum(applied.values())
    verb = "Would fix" if dry else "Fixed"
    if total:
        by_rule = ", ".join(f"{code}: {count}" for code, count in sorted(applied.items()))
        summary = f"{verb} {_plural(total, 'finding')} in {_plural(changed, 'file')} ({by_rule})"
    else:
        summary = "Nothing to fix"
    left = sum(len(file.findings) for file in report.files)
    summary += f"; {_plural(left, 'finding')} left" if left else "; nothing left"
    if report.errors:
        summary += f"; {_plural(len(report.errors), 'file')} could not be fixed"
    return "".join(remaining) + summary + "\n"


def _rules(args: argparse.Namespace) -> int:
    from dockerls.rules.registry import all_rules

    rules = all_rules()
    if args.format == "json":
        table = [
            {
                "code": r.code,
                "name": r.name,
                "category": r.category.value,
                "severity": severity_label(r.severity),
                "enabledByDefault": r.enabled_by_default,
                "summary": r.summary,
                "hadolint": list(r.hadolint),
                "buildkit": list(r.buildkit),
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(table, indent=2) + "\n")
        return 0
    for r in rules:
        default = "" if r.enabled_by_default else " (off by default)"
        label = severity_label(r.severity)
        print(f"{r.code}  {r.name:<42} {r.category.value:<12} {label:<8} {r.summary}{default}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from dockerls.rules.registry import lookup
    from dockerls.sarif import rule_help

    found = lookup(args.rule)
    if found is None:
        print(f"dockerls: unknown rule {args.rule!r} (see `dockerls rules`)", file=sys.stderr)
        return 2
    sys.stdout.write(rule_help(found))
    return 0


def _size(args: argparse.Namespace) -> int:
    from dockerls.context_io import read_build_context, read_context_files
    from dockerls.graph import build_graph
    from dockerls.size import estimate
    from dockerls.size.render import as_json, provenance, table
    from dockerls.syntax import parse

    errors: list[FileError] = []
    _, sources = _read_sources(args.paths, errors)
    texts: list[str] = []
    reports: list[dict[str, object]] = []
    for path, text in sources:
        files = None
        if path != STDIN:
            directory = Path(args.context) if args.context else Path(path).parent
            context = read_build_context(Path(path), directory)
            files = read_context_files(context, directory)
        doc = parse(text)
        final = build_graph(doc, args.target).final
        estimates = estimate(doc, files)
        final_index = final.index if final is not None else None
        texts.append(table(estimates, path, final_index))
        reports.append(as_json(estimates, path, final_index))
    for error in errors:
        print(f"dockerls: {error.path}: {error.message}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(json.dumps({"files": reports}, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n\n".join([*texts, provenance()]) + "\n")
    return 2 if errors else 0


def _serve() -> int:
    # Imported here only: the protocol stack is slow to import and nothing else needs it.
    # It leaves about 100,000 objects that live as long as the process (lsprotocol alone
    # defines some 570 attrs classes). Frozen, the collections that come later (while
    # the core is imported and the first documents analysed) no longer walk them all:
    # about a tenth of the instructions to the first diagnostics. The collector keeps
    # running during the import, so its cyclic garbage (the classes attrs replaces with
    # slotted ones, 8 MB) is freed as it is made and next to none of it is frozen.
    import gc

    from dockerls import server

    gc.freeze()
    server.main()
    return 0


def _add_selection(command: argparse.ArgumentParser) -> None:
    """The options ``check`` and ``fix`` share: threshold, rule selection, target."""
    command.add_argument(
        "--severity-threshold",
        choices=list(SEVERITY_LABELS.values()),
        default="warning",
        help="report only findings at least this severe (default: %(default)s)",
    )
    command.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated rule codes, code prefixes or names to enable (default: all)",
    )
    command.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated rule codes or names to disable",
    )
    command.add_argument(
        "--target",
        metavar="STAGE",
        help="the build target stage (default: the last stage)",
    )


def build_parser() -> argparse.ArgumentParser:
    import argparse  # not at module level: ``serve`` needs no parser

    parser = argparse.ArgumentParser(
        prog="dockerls",
        description="A language server and linter for Dockerfiles.",
    )
    parser.add_argument("--version", action="version", version=f"dockerls {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser(
        "serve",
        help="run the language server on standard input and output",
        description="Run the language server on standard input and output.",
    )
    serve.add_argument(
        "--stdio", action="store_true", help="accepted for editors; stdio is the only transport"
    )

    check = commands.add_parser(
        "check",
        help="report findings in Dockerfiles",
        description=(
            "Report findings in Dockerfiles. Directories are searched recursively "
            "for Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile and "
            "Containerfile.* (any letter case). Exit status: 0 no findings at or above "
            "the threshold, 1 findings, 2 usage error or a file that could not be read."
        ),
    )
    check.add_argument(
        "paths", nargs="+", metavar="PATH", help="a file, a directory, or - for standard input"
    )
    check.add_argument(
        "--format",
        choices=list(FORMATTERS),
        default="text",
        help="output format (default: %(default)s)",
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="analyse in N processes; 0: one per CPU (default: %(default)s)",
    )
    _add_selection(check)

    fix = commands.add_parser(
        "fix",
        help="apply the safe fixes to Dockerfiles",
        description=(
            "Apply every safe fix (the ones the editor's fix-all applies) to Dockerfiles, "
            "in place, and report what is left. Directories are searched as by check. "
            "Exit status: 0 nothing left at or above the threshold, 1 findings left, "
            "2 usage error or a file that could not be read or written."
        ),
    )
    fix.add_argument(
        "paths", nargs="+", metavar="PATH", help="a file, a directory, or - for standard input"
    )
    fix.add_argument("--diff", action="store_true", help="print a unified diff and change no file")
    fix.add_argument(
        "--unsafe",
        action="store_true",
        help="also apply fixes that change behaviour (the first fix of each finding)",
    )
    refactor = fix.add_mutually_exclusive_group()
    refactor.add_argument(
        "--split",
        action="store_true",
        help="split a single-stage build into build and runtime stages instead of fixing",
    )
    refactor.add_argument(
        "--reorder",
        action="store_true",
        help="copy the dependency manifests before the sources (DKL301) instead of fixing",
    )
    fix.add_argument(
        "--runtime",
        choices=RUNTIME_KINDS,
        help="with --split: the kind of runtime base (default: the first one offered)",
    )
    _add_selection(fix)

    rules = commands.add_parser(
        "rules", help="list every rule", description="List every rule dockerls knows."
    )
    rules.add_argument("--format", choices=["text", "json"], default="text")

    explain = commands.add_parser(
        "explain",
        help="print a rule's documentation",
        description="Print a rule's documentation (by code or name) as Markdown.",
    )
    explain.add_argument("rule", metavar="CODE")

    size = commands.add_parser(
        "size",
        help="estimate image sizes without building",
        description=(
            "Estimate what each instruction adds to the image and each stage's total, "
            "without building (uncompressed MB, as docker images prints them). Parts that "
            "cannot be sized are named. Exit status: 0, or 2 for a file that could not be read."
        ),
    )
    size.add_argument(
        "paths", nargs="+", metavar="PATH", help="a file, a directory, or - for standard input"
    )
    size.add_argument("--format", choices=["text", "json"], default="text")
    size.add_argument(
        "--context",
        metavar="DIR",
        help="the build context (default: the Dockerfile's directory)",
    )
    size.add_argument("--target", metavar="STAGE", help="the stage that is built")
    return parser


def _escape_unencodable(exc: UnicodeError) -> tuple[str | bytes, int]:
    """A path that is not valid UTF-8 gets its own bytes back; anything else the
    stream cannot encode becomes a backslash escape."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    try:
        return codecs.lookup_error("surrogateescape")(exc)
    except UnicodeError:
        return codecs.lookup_error("backslashreplace")(exc)


codecs.register_error("dockerls-escape", _escape_unencodable)


def tolerate_unencodable(stream: object) -> None:
    """Make ``stream`` write what its encoding cannot (file names with bytes that are
    not UTF-8 come from the file system as lone surrogates) instead of raising."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="dockerls-escape")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (``sys.exit(main())``)."""
    if (sys.argv[1:] if argv is None else argv) in (["serve"], ["serve", "--stdio"]):
        return _serve()  # how editors start it: no need to build the whole parser first
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits for --help, --version and usage errors
        return 0 if exc.code is None else int(exc.code)
    if args.command == "serve":
        return _serve()
    if args.command == "rules":
        return _rules(args)
    if args.command == "explain":
        return _explain(args)
    tolerate_unencodable(sys.stdout)
    if args.command == "size":
        return _size(args)
    if args.command == "fix":
        return _fix(args)
    return _check(args)
