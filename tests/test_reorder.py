"""The copy-manifests-first refactoring (``dockerls.actions.reorder``), DKL301's remedy.

Every offered rewrite is checked the same way (``assert_guarantees``): the
edits give exactly the expected text, BuildKit's parser reads it with the
expected number of instructions, DKL301 no longer fires for that install,
no rule reports a code the original did not have, untouched lines stay byte
for byte, and the rewrite is not offered again on its own result.
"""

from __future__ import annotations

import re
from pathlib import Path

import dockerfile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerls.actions.reorder import (
    NotReorderable,
    ReorderAction,
    Reorders,
    reorder_for_cache,
    reorders,
    why_not,
)
from dockerls.analysis import analyze
from dockerls.context import CONTEXT_EMPTY, BuildContext, PackageJson, PackageManager
from dockerls.dockerignore import DockerIgnore
from dockerls.edits import apply_edits
from dockerls.findings import TextEdit
from dockerls.graph import build_graph
from dockerls.rules.cache.source_before_install import find_source_before_install
from dockerls.rules.engine import RuleContext
from dockerls.syntax import parse
from tests.corpus import SKIP_REASON, corpus_files, corpus_params, read

# --------------------------------------------------------------------------- helpers


def context(files: str = "", directories: str = "", **kwargs: object) -> BuildContext:
    """A known build context holding ``files`` and ``directories`` at its root."""
    return BuildContext(
        known=True,
        files=frozenset(files.split()),
        directories=frozenset(directories.split()),
        **kwargs,  # type: ignore[arg-type]
    )


def rule_context(text: str, build: BuildContext = CONTEXT_EMPTY) -> RuleContext:
    doc = parse(text)
    return RuleContext(doc, build_graph(doc), build)


def plan(text: str, build: BuildContext = CONTEXT_EMPTY) -> Reorders:
    return reorders(rule_context(text, build))


def buildkit_count(text: str) -> int:
    return len(dockerfile.parse_string(text))


def _lines(text: str) -> list[str]:
    """Lines with their line breaks, split the way the parser splits them."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def _touched(edits: tuple[TextEdit, ...]) -> set[int]:
    """Original lines an edit deletes or changes (insertions at column 0 touch none)."""
    touched: set[int] = set()
    for edit in edits:
        start, end = edit.span.start, edit.span.end
        if start == end:
            if start.column:
                touched.add(start.line)
            continue
        last = end.line if end.column else end.line - 1
        touched.update(range(start.line, last + 1))
    return touched


def untouched_lines_kept(text: str, new: str, edits: tuple[TextEdit, ...]) -> bool:
    """Every line no edit targets is in the result, byte for byte and in order."""
    touched = _touched(edits)
    kept = [line for n, line in enumerate(_lines(text)) if n not in touched]
    remaining = iter(_lines(new))
    return all(any(line == candidate for candidate in remaining) for line in kept)


def _installs(
    text: str,
    build: BuildContext,
    stage: int,
    manager: PackageManager,
    *,
    triggers: bool = True,
) -> list[str]:
    """The DKL301 items left for ``manager``'s installs in stage ``stage``.

    ``triggers=False`` leaves out ONBUILD triggers, which the refactor never rewrites.
    """
    ctx = rule_context(text, build)
    target = ctx.document.stages[stage]
    return [
        item.copy.keyword.text
        for item in find_source_before_install(ctx, target)
        if item.step.manager is manager
        and any(
            item.install is ins or (triggers and ins.trigger is item.install)
            for ins in target.instructions
        )
    ]


def _stage_of(text: str, action: ReorderAction) -> int:
    ctx = rule_context(text)
    ins = ctx.document.instruction_at(action.install.start)
    stage = ctx.document.stage_of(ins) if ins is not None else None
    assert stage is not None
    return stage.index


def assert_guarantees(text: str, action: ReorderAction, build: BuildContext = CONTEXT_EMPTY) -> str:
    """Apply ``action`` and check what every rewrite promises; return the new text."""
    new = apply_edits(text, action.edits)
    assert buildkit_count(new) >= buildkit_count(text)
    stage = _stage_of(text, action)
    assert _installs(new, build, stage, action.ecosystem) == [], new
    before = {f.code for f in analyze(text, context=build).findings}
    after = {f.code for f in analyze(new, context=build).findings}
    assert after <= before, (after - before, new)
    assert untouched_lines_kept(text, new, action.edits), new
    again = reorders(rule_context(new, build)).actions
    assert not [a for a in again if a.ecosystem is action.ecosystem and _stage_of(new, a) == stage]
    return new


def rewrite(
    text: str,
    build: BuildContext = CONTEXT_EMPTY,
    *,
    expected: str,
    instructions: int,
    title: str | None = None,
) -> ReorderAction:
    """Assert the one rewrite offered for ``text`` gives ``expected``."""
    found = plan(text, build)
    assert not found.refusals, found.refusals
    (action,) = found.actions
    new = assert_guarantees(text, action, build)
    assert new == expected
    assert buildkit_count(new) == instructions
    if title is not None:
        assert action.title == title
    return action


def refused(text: str, build: BuildContext = CONTEXT_EMPTY) -> NotReorderable:
    found = plan(text, build)
    assert not found.actions, [a.title for a in found.actions]
    (refusal,) = found.refusals
    assert refusal.reason.strip()
    return refusal


# --------------------------------------------------------------------------- npm and friends


NPM_APP = 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n'


def test_npm_with_a_context_copies_the_lockfile_that_exists() -> None:
    rewrite(
        NPM_APP,
        context("package.json package-lock.json server.js Dockerfile"),
        expected="FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
        'RUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
        instructions=6,
        title="Copy package.json and package-lock.json before COPY . . (npm)",
    )


def test_npm_with_a_context_without_lockfile_copies_the_manifest_only() -> None:
    rewrite(
        NPM_APP,
        context("package.json .npmrc server.js"),
        expected="FROM node:22-slim\nWORKDIR /app\nCOPY package.json .npmrc ./\n"
        'RUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
        instructions=6,
    )


def test_npm_without_a_context_uses_a_pattern_that_matches_the_manifest() -> None:
    rewrite(
        NPM_APP,
        expected="FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\n"
        'RUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
        instructions=6,
        title="Copy package*.json before COPY . . (npm)",
    )


def test_files_hidden_by_the_dockerignore_are_not_copied() -> None:
    build = context(
        "package.json package-lock.json .npmrc",
        dockerignore=DockerIgnore.parse(".npmrc\nnode_modules\n"),
        dockerignore_path="/ctx/.dockerignore",
    )
    rewrite(
        NPM_APP,
        build,
        expected="FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
        'RUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n',
        instructions=6,
    )


def test_a_manifest_missing_from_the_context_is_explained() -> None:
    refusal = refused(NPM_APP, context("server.js"))
    assert "package.json is not at the root" in refusal.reason


def test_yarn_with_a_context() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /usr/src/app\nCOPY . .\nRUN yarn install --frozen-lockfile\n"
        "RUN yarn build\n",
        context("package.json yarn.lock"),
        expected="FROM node:22\nWORKDIR /usr/src/app\nCOPY package.json yarn.lock ./\n"
        "RUN yarn install --frozen-lockfile\nCOPY . .\nRUN yarn build\n",
        instructions=6,
        title="Copy package.json and yarn.lock before COPY . . (Yarn)",
    )


def test_yarn_berry_takes_its_configuration_and_directory() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n",
        context("package.json yarn.lock .yarnrc.yml", ".yarn src"),
        expected="FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\n"
        "COPY .yarn ./.yarn/\nRUN yarn install --immutable\nCOPY . .\n",
        instructions=6,
    )


def test_yarn_without_a_context_is_offered_only_when_the_lockfile_must_exist() -> None:
    text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n"
    refusal = refused(text)
    assert refusal.ecosystem is PackageManager.YARN
    assert "yarn.lock" in refusal.reason and "unknown" in refusal.reason
    # --immutable fails without a lockfile: the original build proves it exists.
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package.json yarn.lock ./\n"
        "RUN yarn install --immutable\nCOPY . .\n",
        instructions=5,
    )


def test_pnpm_with_setup_before_the_install_and_a_build_after_it() -> None:
    rewrite(
        "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\n"
        "RUN corepack enable && pnpm install --frozen-lockfile && pnpm run build\n",
        context("package.json pnpm-lock.yaml"),
        expected="FROM node:22-alpine\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\n"
        "RUN corepack enable && pnpm install --frozen-lockfile\nCOPY . .\n"
        "RUN pnpm run build\n",
        instructions=6,
    )


def test_pnpm_workspace_is_explained() -> None:
    refusal = refused(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n",
        context("package.json pnpm-lock.yaml pnpm-workspace.yaml"),
    )
    assert "workspace" in refusal.reason


def test_install_scripts_make_the_rewrite_unsafe() -> None:
    build = context(
        "package.json package-lock.json",
        package_json=PackageJson(scripts=(("postinstall", "node scripts/patch.js"),)),
    )
    ctx = rule_context(NPM_APP, build)
    (action,) = reorder_for_cache(ctx, ctx.document.stages[0])
    assert action.unsafe_reason is not None and "postinstall" in action.unsafe_reason
    assert action.fix.safe is False
    assert_guarantees(NPM_APP, action, build)


def test_a_native_addon_of_the_project_itself_is_refused() -> None:
    # npm runs `node-gyp rebuild` on a package with binding.gyp and no install script:
    # the addon's sources must be there when the install runs (a real build failed so).
    refusal = refused(NPM_APP, context("package.json package-lock.json binding.gyp"))
    assert "binding.gyp" in refusal.reason and "node-gyp" in refusal.reason
    # The trap: a dependency's binding.gyp inside node_modules is not the project's.
    (action,) = plan(NPM_APP, context("package.json package-lock.json")).actions
    assert action.unsafe_reason is None


def test_host_node_modules_sent_with_the_context_make_the_rewrite_unsafe() -> None:
    build = context("package.json package-lock.json", "node_modules")
    (action,) = plan(NPM_APP, build).actions
    assert action.unsafe_reason is not None and "node_modules" in action.unsafe_reason


# --------------------------------------------------------------------------- Python


def test_pip_requirements_with_a_context_copies_every_requirements_file() -> None:
    rewrite(
        "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\n"
        'RUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "app:app"]\n',
        context("requirements.txt requirements-base.txt app.py"),
        expected="FROM python:3.12-slim\nWORKDIR /srv\n"
        "COPY requirements-base.txt requirements.txt ./\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
        'CMD ["gunicorn", "app:app"]\n',
        instructions=6,
    )


def test_pip_requirements_without_a_context() -> None:
    rewrite(
        "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\n"
        "RUN python -m pip install -r requirements.txt\n",
        expected="FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements*.txt ./\n"
        "RUN python -m pip install -r requirements.txt\nCOPY . .\n",
        instructions=5,
    )


def test_pip_requirements_in_a_directory() -> None:
    rewrite(
        "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements/prod.txt\n",
        expected="FROM python:3.12\nWORKDIR /srv\nCOPY requirements ./requirements/\n"
        "RUN pip install -r requirements/prod.txt\nCOPY . .\n",
        instructions=5,
    )


def test_pip_installing_the_project_itself_is_explained() -> None:
    refusal = refused(
        "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt -e .\n"
    )
    assert "-e ." in refusal.reason


def test_poetry_without_the_project_moves() -> None:
    rewrite(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --no-root --only main\n",
        context("pyproject.toml poetry.lock README.md"),
        expected="FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\n"
        "RUN poetry install --no-root --only main\nCOPY . .\n",
        instructions=5,
    )


def test_poetry_installing_the_project_gets_a_dependency_only_install_first() -> None:
    rewrite(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\n",
        context("pyproject.toml poetry.lock"),
        expected="FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\n"
        "RUN poetry install --only main --no-root\nCOPY . .\nRUN poetry install --only main\n",
        instructions=6,
        title="Copy pyproject.toml and poetry.lock and run `poetry install --only main "
        "--no-root` before COPY . . (Poetry)",
    )


def test_poetry_without_a_context_cannot_know_the_lockfile() -> None:
    refusal = refused("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --no-root\n")
    assert "poetry.lock" in refusal.reason


def test_uv_sync() -> None:
    rewrite(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked\n"
        'CMD ["uv", "run", "app"]\n',
        context("pyproject.toml uv.lock .python-version"),
        expected="FROM python:3.12-slim\nWORKDIR /app\n"
        "COPY pyproject.toml uv.lock .python-version ./\n"
        "RUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked\n"
        'CMD ["uv", "run", "app"]\n',
        instructions=7,
    )
    # Without a context, --frozen proves uv.lock exists; the project is not installed.
    rewrite(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
        "RUN uv sync --frozen --no-install-project\n",
        expected="FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n"
        "RUN uv sync --frozen --no-install-project\nCOPY . .\n",
        instructions=5,
    )


def test_pipenv() -> None:
    rewrite(
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pipenv install --deploy --system\n",
        expected="FROM python:3.11\nWORKDIR /app\nCOPY Pipfile* ./\n"
        "RUN pipenv install --deploy --system\nCOPY . .\n",
        instructions=5,
    )


# --------------------------------------------------------------------------- implicit installs


def test_go_build_gets_go_mod_download_first() -> None:
    rewrite(
        "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server\n"
        "FROM gcr.io/distroless/static\nCOPY --from=build /out/server /server\n",
        expected="FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.* ./\n"
        "RUN CGO_ENABLED=0 go mod download\nCOPY . .\n"
        "RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server\n"
        "FROM gcr.io/distroless/static\nCOPY --from=build /out/server /server\n",
        instructions=8,
        title="Copy go.* and run `go mod download` before COPY . . (Go)",
    )


def test_go_with_a_context_and_a_cache_mount() -> None:
    rewrite(
        "FROM golang:1.23\nWORKDIR /src\nCOPY . .\n"
        "RUN --mount=type=cache,target=/go/pkg/mod go build -o /app .\n",
        context("go.mod go.sum main.go"),
        expected="FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\n"
        "RUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\n"
        "RUN --mount=type=cache,target=/go/pkg/mod go build -o /app .\n",
        instructions=6,
    )


def test_go_exec_form_build_gets_an_exec_form_download() -> None:
    rewrite(
        'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN ["go", "build", "-o", "app"]\n',
        expected='FROM golang:1.23\nWORKDIR /src\nCOPY go.* ./\nRUN ["go", "mod", "download"]\n'
        'COPY . .\nRUN ["go", "build", "-o", "app"]\n',
        instructions=6,
    )


def test_maven_package_gets_go_offline_first() -> None:
    rewrite(
        "FROM maven:3.9-eclipse-temurin-21 AS build\nWORKDIR /build\nCOPY . .\n"
        "RUN mvn -B -Pprod package -DskipTests\n",
        expected="FROM maven:3.9-eclipse-temurin-21 AS build\nWORKDIR /build\nCOPY pom.xml ./\n"
        "RUN mvn -B -Pprod -DskipTests dependency:go-offline\nCOPY . .\n"
        "RUN mvn -B -Pprod package -DskipTests\n",
        instructions=6,
    )


def test_maven_wrapper_takes_its_script_and_directory() -> None:
    rewrite(
        "FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY . .\nRUN ./mvnw -q package\n",
        context("pom.xml mvnw mvnw.cmd", ".mvn src"),
        expected="FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY pom.xml mvnw ./\n"
        "COPY .mvn ./.mvn/\nRUN ./mvnw -B dependency:go-offline\nCOPY . .\n"
        "RUN ./mvnw -q package\n",
        instructions=7,
    )


def test_gradle_wrapper_with_a_context() -> None:
    rewrite(
        "FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY . .\nRUN ./gradlew bootJar --no-daemon\n",
        context("settings.gradle.kts build.gradle.kts gradle.properties gradlew", "gradle src"),
        expected="FROM eclipse-temurin:21-jdk\nWORKDIR /app\n"
        "COPY settings.gradle.kts build.gradle.kts gradle.properties gradlew ./\n"
        "COPY gradle ./gradle/\nRUN ./gradlew dependencies --no-daemon\nCOPY . .\n"
        "RUN ./gradlew bootJar --no-daemon\n",
        instructions=7,
    )


def test_dotnet_with_project_files_from_the_context() -> None:
    rewrite(
        "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /source\nCOPY . .\n"
        "RUN dotnet publish -c Release -o /app\n",
        context("Shop.sln nuget.config src/Shop.Api.csproj", "src"),
        expected="FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /source\n"
        "COPY Shop.sln nuget.config ./\nCOPY src/Shop.Api.csproj ./src/\nRUN dotnet restore\n"
        "COPY . .\nRUN dotnet publish -c Release -o /app\n",
        instructions=7,
    )


def test_dotnet_restore_of_a_named_project_moves() -> None:
    action = rewrite(
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /app\nCOPY . .\n"
        "RUN dotnet restore Api.csproj -r linux-x64\nRUN dotnet publish Api.csproj -c Release\n",
        expected="FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /app\nCOPY Api.csproj ./\n"
        "RUN dotnet restore Api.csproj -r linux-x64\nCOPY . .\n"
        "RUN dotnet publish Api.csproj -c Release\n",
        instructions=6,
    )
    assert action.unsafe_reason is not None  # no context: referenced projects are unknown


def test_cargo_fetch_with_a_placeholder_is_marked_unsafe() -> None:
    action = rewrite(
        "FROM rust:1.80 AS build\nWORKDIR /usr/src/app\nCOPY . .\nRUN cargo build --release\n",
        expected="FROM rust:1.80 AS build\nWORKDIR /usr/src/app\nCOPY Cargo.* ./\n"
        "RUN mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo fetch && rm -r src\n"
        "COPY . .\nRUN cargo build --release\n",
        instructions=6,
    )
    assert action.unsafe_reason is not None and "placeholder" in action.unsafe_reason


def test_composer_installs_without_scripts_first_and_again_after_the_sources() -> None:
    rewrite(
        "FROM composer:2 AS vendor\nWORKDIR /app\nCOPY . .\n"
        "RUN composer install --no-dev --prefer-dist\n",
        expected="FROM composer:2 AS vendor\nWORKDIR /app\nCOPY composer.* ./\n"
        "RUN composer install --no-dev --prefer-dist --no-scripts --no-autoloader\nCOPY . .\n"
        "RUN composer install --no-dev --prefer-dist\n",
        instructions=6,
    )


def test_bundler() -> None:
    rewrite(
        "FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install --jobs 4\n",
        context("Gemfile Gemfile.lock config.ru"),
        expected="FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\n"
        "RUN bundle install --jobs 4\nCOPY . .\n",
        instructions=5,
    )


# --------------------------------------------------------------------------- what is kept


def test_copy_flags_are_carried_over_and_the_destination_is_the_same() -> None:
    # A chowned copy cannot move below a WORKDIR (the directory's owner would change),
    # and the new lines cannot go above it (the install must run in the WORKDIR).
    refusal = refused(
        "FROM node:22\nCOPY --chown=node:node . /home/node/app\n"
        "WORKDIR /home/node/app\nRUN npm ci --omit=dev\n",
        context("package.json package-lock.json"),
    )
    assert "owner" in refusal.reason
    rewrite(
        "FROM node:22\nWORKDIR /home/node/app\nCOPY --chown=node:node --chmod=644 --link . .\n"
        "RUN npm ci --omit=dev\n",
        context("package.json package-lock.json"),
        expected="FROM node:22\nWORKDIR /home/node/app\n"
        "COPY --chown=node:node --chmod=644 --link package.json package-lock.json ./\n"
        "RUN npm ci --omit=dev\nCOPY --chown=node:node --chmod=644 --link . .\n",
        instructions=5,
    )


def test_destination_directory_is_kept() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . /app\nRUN npm ci\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json /app/\nRUN npm ci\nCOPY . /app\n",
        instructions=5,
    )


def test_workdir_between_moves_the_source_copy_down() -> None:
    rewrite(
        "FROM node:20\nCOPY . /usr/src/app\nWORKDIR /usr/src/app\nENV NODE_ENV=production\n"
        "RUN npm install --omit=dev\nEXPOSE 3000\n",
        expected="FROM node:20\nWORKDIR /usr/src/app\nENV NODE_ENV=production\n"
        "COPY package*.json /usr/src/app/\nRUN npm install --omit=dev\nCOPY . /usr/src/app\n"
        "EXPOSE 3000\n",
        instructions=7,
    )


def test_a_project_directory_copy_takes_manifests_from_that_directory() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY ./frontend .\nRUN npm ci\nRUN npm run build\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY frontend/package*.json ./\nRUN npm ci\n"
        "COPY ./frontend .\nRUN npm run build\n",
        instructions=6,
    )


def test_crlf_file_stays_crlf() -> None:
    rewrite(
        "FROM node:22\r\nWORKDIR /app\r\nCOPY . .\r\nRUN npm ci && npm run build\r\n",
        context("package.json package-lock.json"),
        expected="FROM node:22\r\nWORKDIR /app\r\nCOPY package.json package-lock.json ./\r\n"
        "RUN npm ci\r\nCOPY . .\r\nRUN npm run build\r\n",
        instructions=6,
    )


def test_backtick_escape_file() -> None:
    rewrite(
        "# escape=`\nFROM node:22\nWORKDIR /app\nCOPY . .\n"
        "RUN --mount=type=cache,target=/root/.npm `\n    npm ci && `\n    npm run build\n",
        expected="# escape=`\nFROM node:22\nWORKDIR /app\nCOPY package*.json ./\n"
        "RUN --mount=type=cache,target=/root/.npm `\n    npm ci\nCOPY . .\n"
        "RUN --mount=type=cache,target=/root/.npm `\n    npm run build\n",
        instructions=6,
    )


def test_comments_above_the_copy_stay_with_it() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\n\n# Bring in the sources\n# (see .dockerignore)\nCOPY . .\n"
        "\n# Dependencies\nRUN npm ci\n\nRUN npm run build\n",
        expected="FROM node:22\nWORKDIR /app\n\nCOPY package*.json ./\n# Dependencies\n"
        "RUN npm ci\n\n# Bring in the sources\n# (see .dockerignore)\nCOPY . .\n\n"
        "RUN npm run build\n",
        instructions=6,
    )


def test_indentation_and_keyword_case_follow_the_file() -> None:
    rewrite(
        "from node:22\nworkdir /app\n  copy . .\n  run npm ci\n",
        expected="from node:22\nworkdir /app\n  copy package*.json ./\n  run npm ci\n  copy . .\n",
        instructions=5,
    )


def test_split_run_keeps_the_user_line_breaks() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci \\\n    && npm run build \\\n"
        "    && npm prune --omit=dev\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
        "RUN npm run build \\\n    && npm prune --omit=dev\n",
        instructions=6,
    )


def test_install_with_a_cache_mount_moves_whole() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\n"
        "RUN --mount=type=cache,target=/root/.npm \\\n    npm ci --prefer-offline\n"
        "RUN npm run build\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json ./\n"
        "RUN --mount=type=cache,target=/root/.npm \\\n    npm ci --prefer-offline\nCOPY . .\n"
        "RUN npm run build\n",
        instructions=6,
    )


def test_split_install_keeps_the_cache_mount_on_both_halves() -> None:
    rewrite(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\n"
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt "
        "&& python manage.py collectstatic --noinput\n",
        expected="FROM python:3.12\nWORKDIR /app\nCOPY requirements*.txt ./\n"
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n"
        "COPY . .\n"
        "RUN --mount=type=cache,target=/root/.cache/pip python manage.py collectstatic "
        "--noinput\n",
        instructions=6,
    )


def test_cleanup_right_after_the_install_moves_with_it() -> None:
    rewrite(
        "FROM node:22\nWORKDIR /app\nCOPY . .\n"
        "RUN npm ci && npm cache clean --force && npm run build\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json ./\n"
        "RUN npm ci && npm cache clean --force\nCOPY . .\nRUN npm run build\n",
        instructions=6,
    )


def test_metadata_between_stays_where_it_is() -> None:
    rewrite(
        'FROM node:22\nWORKDIR /app\nCOPY . .\nLABEL org.opencontainers.image.title="api"\n'
        "EXPOSE 8080\nRUN npm ci\n",
        expected="FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
        'LABEL org.opencontainers.image.title="api"\nEXPOSE 8080\n',
        instructions=7,
    )


def test_one_copy_before_two_ecosystems_is_offered_in_turn() -> None:
    text = (
        "FROM php:8.3-fpm\nWORKDIR /var/www\nCOPY . .\nRUN npm ci\nRUN npm run build\n"
        "RUN composer install --no-dev\n"
    )
    found = plan(text)
    assert [a.ecosystem for a in found.actions] == [PackageManager.NPM]
    (refusal,) = found.refusals
    assert refusal.ecosystem is PackageManager.COMPOSER and "line 4" in refusal.reason
    assert "Apply the rewrite for the npm install first." in refusal.reason
    new = assert_guarantees(text, found.actions[0])
    assert new == (
        "FROM php:8.3-fpm\nWORKDIR /var/www\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
        "RUN npm run build\nRUN composer install --no-dev\n"
    )


# --------------------------------------------------------------------------- not offered


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


# --------------------------------------------------------------------------- any input


@pytest.mark.parametrize(
    "text",
    [
        "",
        "FROM",
        "COPY . .\nRUN npm ci\n",
        "FROM a\nCOPY\nRUN\n",
        "FROM a\nCOPY . .\nRUN npm",
        "FROM a\nCOPY . .\nRUN npm ci &&",
        "FROM a\nCOPY . .\nRUN <<EOF\nnpm ci\n",
        'FROM a\nCOPY [".", "/my app"]\nRUN npm ci\n',
        "FROM a\nCOPY $SRC .\nRUN npm ci\n",
        "FROM a\nWORKDIR $HOME\nCOPY . .\nRUN npm ci\n",
        "FROM a\nCOPY . .\nRUN npm ci `$(cat x)`\n",
        'FROM a\nSHELL ["pwsh", "-c"]\nCOPY . .\nRUN cargo build\n',
        "FROM a\nCOPY --parents . .\nRUN npm ci\n",
        "FROM a\nCOPY . ./\nRUN npm ci\nCOPY . ./\nRUN npm ci\n",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    found = plan(text)
    for action in found.actions:
        apply_edits(text, action.edits)


_PIECES = st.sampled_from(
    [
        "FROM node:22\n",
        "FROM golang:1.23 AS build\n",
        "WORKDIR /app\n",
        "WORKDIR sub\n",
        "COPY . .\n",
        "COPY --chown=1000 . /srv\n",
        "ADD . /app\n",
        "COPY src ./src\n",
        "RUN npm ci\n",
        "RUN npm ci && npm run build\n",
        "RUN yarn install --immutable\n",
        "RUN go build -o /x .\n",
        "RUN pip install -r requirements.txt && rm -rf /root/.cache\n",
        "RUN apt-get update && apt-get install -y git\n",
        "ENV A=1\n",
        "ARG V\n",
        "USER node\n",
        "# comment\n",
        "\n",
        "ONBUILD RUN npm ci\n",
        "RUN npm ci \\\n  && npm test\n",
        "LABEL a=b\n",
        "WORKDIR /app\n",
        "COPY package.json ./\n",
        "RUN poetry install\n",
        "RUN mvn -B package\n",
        "RUN cd web && npm ci\n",
        "RUN npm install -g pnpm\n",
        "FROM build AS final\n",
        "ONBUILD COPY . /app\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=9), st.booleans())
def test_generated_files_keep_the_guarantees(pieces: list[str], crlf: bool) -> None:
    text = "".join(pieces)
    if crlf:
        text = text.replace("\n", "\r\n")
    found = plan(text)
    assert not {(a.span, a.install) for a in found.actions} & {
        (r.span, r.install) for r in found.refusals
    }
    for action in found.actions:
        new = apply_edits(text, action.edits)
        dockerfile.parse_string(new)
        assert untouched_lines_kept(text, new, action.edits)
        stage = _stage_of(text, action)
        assert _installs(new, CONTEXT_EMPTY, stage, action.ecosystem, triggers=False) == []
        before = {f.code for f in analyze(text).findings}
        assert {f.code for f in analyze(new).findings} <= before


# --------------------------------------------------------------------------- the corpus


def _dkl301_installs(text: str) -> set[tuple[object, object]]:
    """(source span, install word span) of every DKL301 occurrence."""
    return {
        (f.span, related.span)
        for f in analyze(text).findings
        if f.code == "DKL301"
        for related in f.related
    }


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file_gets_an_action_or_a_reason(path: Path) -> None:
    text = read(path)
    flagged = _dkl301_installs(text)
    found = plan(text)
    offered = {(a.span, a.install) for a in found.actions}
    explained = {(r.span, r.install) for r in found.refusals}
    assert not offered & explained
    # Every flagged install is answered (installs in ONBUILD triggers are reported
    # at the trigger; one COPY flagged in several stages is answered once).
    assert {install for _, install in flagged} <= {i for _, i in offered | explained}
    for action in found.actions:
        assert_guarantees(text, action)
    for refusal in found.refusals:
        assert refusal.reason.endswith(".") and len(refusal.reason) > 20


def test_corpus_counts() -> None:
    files = corpus_files()
    if not files:
        pytest.skip(SKIP_REASON)
    with_finding = offered = explained = 0
    for path in files:
        text = read(path)
        if not _dkl301_installs(text):
            continue
        with_finding += 1
        found = plan(text)
        offered += bool(found.actions)
        explained += bool(found.refusals) and not found.actions
    assert with_finding > 0
    assert offered + explained == with_finding
    assert offered >= with_finding // 2  # most files get a rewrite without any context
