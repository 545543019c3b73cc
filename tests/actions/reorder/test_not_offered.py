"""When the reorder is not offered, and the reason given instead."""

from __future__ import annotations

import pytest

from dockerls.actions.reorder import Reorders, reorder_for_cache, why_not
from dockerls.analysis import analyze
from dockerls.context import PackageManager
from dockerls.edits import apply_edits
from tests.actions.reorder.guarantees import (
    assert_guarantees,
    context,
    plan,
    refused,
    rewrite,
    rule_context,
)


def test_onbuild_is_explained() -> None:
    refusal = refused(
        "FROM python:3.12\nONBUILD COPY . /app\nONBUILD WORKDIR /app\n"
        "ONBUILD RUN pip install -r requirements.txt\n"
    )
    assert "ONBUILD" in refusal.reason and refusal.ecosystem is PackageManager.PIP


@pytest.mark.parametrize(
    ("run", "why"),
    [
        ("RUN npm ci; npm run build", "&&"),
        ("RUN npm ci || true", "&&"),
        ("RUN npm ci | tee /tmp/log && npm run build", "&&"),
        ("RUN cd web && npm ci", "`cd web`"),
        ("RUN (npm ci) && npm run build", "split"),
        ("RUN if [ -f package-lock.json ]; then npm ci; fi", "`if`"),
        ("RUN npm ci && for f in patches/*; do patch -p1 < $f; done", "split"),
        ("RUN npm ci && npm run build && rm -rf /root/.npm", "cleans up"),
        ('RUN ["sh", "-c", "npm ci && npm run build"]', "split"),
    ],
)
def test_runs_that_cannot_be_split_safely_are_explained(run: str, why: str) -> None:
    refusal = refused(f"FROM node:22\nWORKDIR /app\nCOPY . .\n{run}\n")
    assert why in refusal.reason, refusal.reason


def test_a_download_layer_is_not_added_when_the_build_removes_the_downloads() -> None:
    text = (
        "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app . && go clean -modcache\n"
    )
    refusal = refused(text)
    assert "go clean -modcache" in refusal.reason
    # In a stage that does not ship, the extra layer costs nothing.
    rewrite(
        "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\n"
        "RUN go build -o /app . && go clean -modcache\n"
        "FROM alpine:3.20\nCOPY --from=build /app /app\n",
        expected="FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.* ./\nRUN go mod download\n"
        "COPY . .\nRUN go build -o /app . && go clean -modcache\n"
        "FROM alpine:3.20\nCOPY --from=build /app /app\n",
        instructions=8,
    )
    # Another manager's cleanup is no reason.
    rewrite(
        "FROM golang:1.23-alpine\nWORKDIR /src\nCOPY . .\n"
        "RUN apk add git && go build -o /app . && rm -rf /var/cache/apk/*\n",
        expected="FROM golang:1.23-alpine\nWORKDIR /src\nCOPY go.* ./\nRUN go mod download\n"
        "COPY . .\nRUN apk add git && go build -o /app . && rm -rf /var/cache/apk/*\n",
        instructions=6,
    )


def test_a_tool_installed_in_the_same_run_moves_with_the_install() -> None:
    build = context("pyproject.toml poetry.lock")
    rewrite(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\n"
        "RUN pip install poetry==1.8.3 && poetry install --no-root\n",
        build,
        expected="FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\n"
        "RUN pip install poetry==1.8.3 && poetry install --no-root\nCOPY . .\n",
        instructions=5,
    )
    # A dependency-only install inserted above would run before poetry exists.
    refusal = refused(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\n"
        "RUN pip install poetry==1.8.3 && poetry install\n",
        build,
    )
    assert "provides poetry" in refusal.reason


def test_a_maven_command_that_also_builds_gets_a_separate_download() -> None:
    rewrite(
        "FROM maven:3.9\nWORKDIR /app\nCOPY . .\nRUN mvn dependency:resolve package\n",
        expected="FROM maven:3.9\nWORKDIR /app\nCOPY pom.xml ./\n"
        "RUN mvn -B dependency:go-offline\nCOPY . .\nRUN mvn dependency:resolve package\n",
        instructions=6,
    )


def test_a_source_directory_above_the_new_download_step_is_explained() -> None:
    # The build keeps its crates in a cache mount, so DKL301 flags only `COPY . .` (the
    # build needs src/); `cargo fetch` inserted above it would still follow `COPY src`.
    refusal = refused(
        "FROM rust:1.80\nWORKDIR /app\nCOPY src ./src\nCOPY . .\n"
        "RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release\n"
    )
    assert "`COPY src ./src` would still come before" in refusal.reason


def test_a_source_directory_before_the_whole_context_moves_below_the_download_step() -> None:
    # DKL301 flags both copies before the build that downloads the modules: the download
    # step goes above the first of them.
    rewrite(
        "FROM golang:1.23\nWORKDIR /src\nCOPY src ./src\nCOPY . .\nRUN go build -o /app .\n",
        expected="FROM golang:1.23\nWORKDIR /src\nCOPY go.* ./\nRUN go mod download\n"
        "COPY src ./src\nCOPY . .\nRUN go build -o /app .\n",
        instructions=7,
    )


def test_a_glued_directory_option_is_explained() -> None:
    refusal = refused(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN pnpm -Cweb install --frozen-lockfile\n"
    )
    assert "-Cweb" in refusal.reason


def test_a_run_between_the_copy_and_the_install_is_explained() -> None:
    refusal = refused(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN node scripts/prepare.js\nRUN npm ci\n"
    )
    assert "line 4" in refusal.reason and "scripts/prepare.js" in refusal.reason


def test_a_setup_run_between_moves_the_copy_down() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm install -g @angular/cli@17\nRUN npm ci\n",
        expected="FROM node:22\nWORKDIR /app\nRUN npm install -g @angular/cli@17\n"
        "COPY package*.json ./\nRUN npm ci\nCOPY . .\n",
        instructions=6,
    )


def test_copy_and_install_in_different_stages_are_explained() -> None:
    text = "FROM node:22 AS base\nWORKDIR /app\nCOPY . .\nFROM base AS deps\nRUN npm ci\n"
    refusal = refused(text)
    assert "stage `base`" in refusal.reason and "stage `deps`" in refusal.reason
    ctx = rule_context(text)
    assert why_not(ctx, ctx.document.stages[0]) == []
    assert len(why_not(ctx, ctx.document.stages[1])) == 1


def test_a_source_directory_copy_is_explained() -> None:
    refusal = refused(
        "FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nCOPY src ./src\nRUN npm ci\n"
    )
    assert "source directory" in refusal.reason


@pytest.mark.parametrize(
    ("text", "what"),
    [
        (
            "FROM rust:1.80\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY crates crates\n"
            "RUN cargo build --release\n",
            "`COPY crates crates` copies a source directory",
        ),
        (
            "FROM gradle:8\nWORKDIR /app\nCOPY *.java build.gradle ./\nRUN gradle build\n",
            "`COPY *.java build.gradle ./` copies source files",
        ),
    ],
)
def test_part_of_the_sources_before_a_build_is_explained(text: str, what: str) -> None:
    assert what in refused(text).reason


def test_an_install_in_another_directory_is_explained() -> None:
    refusal = refused("FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn --cwd web install\n")
    assert "--cwd" in refusal.reason


def test_after_applying_the_action_is_not_offered_again() -> None:
    text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
    (action,) = plan(text).actions
    new = apply_edits(text, action.edits)
    assert plan(new) == Reorders()
    assert not [f for f in analyze(new).findings if f.code == "DKL301"]


def test_each_stage_is_planned_separately() -> None:
    text = (
        "FROM node:22 AS web\nWORKDIR /web\nCOPY . .\nRUN npm ci\n"
        "FROM golang:1.23 AS api\nWORKDIR /api\nCOPY . .\nRUN go build -o /api/server .\n"
    )
    ctx = rule_context(text)
    web, api = ctx.document.stages
    assert [a.ecosystem for a in reorder_for_cache(ctx, web)] == [PackageManager.NPM]
    assert [a.ecosystem for a in reorder_for_cache(ctx, api)] == [PackageManager.GO]
    for action in plan(text).actions:
        assert_guarantees(text, action)


def test_the_action_points_at_the_finding() -> None:
    text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
    (action,) = plan(text).actions
    (finding,) = [f for f in analyze(text).findings if f.code == "DKL301"]
    assert action.span == finding.span
    assert action.install == finding.related[0].span
