"""The report as ``check`` prints it (text, JSON, SARIF; see ``FORMATTERS``) and the
summary ``fix`` prints after it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from dockerls import __version__
from dockerls.cli.report import Report, severity_label

if TYPE_CHECKING:
    from dockerls.analysis import Finding


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
