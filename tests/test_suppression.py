"""Inline suppression is applied centrally: dockerls, hadolint and BuildKit pragmas."""

from __future__ import annotations

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.findings import Finding
from dockerls.suppression import Equivalents, suppress
from dockerls.syntax import Severity, Span, parse


def codes(text: str) -> list[tuple[str, int]]:
    """The syntax findings left after suppression (other rule families are not involved)."""
    found = analyze(text, Settings(select=("syntax",))).findings
    return [(f.code, f.span.start.line) for f in found]


def test_ignore_above_an_instruction_silences_only_that_instruction() -> None:
    text = "FROM a\n# dockerls: ignore=DKL001\nRUNN x\nRUNN y\n"
    assert codes(text) == [("DKL001", 3)]


def test_ignore_accepts_names_lists_and_intervening_comments() -> None:
    text = "FROM a\n# dockerls: ignore=DKL002, unknown-instruction\n# why: legacy\nRUNN x\n"
    assert codes(text) == []


def test_ignore_does_not_reach_past_a_blank_line_and_an_instruction() -> None:
    text = "# dockerls: ignore=DKL001\nFROM a\nRUNN x\n"
    assert codes(text) == [("DKL001", 2)]


def test_ignore_file() -> None:
    text = "FROM a\nRUNN x\n# dockerls: ignore-file=DKL001\nRUNN y\n"
    assert codes(text) == []


def finding(code: str, line: int) -> Finding:
    return Finding(code, code.lower(), Severity.WARNING, "m", Span.of(line, 0, None, 3))


EQUIVALENTS = {
    "DKL101": Equivalents(("DL3008",), (), "apt-recommends"),
    "DKL601": Equivalents((), ("StageNameCasing",), "stage-name-casing"),
}


def test_hadolint_pragmas_map_to_equivalent_rules() -> None:
    doc = parse("FROM a\n# hadolint ignore=DL3008\nRUN x\nRUN y\n")
    kept = suppress([finding("DKL101", 2), finding("DKL101", 3)], doc, EQUIVALENTS)
    assert [f.span.start.line for f in kept] == [3]
    doc = parse("# hadolint global ignore=DL3008,DL3009\nFROM a\nRUN x\n")
    assert suppress([finding("DKL101", 2)], doc, EQUIVALENTS) == []


def test_buildkit_check_skip_directive() -> None:
    doc = parse("# check=skip=StageNameCasing\nFROM a AS Build\n")
    found = [finding("DKL601", 1), finding("DKL101", 1)]
    assert [f.code for f in suppress(found, doc, EQUIVALENTS)] == ["DKL101"]
    doc = parse("# check=skip=all;error=true\nFROM a\n")
    assert [f.code for f in suppress(found, doc, EQUIVALENTS)] == ["DKL101"]


def test_hadolint_dl3061_silences_instruction_before_from() -> None:
    text = "# hadolint ignore=DL3061\nRUN echo\nFROM a\n"
    assert codes(text) == []


def test_check_error_true_makes_buildkit_checks_errors_but_settings_still_win() -> None:
    text = "# check=error=true\nFROM alpine:3.20 as build\nUSER nobody\n"
    found = {f.code: f.severity for f in analyze(text).findings}
    assert found["DKL521"] == Severity.ERROR  # FromAsCasing
    overridden = analyze(text, Settings(severity={"DKL521": Severity.HINT})).findings
    assert {f.code: f.severity for f in overridden}["DKL521"] == Severity.HINT
    plain = analyze(text.replace("# check=error=true\n", "")).findings
    assert {f.code: f.severity for f in plain}["DKL521"] == Severity.WARNING
