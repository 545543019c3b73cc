"""DKL505 invalid-flag-value: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings
from tests.rules.correctness.digests import SHA


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a\nHEALTHCHECK --interval=⟨30⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --timeout=⟨5x⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --start-period=⟨500us⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --retries=⟨-1⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --retries=⟨abc⟩ CMD true\n",
        "FROM a\nCOPY --chmod=⟨999⟩ a /b/\n",
        "FROM a\nCOPY --chmod=⟨rwx⟩ a /b/\n",
        "FROM a\nADD --checksum=⟨sha256:abc⟩ https://example.com/x /y\n",
        "FROM a\nRUN --network=⟨hots⟩ true\n",
        "FROM a\nRUN --security=⟨root⟩ true\n",
        "FROM a\nRUN --mount=type=cache,target=/x,⟨size=1g⟩ true\n",
        "FROM a\nRUN --mount=⟨type=volume⟩,target=/x true\n",
        "FROM a\nRUN --mount=⟨type=secret⟩ true\n",
        "FROM a\nRUN --mount=type=bind,⟨targt=/x⟩ true\n",
        "FROM a\nRUN --mount=type=bind,⟨from=$IMG⟩,target=/x true\n",
        "FROM a\nRUN --mount=type=bind,target=/x,⟨mode=0700⟩ true\n",
        "FROM a\nRUN --mount=type=cache,target=/x,⟨sharing=all⟩ true\n",
        "FROM a\nRUN --mount=type=cache,target=/x,⟨uid=me⟩ true\n",
        "FROM a\nRUN --mount=type=bind,target=/x,⟨rw=maybe⟩ true\n",
        "FROM a\nRUN --mount=type=bind,⟨target⟩ true\n",
        'FROM a\nRUN --mount=⟨type=cache,target=\\"x⟩ true\n',
        "FROM --platform=⟨linux/amd64/v8/x⟩ a\n",
        # BuildKit: 'time: invalid duration "$P"': HEALTHCHECK's flags are not expanded
        "FROM a\nARG P=5s\nHEALTHCHECK --start-period=⟨$P⟩ CMD true\n",
        "FROM a\nHEALTHCHECK --retries=⟨${R:-3}⟩ CMD true\n",
    ],
)
def test_invalid_flag_value_flagged(marked: str) -> None:
    check("DKL505", marked)


def test_unknown_mount_option_suggests() -> None:
    (f,) = findings("DKL505", "FROM a\nRUN --mount=type=bind,targt=/x true\n")
    assert "did you mean 'target'" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nHEALTHCHECK --interval=0 --retries=0 CMD true\n",
        "FROM a\nHEALTHCHECK --interval=1m30s --timeout=1.5s CMD true\n",
        "FROM a\nCOPY --chmod=u+x,g=rx a /b/\nCOPY --chmod=0755 a /b/\nCOPY --chmod=$MODE a /b/\n",
        "FROM a\nRUN --mount=type=tmpfs,target=/tmp,size=64m true\n",
        "FROM a\nRUN --mount=type=cache,target=/x,sharing=locked,uid=1000,mode=0755,id=x true\n",
        "FROM a\nRUN --mount=type=secret,id=npm,env=NPM_TOKEN,required true\n",
        "FROM a\nRUN --mount=type=ssh true\n",
        "FROM a AS build\nFROM b\n"
        "RUN --mount=type=bind,from=build,source=/out,target=/in,ro true\n",
        "FROM a\nRUN --mount=type=cache,target=$CACHE_DIR true\n",
        f"FROM a\nADD --checksum=sha256:{SHA} https://example.com/x /y\n",
        "FROM a\nADD --checksum=1a2b3c4d https://github.com/o/r.git#v1 /src\n",
        "FROM --platform=linux/arm64/v8 a\n",
        "FROM --platform=${BUILDPLATFORM} a\n",
        "FROM a\nHEALTHCHECK NONE\n",
    ],
)
def test_invalid_flag_value_clean(text: str) -> None:
    clean("DKL505", text)
