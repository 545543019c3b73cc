"""What ``check`` and ``fix`` report: each file analysed with its findings at or above
the threshold, the paths that could not be read, and the exit status that follows."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from dockerls.analysis import Finding
    from dockerls.syntax.model import Severity

# How the CLI and its JSON output spell each ``Severity`` member (keyed by member name),
# most severe first.
SEVERITY_LABELS: dict[str, str] = {
    "ERROR": "error",
    "WARNING": "warning",
    "INFORMATION": "info",
    "HINT": "hint",
}

_SEVERITY_NAMES = {label: name for name, label in SEVERITY_LABELS.items()}


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


def at_threshold(findings: Iterable[Finding], args: argparse.Namespace) -> tuple[Finding, ...]:
    """The findings at or above ``--severity-threshold``, in position order."""
    from dockerls.syntax.model import Severity

    threshold = Severity[_SEVERITY_NAMES[args.severity_threshold]]
    kept = [f for f in findings if f.severity <= threshold]
    kept.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return tuple(kept)


def finish(paths: list[str], files: list[FileReport], errors: list[FileError]) -> int:
    """Report unreadable files on standard error; the exit status of check and fix."""
    for error in errors:
        print(f"dockerls: {error.path}: {error.message}", file=sys.stderr)
    if not paths and not errors:
        print("dockerls: warning: no Dockerfiles found", file=sys.stderr)
    if errors:
        return 2
    return 1 if any(file.findings for file in files) else 0
