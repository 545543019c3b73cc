"""``dockerls fix``: apply the safe fixes (or, with ``--split`` and ``--reorder``, one
refactor) to the files, in place or as a diff, and report what is left."""

from __future__ import annotations

import contextlib
import os
import sys
from collections import Counter
from typing import TYPE_CHECKING

from dockerls.cli.formats import format_fix_summary
from dockerls.cli.inputs import Input, read_inputs
from dockerls.cli.report import FileError, FileReport, Report, at_threshold, finish
from dockerls.cli.sources import STDIN, error_reason

if TYPE_CHECKING:
    import argparse

    from dockerls.actions.fixall import FixAllResult


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


def _split(i: Input, runtime: str | None) -> FixAllResult | str:
    """The file split into build and runtime stages (the remedy for DKL203), or why not.

    ``runtime`` picks the first offered runtime of that kind (slim, alpine, distroless,
    scratch); without it the first offered runtime is taken.
    """
    from dockerls.actions.fixall import FixAllResult
    from dockerls.actions.offers import BUILD_SHIPPED, plan_split, runtime_kind, split_title
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
    result = apply_edits(i.text, split.edits)
    if len(stages) == 1:
        return FixAllResult(result, {"DKL203": 1})
    # the final-stage refactor of a multi-stage file: what it removed from the final stage
    gone = Counter(f.code for f in analysis.findings if f.code in BUILD_SHIPPED)
    gone.subtract(f.code for f in analyze(result, i.settings, i.context).findings)
    return FixAllResult(result, {code: n for code, n in sorted(gone.items()) if n > 0})


# ``fix --reorder``: at most this many rewrites in one file (one per dependency install).
MAX_REORDERS = 64


def _reorder(i: Input) -> FixAllResult | str:
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


def fix(args: argparse.Namespace) -> int:
    from collections import Counter

    from dockerls.actions.fixall import fix_all
    from dockerls.analysis import analyze

    errors: list[FileError] = []
    paths, inputs = read_inputs(args, errors)
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
                    errors.append(FileError(path, f"could not write: {error_reason(exc)}"))
                    continue
            changed += 1
            applied.update(result.applied)
        elif path == STDIN and not args.diff:
            sys.stdout.write(text)
        remaining = analyze(result.text, i.settings, i.context).findings
        files.append(FileReport(path, at_threshold(remaining, args)))

    status = finish(paths, files, errors)
    # Standard output carries the diff (or the fixed text of standard input) alone.
    report_to = sys.stderr if args.diff or STDIN in paths else sys.stdout
    report_to.write(
        format_fix_summary(Report(tuple(files), tuple(errors)), applied, changed, args.diff)
    )
    return status
