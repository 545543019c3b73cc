"""DKL401 runs-as-root: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings, fixed

ROOT = "DKL401"


def test_root_no_user_flags_the_final_image() -> None:
    (f,) = check(ROOT, 'FROM ⟨python:3.12-slim⟩\nCOPY . /app\nCMD ["python", "/app/main.py"]\n')
    assert "never sets USER" in f.message and "'root'" in f.message


def test_root_unknown_image_is_taken_to_run_as_root() -> None:
    (f,) = check(ROOT, 'FROM ⟨example.com/team/base:1.0⟩\nCMD ["app"]\n')
    assert "not known" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12-slim\nUSER app\n",
        "FROM node:20\nUSER 1000:1000\n",
        "FROM node:20\nUSER 01000:0\n",  # UID 1000 with group 0 is not root
        "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n",
        "FROM nginxinc/nginx-unprivileged:1.27\nCOPY site /usr/share/nginx/html\n",
        "FROM grafana/k6:0.50.0\nCOPY test.js /\n",
        "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe /\n",
        "FROM jupyter/scipy-notebook:2024-01-15\nRUN pip install --no-cache-dir x\n",
        "FROM cgr.dev/chainguard/python:latest\nCOPY app /app\n",
        # a USER in the stage the final stage is built FROM carries over
        'FROM python:3.12-slim AS base\nUSER app\nFROM base\nCMD ["python"]\n',
        # a build argument whose default is not root
        "FROM python:3.12-slim\nARG APP_USER=app\nUSER ${APP_USER}\n",
        # a value that cannot be known: stay quiet
        "FROM python:3.12-slim\nARG APP_USER\nUSER ${APP_USER}\n",
        # only the final stage matters
        "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/base:nonroot\n"
        "COPY --from=build /app /app\n",
    ],
)
def test_root_clean(text: str) -> None:
    clean(ROOT, text)


def test_root_last_user_root_flags_its_value() -> None:
    check(ROOT, 'FROM node:20-slim\nUSER node\nRUN npm ci\nUSER ⟨root⟩\nCMD ["node"]\n')


@pytest.mark.parametrize(
    "value", ["0", "root:root", "0:0", "0000", "0000:0", "root:0", "ContainerAdministrator"]
)
def test_root_other_spellings_of_root(value: str) -> None:
    check(ROOT, f"FROM debian:12-slim\nUSER ⟨{value}⟩\n")


def test_root_build_argument_that_defaults_to_root() -> None:
    check(ROOT, "FROM debian:12-slim\nARG RUNTIME_USER=root\nUSER ⟨${RUNTIME_USER}⟩\n")


def test_root_user_root_in_a_parent_stage_points_at_the_final_from() -> None:
    (f,) = check(ROOT, 'FROM debian:12-slim AS base\nUSER ⟨root⟩\nFROM base\nCMD ["sh"]\n')
    assert [r.span.start.line for r in f.related] == [2]


@pytest.mark.parametrize(
    "image",
    ["scratch", "mcr.microsoft.com/windows/servercore:ltsc2022", "gcr.io/distroless/static"],
)
def test_root_images_that_run_as_root(image: str) -> None:
    check(ROOT, f"FROM ⟨{image}⟩\nCOPY app /app\n")


def test_root_onbuild_user_does_not_apply_to_this_image() -> None:
    check(ROOT, "FROM ⟨python:3.12-slim⟩\nONBUILD USER app\n")


def test_root_respects_the_configured_target() -> None:
    from dockerls.analysis import analyze
    from dockerls.config import Settings

    text = 'FROM python:3.12-slim AS dev\nCMD ["bash"]\nFROM python:3.12-slim\nUSER app\n'
    clean(ROOT, text)
    result = analyze(text, Settings(select=(ROOT,), target="dev"))
    assert [f.span.start.line for f in result.findings] == [0]


def test_root_fix_uses_the_node_user_before_cmd() -> None:
    text = 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n'
    (f,) = findings(ROOT, text)
    assert not f.fixes[0].safe
    new = fixed(ROOT, text)
    assert (
        new == 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "server.js"]\n'
    )
    clean(ROOT, new)


@pytest.mark.parametrize(
    "text",
    [
        "FROM alpine\nRUN <<EOF\necho hi",  # an unterminated heredoc
        "FROM python:3.12\nRUN echo hi \\\n",  # a continuation at the end of the file
        "FROM python:3.12\nRUN echo hi \\\n  # a comment\n\n",
    ],
)
def test_root_no_fix_when_the_file_ends_inside_the_last_instruction(text: str) -> None:
    (f,) = findings(ROOT, text)
    assert not f.fixes


def test_root_fix_before_a_cmd_that_is_open_at_the_end() -> None:
    text = "FROM python:3.12\nCMD python app.py \\\n"
    new = fixed(ROOT, text)
    assert new.startswith("FROM python:3.12\nRUN groupadd") and new.endswith(
        "USER app\nCMD python app.py \\\n"
    )


def test_root_fix_after_a_terminated_heredoc_at_the_end() -> None:
    text = "FROM alpine:3.20\nRUN <<EOF\necho hi\nEOF"
    assert fixed(ROOT, text).endswith("EOF\nRUN addgroup -S app && adduser -S -G app app\nUSER app")


def test_root_fix_creates_a_system_user_on_debian() -> None:
    text = 'FROM python:3.12-slim\nCOPY . /app\nENTRYPOINT ["python", "/app/main.py"]\n'
    new = fixed(ROOT, text)
    assert new == (
        "FROM python:3.12-slim\nCOPY . /app\n"
        "RUN groupadd --system app && useradd --system --gid app --no-create-home app\n"
        'USER app\nENTRYPOINT ["python", "/app/main.py"]\n'
    )
    clean(ROOT, new)


def test_root_fix_uses_busybox_tools_on_alpine() -> None:
    text = 'FROM python:3.12-alpine\nCMD ["python"]\n'
    assert fixed(ROOT, text) == (
        "FROM python:3.12-alpine\nRUN addgroup -S app && adduser -S -G app app\nUSER app\n"
        'CMD ["python"]\n'
    )


def test_root_fix_on_an_unknown_image_follows_the_package_manager_used() -> None:
    text = "FROM registry.example.com/base:1\nRUN apk add --no-cache curl\n"
    assert "addgroup -S app" in fixed(ROOT, text)


def test_root_fix_without_a_shell_uses_a_numeric_user() -> None:
    text = 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n'
    new = fixed(ROOT, text)
    assert new == 'FROM scratch\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n'
    clean(ROOT, new)


def test_root_fix_on_windows_switches_to_container_user() -> None:
    text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["app.exe"]\n'
    assert "USER ContainerUser\nCMD" in fixed(ROOT, text)


def test_root_fix_switches_to_a_user_the_dockerfile_creates() -> None:
    text = (
        "FROM node:20-alpine\n"
        "RUN addgroup -S nodejs && adduser -S -G nodejs nextjs\n"
        "COPY --chown=nextjs:nodejs . .\n"
        'CMD ["node", "server.js"]\n'
    )
    new = fixed(ROOT, text)
    assert "COPY --chown=nextjs:nodejs . .\nUSER nextjs\nCMD" in new
    clean(ROOT, new)


def test_root_fix_replaces_nothing_and_overrides_a_last_user_root() -> None:
    text = 'FROM node:20-slim\nUSER root\nRUN apt-get update\nCMD ["node"]\n'
    new = fixed(ROOT, text)
    assert new == 'FROM node:20-slim\nUSER root\nRUN apt-get update\nUSER node\nCMD ["node"]\n'
    clean(ROOT, new)


def test_root_fix_goes_above_the_comment_of_the_cmd_and_keeps_indentation_and_crlf() -> None:
    text = 'FROM node:20-slim\r\n  COPY . .\r\n  # start\r\n  CMD ["node"]\r\n'
    new = fixed(ROOT, text)
    assert (
        new == 'FROM node:20-slim\r\n  COPY . .\r\n  USER node\r\n  # start\r\n  CMD ["node"]\r\n'
    )


def test_root_fix_appends_when_there_is_no_cmd_or_a_run_follows_it() -> None:
    text = 'FROM node:20-slim\nCMD ["node"]\nRUN npm ci'
    new = fixed(ROOT, text)
    assert new == 'FROM node:20-slim\nCMD ["node"]\nRUN npm ci\nUSER node'
    clean(ROOT, new)


def test_root_fix_after_a_heredoc_goes_after_its_terminator() -> None:
    text = "FROM node:20-slim\nRUN <<EOF\nnpm ci\nEOF\n"
    assert fixed(ROOT, text) == "FROM node:20-slim\nRUN <<EOF\nnpm ci\nEOF\nUSER node\n"
