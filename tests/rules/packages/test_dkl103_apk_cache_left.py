"""DKL103 apk-cache-left: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, fixed
from tests.rules.packages.codes import APK
from tests.rules.packages.roundtrip import fix_roundtrip


def test_apk_add_without_no_cache() -> None:
    (f,) = check(APK, "FROM alpine:3.20\nRUN apk update && apk ⟨add⟩ curl\n")
    assert "/var/cache/apk" in f.message


def test_apk_update_alone_is_flagged_without_fix() -> None:
    (f,) = check(APK, "FROM alpine:3.20\nRUN apk ⟨update⟩ && apk add --no-cache curl\n")
    assert not f.fixes and "--no-cache" in f.message


@pytest.mark.parametrize(
    "run",
    [
        "apk add --no-cache curl",
        "apk --no-cache add curl",
        "apk add --update --no-cache curl",
        "apk update && apk add curl && rm -rf /var/cache/apk/*",
        "--mount=type=cache,target=/var/cache/apk apk add curl",
        "--mount=type=cache,target=/etc/apk/cache apk update && apk add curl",
    ],
)
def test_apk_clean(run: str) -> None:
    clean(APK, f"FROM alpine:3.20\nRUN {run}\n")


def test_apk_non_final_stage_is_silent() -> None:
    clean(APK, "FROM golang:1.22-alpine AS build\nRUN apk add git\nFROM scratch\n")


def test_apk_fix_also_removes_the_update_before_the_add() -> None:
    fix_roundtrip(
        APK,
        "FROM alpine:3.20\nRUN apk update && apk add curl\n",
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
    )
    fix_roundtrip(
        APK,
        "FROM alpine:3.20\r\nRUN set -eux; \\\r\n    apk update; \\\r\n"
        "    apk add --virtual .deps gcc && apk add git\r\n",
        "FROM alpine:3.20\r\nRUN set -eux; \\\r\n    "
        "apk add --no-cache --virtual .deps gcc && apk add --no-cache git\r\n",
    )
    fix_roundtrip(
        APK,
        "FROM alpine:3.20\nRUN <<EOF\napk update\napk add curl\nEOF\n",
        "FROM alpine:3.20\nRUN <<EOF\napk add --no-cache curl\nEOF\n",
    )
    # an update that is not simply run just before the add stays, and is reported afterwards
    assert fixed(APK, "FROM alpine:3.20\nRUN apk update && apk upgrade && apk add x\n") == (
        "FROM alpine:3.20\nRUN apk update && apk upgrade && apk add --no-cache x\n"
    )
    text = "FROM alpine:3.20\nRUN apk update || true && apk add curl\n"
    assert (
        fixed(APK, text) == "FROM alpine:3.20\nRUN apk update || true && apk add --no-cache curl\n"
    )
    check(APK, "FROM alpine:3.20\nRUN apk ⟨update⟩ || true && apk add --no-cache curl\n")
    assert fixed(APK, "FROM alpine:3.20\nRUN apk update && (apk add x)\n") == (
        "FROM alpine:3.20\nRUN apk update && (apk add --no-cache x)\n"
    )
    fix_roundtrip(
        APK,
        "FROM alpine:3.20\nONBUILD RUN apk add --virtual .deps gcc\n",
        "FROM alpine:3.20\nONBUILD RUN apk add --no-cache --virtual .deps gcc\n",
    )
