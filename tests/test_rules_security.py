"""Security and reproducibility rules (DKL401 to DKL407): spans, traps and fixes."""

from __future__ import annotations

import pytest

from dockerls.rules.security import looks_secret
from tests.rulecheck import check, clean, findings, fixed

ROOT, TAG, SECRET, SUDO, ADD, TLS, SHELL_FORM = (
    "DKL401",
    "DKL402",
    "DKL403",
    "DKL404",
    "DKL405",
    "DKL406",
    "DKL407",
)


# -- DKL401 runs-as-root -------------------------------------------------------


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


# -- DKL402 unpinned-image-tag ---------------------------------------------------


def test_tag_missing_flags_the_repository() -> None:
    (f,) = check(TAG, "FROM ⟨node⟩\n")
    assert "no tag" in f.message


def test_tag_latest_flags_the_tag() -> None:
    check(TAG, "FROM node:⟨latest⟩ AS build\nFROM docker.io/library/python:⟨latest⟩\n")


def test_tag_registry_with_port_and_path() -> None:
    check(TAG, "FROM localhost:5000/⟨team/app⟩\n")


def test_tag_copy_from_and_mount_from_images() -> None:
    check(
        TAG,
        "FROM php:8.3-fpm\n"
        "COPY --from=⟨composer⟩ /usr/bin/composer /usr/bin/composer\n"
        "COPY --from=nginx:⟨latest⟩ /etc/nginx /etc/nginx\n"
        "RUN --mount=type=bind,from=⟨alpine⟩,source=/bin/busybox,target=/bb /bb true\n",
    )


def test_tag_argument_default_without_tag() -> None:
    (f,) = check(TAG, "ARG BASE_IMAGE=outlinewiki/outline-base\nFROM ⟨${BASE_IMAGE}⟩\n")
    assert "outlinewiki/outline-base" in f.message
    assert [r.span.start.line for r in f.related] == [0]


def test_tag_argument_default_latest_flags_the_tag_variable() -> None:
    check(TAG, "ARG NODE_VERSION=latest\nFROM node:⟨${NODE_VERSION}⟩\n")


def test_tag_onbuild_copy_from_image() -> None:
    check(TAG, "FROM node:20\nONBUILD COPY --from=⟨builder-image⟩ /out /out\n")


@pytest.mark.parametrize(
    "text",
    [
        "FROM scratch\n",
        "FROM node:20\n",
        "FROM node:lts\n",
        "FROM nginx:alpine\n",
        "FROM golang:1-alpine\n",
        "FROM lukemathwalker/cargo-chef:latest-rust-1.85.1\n",
        "FROM node@sha256:" + "a" * 64 + "\n",
        "FROM node:latest@sha256:" + "b" * 64 + "\n",
        "FROM node:20 AS build\nFROM build\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\n",
        "FROM node:20 AS build\nFROM node:20\nRUN --mount=type=cache,from=build,target=/c true\n",
        # unknown at lint time
        "ARG BASE\nFROM ${BASE}\n",
        "ARG TAG\nFROM node:${TAG}\n",
        "FROM base-${TARGETARCH}\n",
        "ARG FLAVOR=${TARGETARCH}\nFROM ${FLAVOR}\n",
        "ARG V=22\nFROM node:${V}\n",
    ],
)
def test_tag_clean(text: str) -> None:
    clean(TAG, text)


# -- DKL403 secret-in-build-argument --------------------------------------------


def test_secret_arg_and_env_names() -> None:
    check(
        SECRET,
        "ARG ⟨NPM_TOKEN⟩\nFROM node:20\nARG ⟨GITHUB_TOKEN⟩=x\n"
        "ENV ⟨DB_PASSWORD⟩=hunter2 NODE_ENV=production\nENV ⟨sa_password⟩ legacy form\n"
        "ENV ⟨AWS_SECRET_ACCESS_KEY⟩=x ⟨API_KEY⟩=y\n",
    )


def test_secret_in_onbuild() -> None:
    check(SECRET, "FROM node:20\nONBUILD ARG ⟨AUTH_TOKEN⟩\n")


@pytest.mark.parametrize(
    "name",
    [
        "PUBLIC_KEY",
        "GPG_KEY",
        "TOKEN_FILE",
        "PASSWORD_FILE",
        "MONKEY",
        "AUTHOR",
        "KEYRING",
        "NODE_VERSION",
        "SECRET_VERSION",
        "TOKEN_URL",
        "API_KEY_PATH",
    ],
)
def test_secret_allowed_names(name: str) -> None:
    assert not looks_secret(name)
    clean(SECRET, f"FROM alpine:3.20\nARG {name}\n")


@pytest.mark.parametrize(
    "name", ["password", "Api_Key", "APIKEY", "PWORD", "CREDENTIALS", "MY_SECRET_THING", "KEY"]
)
def test_secret_names(name: str) -> None:
    assert looks_secret(name)


def test_secret_message_says_where_it_ends_up() -> None:
    (arg,) = findings(SECRET, "FROM alpine:3.20\nARG TOKEN\n")
    (env,) = findings(SECRET, "FROM alpine:3.20\nENV TOKEN=x\n")
    assert "docker history" in arg.message and "docker inspect" in env.message


# -- DKL404 sudo-in-run ------------------------------------------------------------


def test_sudo_flagged_and_removed() -> None:
    text = "FROM ubuntu:24.04\nRUN sudo apt-get update\n"
    check(SUDO, "FROM ubuntu:24.04\nRUN ⟨sudo⟩ apt-get update\n")
    new = fixed(SUDO, text)
    assert new == "FROM ubuntu:24.04\nRUN apt-get update\n"
    clean(SUDO, new)


def test_sudo_with_harmless_options_in_a_pipe_and_sh_c() -> None:
    text = (
        "FROM ubuntu:24.04\n"
        "RUN curl -fsSL https://deb.nodesource.com/setup_lts.x | sudo -E bash - \\\n"
        "    && sudo sh -c 'apt-get install -y nodejs && npm i -g pnpm'\n"
    )
    check(
        SUDO,
        "FROM ubuntu:24.04\n"
        "RUN curl -fsSL https://deb.nodesource.com/setup_lts.x | ⟨sudo⟩ -E bash - \\\n"
        "    && ⟨sudo⟩ sh -c 'apt-get install -y nodejs && npm i -g pnpm'\n",
    )
    new = fixed(SUDO, text)
    assert new == (
        "FROM ubuntu:24.04\n"
        "RUN curl -fsSL https://deb.nodesource.com/setup_lts.x | bash - \\\n"
        "    && sh -c 'apt-get install -y nodejs && npm i -g pnpm'\n"
    )
    clean(SUDO, new)


def test_sudo_as_root_user_is_harmless_to_remove() -> None:
    assert fixed(SUDO, "FROM debian:12\nRUN sudo -u root -- make install\n") == (
        "FROM debian:12\nRUN make install\n"
    )


def test_sudo_under_a_non_root_user_is_an_unsafe_fix() -> None:
    (f,) = check(SUDO, "FROM node:20\nUSER node\nRUN ⟨sudo⟩ npm i -g pnpm\n")
    assert "'node'" in f.message
    assert not f.fixes[0].safe and "node" in f.fixes[0].title


def test_sudo_user_from_a_parent_stage() -> None:
    (f,) = findings(SUDO, "FROM node:20 AS base\nUSER node\nFROM base\nRUN sudo true\n")
    assert not f.fixes[0].safe


def test_sudo_to_another_user_has_no_fix() -> None:
    (f,) = check(SUDO, "FROM postgres:16\nRUN ⟨sudo⟩ -u postgres initdb\n")
    assert not f.fixes


def test_sudo_in_heredoc_onbuild_and_exec_form() -> None:
    (h, o, e) = check(
        SUDO,
        "FROM ubuntu:24.04\nRUN <<EOF\nset -e\n⟨sudo⟩ apt-get update\nEOF\n"
        "ONBUILD RUN ⟨sudo⟩ make\n"
        'RUN [⟨"sudo"⟩, "make"]\n',
    )
    assert h.fixes and o.fixes and not e.fixes


def test_sudo_fix_in_a_heredoc_body() -> None:
    text = "FROM ubuntu:24.04\nRUN <<EOF\nset -e\n  sudo  apt-get update\nEOF\n"
    new = fixed(SUDO, text)
    assert new == "FROM ubuntu:24.04\nRUN <<EOF\nset -e\n  apt-get update\nEOF\n"
    clean(SUDO, new)


def test_sudo_continuation_keeps_the_line_break() -> None:
    text = "FROM ubuntu:24.04\nRUN sudo \\\n    apt-get update\n"
    new = fixed(SUDO, text)
    assert new == "FROM ubuntu:24.04\nRUN \\\n    apt-get update\n"


@pytest.mark.parametrize(
    "text",
    [
        "FROM ubuntu:24.04\nRUN apt-get install -y sudo\n",
        "FROM ubuntu:24.04\nRUN echo 'sudo is not needed'\n",
        "FROM ubuntu:24.04\nRUN echo 'dev ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers\n",
    ],
)
def test_sudo_clean(text: str) -> None:
    clean(SUDO, text)


# -- DKL405 add-for-local-files -----------------------------------------------------


def test_add_local_flagged_and_fixed() -> None:
    text = "FROM python:3.12-slim\nADD . /app\n"
    check(ADD, "FROM python:3.12-slim\n⟨ADD⟩ . /app\n")
    new = fixed(ADD, text)
    assert new == "FROM python:3.12-slim\nCOPY . /app\n"
    clean(ADD, new)


@pytest.mark.parametrize(("keyword", "copy"), [("add", "copy"), ("Add", "Copy"), ("ADD", "COPY")])
def test_add_fix_keeps_the_keyword_case(keyword: str, copy: str) -> None:
    assert fixed(ADD, f"FROM a:1\n{keyword} x /x\n") == f"FROM a:1\n{copy} x /x\n"


def test_add_fix_keeps_shared_flags() -> None:
    text = "FROM nginx:1.27\nADD --chown=nginx:nginx --chmod=644 --link conf/ /etc/nginx/\n"
    assert fixed(ADD, text) == text.replace("ADD", "COPY")


@pytest.mark.parametrize(
    "line",
    [
        "⟨ADD⟩ app.zip /opt/",  # ADD does not extract zip files
        "⟨ADD⟩ requirements/ /requirements/",
        '⟨ADD⟩ ["build/app.jar", "/app.jar"]',
        "⟨ADD⟩ <<EOF /etc/motd\nhello\nEOF",
        "⟨ADD⟩ a.txt b.txt /dst/",
        "ONBUILD ⟨ADD⟩ . /app",
    ],
)
def test_add_flagged(line: str) -> None:
    check(ADD, f"FROM alpine:3.20\n{line}\n")


@pytest.mark.parametrize(
    "line",
    [
        "ADD https://example.com/tool.tar.gz /opt/",
        "ADD --checksum=sha256:" + "c" * 64 + " https://example.com/a /a",
        "ADD git@github.com:moby/buildkit.git /src",
        "ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.13 /src",
        "ADD rootfs.tar.xz /",
        "ADD vendor.tgz /vendor/",
        "ADD dist/app.tar.bz2 /srv/",
        "ADD ${URL} /opt/",
        "ARG URL=https://example.com/x\nADD ${URL} /opt/",
        "ADD",  # half typed
    ],
)
def test_add_clean(line: str) -> None:
    clean(ADD, f"FROM alpine:3.20\n{line}\n")


def test_add_fix_in_onbuild_and_for_a_heredoc() -> None:
    text = "FROM alpine:3.20\nONBUILD ADD . /app\nADD <<EOF /etc/motd\nhi\nEOF\n"
    new = fixed(ADD, text)
    assert new == "FROM alpine:3.20\nONBUILD COPY . /app\nCOPY <<EOF /etc/motd\nhi\nEOF\n"
    clean(ADD, new)


def test_add_only_flags_mean_no_fix() -> None:
    (f,) = findings(ADD, "FROM alpine:3.20\nADD --unpack=false ./data /data\n")
    assert not f.fixes


# -- DKL406 tls-verification-disabled -----------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "RUN curl ⟨-k⟩ -o x https://example.com/x",
        "RUN curl -fsSL⟨k⟩ https://example.com/x | sh",
        "RUN curl ⟨--insecure⟩ https://example.com/x",
        "RUN wget -q ⟨--no-check-certificate⟩ https://example.com/x",
        "RUN pip install ⟨--trusted-host pypi.org⟩ flask",
        "RUN python3 -m pip install ⟨--trusted-host=pypi.org⟩ flask",
        "RUN pip3 config set ⟨global.trusted-host pypi.org⟩",
        "RUN npm config set ⟨strict-ssl false⟩ && npm ci",
        "RUN yarn config set ⟨strict-ssl false⟩",
        "RUN git -c ⟨http.sslVerify=false⟩ clone https://example.com/r.git",
        "RUN git config --global ⟨http.sslVerify false⟩",
        "RUN apk add ⟨--allow-untrusted⟩ /tmp/pkg.apk",
        "RUN apt-get install -y ⟨--allow-unauthenticated⟩ foo",
        "RUN apt-get -o ⟨Acquire::https::Verify-Peer=false⟩ update",
        'RUN echo ⟨"deb [trusted=yes] http://repo.example.com/ ./"⟩ > /etc/apt/sources.list',
        "RUN dnf install -y ⟨--nogpgcheck⟩ foo",
        "RUN ⟨NODE_TLS_REJECT_UNAUTHORIZED=0⟩ npm ci",
        "RUN export ⟨GIT_SSL_NO_VERIFY=1⟩ && git clone https://example.com/r.git",
        "ENV ⟨NODE_TLS_REJECT_UNAUTHORIZED=0⟩",
        "ENV ⟨PYTHONHTTPSVERIFY=0⟩ ⟨PIP_TRUSTED_HOST=pypi.org⟩",
        "ARG ⟨NPM_CONFIG_STRICT_SSL=false⟩",
        "ONBUILD RUN curl ⟨-k⟩ https://example.com/x",
    ],
)
def test_tls_flagged(line: str) -> None:
    check(TLS, f"FROM node:20\n{line}\n")


def test_tls_in_a_heredoc_body() -> None:
    check(TLS, "FROM node:20\nRUN <<EOF\nset -e\nwget ⟨--no-check-certificate⟩ https://x/y\nEOF\n")


@pytest.mark.parametrize(
    "line",
    [
        "RUN curl -fsSL https://example.com/x",
        "RUN curl -o k https://example.com/x",
        "RUN curl -H 'k: v' https://example.com/x",
        "RUN npm config set strict-ssl true",
        "RUN git config --global http.sslVerify true",
        "ENV NODE_TLS_REJECT_UNAUTHORIZED=1",
        "ENV GIT_SSL_NO_VERIFY=",
        "RUN echo strict-ssl false",
        "RUN pip install --no-cache-dir flask",
    ],
)
def test_tls_clean(line: str) -> None:
    clean(TLS, f"FROM node:20\n{line}\n")


def test_tls_skips_powershell_runs() -> None:
    clean(
        TLS,
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\n'
        "RUN curl -k https://example.com/x\n",
    )


# -- DKL407 shell-form-command --------------------------------------------------------


def test_shell_form_cmd_flagged_and_converted() -> None:
    text = "FROM node:20-slim\nCMD node server.js\n"
    check(SHELL_FORM, "FROM node:20-slim\nCMD ⟨node server.js⟩\n")
    new = fixed(SHELL_FORM, text)
    assert new == 'FROM node:20-slim\nCMD ["node", "server.js"]\n'
    clean(SHELL_FORM, new)


def test_shell_form_entrypoint_fix_is_safe_only_without_cmd() -> None:
    (f,) = findings(SHELL_FORM, "FROM eclipse-temurin:21-jre\nENTRYPOINT java -jar /app.jar\n")
    assert f.fixes[0].safe
    (g,) = findings(
        SHELL_FORM, 'FROM eclipse-temurin:21-jre\nENTRYPOINT java -jar /app.jar\nCMD ["--x"]\n'
    )
    assert not g.fixes[0].safe and "CMD" in g.fixes[0].title


@pytest.mark.parametrize(
    ("cmd", "json_form"),
    [
        ("exec gunicorn app:app", '["gunicorn", "app:app"]'),
        ('echo "hello world"', '["echo", "hello world"]'),
        ("echo 'say \"hi\"'", '["echo", "say \\"hi\\""]'),
        ("/app/bin/server --port=8080", '["/app/bin/server", "--port=8080"]'),
        ("node \\\n    server.js", '["node", "server.js"]'),
    ],
)
def test_shell_form_fix_variants(cmd: str, json_form: str) -> None:
    assert fixed(SHELL_FORM, f"FROM node:20\nCMD {cmd}\n") == f"FROM node:20\nCMD {json_form}\n"


@pytest.mark.parametrize(
    "cmd",
    [
        "node server.js > /var/log/app.log",
        "$HOME/bin/app",
        "npm run migrate && npm start",
        "cd /app && ./run",
        "java -jar *.jar",
        'locust --host="http://${FRONTEND_ADDR}"',
        "FOO=1 node server.js",
        "env FOO=1 node server.js",
        "node server.js &",
        "! node server.js",
        "{ node server.js; }",
        "node server.js # started by tini",
        "time node server.js",
    ],
)
def test_shell_form_needing_a_shell_gets_no_fix(cmd: str) -> None:
    (f,) = findings(SHELL_FORM, f"FROM node:20\nCMD {cmd}\n")
    assert not f.fixes


def test_shell_form_on_an_image_without_a_shell() -> None:
    (f,) = check(SHELL_FORM, "FROM gcr.io/distroless/static-debian12\nENTRYPOINT ⟨/app⟩\n")
    assert "cannot start" in f.message


def test_shell_form_onbuild() -> None:
    check(SHELL_FORM, "FROM node:20\nONBUILD CMD ⟨npm start⟩\n")


@pytest.mark.parametrize(
    "text",
    [
        'FROM node:20\nCMD ["node", "server.js"]\n',
        'FROM node:20\nSHELL ["/bin/bash", "-c"]\nCMD node server.js\n',
        'FROM node:20 AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\nCMD node server.js\n',
        "FROM node:20\nCMD ['node', 'server.js']\n",  # broken JSON: DKL004's finding
        "FROM node:20\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
        "FROM node:20\nCMD\n",
    ],
)
def test_shell_form_clean(text: str) -> None:
    clean(SHELL_FORM, text)


def test_shell_form_respects_a_comment_inside_the_continuation() -> None:
    (f,) = findings(SHELL_FORM, "FROM node:20\nCMD node \\\n# why\n    server.js\n")
    assert not f.fixes
