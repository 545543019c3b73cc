"""Stage, base-image and dependency rules (DKL201 to DKL206): spans, traps and fixes."""

from __future__ import annotations

import pytest

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.context import BuildContext, PackageJson
from dockerls.edits import apply_edits
from dockerls.rules.engine import Category
from dockerls.rules.registry import all_rules
from dockerls.sarif import rule_help
from tests.rulecheck import check, clean, findings, fixed

FULL, TOOLS, SINGLE, DEV, NPM, WHOLE = "DKL201", "DKL202", "DKL203", "DKL204", "DKL205", "DKL206"

WITH_LOCK = BuildContext(known=True, files=frozenset({"package.json", "package-lock.json"}))
NO_LOCK = BuildContext(known=True, files=frozenset({"package.json"}))


def titles(code: str, text: str, context: BuildContext | None = None) -> list[tuple[str, bool]]:
    (f,) = findings(code, text) if context is None else findings(code, text, context)
    return [(fix.title, fix.safe) for fix in f.fixes]


def fix_all(text: str, codes: tuple[str, ...], context: BuildContext | None = None) -> str:
    """What fix-all does: every safe fix of the selected rules, applied together."""
    result = analyze(text, Settings(select=codes), context)
    edits = [e for f in result.findings for fix in f.fixes if fix.safe for e in fix.edits]
    return apply_edits(text, edits)


# -- DKL201 full-language-base ---------------------------------------------------


def test_full_base_flags_the_tag_with_sizes_and_alternatives() -> None:
    (f,) = check(FULL, 'FROM node:⟨20⟩\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n')
    assert "`node:20` is a full base image" in f.message
    assert "MB" in f.message and "linux/amd64" in f.message
    assert "`node:20-slim`" in f.message and "`node:20-alpine`" in f.message


def test_full_base_without_tag_flags_the_repository() -> None:
    check(FULL, "FROM ⟨python⟩\nCOPY app.py /\n")


def test_full_base_through_a_from_chain_points_at_the_root_image() -> None:
    (f,) = check(FULL, "FROM ruby:⟨3.3⟩ AS base\nWORKDIR /app\n\nFROM base\nCOPY . .\n")
    assert [r.span.start.line for r in f.related] == [3]


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20-slim\n",
        "FROM node:20-alpine\n",
        "FROM python:3.12-slim-bookworm\n",
        "FROM eclipse-temurin:17-jre\n",
        "FROM gcr.io/distroless/nodejs20-debian12\n",
        "FROM registry.example.com/team/base:1\n",
        "FROM scratch\nCOPY app /\n",
        # a full image used only to build
        "FROM golang:1.22 AS build\nRUN go build -o /app .\n"
        "FROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\n",
        # ARG without a default: unknown
        "ARG BASE\nFROM ${BASE}\n",
        "FROM\n",
    ],
)
def test_full_base_clean(text: str) -> None:
    clean(FULL, text)


def test_full_base_fixes_keep_the_version_and_are_not_safe() -> None:
    text = 'FROM node:20\nCOPY . .\nCMD ["node", "server.js"]\n'
    got = titles(FULL, text)
    assert got[0][0].startswith("Switch base to node:20-slim (") and not got[0][1]
    assert got[1][0].startswith("Switch base to node:20-alpine (musl") and not got[1][1]
    out = fixed(FULL, text)
    assert out == 'FROM node:20-slim\nCOPY . .\nCMD ["node", "server.js"]\n'
    clean(FULL, out)
    assert fixed(FULL, text, index=1).startswith("FROM node:20-alpine\n")


def test_full_base_fix_keeps_an_arg_in_the_tag() -> None:
    text = "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}\nCMD node\n"
    check(FULL, "ARG NODE_VERSION=20\nFROM node:⟨${NODE_VERSION}⟩\nCMD node\n")
    out = fixed(FULL, text)
    assert out == "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-slim\nCMD node\n"
    clean(FULL, out)


def test_full_base_fix_replaces_a_digest_pinned_reference() -> None:
    text = "FROM node:20@sha256:" + "a" * 64 + "\nCMD node\n"
    assert fixed(FULL, text) == "FROM node:20-slim\nCMD node\n"


def test_full_base_offers_only_variants_that_can_run_what_the_stage_does() -> None:
    # a single-stage Go build cannot switch to distroless or scratch
    text = "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n"
    assert [t for t, _ in titles(FULL, text)] == [
        "Switch base to golang:1.22-alpine (still the whole Go toolchain, just on musl: a "
        "multi-stage build saves far more)"
    ]
    # nothing to run: a JRE or distroless image works
    jar = (
        'FROM eclipse-temurin:17\nCOPY app.jar /app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n'
    )
    assert any("distroless" in t for t, _ in titles(FULL, jar))


# -- DKL202 build-tools-in-final-image ---------------------------------------------


def test_build_tools_flags_each_kept_build_package() -> None:
    found = check(
        TOOLS,
        "FROM python:3.12-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends \\\n"
        "    ⟨gcc⟩ ⟨libpq-dev⟩ curl \\\n"
        " && pip install --no-cache-dir -r requirements.txt \\\n"
        " && rm -rf /var/lib/apt/lists/*\n",
    )
    assert "`gcc` is build tooling" in found[0].message
    assert "`libpq-dev` holds development headers" in found[1].message
    assert "apt-get purge -y --auto-remove libpq-dev" in found[1].message


@pytest.mark.parametrize(
    "text",
    [
        # purged in the same RUN
        "FROM debian:12-slim\nRUN apt-get update && apt-get install -y gcc make \\\n"
        " && make && apt-get purge -y --auto-remove gcc make\n",
        # the official-image pattern: mark everything auto, purge with --auto-remove
        'FROM debian:12-slim\nRUN set -eux; savedAptMark="$(apt-mark showmanual)"; \\\n'
        "  apt-get update; apt-get install -y --no-install-recommends gcc libc6-dev make; \\\n"
        "  make install; apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark; \\\n"
        "  apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false\n",
        # an apk virtual package deleted at the end
        "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev \\\n"
        " && pip install --no-cache-dir psycopg2 && apk del .build-deps\n",
        # the package list is a variable the purge repeats
        'FROM debian:12-slim\nRUN BUILD_DEPS="gcc make" && apt-get install -y $BUILD_DEPS \\\n'
        " && make && apt-get purge -y $BUILD_DEPS\n",
        # a build stage that does not ship
        "FROM debian:12-slim AS build\nRUN apt-get update && apt-get install -y gcc\n"
        "FROM debian:12-slim\nCOPY --from=build /out /out\n",
        # runtime packages only
        "FROM debian:12-slim\nRUN apt-get install -y ca-certificates curl libpq5\n",
        # full node/python/ruby images are DKL201's business
        "FROM node:20\nRUN npm ci\n",
        "FROM python:3.12\nCOPY . .\n",
        "FROM php:8.3-apache\nRUN docker-php-ext-install pdo_mysql\n",
    ],
)
def test_build_tools_clean(text: str) -> None:
    clean(TOOLS, text)


def test_build_tools_removed_in_a_later_layer_still_ship() -> None:
    check(
        TOOLS,
        "FROM debian:12-slim\nRUN apt-get install -y ⟨build-essential⟩\n"
        "RUN apt-get purge -y build-essential\n",
    )


def test_build_tools_apk_virtual_without_del() -> None:
    (f,) = check(TOOLS, "FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps ⟨build-base⟩\n")
    assert "apk del .build-deps" in f.message


def test_build_tools_variable_package_list_is_expanded() -> None:
    (f,) = check(
        TOOLS,
        'FROM debian:12-slim\nENV BUILD_DEPS="gcc make"\nRUN apt-get install -y ⟨$BUILD_DEPS⟩\n',
    )
    assert "`$BUILD_DEPS` installs build packages (gcc make)" in f.message


def test_build_tools_pinned_and_rpm_packages() -> None:
    check(TOOLS, "FROM debian:12-slim\nRUN apt-get install -y ⟨gcc=4:12.2.0-3⟩\n")
    check(TOOLS, "FROM rockylinux:9\nRUN dnf install -y ⟨gcc-c++⟩ ⟨openssl-devel⟩\n")
    clean(TOOLS, "FROM rockylinux:9\nRUN dnf install -y gcc && make && dnf remove -y gcc\n")


def test_build_tools_toolchain_base_image() -> None:
    (f,) = check(TOOLS, "FROM golang:⟨1.22⟩\nCOPY . .\nRUN go build -o /app .\n")
    assert "`golang:1.22` is a build image" in f.message
    check(TOOLS, "FROM ⟨maven⟩\nRUN mvn package\n")
    check(TOOLS, 'FROM eclipse-temurin:⟨17⟩\nCOPY app.jar /\nCMD ["java", "-jar", "/app.jar"]\n')
    check(TOOLS, "FROM openjdk:⟨8-jdk-alpine⟩\nCOPY app.jar /\n")
    check(TOOLS, "FROM mcr.microsoft.com/dotnet/sdk:⟨8.0⟩\nCOPY . .\n")
    clean(TOOLS, "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out/ /app\n")


def test_build_tools_in_onbuild_heredoc_and_exec_form() -> None:
    check(TOOLS, "FROM debian:12-slim\nONBUILD RUN apt-get install -y ⟨g++⟩\n")
    check(
        TOOLS, "FROM debian:12-slim\nRUN <<EOF\napt-get update\napt-get install -y ⟨cmake⟩\nEOF\n"
    )
    check(TOOLS, 'FROM debian:12-slim\nRUN ["apt-get", "install", "-y", ⟨"make"⟩]\n')


def test_build_tools_windows_build_tools_installer() -> None:
    check(
        TOOLS,
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        "RUN curl -fSLo vs_BuildTools.exe https://aka.ms/vs/stable/vs_BuildTools.exe `\n"
        "    && start /w ⟨vs_BuildTools⟩ --quiet --wait\n",
    )


def test_build_tools_has_no_fix() -> None:
    (f,) = findings(TOOLS, "FROM debian:12-slim\nRUN apt-get install -y gcc\n")
    assert f.fixes == ()


# -- DKL203 single-stage-build -----------------------------------------------------


@pytest.mark.parametrize(
    "marked",
    [
        "FROM golang:1.22\nCOPY . .\nRUN CGO_ENABLED=0 ⟨go build⟩ -o /app .\n",
        "FROM node:20-slim\nCOPY . .\nRUN npm ci && ⟨npm run build⟩\n",
        "FROM node:20-slim\nCOPY . .\nRUN npm ci\nRUN ⟨npx tsc⟩ -p .\n",
        "FROM node:20-slim\nCOPY . .\nRUN yarn && ⟨yarn --cwd web build⟩\n",
        "FROM eclipse-temurin:21-jdk\nCOPY . .\nRUN ⟨./mvnw -B clean package⟩ -DskipTests\n",
        "FROM gradle:8-jdk21\nCOPY . .\nRUN ⟨gradle clean bootJar⟩\n",
        "FROM rust:1.80\nCOPY . .\nRUN ⟨cargo build⟩ --release\n",
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . .\nRUN ⟨dotnet publish⟩ -c Release\n",
        "FROM ruby:3.3-slim\nCOPY . .\n"
        "RUN bundle install && ⟨bundle exec rake assets:precompile⟩\n",
        'FROM golang:1.22\nCOPY . .\nRUN [⟨"go", "build"⟩, "-o", "app"]\n',
        "FROM node:20-slim\nRUN <<EOF\nnpm ci\n⟨npm run build:prod⟩\nEOF\n",
        "FROM node:20-slim\nONBUILD COPY . .\nONBUILD RUN ⟨npm run build⟩\n",
        # native compilation with a compiler the base image brings
        "FROM golang:1.22\nCOPY . .\nRUN ⟨make⟩\n",
    ],
)
def test_single_stage_build_flags_the_build_command(marked: str) -> None:
    (f,) = check(SINGLE, marked)
    assert "only stage" in f.message
    assert f.related and f.related[0].span.start.line == 0


def test_single_stage_build_native_compile_with_kept_compiler() -> None:
    (f,) = check(
        SINGLE,
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev\n"
        "COPY requirements.txt .\nRUN ⟨pip install⟩ --no-cache-dir -r requirements.txt\n",
    )
    assert "line 2" in f.message
    assert [r.span.start.line for r in f.related] == [0, 1]


@pytest.mark.parametrize(
    "marked",
    [
        # the compiler kept, named through a variable
        'FROM python:3.12-slim\nENV BUILD_DEPS="gcc libc6-dev"\n'
        "RUN apt-get update && apt-get install -y $BUILD_DEPS\n"
        "RUN ⟨pip install⟩ -r requirements.txt\n",
        # headers on an image that compiles: a toolchain base, a Debian php image
        "FROM python:3.12\nRUN apt-get install -y libpq-dev\nRUN ⟨pip install⟩ -r r.txt\n",
        "FROM php:8.3-apache\nRUN apt-get update && apt-get install -y libpng-dev "
        "&& ⟨docker-php-ext-install⟩ gd\n",
        "FROM php:8.3-fpm-alpine\nRUN apk add --no-cache $PHPIZE_DEPS\nRUN ⟨pecl install⟩ redis\n",
        # a build whose toolchain is the base image's: removing gcc does not remove Go
        "FROM golang:1.23\nRUN apt-get update && apt-get install -y gcc && ⟨go build⟩ -o /app . "
        "&& apt-get purge -y gcc\n",
        # a JavaScript build leaves its node_modules whatever the RUN removes
        "FROM node:22-slim\nRUN apt-get update && apt-get install -y python3 make g++ && npm ci "
        "&& ⟨npm run build⟩ && apt-get purge -y python3 make g++\n",
    ],
)
def test_single_stage_build_where_something_compiles(marked: str) -> None:
    check(SINGLE, marked)


@pytest.mark.parametrize(
    "text",
    [
        # -dev headers and no compiler: nothing compiles
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends "
        "libpq-dev && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir -r "
        "requirements.txt\n",
        "FROM ruby:3.3-slim\nRUN apt-get install -y libyaml-dev pkg-config make\n"
        "RUN bundle install\n",
        # build dependencies installed and purged in the RUN that uses them
        'FROM python:3.12-slim\nENV BUILD_DEPS="gcc libc6-dev libpq-dev"\n'
        "RUN apt-get update && apt-get install -y $BUILD_DEPS && pip install -r r.txt "
        "&& apt-get purge -y --auto-remove $BUILD_DEPS\n",
        "FROM python:3.12\nARG BUILD_DEPS\nRUN apt-get update && apt-get install -y $BUILD_DEPS "
        "&& make -C /src install && apt-get purge -y $BUILD_DEPS\n",
        "FROM python:3.12\nRUN apt-get update && apt-get install -y gcc make && make -C /src "
        "&& apt-get purge -y gcc make\n",
        "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev "
        "&& pip install -r r.txt && apk del .build-deps\n",
        "FROM debian:12-slim\nRUN apt-get update && apt-get install -y golang "
        "&& go build -o /usr/local/bin/app ./cmd/app && apt-get purge -y --auto-remove golang\n",
    ],
)
def test_single_stage_build_where_nothing_compiles_is_clean(text: str) -> None:
    clean(SINGLE, text)


def test_single_stage_build_prefers_an_explicit_build() -> None:
    check(
        SINGLE,
        "FROM node:20-slim\nRUN apt-get install -y g++ make\nRUN npm ci\nRUN ⟨npm run build⟩\n",
    )


def test_single_stage_build_follows_package_json_scripts() -> None:
    context = BuildContext(known=True, package_json=PackageJson(scripts=(("prepare", "tsc -p ."),)))
    check(SINGLE, "FROM node:20-slim\nCOPY . .\nRUN ⟨npm run prepare⟩\n", context)
    clean(SINGLE, "FROM node:20-slim\nCOPY . .\nRUN npm run prepare\n")


@pytest.mark.parametrize(
    "text",
    [
        # installing dependencies is not a build
        "FROM node:20-slim\nCOPY . .\nRUN npm ci --omit=dev\n",
        "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n",
        "FROM ruby:3.3\nCOPY . .\nRUN bundle install\n",
        # the build happens in a first stage
        "FROM golang:1.22 AS build\nRUN go build -o /app .\n"
        "FROM scratch\nCOPY --from=build /app /\n",
        # official images compile and purge the toolchain in one RUN
        "FROM debian:12-slim\nRUN apt-get update && apt-get install -y gcc make \\\n"
        " && ./configure && make && make install \\\n"
        " && apt-get purge -y --auto-remove gcc make\n",
        # PHP extensions built with the compilers the php image provides
        "FROM php:8.3-apache\nRUN docker-php-ext-install pdo_mysql\n",
        # a build package kept, but the compiling install runs in a child build
        "FROM ubuntu:24.04\nRUN apt-get install -y build-essential python3-dev\n"
        "ONBUILD RUN pip install -r requirements.txt\n",
        "FROM node:20-slim\nRUN npm test\n",
        # upgrading pip itself compiles nothing
        "FROM python:3.12-slim\nRUN apt-get install -y gcc\nRUN pip install -U pip wheel\n",
    ],
)
def test_single_stage_build_clean(text: str) -> None:
    clean(SINGLE, text)


DEVCONTAINER = BuildContext(known=False, devcontainer=True)


def test_size_rules_stay_quiet_for_a_development_container() -> None:
    text = (
        "FROM mcr.microsoft.com/devcontainers/python:3.12\n"
        "RUN apt-get update && apt-get install -y gcc libpq-dev\nCOPY . .\n"
        "RUN pip install -r requirements.txt && make\n"
    )
    everything = analyze(text).findings
    assert {"DKL101", "DKL102", "DKL104", "DKL203"} <= {f.code for f in everything}
    quiet = analyze(text, context=DEVCONTAINER).findings
    size = {r.code for r in all_rules() if r.category is Category.BLOAT}
    assert not [f for f in quiet if f.code in size]
    # Rules about the build itself still apply.
    assert "DKL301" in {f.code for f in quiet}


def test_explain_says_why_size_rules_are_quiet_in_a_development_container() -> None:
    rules = {r.code: r for r in all_rules()}
    assert "**Development containers.** Not reported" in rule_help(rules[SINGLE])
    assert ".devcontainer/" in rule_help(rules["DKL104"])
    assert "Development containers" not in rule_help(rules["DKL301"])


# -- DKL204 dev-dependencies-in-final-image ----------------------------------------

NPM_APP = "FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm {}\nCOPY . .\n"


def test_dev_deps_npm_ci_is_flagged_and_fixed() -> None:
    text = NPM_APP.format("ci") + 'CMD ["node", "server.js"]\n'
    (f,) = check(DEV, text.replace("RUN npm ci", "RUN npm ⟨ci⟩"))
    assert "add `--omit=dev`" in f.message
    assert [(x.title, x.safe) for x in f.fixes] == [("Add --omit=dev", True)]
    out = fixed(DEV, text)
    assert "RUN npm ci --omit=dev\n" in out
    clean(DEV, out)


@pytest.mark.parametrize(
    "text",
    [
        NPM_APP.format("ci --omit=dev"),
        NPM_APP.format("ci --omit dev"),
        NPM_APP.format("install --production"),
        NPM_APP.format("install --only=production"),
        NPM_APP.format("install -g nodemon"),
        NPM_APP.format("install express"),
        "FROM node:20-slim\nRUN yarn --version && bundle -v\n",
        "FROM node:20-slim\nENV NODE_ENV=production\nRUN npm ci\n",
        "FROM node:20-slim\nARG NODE_ENV=production\nENV NODE_ENV $NODE_ENV\nRUN npm ci\n",
        "FROM node:20-slim\nARG NODE_ENV=production\nRUN npm ci\n",
        "ARG NODE_ENV=production\nFROM node:20-slim\nARG NODE_ENV\nRUN npm ci\n",
        "FROM node:20-slim\nRUN NODE_ENV=production npm ci\n",
        "FROM node:20-slim\nRUN export NODE_ENV=production && npm ci\n",
        "FROM node:20-slim\nENV npm_config_omit=dev\nRUN npm ci\n",
        # ENV of the stage the final stage is built FROM
        "FROM node:20-slim AS base\nENV NODE_ENV=production\nFROM base\nRUN npm ci\n",
        # dev dependencies pruned in the RUN that installed them
        "FROM node:20-slim\nRUN npm ci && npm run build && npm prune --omit=dev\n",
        # a later prune in an image that runs nothing: a base other builds copy from
        "FROM node:20-slim\nRUN yarn install\nRUN yarn build\n"
        "RUN yarn workspaces focus --production\n",
        # a build stage that does not ship
        "FROM node:20 AS build\nRUN npm ci && npm run build\n"
        "FROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n",
        # end-to-end test images need their dev dependencies
        "FROM mcr.microsoft.com/playwright:v1.45.0-jammy\nRUN npm ci\n",
        "FROM cypress/included:13.6.0\nRUN npm ci\n",
        "FROM node:20-slim\nRUN npm ci && npx playwright install --with-deps\n",
        'FROM node:20-slim\nCOPY . .\nRUN npm ci\nCMD ["npm", "test"]\n',
        'FROM python:3.12-slim\nCOPY . .\nRUN uv sync\nENTRYPOINT ["uv", "run", "pytest"]\n',
        # other ecosystems done right
        "FROM python:3.12-slim\nRUN poetry install --only main --no-root\n",
        "FROM python:3.12-slim\nRUN poetry install --without dev,test\n",
        "FROM python:3.12-slim\nRUN uv sync --frozen --no-dev\n",
        "FROM python:3.12-slim\nENV UV_NO_DEV=1\nRUN uv sync --locked\n",
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
        "FROM ruby:3.3-slim\nENV BUNDLE_WITHOUT=development:test\nRUN bundle install\n",
        "FROM ruby:3.3-slim\nRUN bundle config set --local without 'development test' "
        "&& bundle install\n",
        "FROM ruby:3.3-slim\nRUN bundle install --without development test\n",
        "FROM php:8.3-fpm\nRUN composer install --no-dev --optimize-autoloader\n",
        "FROM php:8.3-fpm\nENV COMPOSER_NO_DEV=1\nRUN composer install\n",
    ],
)
def test_dev_deps_clean(text: str) -> None:
    clean(DEV, text)


def test_dev_deps_package_json_without_dev_dependencies_is_clean() -> None:
    context = BuildContext(known=True, package_json=PackageJson(dependencies=frozenset({"x"})))
    clean(DEV, NPM_APP.format("ci"), context)


def test_dev_deps_build_in_the_same_image_explains_the_multi_stage_remedy() -> None:
    (f,) = check(
        DEV,
        "FROM node:20-slim\nCOPY . .\nRUN npm ⟨ci⟩\nRUN npm run build\n"
        'CMD ["node", "dist/main.js"]\n',
    )
    assert "`npm run build` on line 4 needs them" in f.message
    assert f.fixes == () and f.related[0].span.start.line == 3


def test_dev_deps_tests_in_the_image() -> None:
    (f,) = check(DEV, "FROM python:3.12-slim\nRUN uv ⟨sync⟩ && uv run pytest\n")
    assert "`uv run pytest` on line 2 needs them" in f.message and f.fixes == ()


def test_dev_deps_dev_server_command() -> None:
    (f,) = check(DEV, 'FROM node:20-slim\nRUN npm ⟨ci⟩\nCMD ["npm", "run", "dev"]\n')
    assert "`npm run dev`" in f.message and f.fixes == ()
    (f,) = check(DEV, 'FROM node:20-slim\nRUN npm ⟨ci⟩\nCMD ["ng", "serve"]\n')
    assert "`ng serve`" in f.message


def test_dev_deps_old_node_uses_production() -> None:
    text = "FROM node:14-alpine\nRUN npm ci\n"
    assert fixed(DEV, text) == "FROM node:14-alpine\nRUN npm ci --production\n"
    clean(DEV, fixed(DEV, text))


@pytest.mark.parametrize(
    ("text", "flagged", "expected"),
    [
        ("FROM node:20-slim\nRUN pnpm install --frozen-lockfile\n", "install", "--prod"),
        ("FROM oven/bun:1-slim\nRUN bun install\n", "install", "--production"),
        ("FROM python:3.12-slim\nRUN uv sync --locked\n", "sync", "--no-dev"),
        ("FROM php:8.3-fpm\nRUN composer install\n", "install", "--no-dev"),
    ],
)
def test_dev_deps_flag_fixes(text: str, flagged: str, expected: str) -> None:
    check(DEV, text.replace(f" {flagged}", f" ⟨{flagged}⟩", 1))
    out = fixed(DEV, text)
    assert f" {flagged} {expected}" in out
    clean(DEV, out)


def test_dev_deps_poetry_fix_is_offered_not_applied() -> None:
    text = "FROM python:3.12-slim\nRUN poetry install --no-root\n"
    check(DEV, "FROM python:3.12-slim\nRUN poetry ⟨install⟩ --no-root\n")
    assert titles(DEV, text) == [("Add --only main (Poetry ≥ 1.2)", False)]
    clean(DEV, fixed(DEV, text))


def test_dev_deps_fix_is_not_safe_when_options_come_from_variables() -> None:
    text = "FROM python:3.12-slim\nARG UV_FLAGS\nRUN uv sync $UV_FLAGS\n"
    assert titles(DEV, text) == [("Add --no-dev (other options come from variables)", False)]


@pytest.mark.parametrize(
    "marked",
    [
        "FROM node:20-slim\nRUN ⟨yarn⟩\n",
        "FROM node:20-slim\nRUN yarn ⟨install⟩ --frozen-lockfile\n",
        "FROM python:3.12-slim\nRUN pip install -r ⟨requirements-dev.txt⟩\n",
        "FROM python:3.12-slim\nRUN python -m pip install -r ⟨requirements/test.txt⟩\n",
        "FROM python:3.12-slim\nRUN pip install -e ⟨.[dev]⟩\n",
        "FROM python:3.12-slim\nRUN pipenv install --system ⟨--dev⟩\n",
        "FROM ruby:3.3-slim\nRUN bundle check || bundle ⟨install⟩\n",
        "FROM ruby:3.3-slim\nRUN ⟨bundle⟩\n",
        "FROM node:20-slim\nONBUILD RUN npm ⟨install⟩\n",
        "FROM node:20-slim\nRUN <<EOF\nnpm ⟨ci⟩\nEOF\n",
    ],
)
def test_dev_deps_flagged(marked: str) -> None:
    check(DEV, marked)


def test_dev_deps_fix_in_exec_form_and_heredoc() -> None:
    exec_form = fixed(DEV, 'FROM node:20-slim\nRUN ["npm", "ci"]\n')
    assert exec_form == 'FROM node:20-slim\nRUN ["npm", "ci", "--omit=dev"]\n'
    heredoc = fixed(DEV, "FROM node:20-slim\nRUN <<EOF\nnpm ci\nEOF\n")
    assert heredoc == "FROM node:20-slim\nRUN <<EOF\nnpm ci --omit=dev\nEOF\n"
    clean(DEV, exec_form)
    clean(DEV, heredoc)


def test_dev_deps_fix_keeps_crlf_and_backtick_continuations() -> None:
    text = "# escape=`\r\nFROM node:20-slim\r\nRUN npm ci `\r\n    && npm cache clean --force\r\n"
    out = fixed(DEV, text)
    assert out == (
        "# escape=`\r\nFROM node:20-slim\r\nRUN npm ci --omit=dev `\r\n"
        "    && npm cache clean --force\r\n"
    )
    clean(DEV, out)


def test_dev_deps_copied_node_modules_from_a_build_stage() -> None:
    (f,) = check(
        DEV,
        "FROM node:20 AS builder\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
        "RUN npm run build\n\nFROM node:20-slim\nWORKDIR /app\n"
        "COPY --from=builder ⟨/app/node_modules⟩ ./node_modules\n"
        "COPY --from=builder /app/dist ./dist\n",
    )
    assert "stage `builder`" in f.message and f.related[0].span.start.line == 3
    clean(
        DEV,
        "FROM node:20 AS deps\nRUN npm ci --omit=dev\n"
        "FROM node:20-slim\nCOPY --from=deps /app/node_modules ./node_modules\n",
    )


@pytest.mark.parametrize(
    "marked",
    [
        # node_modules from a stage that got them from another one
        "FROM node:22 AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n"
        "FROM node:22 AS build\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\n"
        "COPY . .\nRUN npm run build\nFROM node:22-slim\nWORKDIR /app\n"
        "COPY --from=build ⟨/app/node_modules⟩ ./node_modules\nCOPY --from=build /app/dist ./dist\n"
        'CMD ["node", "dist/index.js"]\n',
        # the application directory, node_modules inside
        "FROM oven/bun:1 AS build\nWORKDIR /srv\nCOPY package.json bun.lock ./\nRUN bun install\n"
        "COPY . .\nRUN bun run build\nFROM oven/bun:1-slim\nCOPY --from=build ⟨/srv⟩ /srv\n"
        'CMD ["bun", "/srv/dist/index.js"]\n',
        "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n"
        "FROM node:22-slim\nWORKDIR /app\nCOPY --from=build ⟨/app/⟩ ./\n",
        # a virtualenv wherever it is, and installs with a development group
        "FROM python:3.13 AS build\nRUN python -m venv /opt/env\nCOPY pyproject.toml .\n"
        "RUN /opt/env/bin/pip install --group dev .\nFROM python:3.13-slim\n"
        "COPY --from=build ⟨/opt/env⟩ /opt/env\n",
        "FROM python:3.12 AS build\nENV VIRTUAL_ENV=/opt/pyenv\nRUN python -m venv $VIRTUAL_ENV\n"
        "RUN poetry install --with dev --no-root\nFROM python:3.12-slim\n"
        "COPY --from=build ⟨/opt/pyenv⟩ /opt/pyenv\n",
        "FROM python:3.12 AS build\nRUN pip install --no-cache-dir -r requirements-dev.txt\n"
        "FROM python:3.12-slim\nCOPY --from=build ⟨/usr/local⟩ /usr/local\n",
        "FROM python:3.12 AS build\nRUN pip install --group test .\nFROM python:3.12-slim\n"
        "COPY --from=build ⟨/usr/local/lib/python3.12/site-packages⟩ "
        "/usr/local/lib/python3.12/site-packages\n",
        "FROM python:3.12 AS build\nRUN pip install --user -r requirements/test.txt\n"
        "FROM python:3.12-slim\nCOPY --from=build ⟨/root/.local⟩ /root/.local\n",
        # a venv copied on through a second stage
        "FROM python:3.12 AS deps\nWORKDIR /app\nRUN uv sync --frozen\n"
        "FROM python:3.12 AS app\nCOPY --from=deps /app/.venv /opt/venv\n"
        "FROM python:3.12-slim\nCOPY --from=app ⟨/opt/venv⟩ /opt/venv\n",
    ],
)
def test_dev_deps_reach_the_final_image_through_another_stage(marked: str) -> None:
    (f,) = check(DEV, marked)
    assert "from stage" in f.message and "reach the final image" in f.message


def test_dev_deps_from_a_stage_that_copied_them_name_where_they_were_installed() -> None:
    (f,) = check(
        DEV,
        "FROM node:22 AS deps\nWORKDIR /app\nRUN npm ci\nFROM node:22 AS build\n"
        "COPY --from=deps /app/node_modules /app/node_modules\nFROM node:22-slim\n"
        "COPY --from=build ⟨/app⟩ /app\n",
    )
    assert "line 3 of stage `deps`" in f.message and "into /app/node_modules" in f.message
    assert f.related[0].span.start.line == 2


@pytest.mark.parametrize(
    "text",
    [
        # a builder whose output is copied selectively
        "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
        "FROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\n"
        "COPY --from=build /app/package.json ./\n",
        # production dependencies in a stage of their own, or pruned before the copy
        "FROM node:22 AS prod\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n"
        "FROM node:22-slim\nCOPY --from=prod /app/node_modules ./node_modules\n",
        "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n"
        "RUN npm prune --omit=dev\nFROM node:22-slim\nCOPY --from=build /app /app\n",
        "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
        "RUN rm -rf node_modules\nFROM node:22-slim\nCOPY --from=build /app /app\n",
        "FROM node:22 AS deps\nWORKDIR /app\nRUN npm ci\nFROM node:22 AS build\nWORKDIR /app\n"
        "COPY --from=deps /app/node_modules ./node_modules\nRUN npm prune --production\n"
        "FROM node:22-slim\nCOPY --from=build /app/node_modules /app/node_modules\n",
        "FROM node:22 AS deps\nWORKDIR /app\nRUN npm ci\nFROM node:22 AS build\nWORKDIR /app\n"
        "COPY --from=deps /app/node_modules ./node_modules\nFROM build AS pruned\n"
        "RUN npm prune --omit=dev\nFROM node:22-slim\nCOPY --from=pruned /app /app\n",
        # a part of the installed tree, and what lies beside it
        "FROM python:3.12 AS build\nRUN pip install -r requirements-dev.txt\n"
        "FROM python:3.12-slim\nCOPY --from=build /usr/local/bin/app /usr/local/bin/app\n",
        "FROM python:3.12 AS build\nENV UV_PROJECT_ENVIRONMENT=/usr/local\nRUN uv sync --locked\n"
        "FROM python:3.12-slim\nCOPY --from=build /usr/local/bin/ /usr/local/bin/\n",
        # uv's dev group is there only if the project declares one: a guess about where
        # it went is not made on top of that one
        "FROM python:3.12 AS build\nENV UV_PROJECT_ENVIRONMENT=/usr/local\nRUN uv sync --locked\n"
        "FROM python:3.12-slim\nCOPY --from=build /usr/local/lib/python3.12/site-packages/ "
        "/usr/local/lib/python3.12/site-packages/\n",
        "FROM python:3.13-slim AS build\nRUN python -m venv /venv\n"
        "RUN /venv/bin/pip install --group prod .\nFROM python:3.13-slim\n"
        "COPY --from=build /venv /venv\n",
        # the whole filesystem is DKL206's finding
        "FROM node:22 AS build\nRUN npm ci\nFROM node:22-slim\nCOPY --from=build / /\n",
    ],
)
def test_dev_deps_through_another_stage_traps_are_clean(text: str) -> None:
    clean(DEV, text)


def test_dev_deps_through_a_long_chain_of_stages_are_reported_once() -> None:
    # Each stage copies the dependencies twice: what a stage holds is kept once per
    # install and place, or the work would double with every stage.
    parts = ["FROM node:22 AS s0\nWORKDIR /app\nRUN npm ci\n"]
    for i in range(1, 60):
        parts.append(
            f"FROM node:22 AS s{i}\nWORKDIR /app\n"
            f"COPY --from=s{i - 1} /app/node_modules ./node_modules\n"
            f"COPY --from=s{i - 1} /app /app\n"
        )
    parts.append('FROM node:22-slim\nCOPY --from=s59 /app /app\nCMD ["node", "."]\n')
    (f,) = findings(DEV, "".join(parts))
    assert "line 3 of stage `s0`" in f.message


def test_dev_deps_pruned_in_a_later_layer_still_ship() -> None:
    (f,) = check(
        DEV,
        "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ⟨ci⟩\nCOPY . .\n"
        'RUN npm run build\nRUN npm prune --production\nCMD ["node", "dist/index.js"]\n',
    )
    assert "`npm prune --production` on line 7 deletes them in a later layer" in f.message
    assert "the layer of line 4 still holds them" in f.message and f.fixes == ()
    assert f.related[0].span.start.line == 6
    (f,) = check(
        DEV,
        "FROM node:22-slim\nRUN yarn ⟨install⟩\nRUN yarn build\n"
        'RUN yarn workspaces focus --production\nCMD ["node", "dist/index.js"]\n',
    )
    assert "`yarn workspaces focus --production` on line 4" in f.message
    (f,) = check(
        DEV,
        "FROM node:22-slim AS base\nRUN npm ⟨ci⟩\nFROM base\nRUN npm ci --omit=dev\n"
        'CMD ["node", "index.js"]\n',
    )
    assert "`npm ci --omit=dev` on line 4" in f.message


def test_dev_deps_pip_dependency_groups() -> None:
    check(DEV, "FROM python:3.13-slim\nRUN pip install --group ⟨dev⟩ .\n")
    check(
        DEV, "FROM python:3.13-slim\nRUN uv pip install --system --group ⟨pyproject.toml:test⟩ .\n"
    )
    clean(DEV, "FROM python:3.13-slim\nRUN pip install --group docs-build --group main .\n")


def test_dev_deps_and_npm_ci_fixes_combine() -> None:
    text = "FROM node:20-slim\nCOPY package.json package-lock.json ./\nRUN npm install\n"
    out = fix_all(text, (DEV, NPM))
    assert (
        out == "FROM node:20-slim\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n"
    )
    clean(DEV, out)
    clean(NPM, out)


# -- DKL205 npm-install-in-build -------------------------------------------------


def test_npm_install_with_a_copied_lockfile_is_fixed_safely() -> None:
    text = "FROM node:20 AS build\nCOPY package.json package-lock.json ./\nRUN npm install\n"
    (f,) = check(NPM, text.replace("npm install", "npm ⟨install⟩"))
    assert [(x.title, x.safe) for x in f.fixes] == [
        ("Use npm ci (installs exactly package-lock.json)", True)
    ]
    out = fixed(NPM, text)
    assert out.endswith("RUN npm ci\n")
    clean(NPM, out)


@pytest.mark.parametrize(
    "marked",
    [
        "FROM node:20\nRUN npm ⟨i⟩\n",
        "FROM node:20\nRUN npm ⟨install⟩ --legacy-peer-deps && npm install -g typescript\n",
        "FROM node:20\nONBUILD RUN npm ⟨install⟩\n",
        "FROM node:20 AS deps\nRUN npm ⟨install⟩ --omit=dev\nFROM node:20-slim\n",
        'FROM node:20\nRUN ["npm", ⟨"install"⟩]\n',
    ],
)
def test_npm_install_flagged(marked: str) -> None:
    check(NPM, marked)


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20\nRUN npm ci\n",
        "FROM node:20\nRUN npm install -g pnpm@9\n",
        "FROM node:20\nRUN npm install --global nodemon\n",
        "FROM node:20\nRUN npm install express@4\n",
        "FROM node:20\nRUN npm run install-deps\n",
    ],
)
def test_npm_install_clean(text: str) -> None:
    clean(NPM, text)


def test_npm_install_fix_safety_follows_what_is_known_of_the_lockfile() -> None:
    glob = "FROM node:20\nCOPY package*.json ./\nRUN npm install\n"
    assert titles(NPM, glob) == [("Use npm ci (fails if package-lock.json is missing)", False)]
    assert titles(NPM, glob, WITH_LOCK) == [
        ("Use npm ci (installs exactly package-lock.json)", True)
    ]
    (f,) = findings(NPM, glob, NO_LOCK)
    assert f.fixes == () and "no package-lock.json" in f.message
    only_manifest = "FROM node:20\nCOPY package.json ./\nRUN npm install\n"
    (f,) = findings(NPM, only_manifest, WITH_LOCK)
    assert f.fixes == () and "Copy package-lock.json along with package.json" in f.message
    mounted = (
        "FROM node:20\nRUN --mount=type=bind,source=package-lock.json,target=package-lock.json \\\n"
        "    --mount=type=bind,source=package.json,target=package.json npm install\n"
    )
    assert titles(NPM, mounted)[0][1] is True


def test_npm_install_fix_in_exec_form() -> None:
    text = 'FROM node:20\nCOPY package-lock.json package.json ./\nRUN ["npm", "install"]\n'
    assert fixed(NPM, text).endswith('RUN ["npm", "ci"]\n')
    clean(NPM, fixed(NPM, text))


# -- DKL206 whole-filesystem-copied-from-stage -------------------------------------


def test_whole_filesystem_copy_flags_the_root_source() -> None:
    (f,) = check(
        WHOLE,
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\n"
        "FROM alpine:3.20\nCOPY --from=build ⟨/⟩ /\n",
    )
    assert "stage `build`" in f.message and f.related[0].span.start.line == 0
    check(WHOLE, "FROM debian:12 AS a\nFROM debian:12-slim\nCOPY --from=0 ⟨.⟩ /srv\n")
    check(WHOLE, 'FROM debian:12 AS a\nFROM debian:12-slim\nCOPY --from=a [⟨"/"⟩, "/"]\n')


@pytest.mark.parametrize(
    "text",
    [
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n"
        "FROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\n",
        # a stage FROM scratch only holds what was put there on purpose
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch AS export\n"
        "COPY --from=build /out/app /app\nFROM alpine:3.20\nCOPY --from=export / /\n",
        # an external image, not a stage
        "FROM alpine:3.20\nCOPY --from=docker/buildx-bin:0.16 / /usr/libexec/docker/cli-plugins\n",
        # the copy lands in a stage that does not ship
        "FROM debian:12 AS a\nFROM debian:12 AS b\nCOPY --from=a / /\nFROM debian:12-slim\n",
    ],
)
def test_whole_filesystem_copy_clean(text: str) -> None:
    clean(WHOLE, text)


def test_whole_filesystem_copy_honours_hadolint_pragma() -> None:
    text = "FROM debian:12 AS a\nFROM debian:12-slim\n# hadolint ignore=DL3067\nCOPY --from=a / /\n"
    clean(WHOLE, text)


# -- robustness ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "FROM",
        "FROM node:20\nRUN",
        "FROM node:20\nRUN npm",
        "FROM node:20\nRUN apt-get install -y 'unterminated",
        "FROM node:20\nCOPY --from= / /\n",
        "FROM node:20 AS a\nFROM a AS b\nFROM b\nRUN npm ci\n",
        "ONBUILD RUN npm install\n",
        "FROM node:20\nONBUILD\n",
        "FROM python:3.12\nRUN pip install -r\n",
        "FROM node:20\nRUN <<EOF\nnpm install\n",
    ],
)
def test_odd_input_never_breaks_the_rules(text: str) -> None:
    result = analyze(text, Settings(select=(FULL, TOOLS, SINGLE, DEV, NPM, WHOLE)))
    assert not [f for f in result.findings if f.code == "DKL000"]
