"""DKL206 whole-filesystem-copied-from-stage: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.stages.rule_codes import WHOLE


def test_whole_filesystem_copy_flags_the_root_source() -> None:
    (f,) = check(
        WHOLE,
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\n"
        "FROM alpine:3.20\nCOPY --from=build ⟨/⟩ /\n",
    )
    assert "stage `build`" in f.message and f.related[0].span.start.line == 0
    check(WHOLE, "FROM debian:12 AS a\nFROM debian:12-slim\nCOPY --from=0 ⟨.⟩ /srv\n")
    check(WHOLE, 'FROM debian:12 AS a\nFROM debian:12-slim\nCOPY --from=a [⟨"/"⟩, "/"]\n')


@pytest.mark.parametrize(
    "text",
    [
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n"
        "FROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\n",
        # a stage FROM scratch only holds what was put there on purpose
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch AS export\n"
        "COPY --from=build /out/app /app\nFROM alpine:3.20\nCOPY --from=export / /\n",
        # an external image, not a stage
        "FROM alpine:3.20\nCOPY --from=docker/buildx-bin:0.16 / /usr/libexec/docker/cli-plugins\n",
        # the copy lands in a stage that does not ship
        "FROM debian:12 AS a\nFROM debian:12 AS b\nCOPY --from=a / /\nFROM debian:12-slim\n",
    ],
)
def test_whole_filesystem_copy_clean(text: str) -> None:
    clean(WHOLE, text)


def test_whole_filesystem_copy_honours_hadolint_pragma() -> None:
    text = "FROM debian:12 AS a\nFROM debian:12-slim\n# hadolint ignore=DL3067\nCOPY --from=a / /\n"
    clean(WHOLE, text)
