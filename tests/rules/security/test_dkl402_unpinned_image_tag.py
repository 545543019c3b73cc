"""DKL402 unpinned-image-tag: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean

TAG = "DKL402"


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
