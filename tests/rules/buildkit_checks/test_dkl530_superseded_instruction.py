"""DKL530 superseded-instruction: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from dockerls.findings import Tag
from tests.rulecheck import check, clean, fixed


def test_superseded_cmd_is_removed() -> None:
    (f,) = check("DKL530", 'FROM a\n⟨CMD ["npm", "run", "dev"]⟩\nCMD ["node", "server.js"]\n')
    assert Tag.UNNECESSARY in f.tags and f.related
    new = fixed("DKL530", 'FROM a\nCMD ["npm", "run", "dev"]\nCMD ["node", "server.js"]\n')
    assert new == 'FROM a\nCMD ["node", "server.js"]\n'
    clean("DKL530", new)


def test_superseded_multiline_healthcheck_and_entrypoint() -> None:
    check(
        "DKL530",
        'FROM a\n⟨HEALTHCHECK CMD \\\n  true⟩\n⟨ENTRYPOINT ["a"]⟩\nHEALTHCHECK NONE\n'
        'ENTRYPOINT ["b"]\n',
    )
    text = "FROM a\nHEALTHCHECK CMD \\\n  true\nHEALTHCHECK NONE\n"
    assert fixed("DKL530", text) == "FROM a\nHEALTHCHECK NONE\n"


@pytest.mark.parametrize(
    "text",
    [
        'FROM a\nCMD ["a"]\nFROM b\nCMD ["b"]\n',
        'FROM a\nONBUILD CMD ["a"]\nCMD ["b"]\n',
        'FROM a\nCMD ["a"]\nENTRYPOINT ["b"]\n',
    ],
)
def test_superseded_clean(text: str) -> None:
    clean("DKL530", text)
