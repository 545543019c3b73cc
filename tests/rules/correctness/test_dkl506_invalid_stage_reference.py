"""DKL506 invalid-stage-reference: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a AS build\nCOPY --from=⟨build⟩ /x /y\n",
        "FROM a AS build\nCOPY --from=⟨BUILD⟩ /x /y\n",
        "FROM a\nCOPY --from=⟨3⟩ /x /y\n",
        "FROM a\nCOPY --from=⟨-1⟩ /x /y\n",
        "FROM a\nFROM b\nCOPY --from=⟨1⟩ /x /y\n",
        "FROM a AS b\nRUN --mount=from=⟨b⟩,target=/x true\n",
        # BuildKit: 'cannot copy from stage "two", it needs to be defined before …'
        "FROM a AS one\nCOPY --from=⟨two⟩ /x /y\nFROM b AS two\n",
        "FROM a\nCOPY --from=⟨1⟩ /x /y\nFROM b\n",
        "FROM a\nRUN --mount=from=⟨Later⟩,target=/x true\nFROM b AS later\n",
    ],
)
def test_invalid_stage_reference_flagged(marked: str) -> None:
    check("DKL506", marked)


def test_invalid_stage_reference_clean() -> None:
    clean(
        "DKL506",
        "FROM a AS build\nFROM b\nCOPY --from=build /x /y\nCOPY --from=0 /x /y\n"
        "RUN --mount=from=build,target=/x true\n",
    )
