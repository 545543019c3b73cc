"""DKL108 language-build-cache-left: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import BUILD_CACHE
from tests.rules.packages.roundtrip import fix_roundtrip


def test_build_cache_go_in_a_single_stage_image() -> None:
    (mod, build) = check(
        BUILD_CACHE,
        "FROM golang:1.23\nRUN go mod ⟨download⟩\nRUN go ⟨build⟩ -o /app ./cmd/app\n",
    )
    assert "`go mod download`" in mod.message and "module cache" in mod.message
    assert "build cache" in build.message
    assert not build.fixes


@pytest.mark.parametrize(
    "text",
    [
        "FROM golang:1.23\nRUN --mount=type=cache,target=/root/.cache/go-build "
        "--mount=type=cache,target=/go/pkg/mod go build -o /app .",
        "FROM golang:1.23\nRUN go build -o /app . && go clean -cache -modcache",
        "FROM golang:1.23\nRUN go build -mod=vendor -o /app . && rm -rf /root/.cache/go-build",
        "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\n"
        "COPY --from=build /app /app",
        "FROM rust:1.80\nWORKDIR /src\nRUN cargo build --release && cargo clean "
        "&& rm -rf /usr/local/cargo/registry",
        "FROM maven:3-eclipse-temurin-21\nRUN --mount=type=cache,target=/root/.m2 mvn -B package",
        "FROM gradle:8-jdk21\nRUN gradle build && rm -rf ~/.gradle",
        "FROM python:3.12-slim\nRUN poetry install --no-cache --only main",
        "FROM python:3.12-slim\nENV POETRY_CACHE_DIR=/tmp/poetry\n"
        "RUN poetry install --only main && rm -rf $POETRY_CACHE_DIR",
        # uv's cache is DKL104's (the pip/uv cache finding), never this rule's too.
        "FROM python:3.12-slim\nRUN uv sync --frozen",
        "FROM python:3.12-slim\nRUN uv tool install ruff && uv run pytest",
        "FROM php:8.3-cli\nRUN composer install --no-dev && composer clear-cache",
        "FROM python:3.12-slim\nRUN uv python install 3.12 && uv venv",
        "FROM golang:1.23\nRUN go version && go env",
    ],
)
def test_build_cache_clean(text: str) -> None:
    clean(BUILD_CACHE, text + "\n")


def test_build_cache_other_tools() -> None:
    check(
        BUILD_CACHE,
        "FROM rust:1.80\nWORKDIR /src\nRUN cargo ⟨build⟩ --release\n"
        "RUN cargo ⟨install⟩ ripgrep\n"
        "RUN ⟨mvn⟩ -B package && ⟨./gradlew⟩ build\n"
        "RUN composer ⟨install⟩ && dotnet ⟨publish⟩ -c Release\n",
    )


def test_build_cache_poetry_fix() -> None:
    fix_roundtrip(
        BUILD_CACHE,
        "FROM python:3.12-slim\nRUN poetry install --only main\n",
        "FROM python:3.12-slim\nRUN poetry install --no-cache --only main\n",
    )
