"""DKL302 apt-update-in-separate-layer: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.markers import extract
from tests.rulecheck import check, clean, findings, fixed


def test_lone_update_then_install() -> None:
    text = "FROM debian:bookworm\nRUN apt-get ⟨update⟩\nRUN apt-get install -y curl\n"
    (f,) = check("DKL302", text)
    assert "line 3" in f.message and f.related[0].span.start.line == 2
    result = fixed("DKL302", extract(text)[0])
    assert result == "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n"
    clean("DKL302", result)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            " FROM python:3.6-slim\r\n RUN apt-get update -y\r\n RUN apt-get install -y \\\r\n"
            "     gcc\r\n",
            " FROM python:3.6-slim\r\n RUN apt-get update -y && apt-get install -y \\\r\n"
            "     gcc\r\n",
        ),
        (
            "FROM debian\nRUN sudo apt-get update\nENV DEBIAN_FRONTEND=noninteractive\n"
            "RUN sudo apt-get install -y curl",
            "FROM debian\nENV DEBIAN_FRONTEND=noninteractive\n"
            "RUN sudo apt-get update && sudo apt-get install -y curl",
        ),
        (
            "FROM debian\nRUN apt-get update\nRUN set -eux; DEBIAN_FRONTEND=noninteractive "
            "apt-get install -y curl\n",
            "FROM debian\nRUN set -eux; apt-get update && DEBIAN_FRONTEND=noninteractive "
            "apt-get install -y curl\n",
        ),
        (
            "FROM debian\nRUN apt-get update\nRUN <<EOF\napt-get install -y curl\nEOF\n",
            "FROM debian\nRUN <<EOF\napt-get update && apt-get install -y curl\nEOF\n",
        ),
        (
            "FROM alpine:3.20\nRUN apk update\nRUN mkdir /app\nRUN apk add curl\n",
            "FROM alpine:3.20\nRUN mkdir /app\nRUN apk update && apk add curl\n",
        ),
        (
            "FROM ubuntu:24.04\nRUN apt update\nRUN apt install -y curl\n",
            "FROM ubuntu:24.04\nRUN apt update && apt install -y curl\n",
        ),
        (
            "FROM centos:7\nRUN yum makecache\nRUN yum install -y httpd\n",
            "FROM centos:7\nRUN yum makecache && yum install -y httpd\n",
        ),
        (
            "FROM debian\nONBUILD RUN apt-get update\nONBUILD RUN apt-get install -y curl\n",
            "FROM debian\nONBUILD RUN apt-get update && apt-get install -y curl\n",
        ),
    ],
)
def test_merge_fix_keeps_formatting(before: str, after: str) -> None:
    assert len(findings("DKL302", before)) == 1
    assert fixed("DKL302", before) == after
    clean("DKL302", after)


# Flagged, but the update RUN cannot be merged safely.
UNMERGEABLE = [
    # Something between may need the refreshed index.
    "FROM debian\nRUN apt-get ⟨update⟩\nRUN apt-cache policy curl\nRUN apt-get install -y curl\n",
    "FROM debian\nRUN apt-get ⟨update⟩\nRUN curl -fsSL https://x/setup | bash -\n"
    "RUN apt-get install -y nodejs\n",
    # The update RUN does more, or mounts a cache.
    "FROM debian\nRUN apt-get ⟨update⟩ && echo done\nRUN apt-get install -y curl\n",
    "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt apt-get ⟨update⟩\n"
    "RUN apt-get install -y curl\n",
    # The install cannot take a prefix.
    'FROM debian\nRUN apt-get ⟨update⟩\nRUN ["apt-get", "install", "-y", "curl"]\n',
    "FROM debian\nRUN apt-get ⟨update⟩\nRUN yes | apt-get install curl\n",
    # Different stages.
    "FROM debian AS base\nRUN apt-get ⟨update⟩\nFROM base\nRUN apt-get install -y curl\n",
]


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
        "FROM debian\nRUN apt-get update\n",
        "FROM debian\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\n",
        "FROM alpine\nRUN apk update\nRUN apk add --no-cache curl\n",
        "FROM debian\nRUN apt-get update\nRUN pip install flask\n",
        "FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN echo hi\n",
    ],
)
def test_update_with_its_install_or_without_one_is_clean(text: str) -> None:
    clean("DKL302", text)
