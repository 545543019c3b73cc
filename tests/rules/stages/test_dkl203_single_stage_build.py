"""DKL203 single-stage-build: spans, traps and fixes."""

from __future__ import annotations

import pytest

from dockerls.context import BuildContext, PackageJson
from tests.rulecheck import check, clean
from tests.rules.stages.rule_codes import SINGLE


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
