"""``rules.package_managers``: one table of package managers, so that the cache mounts
DKL304 adds are clean for the package rules."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings, fixed

PACKAGE_CACHE_RULES = ("DKL102", "DKL103", "DKL104", "DKL105", "DKL106", "DKL108")


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends curl\n",
        "FROM alpine:3.20\nRUN apk update && apk add curl\n",
        "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n",
        "FROM python:3.12-slim\nRUN python3 -m pip install -r requirements.txt\n",
        "FROM python:3.12-slim\nRUN uv pip install --system -r requirements.txt\n",
        "FROM python:3.12-slim\nRUN uv sync --frozen\n",
        "FROM python:3.12-slim\nRUN poetry install --only main\n",
        "FROM node:22-slim\nRUN npm ci --omit=dev\n",
        "FROM node:22-slim\nRUN yarn install --production\n",
        "FROM golang:1.23\nRUN go mod download && go build -o /app .\n",
        "FROM rust:1.80\nRUN cargo fetch\n",
        "FROM maven:3.9\nRUN mvn -B package\n",
        "FROM gradle:8\nRUN gradle build\n",
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet restore\n",
    ],
)
def test_the_cache_mounts_dkl304_adds_are_clean_for_the_package_rules(text: str) -> None:
    assert findings("DKL304", text), "DKL304 should offer a mount here"
    mounted = fixed("DKL304", text)
    for code in PACKAGE_CACHE_RULES:
        clean(code, mounted)


def test_a_cargo_build_keeps_its_target_directory_under_the_registry_mount() -> None:
    mounted = fixed("DKL304", "FROM rust:1.80\nRUN cargo build --release\n")
    (f,) = findings("DKL108", mounted)
    assert "target directory" in f.message and "registry" not in f.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12\nENV XDG_CACHE_HOME=/cache\n"
        "RUN --mount=type=cache,target=/cache/pip pip install flask\n",
        "FROM python:3.12\nARG SECRET\nENV PIP_NO_CACHE_DIR=$SECRET\nRUN pip install flask\n",
    ],
)
def test_cache_rules_read_the_same_variables(text: str) -> None:
    clean("DKL104", text)
    assert all(not f.fixes for f in findings("DKL304", text))


def test_an_empty_no_cache_variable_disables_nothing_for_either_rule() -> None:
    text = "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=\nRUN pip ⟨install⟩ flask\n"
    check("DKL104", text)
    check("DKL304", text)
