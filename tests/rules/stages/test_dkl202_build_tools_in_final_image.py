"""DKL202 build-tools-in-final-image: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings
from tests.rules.stages.rule_codes import TOOLS


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
