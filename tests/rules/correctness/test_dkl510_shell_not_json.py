"""DKL510 shell-not-json: flagged, clean and fix cases."""

from __future__ import annotations

from tests.rulecheck import check, clean
from tests.rules.roundtrip import roundtrip


def test_shell_form_shell_becomes_json() -> None:
    roundtrip(
        "DKL510",
        "FROM a\nSHELL ⟨/bin/bash -o pipefail -c⟩\n",
        'FROM a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n',
    )


def test_empty_shell_and_quoted_shell_form() -> None:
    check("DKL510", "FROM a\nSHELL ⟨[]⟩\n")
    (f,) = check("DKL510", "FROM a\nSHELL ⟨bash -c 'x'⟩\n")
    assert not f.fixes


def test_shell_in_malformed_json_is_an_error() -> None:
    # BuildKit: "SHELL requires the arguments to be in JSON form" (no shell-form fallback).
    check("DKL510", "FROM a\nSHELL ⟨['bash', '-c']⟩\n")
    check("DKL510", 'FROM a\nSHELL ⟨["sh" "-c"]⟩\n')


def test_shell_clean() -> None:
    clean("DKL510", 'FROM a\nSHELL ["powershell", "-Command"]\n')
