"""DKL301 source-copied-before-dependency-install: flagged and clean cases."""

from __future__ import annotations

import pytest

from tests.markers import extract
from tests.rulecheck import check, clean, findings
from tests.test_context import ctx as context


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


def test_odd_input_does_not_raise() -> None:
    for text in ("FROM a\nCOPY\nRUN\n", "FROM a\nCOPY .\nRUN npm", "COPY . .\nRUN npm ci\n"):
        findings("DKL301", text)
