"""DKL111 curl-and-wget: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import CURL_WGET


def test_curl_and_wget_flags_the_second() -> None:
    (f,) = check(
        CURL_WGET,
        "FROM debian:bookworm-slim\nRUN curl -fsSLO https://x/a.tgz\n"
        "HEALTHCHECK CMD ⟨wget⟩ -qO- http://localhost/health\n",
    )
    assert f.related[0].span.start.line == 1


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian:bookworm-slim\nRUN curl -fsSLO https://x/a.tgz",
        # wget is busybox's applet on alpine
        "FROM alpine:3.20\nRUN apk add --no-cache curl && curl -O https://x && wget https://y",
        # buildpack-deps based images ship both
        "FROM node:20\nRUN curl -O https://x && wget https://y",
        # builder stages do not ship
        "FROM debian:bookworm AS b\nRUN wget https://y\nFROM debian:bookworm-slim\n"
        "RUN curl -O https://x",
    ],
)
def test_curl_and_wget_clean(text: str) -> None:
    clean(CURL_WGET, text + "\n")
