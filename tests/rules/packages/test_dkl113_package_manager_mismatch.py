"""DKL113 package-manager-mismatch: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import MISMATCH


def test_mismatch_apk_on_debian_and_apt_on_alpine() -> None:
    (f,) = check(MISMATCH, "FROM python:3.12-slim\nRUN ⟨apk⟩ add --no-cache curl\n")
    assert "apt" in f.message
    check(
        MISMATCH,
        "FROM node:20-alpine AS build\nRUN ⟨apt-get⟩ update\nFROM build\nRUN ⟨yum⟩ install -y x\n",
    )


def test_mismatch_no_package_manager_and_rpm_variants() -> None:
    (f,) = check(
        MISMATCH,
        'FROM gcr.io/distroless/static-debian12 AS a\nRUN [⟨"apt-get"⟩, "install", "x"]\n'
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN ⟨dnf⟩ install -y x\n"
        "FROM amazonlinux:2\nRUN ⟨dnf⟩ install -y x\n",
    )[:1]
    assert "no package manager" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12-slim\nRUN apt-get update",
        "FROM alpine:3.20\nRUN apk add --no-cache curl",
        "FROM fedora:40\nRUN yum install -y x && dnf install -y y",
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y x",
        # scripts written for several distributions
        "FROM alpine:3.20\nRUN if command -v apt-get; then apt-get install -y x; "
        "else apk add x; fi",
        "FROM debian:bookworm\nRUN apk add x || apt-get install -y x",
        # the manager was installed first
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y dnf\n"
        "RUN dnf install -y x",
        # unknown image: silent
        "FROM example.com/custom:1\nRUN apk add x",
        "FROM ${BASE}\nRUN apk add x",
    ],
)
def test_mismatch_clean(text: str) -> None:
    clean(MISMATCH, text + "\n")
