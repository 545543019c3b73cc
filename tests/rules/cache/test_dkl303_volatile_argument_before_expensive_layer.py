"""DKL303 volatile-argument-before-expensive-layer: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.markers import extract
from tests.rulecheck import check, clean, fixed


def test_volatile_arg_moves_before_its_first_use() -> None:
    text = (
        "FROM python:3.12-slim\nARG ⟨GIT_SHA⟩\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        "LABEL org.opencontainers.image.revision=$GIT_SHA\n"
    )
    (f,) = check("DKL303", text)
    assert "a commit id" in f.message and "`pip install` on line 4" in f.message
    assert f.fixes and not f.fixes[0].safe
    result = fixed("DKL303", extract(text)[0])
    assert result == (
        "FROM python:3.12-slim\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nARG GIT_SHA\n"
        "LABEL org.opencontainers.image.revision=$GIT_SHA\n"
    )
    clean("DKL303", result)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "FROM debian\nARG BUILD_DATE\nRUN apt-get update && apt-get install -y curl\n"
            'CMD ["curl"]\n',
            "FROM debian\nRUN apt-get update && apt-get install -y curl\nARG BUILD_DATE\n"
            'CMD ["curl"]\n',
        ),
        (
            "FROM debian\r\nARG BUILD_DATE\r\nRUN apt-get install -y \\\r\n    curl",
            "FROM debian\r\nRUN apt-get install -y \\\r\n    curl\r\nARG BUILD_DATE",
        ),
    ],
)
def test_unused_volatile_arg_moves_below_the_installs(before: str, after: str) -> None:
    assert fixed("DKL303", before) == after
    clean("DKL303", after)


# Flagged, but the ARG cannot be moved alone.
UNMOVABLE = [
    # ENV carries the value on: every later RUN sees it.
    "FROM debian\nARG ⟨COMMIT⟩\nENV GIT_COMMIT=$COMMIT\nRUN apt-get install -y curl\n",
    # Used before the install (a heredoc body counts).
    "FROM debian\nARG ⟨GIT_SHA⟩\nRUN <<EOF\necho $GIT_SHA > /sha\nEOF\n"
    "RUN apt-get install -y curl\n",
    # Used before the install.
    "FROM debian\nARG ⟨BUILD_DATE⟩\nRUN echo $BUILD_DATE > /build-date\n"
    "RUN apt-get install -y curl\n",
    # Declared together with another name.
    "FROM debian\nARG ⟨BUILD_DATE⟩ ⟨VCS_REF⟩\nRUN apt-get install -y curl\n",
    # A build in between may read it from the environment.
    "FROM golang:1.23\nARG ⟨GIT_SHA⟩\nRUN apt-get install -y git\nRUN make\n"
    "RUN pip install -r requirements.txt\n",
    # An ONBUILD trigger.
    "FROM node:22\nONBUILD ARG ⟨GIT_SHA⟩\nONBUILD COPY package*.json ./\nONBUILD RUN npm ci\n",
    # The last install is still open at the end of the file (an unterminated heredoc, a
    # continuation): the moved ARG would become one of its lines.
    "FROM alpine\nARG ⟨BUILD_DATE⟩\nRUN <<EOF\napk add --no-cache x\n",
    "FROM debian\nARG ⟨BUILD_DATE⟩\nRUN apt-get install -y curl \\\n",
    "FROM debian\nARG ⟨BUILD_DATE⟩\nRUN apt-get install -y curl \\\n# the end\n\n",
]


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian\nRUN apt-get install -y curl\nARG BUILD_DATE\nLABEL built=$BUILD_DATE\n",
        'FROM golang:1.23\nARG GIT_SHA\nRUN go build -ldflags "-X main.sha=${GIT_SHA}" .\n',
        "FROM rust:1.80\nARG GIT_SHA\nCOPY . .\nRUN cargo build --release\n",
        "ARG BUILD_DATE\nFROM debian\nRUN apt-get install -y curl\n",
        "FROM node:22\nARG NODE_ENV=production\nARG CACHEBUST=1\nRUN npm ci\n",
        "FROM debian\nARG VERSION\nRUN apt-get install -y curl\n",
    ],
)
def test_volatile_arg_traps_are_clean(text: str) -> None:
    clean("DKL303", text)
