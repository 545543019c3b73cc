"""DKL504 invalid-flag: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, fixed
from tests.rules.correctness.digests import SHA
from tests.rules.roundtrip import roundtrip


def test_misspelled_flag_suggests_unsafely() -> None:
    (f,) = check("DKL504", "FROM a\nCOPY --⟨form⟩=build a /b/\n")
    assert "did you mean '--from'" in f.message
    assert not f.fixes[0].safe
    assert (
        fixed("DKL504", "FROM a\nCOPY --form=build a /b/\n") == "FROM a\nCOPY --from=build a /b/\n"
    )


def test_flag_in_wrong_case_is_lowercased() -> None:
    roundtrip("DKL504", "FROM a\nCOPY --⟨FROM⟩=build a /b/\n", "FROM a\nCOPY --from=build a /b/\n")


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nRUN --⟨foo⟩ echo\n",
        "FROM a\nENV ⟨--x⟩ A=1\n",
        "FROM a\nCOPY --from=a ⟨--from=b⟩ x /y/\n",
        "FROM a\nCOPY ⟨--chown⟩ a /b/\n",
        "FROM a\nCOPY --link=⟨maybe⟩ a /b/\n",
        "FROM a\nCOPY ⟨--link=⟩ a /b/\n",
        "FROM --⟨plattform⟩=linux/amd64 a\n",
    ],
)
def test_invalid_flag_flagged(marked: str) -> None:
    check("DKL504", marked)


def test_duplicate_flag_points_at_the_first() -> None:
    (f,) = check("DKL504", "FROM a\nRUN --network=none ⟨--network=host⟩ true\n")
    assert f.related[0].message == "first given here"


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN --mount=type=cache,target=/x --mount=type=secret,id=s --network=none "
        "--security=insecure --device=gpu true\n",
        f"FROM a\nADD --keep-git-dir --checksum=sha256:{SHA} --unpack=false --link --chmod=644 "
        "--chown=1:1 --exclude=*.md https://example.com/x.tar.gz /y/\n",
        "FROM a\nCOPY --parents --exclude=a --exclude=b --link=TRUE src/ /dst/\n",
        "FROM a\nHEALTHCHECK --interval=1s --timeout=2s --start-period=3s --start-interval=1s "
        "--retries=3 CMD true\n",
        "FROM a\nSTOPSIGNAL --whatever SIGTERM\n",
        "FROM --platform=$BUILDPLATFORM a\n",
        "FROM a\nRUN -- --not-a-flag\n",
    ],
)
def test_invalid_flag_clean(text: str) -> None:
    clean("DKL504", text)
