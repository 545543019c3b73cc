"""DKL509 invalid-stop-signal: flagged and clean cases."""

from __future__ import annotations

import pytest

from dockerls.rules.correctness.dkl509_invalid_stop_signal import signal_problem
from tests.rulecheck import check, clean


@pytest.mark.parametrize("value", ["SIGTERM", "term", "9", "SIGRTMIN+3", "KILL"])
def test_valid_signals(value: str) -> None:
    assert signal_problem(value) is None


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nSTOPSIGNAL ⟨SIGTERMINATE⟩\n",
        "FROM a\nSTOPSIGNAL ⟨0⟩\n",
        "FROM a\nSTOPSIGNAL ⟨SIGTERM now⟩\n",
        "FROM a\nARG SIG=NOPE\nSTOPSIGNAL ⟨$SIG⟩\n",
    ],
)
def test_invalid_signal_flagged(marked: str) -> None:
    check("DKL509", marked)


@pytest.mark.parametrize("value", ["SIGTERM", "TERM", "sigquit", "9", "SIGRTMIN+3", "$SIG"])
def test_invalid_signal_clean(value: str) -> None:
    clean("DKL509", f"FROM a\nSTOPSIGNAL {value}\n")
