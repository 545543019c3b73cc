"""DKL511 invalid-onbuild-trigger: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nONBUILD ⟨ONBUILD⟩ RUN x\n",
        "FROM a\nONBUILD ⟨FROM⟩ node\n",
        "FROM a\nONBUILD ⟨maintainer⟩ me\n",
    ],
)
def test_invalid_onbuild_flagged(marked: str) -> None:
    check("DKL511", marked)


def test_invalid_onbuild_clean() -> None:
    clean("DKL511", "FROM a\nONBUILD COPY . /app\nONBUILD RUN npm ci\n")
