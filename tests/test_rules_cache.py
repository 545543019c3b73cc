"""Cache-order and build-context rules: DKL301-DKL304, DKL351-DKL352."""

from __future__ import annotations

import pytest

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.context import BuildContext, PackageManager
from dockerls.graph import build_graph
from dockerls.rules.cache import (
    SourceKind,
    dockerignore_entries,
    find_source_before_install,
    volatile_kind,
)
from dockerls.rules.engine import RuleContext
from dockerls.rules.registry import lookup
from dockerls.syntax import parse
from tests.markers import extract
from tests.rulecheck import check, clean, findings, fixed
from tests.test_context import ctx as context


def rule_context(text: str, build: BuildContext | None = None) -> RuleContext:
    doc = parse(text)
    return RuleContext(doc, build_graph(doc), build or BuildContext(known=False))


# --- DKL301 source-copied-before-dependency-install -----------------------------------------


def test_whole_context_before_npm_ci() -> None:
    (f,) = check(
        "DKL301",
        "FROM node:22-slim\nWORKDIR /app\nCOPY ⟨.⟩ .\nRUN npm ci\nRUN npm run build\n",
    )
    assert "npm" in f.message and "package.json and package-lock.json" in f.message
    assert "line 4" in f.message
    (related,) = f.related
    _, spans = extract("FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ⟨ci⟩\n")
    assert related.span == spans[0] and "re-runs on every source change" in related.message


def test_manifests_installed_first_is_clean() -> None:
    clean(
        "DKL301",
        "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
        "RUN npm ci\nCOPY . .\nRUN npm run build\n",
    )


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("RUN yarn install --frozen-lockfile", ("Yarn", "yarn.lock")),
        ("RUN yarn --frozen-lockfile", ("Yarn", "yarn.lock")),
        ("RUN yarn --cwd web", ("Yarn", "yarn.lock")),
        ("RUN pnpm install --frozen-lockfile", ("pnpm", "pnpm-lock.yaml")),
        ("RUN bun install", ("Bun", "bun.lock")),
        (
            "RUN pip install --no-cache-dir -r requirements/prod.txt",
            ("pip", "requirements/prod.txt"),
        ),
        ("RUN python3 -m pip install -e .", ("pip", "requirements.txt")),
        ("RUN poetry install --no-root", ("Poetry", "poetry.lock")),
        ("RUN uv sync --frozen", ("uv", "uv.lock")),
        ("RUN uv pip install --system -r requirements.txt", ("uv", "requirements.txt")),
        ("RUN pipenv install --deploy", ("Pipenv", "Pipfile.lock")),
        ("RUN go mod download", ("go mod download", "go.sum")),
        ("RUN CGO_ENABLED=0 go build -o /out/app .", ("downloads the Go modules", "go.sum")),
        ("RUN go test ./...", ("go test", "go mod download")),
        ("RUN go get -d -v ./...", ("Go", "go.mod")),
        ("RUN cargo build --release", ("fetches the crates", "cargo fetch")),
        ("RUN cargo fetch", ("Cargo", "Cargo.lock")),
        ("RUN bundle install --jobs 4", ("Bundler", "Gemfile.lock")),
        ("RUN bundle", ("Bundler", "Gemfile")),
        ("RUN composer install --no-dev", ("Composer", "composer.lock")),
        ("RUN mvn -B clean package -DskipTests", ("mvn -B clean package", "go-offline")),
        ("RUN ./mvnw dependency:go-offline", ("Maven", "pom.xml")),
        ("RUN gradle build --no-daemon", ("Gradle", "gradle dependencies")),
        ("RUN ./gradlew bootJar", ("./gradlew bootJar", "build.gradle")),
        ("RUN dotnet restore App.csproj", ("NuGet", "App.csproj")),
        ("RUN dotnet publish -c Release -o /out", ("restores the NuGet", "dotnet restore")),
    ],
)
def test_every_ecosystem_is_detected(run: str, expected: tuple[str, ...]) -> None:
    (f,) = check("DKL301", f"FROM base\nWORKDIR /app\nCOPY ⟨.⟩ .\n{run}\n")
    for part in expected:
        assert part in f.message, f.message


@pytest.mark.parametrize(
    "run",
    [
        "RUN npm install -g pnpm@9",
        "RUN npm run build",
        "RUN yarn build",
        "RUN yarn global add @vue/cli",
        "RUN yarn --version",
        "RUN pip install --upgrade pip",
        "RUN pip install gunicorn",
        "RUN go install golang.org/x/tools/cmd/goimports@latest",
        "RUN go build -mod=vendor -o /app .",
        "RUN cargo install cargo-chef",
        "RUN cargo chef prepare --recipe-path recipe.json",
        "RUN bundle exec rake assets:precompile",
        "RUN mvn -o package",
        "RUN mvn --version",
        "RUN gradle build --offline",
        "RUN dotnet publish --no-restore -c Release",
        "RUN dotnet tool install -g dotnet-ef",
        "RUN composer dump-autoload",
    ],
)
def test_tool_installs_and_builds_without_resolving_are_not_steps(run: str) -> None:
    clean("DKL301", f"FROM base\nWORKDIR /app\nCOPY . .\n{run}\n")


@pytest.mark.parametrize(
    "text",
    [
        # Implicit restores after the explicit one: the good order.
        "FROM golang:1.23\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n"
        "RUN go build -o /app .\n",
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY *.csproj ./\nRUN dotnet restore\n"
        "COPY . .\nRUN dotnet publish -c Release -o /out\n",
        "FROM maven:3.9-eclipse-temurin-21\nCOPY pom.xml .\nRUN mvn dependency:go-offline\n"
        "COPY src ./src\nRUN mvn package\n",
        "FROM rust:1.80\nCOPY --from=planner /app/recipe.json .\nRUN cargo chef cook --release\n"
        "COPY . .\nRUN cargo build --release\n",
        # Manifests bind-mounted instead of copied.
        "FROM node:22\nRUN --mount=type=bind,source=package.json,target=package.json "
        "--mount=type=bind,source=package-lock.json,target=package-lock.json npm ci\n"
        "COPY . .\nRUN npm run build\n",
        # Dependencies copied from another stage.
        "FROM node:22 AS build\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\n"
        "RUN npm run build\n",
        # A source directory is input to a local install, not a cache buster.
        "FROM python:3.12\nCOPY pyproject.toml .\nCOPY src ./src\nRUN pip install .\n",
        # Directories an install needs, and extensionless files.
        "FROM node:22\nCOPY package.json package-lock.json ./\nCOPY patches ./patches\n"
        "COPY prisma ./prisma\nRUN npm ci\n",
        "FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\n",
        "FROM eclipse-temurin:21\nCOPY gradlew build.gradle ./\nCOPY gradle gradle\n"
        "RUN ./gradlew dependencies\n",
        "FROM node:22\nCOPY LICENSE ./\nCOPY config ./config\nRUN npm ci\n",
    ],
)
def test_good_orders_and_install_inputs_are_clean(text: str) -> None:
    clean("DKL301", text)


def test_source_directory_before_manifest_only_install() -> None:
    (f,) = check(
        "DKL301",
        "FROM node:22\nCOPY package.json package-lock.json ./\nCOPY ⟨src⟩ ./src\nRUN npm ci\n",
    )
    assert "the src source directory" in f.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY pom.xml .\n"
            "COPY ⟨src⟩ ./src\nRUN mvn -B package\n",
            ("the src source directory", "`mvn -B package`", "mvn dependency:go-offline"),
        ),
        (
            "FROM rust:1.80\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY ⟨crates⟩ crates\n"
            "RUN cargo build --release\n",
            ("the crates directory", "fetches the crates", "`cargo fetch`"),
        ),
        (
            "FROM gradle:8-jdk21\nWORKDIR /home/gradle/app\nCOPY settings.gradle build.gradle ./\n"
            "COPY gradle gradle\nCOPY ⟨app⟩ /home/gradle/app/app\nRUN gradle build --no-daemon\n",
            ("the app source directory", "gradle dependencies"),
        ),
        (
            "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY ⟨cmd⟩ ./cmd\n"
            "COPY ⟨internal⟩ ./internal\nRUN go build -o /out/app ./cmd/app\n",
            ("the cmd source directory", "go mod download"),
        ),
        (
            "FROM gradle:8\nWORKDIR /app\nCOPY ⟨*.java⟩ ⟨*.js⟩ build.gradle ./\nRUN gradle build\n",
            ("the *.java source files", "`gradle build`"),
        ),
        (
            "FROM python:3.12\nWORKDIR /srv\nCOPY ⟨*.py⟩ requirements.txt ./\n"
            "RUN pip install -r requirements.txt\n",
            ("the *.py source files", "requirements.txt"),
        ),
        (
            "FROM python:3.12\nWORKDIR /opt/app\nCOPY pyproject.toml poetry.lock ./\n"
            "COPY ⟨exporter⟩ exporter\nRUN poetry install\n",
            ("the exporter directory", "run `poetry install --no-root`"),
        ),
        (
            "FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nCOPY ⟨mypkg⟩ mypkg\n"
            "RUN uv sync --frozen\n",
            ("`uv sync`", "run `uv sync --no-install-project`"),
        ),
        # Exec-form installs.
        (
            'FROM gradle:8\nWORKDIR /app\nCOPY ⟨.⟩ .\nRUN ["gradle", "copyDependencies"]\n',
            ("the Gradle dependency install `gradle copyDependencies`",),
        ),
        (
            'FROM rust:1.80\nWORKDIR /app\nCOPY ⟨.⟩ .\nRUN ["cargo", "update"]\n',
            ("the Cargo dependency install `cargo update`",),
        ),
        (
            "FROM rust:1.80\nWORKDIR /app\nCOPY Cargo.toml ./\nCOPY ⟨src⟩ src\n"
            'RUN ["cargo", "build"]\n',
            ("`cargo build`",),
        ),
        # A builder stage pays the cost too: only its output ships.
        (
            "FROM maven:3.9 AS build\nWORKDIR /app\nCOPY pom.xml .\nCOPY ⟨src⟩ src\n"
            "RUN mvn package -DskipTests\nFROM eclipse-temurin:21-jre\n"
            "COPY --from=build /app/target/app.jar /app.jar\n",
            ("`mvn package`",),
        ),
    ],
)
def test_part_of_the_sources_before_a_build_that_resolves(
    text: str, expected: tuple[str, ...]
) -> None:
    found = check("DKL301", text)
    for part in expected:
        assert part in found[0].message, found[0].message


@pytest.mark.parametrize(
    "text",
    [
        # The build is the dependency step: its downloads are in a cache mount...
        "FROM rust:1.80\nCOPY Cargo.toml .\nCOPY src ./src\n"
        "RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release\n",
        "FROM maven:3.9\nCOPY pom.xml .\nCOPY src src\n"
        "RUN --mount=type=cache,target=/root/.m2 mvn package\n",
        # ... or the dummy-project pattern: what resolving needs, then the whole project.
        "FROM rust:1.80\nWORKDIR /app\nRUN cargo new --bin /app\nCOPY Cargo.toml Cargo.lock ./\n"
        "COPY ./macros ./macros\nRUN cargo build --release\nCOPY . .\nRUN cargo build --release\n",
        # Directories a build resolves with, and directories copied elsewhere.
        "FROM gradle:8\nWORKDIR /app\nCOPY build.gradle settings.gradle ./\nCOPY gradle gradle\n"
        "COPY buildSrc buildSrc\nRUN gradle dependencies\nCOPY . .\nRUN gradle build\n",
        "FROM maven:3.9\nWORKDIR /app\nCOPY .mvn .mvn\nCOPY pom.xml mvnw ./\n"
        "RUN ./mvnw dependency:go-offline\n",
        "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY vendor vendor\n"
        "RUN go build ./...\n",
        "FROM golang:1.23\nWORKDIR /src\nCOPY certs /usr/local/share/ca-certificates\n"
        "COPY go.mod go.sum ./\nRUN go mod download\n",
        "FROM python:3.12\nADD requirements/ /requirements/\n"
        "RUN pip install --no-cache-dir -r /requirements/production.txt\n",
        # Only the project's own install needs the package: installed without it first.
        "FROM python:3.12\nCOPY pyproject.toml poetry.lock ./\nCOPY mypkg mypkg\n"
        "RUN poetry install --no-root\n",
        "FROM python:3.12\nCOPY pyproject.toml uv.lock ./\nCOPY mypkg mypkg\n"
        "RUN uv sync --frozen --no-install-project\n",
        "FROM python:3.12\nCOPY requirements.txt .\nCOPY mypkg mypkg\n"
        "RUN uv pip install -r requirements.txt\n",
        # Node installs may run JavaScript install scripts; other directories are inputs.
        "FROM node:22\nCOPY package.json package-lock.json *.js ./\nRUN npm ci\n",
        "FROM node:22\nCOPY package.json package-lock.json ./\nCOPY packages packages\n"
        "RUN npm ci\n",
        # Manifests by glob are not source files.
        "FROM gradle:8\nCOPY *.gradle *.kts gradle.properties ./\nRUN gradle dependencies\n",
    ],
)
def test_part_of_the_sources_traps_are_clean(text: str) -> None:
    clean("DKL301", text)


def test_project_directory_onto_the_working_directory() -> None:
    check("DKL301", "FROM node:16\nWORKDIR /app\nCOPY ⟨./frontend⟩ .\nRUN yarn install\n")
    check(
        "DKL301",
        "FROM python:3.12\nWORKDIR /srv\nCOPY ⟨service⟩ /srv\n"
        "RUN pip install -r requirements.txt\n",
    )


@pytest.mark.parametrize(
    "copy",
    [
        "COPY ⟨.⟩ /app",
        "ADD ⟨.⟩ /app",
        "COPY ⟨./⟩ ./",
        "COPY --chown=node:node ⟨.⟩ .",
        'COPY [⟨"."⟩, "/app"]',
    ],
)
def test_spellings_of_the_whole_context(copy: str) -> None:
    check("DKL301", f"FROM node:22\nWORKDIR /app\n{copy}\nRUN npm ci\n")


@pytest.mark.parametrize(
    "run",
    [
        "RUN <<EOF\nset -e\nnpm ci\nEOF",
        'RUN ["npm", "ci"]',
        "RUN apt-get update && \\\n    npm ci",
        "RUN --mount=type=cache,target=/root/.npm npm ci",
    ],
)
def test_heredoc_exec_form_continuation_and_cache_mount(run: str) -> None:
    check("DKL301", f"FROM node:22\nCOPY ⟨.⟩ .\n{run}\n")


def test_onbuild_triggers_count_among_themselves() -> None:
    check(
        "DKL301",
        "FROM python:3.12\nONBUILD COPY ⟨.⟩ /app\nONBUILD WORKDIR /app\n"
        "ONBUILD RUN pip install -r requirements.txt\n",
    )
    # The trigger runs in a later build; this RUN runs now, before it.
    clean("DKL301", "FROM node:22\nONBUILD COPY . /app\nRUN npm ci\n")


def test_stages_continue_their_parent() -> None:
    text = (
        "FROM node:22 AS base\nCOPY ⟨.⟩ .\n"
        "FROM base AS deps\nRUN npm ci\nFROM base AS test\nRUN npm ci\n"
    )
    (f,) = check("DKL301", text)
    assert len(f.related) == 2


def test_build_stage_that_does_not_ship_counts() -> None:
    check(
        "DKL301",
        "FROM node:22 AS build\nCOPY ⟨.⟩ .\nRUN npm ci && npm run build\n"
        "FROM nginx:1.27-alpine\nCOPY --from=build /dist /usr/share/nginx/html\n",
    )


def test_one_finding_per_copy_names_every_ecosystem() -> None:
    (f,) = check("DKL301", "FROM php:8.3\nCOPY ⟨.⟩ .\nRUN composer install\nRUN npm install\n")
    assert "Composer" in f.message and "npm" in f.message
    assert "composer.json, composer.lock, package.json and package-lock.json" in f.message
    assert len(f.related) == 2


def test_manifests_come_from_the_context_when_known() -> None:
    (f,) = check(
        "DKL301",
        "FROM node:22\nCOPY ⟨.⟩ .\nRUN yarn install\n",
        context("package.json yarn.lock Dockerfile"),
    )
    assert "Copy package.json and yarn.lock first" in f.message


def test_context_decides_what_is_a_directory() -> None:
    known = context("package.json package-lock.json", "web")
    check("DKL301", "FROM node:22\nCOPY package*.json ./\nCOPY ⟨web⟩ ./web\nRUN npm ci\n", known)
    files_only = context("package.json package-lock.json src")
    clean("DKL301", "FROM node:22\nCOPY package*.json ./\nCOPY src ./src\nRUN npm ci\n", files_only)


def test_find_source_before_install_is_reusable() -> None:
    ctx = rule_context("FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go mod download\n")
    (item,) = find_source_before_install(ctx, ctx.document.stages[0])
    assert item.copy.name == "COPY" and item.source.text == "."
    assert item.kind is SourceKind.CONTEXT
    assert item.install.name == "RUN" and item.step.manager is PackageManager.GO
    assert item.step.shown == "go mod download" and not item.step.implicit


def test_odd_input_does_not_raise() -> None:
    for text in ("FROM a\nCOPY\nRUN\n", "FROM a\nCOPY .\nRUN npm", "COPY . .\nRUN npm ci\n"):
        findings("DKL301", text)


# --- DKL302 apt-update-in-separate-layer ----------------------------------------------------


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


# --- DKL303 volatile-argument-before-expensive-layer ----------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("BUILD_DATE", "a timestamp"),
        ("build_time", "a timestamp"),
        ("TIMESTAMP", "a timestamp"),
        ("GIT_COMMIT", "a commit id"),
        ("GIT_SHA", "a commit id"),
        ("COMMIT_SHA", "a commit id"),
        ("VCS_REF", "a commit id"),
        ("SOURCE_COMMIT", "a commit id"),
        ("REVISION", "a commit id"),
        ("BUILD_NUMBER", "a CI build number"),
        ("CI_PIPELINE_ID", "a CI build number"),
        ("GITHUB_RUN_ID", "a CI build number"),
        ("NODE_VERSION", None),
        ("VERSION", None),
        ("CACHEBUST", None),
        ("SOURCE_DATE_EPOCH", None),
        ("UPDATE_MODE", None),
        ("NODE_SHA256", None),
        ("RUNTIME", None),
    ],
)
def test_volatile_names(name: str, kind: str | None) -> None:
    assert volatile_kind(name) == kind


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


# --- DKL304 install-without-cache-mount ------------------------------------------------------


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


@pytest.mark.parametrize(
    ("code", "text"),
    [("DKL302", t) for t in UNMERGEABLE]
    + [("DKL303", t) for t in UNMOVABLE]
    + [("DKL304", t) for t in UNMOUNTABLE],
)
def test_flagged_without_a_fix(code: str, text: str) -> None:
    found = check(code, text)
    assert found and all(not f.fixes for f in found)


def test_cache_mount_hint_is_off_by_default() -> None:
    text = "FROM node:22\nRUN npm ci\n"
    assert not [f for f in analyze(text, Settings()).findings if f.code == "DKL304"]


# --- DKL351 dockerignore-missing -------------------------------------------------------------


def test_missing_dockerignore() -> None:
    (f,) = check(
        "DKL351",
        "FROM node:22\nCOPY package.json .\nCOPY ⟨.⟩ .\nFROM node:22\nCOPY . .\n",
        context("package.json .env", "node_modules .git src"),
    )
    assert "no .dockerignore" in f.message
    assert "node_modules, .git and .env" in f.message


def test_empty_dockerignore_counts_as_missing() -> None:
    (f,) = check("DKL351", "FROM node:22\nADD ⟨.⟩ /app\n", context("a", ignore="# nothing\n\n"))
    assert "empty" in f.message


@pytest.mark.parametrize(
    ("text", "build"),
    [
        ("FROM node:22\nCOPY . .\n", BuildContext(known=False)),
        ("FROM node:22\nCOPY . .\n", context("a", ignore=".git\n")),
        ("FROM node:22\nCOPY src ./src\n", context("a")),
        ("FROM node:22\nONBUILD COPY . /app\n", context("a")),
        ("FROM node:22\nCOPY --from=build . .\n", context("a")),
    ],
)
def test_dockerignore_missing_traps(text: str, build: BuildContext) -> None:
    clean("DKL351", text, build)


def test_dockerignore_entries_fit_the_dockerfile() -> None:
    node = rule_context(
        "FROM node:22 AS build\nCOPY . .\nRUN npm ci && npm run build\n"
        "FROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\n",
        context("package.json", "node_modules dist"),
    )
    entries = dockerignore_entries(node)
    assert entries[:4] == [".git", ".env", "Dockerfile*", ".dockerignore"]
    assert "**/node_modules" in entries and "dist" in entries and "build" in entries
    assert ".venv" not in entries

    python = rule_context("FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n")
    assert {".venv", "**/__pycache__", "**/*.py[cod]"} <= set(dockerignore_entries(python))

    dotnet = rule_context(
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . .\nRUN dotnet publish -c Release\n"
    )
    assert {"**/bin", "**/obj"} <= set(dockerignore_entries(dotnet))


def test_dockerignore_entries_never_hide_what_a_copy_names() -> None:
    ctx = rule_context(
        "FROM node:22\nCOPY . .\nRUN npm ci && npm run build\nCOPY .env /app/.env\n"
        "COPY dist/index.html /srv/\nRUN git describe --tags > /version\n"
    )
    entries = dockerignore_entries(ctx)
    assert "dist" not in entries and ".env" not in entries and ".git" not in entries
    assert "build" in entries


# --- DKL352 host-directory-sent-to-build -----------------------------------------------------


def test_big_directory_not_ignored() -> None:
    (f,) = check(
        "DKL352",
        "FROM node:22-alpine\nWORKDIR /app\nCOPY ⟨.⟩ .\nRUN npm ci\n",
        context("package.json", "node_modules .git src", ignore=".git\n"),
    )
    assert "node_modules" in f.message and ".git (" not in f.message
    assert "musl" in f.message and "Add node_modules" in f.message


@pytest.mark.parametrize(
    "ignore",
    [
        "node_modules\n!node_modules\n",  # re-included by an exception
        "**/*.log\nnode_modules/*.js\n",  # only some entries inside
        "# node_modules\n",
    ],
)
def test_docker_pattern_semantics_decide(ignore: str) -> None:
    check(
        "DKL352",
        "FROM node:22\nCOPY ⟨.⟩ .\nRUN npm ci\n",
        context("package.json", "node_modules", ignore=ignore),
    )


@pytest.mark.parametrize(
    "ignore", ["node_modules\n", "**/node_modules\n", "node_modules/\n", "/node_modules/**\n"]
)
def test_excluded_directory_is_clean(ignore: str) -> None:
    clean(
        "DKL352",
        "FROM node:22\nCOPY . .\nRUN npm ci\n",
        context("package.json", "node_modules", ignore=ignore),
    )


def test_build_output_counts_only_when_the_dockerfile_builds_it() -> None:
    build = context("package.json", "dist", ignore="node_modules\n")
    check("DKL352", "FROM node:22\nCOPY ⟨.⟩ .\nRUN npm ci && npm run build\n", build)
    clean("DKL352", "FROM nginx:1.27\nCOPY . /usr/share/nginx/html\n", build)
    clean(
        "DKL352",
        "FROM node:22\nCOPY . .\nRUN npm run build\nCOPY dist /srv\n",
        build,
    )


def test_git_directory_is_kept_when_a_run_reads_it() -> None:
    build = context("go.mod", ".git", ignore="*.md\n")
    check("DKL352", "FROM golang:1.23\nCOPY ⟨.⟩ .\nRUN go build .\n", build)
    clean("DKL352", "FROM golang:1.23\nCOPY . .\nRUN git describe --tags && go build .\n", build)


@pytest.mark.parametrize(
    "build",
    [
        BuildContext(known=False),
        context("package.json", "node_modules"),  # no .dockerignore: DKL351's job
        BuildContext(
            known=True,
            directories=frozenset({"node_modules"}),
            dockerignore_path="/ctx/.dockerignore",  # exists but unreadable
        ),
        context("package.json", "src", ignore=".git\n"),  # nothing big here
    ],
)
def test_host_directory_silent_when_unknown_or_absent(build: BuildContext) -> None:
    clean("DKL352", "FROM node:22\nCOPY . .\nRUN npm ci\n", build)


# --- documentation ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["DKL301", "DKL302", "DKL303", "DKL304"])
def test_documented_example_is_flagged_and_the_alternative_is_clean(code: str) -> None:
    docs = lookup(code).docs  # type: ignore[union-attr]
    assert findings(code, docs.example)
    clean(code, docs.instead)
    assert docs.references and all(
        r.startswith("https://docs.docker.com/") for r in docs.references
    )
