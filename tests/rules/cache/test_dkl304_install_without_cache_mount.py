"""DKL304 install-without-cache-mount: flagged and clean cases."""

from __future__ import annotations

import pytest

from dockerls.analysis import analyze
from dockerls.config import Settings
from tests.markers import extract
from tests.rulecheck import check, clean, fixed


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "FROM node:22\nRUN npm ⟨ci⟩\n",
            "FROM node:22\nRUN --mount=type=cache,target=/root/.npm npm ci\n",
        ),
        (
            "FROM debian\nRUN apt-get update && apt-get ⟨install⟩ -y curl\n",
            "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked "
            "--mount=type=cache,target=/var/lib/apt,sharing=locked "
            "apt-get update && apt-get install -y curl\n",
        ),
        (
            "FROM golang:1.23\nRUN go mod ⟨download⟩\n",
            "FROM golang:1.23\nRUN --mount=type=cache,target=/go/pkg/mod "
            "--mount=type=cache,target=/root/.cache/go-build go mod download\n",
        ),
        (
            "FROM alpine:3.20\nRUN apk ⟨add⟩ curl\n",
            "FROM alpine:3.20\nRUN --mount=type=cache,target=/etc/apk/cache apk add curl\n",
        ),
        (
            'FROM node:22\nRUN ["npm", ⟨"ci"⟩]\n',
            'FROM node:22\nRUN --mount=type=cache,target=/root/.npm ["npm", "ci"]\n',
        ),
        (
            "FROM node:22\nRUN <<EOF\nset -e\nnpm ⟨ci⟩\nEOF\n",
            "FROM node:22\nRUN --mount=type=cache,target=/root/.npm <<EOF\nset -e\nnpm ci\nEOF\n",
        ),
        (
            "FROM maven:3.9\r\nRUN mvn -B \\\r\n    ⟨package⟩\r\n",
            "FROM maven:3.9\r\nRUN --mount=type=cache,target=/root/.m2 mvn -B \\\r\n"
            "    package\r\n",
        ),
        (
            "FROM python:3.12\nONBUILD RUN pip ⟨install⟩ -r requirements.txt\n",
            "FROM python:3.12\nONBUILD RUN --mount=type=cache,target=/root/.cache/pip "
            "pip install -r requirements.txt\n",
        ),
    ],
)
def test_cache_mount_fix(before: str, after: str) -> None:
    (f,) = check("DKL304", before)
    assert not f.fixes[0].safe
    assert fixed("DKL304", extract(before)[0]) == after
    clean("DKL304", after)


def test_two_managers_in_one_run_get_two_mounts() -> None:
    text = "FROM python:3.12\nRUN apt-get ⟨install⟩ -y gcc && pip ⟨install⟩ -r r.txt\n"
    check("DKL304", text)
    result = fixed("DKL304", extract(text)[0])
    assert result.startswith(
        "FROM python:3.12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked "
        "--mount=type=cache,target=/var/lib/apt,sharing=locked "
        "--mount=type=cache,target=/root/.cache/pip apt-get"
    )
    clean("DKL304", result)


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n",
        "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n",
        "FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n",
        "FROM alpine\nRUN apk add --no-cache curl\n",
        "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask\n",
        "FROM node:22\nRUN --mount=type=cache,target=/root/.npm/_cacache npm ci\n",
        "FROM debian\nRUN --mount=type=tmpfs,target=/var/lib/apt apt-get install -y curl\n",
        "FROM node:22\nRUN npm run build\n",
    ],
)
def test_cache_mount_traps_are_clean(text: str) -> None:
    clean("DKL304", text)


# Flagged without a fix: another user, or a moved cache.
UNMOUNTABLE = [
    "FROM node:22\nUSER node\nRUN npm ⟨ci⟩\n",
    "FROM golang:1.23\nENV GOPATH=/work\nRUN go ⟨build⟩ -o /app .\n",
]


def test_cache_mount_hint_is_off_by_default() -> None:
    text = "FROM node:22\nRUN npm ci\n"
    assert not [f for f in analyze(text, Settings()).findings if f.code == "DKL304"]
