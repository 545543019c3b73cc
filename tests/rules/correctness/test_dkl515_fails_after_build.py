"""DKL515 fails-after-build: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from dockerls.syntax import Severity
from tests.rulecheck import check, clean, fixed


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nONBUILD COPY ⟨.⟩\n",
        "FROM a\nONBUILD COPY --⟨form⟩=x a /b/\n",
        "FROM a\nONBUILD HEALTHCHECK --interval=⟨5⟩ CMD true\n",
        "FROM a\nONBUILD SHELL ⟨bash -c⟩\n",
        "FROM a\nUSER app ⟨user⟩\n",
        "FROM a\nUSER app ⟨user⟩\nUSER root\nRUN true\n",
    ],
)
def test_fails_after_build_flagged(marked: str) -> None:
    (f,) = check("DKL515", marked)
    assert f.severity == Severity.WARNING


def test_fails_after_build_keeps_the_fix() -> None:
    text = "FROM a\nONBUILD SHELL bash -c\n"
    assert fixed("DKL515", text) == 'FROM a\nONBUILD SHELL ["bash", "-c"]\n'


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nONBUILD COPY . /app/\nONBUILD RUN --mount=type=cache,target=/x true\n",
        "FROM a\nUSER app user\nRUN true\n",  # the build fails: DKL502's
        "FROM a\nUSER app\n",
    ],
)
def test_fails_after_build_clean(text: str) -> None:
    clean("DKL515", text)
