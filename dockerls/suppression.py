"""Inline suppression, applied centrally after every rule has run.

Recognised pragmas (case-insensitive keys; codes or rule names, comma-separated):

- ``# dockerls: ignore=DKL101,DKL102`` in the comment lines directly above an
  instruction: silences those rules for that instruction (all its lines).
- ``# dockerls: ignore-file=DKL101`` anywhere: silences them for the whole file.
- ``# hadolint ignore=DL3008`` above an instruction and ``# hadolint global
  ignore=DL3008`` anywhere, mapped through each rule's hadolint equivalents, so
  users who migrate keep their suppressions.
- BuildKit's ``# check=skip=Name1,Name2`` (or ``skip=all``) parser directive,
  mapped through each rule's BuildKit check names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dockerls.findings import Finding
from dockerls.syntax import Dockerfile

_DOCKERLS = re.compile(r"^dockerls:\s*(ignore|ignore-file)\s*=\s*(.*)$", re.IGNORECASE)
_HADOLINT = re.compile(r"^hadolint\s+(global\s+)?ignore\s*=\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Equivalents:
    """What other tools call a rule: its hadolint codes and BuildKit check names."""

    hadolint: tuple[str, ...]
    buildkit: tuple[str, ...]
    name: str


def _codes(text: str) -> set[str]:
    return {c.strip().lower() for c in re.split(r"[,\s]+", text) if c.strip()}


@dataclass(slots=True)
class _Scope:
    keys: set[str]  # lower-cased codes/names (dockerls) or foreign codes
    lines: range | None  # None: the whole file
    foreign: str = ""  # "" for dockerls keys, "hadolint" for hadolint codes


def _next_instruction_lines(doc: Dockerfile, line: int) -> range | None:
    """The lines of the instruction that starts after the comment block holding ``line``."""
    comment_lines = {c.span.start.line for c in doc.comments}
    for ins in doc.instructions:
        start = ins.span.start.line
        if start > line:
            between = range(line + 1, start)
            if all(i in comment_lines or not doc.lines[i].strip() for i in between):
                return range(start, ins.span.end.line + 1)
            return None
    return None


def _scopes(doc: Dockerfile) -> list[_Scope]:
    scopes: list[_Scope] = []
    for comment in doc.comments:
        text = comment.text.strip()
        if match := _DOCKERLS.match(text):
            keys = _codes(match.group(2))
            if match.group(1).lower() == "ignore-file":
                scopes.append(_Scope(keys, None))
            elif (lines := _next_instruction_lines(doc, comment.span.start.line)) is not None:
                scopes.append(_Scope(keys, lines))
        elif match := _HADOLINT.match(text):
            keys = _codes(match.group(2))
            if match.group(1):
                scopes.append(_Scope(keys, None, "hadolint"))
            elif (lines := _next_instruction_lines(doc, comment.span.start.line)) is not None:
                scopes.append(_Scope(keys, lines, "hadolint"))
    check = doc.directive("check")
    if check is not None:
        for part in check.value.text.split(";"):
            key, _, value = part.partition("=")
            if key.strip().lower() == "skip":
                scopes.append(_Scope(_codes(value), None, "buildkit"))
    return scopes


def suppress(
    findings: Iterable[Finding], doc: Dockerfile, equivalents: Mapping[str, Equivalents]
) -> list[Finding]:
    """Drop the findings that a pragma in the document silences."""
    scopes = _scopes(doc)
    if not scopes:
        return list(findings)
    kept: list[Finding] = []
    for f in findings:
        eq = equivalents.get(f.code)
        if not any(_silences(s, f, eq) for s in scopes):
            kept.append(f)
    return kept


def _silences(scope: _Scope, f: Finding, eq: Equivalents | None) -> bool:
    if scope.lines is not None and f.span.start.line not in scope.lines:
        return False
    if scope.foreign == "hadolint":
        return eq is not None and any(c.lower() in scope.keys for c in eq.hadolint)
    if scope.foreign == "buildkit":
        if "all" in scope.keys:
            return eq is not None and bool(eq.buildkit)
        return eq is not None and any(c.lower() in scope.keys for c in eq.buildkit)
    return f.code.lower() in scope.keys or f.name.lower() in scope.keys or "all" in scope.keys
