"""The base-image knowledge base: data validity, classification, alternatives, packages."""

from __future__ import annotations

import copy
import csv
import json
import re
import subprocess
import sys
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerls.knowledge import images
from dockerls.knowledge.images import (
    ImageInfo,
    KnowledgeDataError,
    alternatives,
    classify,
    families,
    family_notes,
    is_build_package,
    package_kind,
    parse_knowledge,
    parse_reference,
)
from tests.corpus import CORPUS, SKIP_REASON


def _raw() -> dict[str, Any]:
    text = resources.files("dockerls.knowledge").joinpath("images.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _info(reference: str) -> ImageInfo:
    info = classify(reference)
    assert info is not None, reference
    return info


# --------------------------------------------------------------------------- the data file


def test_json_is_package_data_and_loads() -> None:
    assert resources.files("dockerls.knowledge").joinpath("images.json").is_file()
    kb = parse_knowledge(_raw())
    assert len(kb.families) >= 30


REQUIRED_FAMILIES = [
    "node",
    "python",
    "golang",
    "ruby",
    "php",
    "openjdk",
    "eclipse-temurin",
    "amazoncorretto",
    "maven",
    "gradle",
    "rust",
    "dotnet",
    "dotnet-framework",
    "debian",
    "ubuntu",
    "alpine",
    "distroless",
    "chainguard",
    "scratch",
    "nginx",
    "httpd",
    "tomcat",
    "buildpack-deps",
    "centos",
    "rockylinux",
    "almalinux",
    "fedora",
    "ubi",
    "amazonlinux",
    "busybox",
    "bun",
    "windows",
]


def test_required_families_present() -> None:
    ids = {f.id for f in families()}
    assert set(REQUIRED_FAMILIES) <= ids


def test_every_family_is_complete() -> None:
    for fam in families():
        assert fam.variants, fam.id
        assert not fam.variants[-1].matches, f"{fam.id}: last variant must be the catch-all"
        assert len({v.id for v in fam.variants}) == len(fam.variants)
        assert fam.notes and all(n.strip() for n in fam.notes), fam.id
        assert fam.images, fam.id


def test_every_size_is_labelled() -> None:
    count = 0
    for fam in families():
        for variant in fam.variants:
            for size in variant.sizes:
                count += 1
                assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2]|Q[1-4])", size.as_of), size
                assert re.fullmatch(r"linux/[a-z0-9]+", size.arch), size
                assert size.measured and size.citation
                assert size.mb >= 0
                if size.approx:
                    assert size.basis, size
    assert count >= 20


def test_repo_info_figures_match_the_research() -> None:
    node = _info("node:24")
    compressed = node.size("compressed")
    assert compressed is not None
    assert (compressed.mb, compressed.arch, compressed.measured) == (
        439.4,
        "linux/amd64",
        "node:24-trixie",
    )
    assert not compressed.approx
    assert "repo-info" in compressed.citation
    slim = _info("node:24-slim").size("compressed")
    alpine = _info("node:24-alpine").size("compressed")
    assert slim is not None and alpine is not None
    assert (slim.mb, alpine.mb) == (85.3, 58.2)
    py = _info("python:3.12").size("uncompressed")
    assert py is not None and py.mb == 1110
    assert "~439 MB compressed (node:24-trixie, linux/amd64" in compressed.describe()


def _mutated(edit: Any) -> dict[str, Any]:
    data = copy.deepcopy(_raw())
    edit(data)
    return data


def _family(data: dict[str, Any], ident: str) -> dict[str, Any]:
    fam: dict[str, Any] = next(f for f in data["families"] if f["id"] == ident)
    return fam


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: _family(d, "node")["variants"][0].update(colour="red"), "unknown key"),
        (lambda d: _family(d, "node")["variants"][0].update(libc="bionic"), "not one of"),
        (lambda d: _family(d, "node").update(variants=[]), "at least one variant"),
        (
            lambda d: _family(d, "node")["variants"][0]["sizes"][0].pop("arch"),
            "expected a non-empty string",
        ),
        (
            lambda d: _family(d, "node")["variants"][0]["sizes"][0].update(as_of="mid-2026"),
            "YYYY-MM",
        ),
        (
            lambda d: _family(d, "node")["variants"][0]["sizes"][0].update(approx=True),
            "needs a basis",
        ),
        (
            lambda d: _family(d, "node")["variants"][0]["sizes"][0].update(source="blog"),
            "sources table",
        ),
        (lambda d: _family(d, "node")["variants"].reverse(), "catch-all"),
        (
            lambda d: _family(d, "node")["variants"][2]["alternatives"][0].update(tag=["{colour}"]),
            "unknown placeholder",
        ),
        (lambda d: _family(d, "node")["variants"][0]["match"][0].update(tag="(("), "regular"),
        (lambda d: d.update(schema_version=2), "schema_version"),
        (
            lambda d: _family(d, "maven")["runtime_default"].update(version="latest"),
            "not a JDK major",
        ),
        (lambda d: _family(d, "maven")["runtime_default"].update(as_of="2026"), "YYYY-MM"),
        (lambda d: _family(d, "maven")["runtime_default"].update(source="blog"), "sources"),
        (lambda d: _family(d, "maven")["runtime_default"].pop("detail"), "detail"),
        (lambda d: _family(d, "gradle")["runtime_default"].update(tag="(("), "regular"),
        (lambda d: d["families"].append(copy.deepcopy(d["families"][0])), "duplicate"),
    ],
)
def test_bad_data_is_rejected(edit: Any, message: str) -> None:
    with pytest.raises(KnowledgeDataError, match=message):
        parse_knowledge(_mutated(edit))


def test_loading_compiles_every_pattern_or_none(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests load the data with every expression compiled, so a bad one fails here,
    # not in an editor: that needs ``_patterns`` to reach every expression made.
    made: list[images._Pattern] = []

    def recorded(pattern: str, where: str) -> images._Pattern:
        made.append(images._Pattern(pattern, where))
        return made[-1]

    monkeypatch.setattr(images, "_regex", recorded)
    kb = parse_knowledge(_raw(), compile_patterns=False)
    assert len(made) > 200
    assert {id(p) for p in images._patterns(kb)} == {id(p) for p in made}
    assert not any(p._compiled for p in made)  # the server's start-up compiles what it uses
    lazily = len(made)
    parse_knowledge(_raw())
    assert len(made) == 2 * lazily and all(p._compiled for p in made[lazily:])


def test_a_bad_pattern_loaded_lazily_fails_when_used() -> None:
    data = _mutated(lambda d: _family(d, "node")["variants"][0]["match"][0].update(tag="(("))
    kb = parse_knowledge(data, compile_patterns=False)
    with pytest.raises(KnowledgeDataError, match=r"families\[node\].variants.*bad regular"):
        for pattern in images._patterns(kb):
            pattern.search("x")


def test_patterns_compare_as_expressions() -> None:
    a, b = images._Pattern("a+", "here"), images._Pattern("a+", "there")
    assert a == b and hash(a) == hash(b) and a != images._Pattern("a*", "here")
    assert a.fullmatch("aa") and not a.fullmatch("ab") and a.search("ba")


def _python(code: str) -> str:
    """What a fresh interpreter running ``code`` prints."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


def test_loading_is_lazy_and_fast() -> None:
    code = (
        "import time, dockerls.knowledge as k, dockerls.knowledge.images as m\n"
        "assert m._kb.cache_info().currsize == 0\n"
        "t = time.perf_counter(); m._kb(); print(time.perf_counter() - t)\n"
    )
    out = _python(code)
    assert float(out) < 1.0  # measured around 15 ms; generous for slow CI machines


def test_loading_imports_little() -> None:
    # importlib.resources would bring tempfile, shutil, zipfile and more to read one file.
    code = (
        "import sys, dockerls.knowledge as k\n"
        "assert k.classify('python:3.12-slim') is not None\n"
        "print(sorted({'importlib.resources', 'zipfile', 'tempfile'} & set(sys.modules)))\n"
    )
    assert _python(code).strip() == "[]"


def test_no_protocol_imports() -> None:
    source = resources.files("dockerls.knowledge").joinpath("images.py").read_text("utf-8")
    assert "pygls" not in source and "lsprotocol" not in source


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("node", "docker.io", "library/node", None, None),
        ("node:20", "docker.io", "library/node", "20", None),
        ("docker.io/library/node:20", "docker.io", "library/node", "20", None),
        ("docker.io/node:20", "docker.io", "library/node", "20", None),
        ("index.docker.io/library/node", "docker.io", "library/node", None, None),
        ("oven/bun:1", "docker.io", "oven/bun", "1", None),
        ("localhost:5000/node:20", "localhost:5000", "node", "20", None),
        ("localhost/node", "localhost", "node", None, None),
        (
            "gcr.io/distroless/static-debian12:nonroot",
            "gcr.io",
            "distroless/static-debian12",
            "nonroot",
            None,
        ),
        ("node@sha256:" + "a" * 64, "docker.io", "library/node", None, "sha256:" + "a" * 64),
        ("node:24@sha256:" + "b" * 64, "docker.io", "library/node", "24", "sha256:" + "b" * 64),
        ("NODE:20", "docker.io", "library/node", "20", None),
        ('"node:20"', "docker.io", "library/node", "20", None),
        ('debian:"trixie-slim"', "docker.io", "library/debian", "trixie-slim", None),
        ("node:", "docker.io", "library/node", None, None),
    ],
)
def test_parse_reference(
    text: str, registry: str, repository: str, tag: str | None, digest: str | None
) -> None:
    ref = parse_reference(text)
    assert ref is not None
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (
        registry,
        repository,
        tag,
        digest,
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        ":20",
        "@sha256:" + "a" * 64,
        "node:20 AS build",
        "$BASE",
        "${IMG}:1",
        "a//b",
        "node@",
        "node@sha256",
        "node:bad/tag",
        "-node",
        "node:🙂",
    ],
)
def test_parse_reference_rejects(text: str) -> None:
    assert parse_reference(text) is None


# --------------------------------------------------------------------------- classification

# reference, family, variant, libc, package manager, toolchain, full base
CLASSIFY = [
    ("node:20", "node", "full", "glibc", "apt", True, True),
    ("node", "node", "full", "glibc", "apt", True, True),
    ("node:latest", "node", "full", "glibc", "apt", True, True),
    ("node:lts", "node", "full", "glibc", "apt", True, True),
    ("node:20-bookworm", "node", "full", "glibc", "apt", True, True),
    ("node:lts-buster", "node", "full", "glibc", "apt", True, True),
    ("node:20-slim", "node", "slim", "glibc", "apt", False, False),
    ("node:slim", "node", "slim", "glibc", "apt", False, False),
    ("node:20-bookworm-slim", "node", "slim", "glibc", "apt", False, False),
    ("node:17.0.1-bullseye-slim", "node", "slim", "glibc", "apt", False, False),
    ("node:20-alpine", "node", "alpine", "musl", "apk", False, False),
    ("node:14.17.3-alpine3.14", "node", "alpine", "musl", "apk", False, False),
    ("node:lts-alpine", "node", "alpine", "musl", "apk", False, False),
    ("docker.io/library/python:3.12-slim-bookworm", "python", "slim", "glibc", "apt", False, False),
    ("python:3.12", "python", "full", "glibc", "apt", True, True),
    ("python:onbuild", "python", "full", "glibc", "apt", True, True),
    ("python:3.14.6-alpine@sha256:" + "c" * 64, "python", "alpine", "musl", "apk", False, False),
    (
        "python:3.14-windowsservercore-ltsc2022",
        "python",
        "windows",
        "windows",
        "none",
        False,
        False,
    ),
    ("golang", "golang", "full", "glibc", "apt", True, True),
    ("golang:1.22", "golang", "full", "glibc", "apt", True, True),
    ("golang:1.21.4-bullseye", "golang", "full", "glibc", "apt", True, True),
    ("golang:1.25-alpine3.22", "golang", "alpine", "musl", "apk", True, False),
    ("ruby:3.0.0", "ruby", "full", "glibc", "apt", True, True),
    ("ruby:3.3-slim-bookworm", "ruby", "slim", "glibc", "apt", False, False),
    ("rails:onbuild", "rails", "full", "glibc", "apt", True, True),
    ("php:8.3", "php", "cli", "glibc", "apt", False, True),
    ("php:8.1-apache", "php", "apache", "glibc", "apt", False, False),
    ("php:8.3-fpm-alpine", "php", "alpine", "musl", "apk", False, False),
    ("openjdk:8-jdk-alpine", "openjdk", "jdk-alpine", "musl", "apk", True, False),
    ("openjdk:17-jdk-slim", "openjdk", "jdk-slim", "glibc", "apt", True, False),
    ("openjdk:11-jre-slim", "openjdk", "jre-slim", "glibc", "apt", False, False),
    ("java:8", "openjdk", "jdk", "glibc", "apt", True, True),
    ("eclipse-temurin:17", "eclipse-temurin", "jdk", "glibc", "apt", True, True),
    ("eclipse-temurin:21-jdk-noble", "eclipse-temurin", "jdk", "glibc", "apt", True, True),
    ("eclipse-temurin:21-jre", "eclipse-temurin", "jre", "glibc", "apt", False, False),
    ("eclipse-temurin:17-jre-focal", "eclipse-temurin", "jre", "glibc", "apt", False, False),
    ("eclipse-temurin:21-jre-alpine", "eclipse-temurin", "jre-alpine", "musl", "apk", False, False),
    ("eclipse-temurin:21-jdk-alpine", "eclipse-temurin", "jdk-alpine", "musl", "apk", True, False),
    (
        "eclipse-temurin:21-jre-ubi9-minimal",
        "eclipse-temurin",
        "jre-ubi",
        "glibc",
        "microdnf",
        False,
        False,
    ),
    ("amazoncorretto:21", "amazoncorretto", "jdk", "glibc", "yum", True, True),
    ("amazoncorretto:21-al2023-headless", "amazoncorretto", "jre", "glibc", "yum", False, False),
    ("amazoncorretto:8-alpine-jre", "amazoncorretto", "jre-alpine", "musl", "apk", False, False),
    ("maven", "maven", "full", "glibc", "apt", True, True),
    ("maven:3.8.5-eclipse-temurin-17", "maven", "full", "glibc", "apt", True, True),
    ("maven:3-eclipse-temurin-21-alpine", "maven", "alpine", "musl", "apk", True, False),
    ("maven:3-amazoncorretto-21", "maven", "corretto", "glibc", "yum", True, True),
    ("gradle:7.5.1-jdk11", "gradle", "full", "glibc", "apt", True, True),
    ("gradle:8-jdk21-alpine", "gradle", "alpine", "musl", "apk", True, False),
    ("rust:latest", "rust", "full", "glibc", "apt", True, True),
    ("rust:1-slim", "rust", "slim", "glibc", "apt", True, False),
    ("rust:1-alpine3.20", "rust", "alpine", "musl", "apk", True, False),
    ("mcr.microsoft.com/dotnet/sdk:8.0", "dotnet", "sdk", "glibc", "apt", True, True),
    ("mcr.microsoft.com/dotnet/sdk:8.0-alpine", "dotnet", "sdk-alpine", "musl", "apk", True, False),
    ("mcr.microsoft.com/dotnet/aspnet:8.0", "dotnet", "runtime", "glibc", "apt", False, False),
    ("mcr.microsoft.com/dotnet/runtime:7.0", "dotnet", "runtime", "glibc", "apt", False, False),
    (
        "mcr.microsoft.com/dotnet/aspnet:8.0-alpine",
        "dotnet",
        "runtime-alpine",
        "musl",
        "apk",
        False,
        False,
    ),
    (
        "mcr.microsoft.com/dotnet/runtime-deps:10.0.0-noble-chiseled",
        "dotnet",
        "chiseled",
        "glibc",
        "none",
        False,
        False,
    ),
    ("mcr.microsoft.com/dotnet/core/sdk:3.1", "dotnet", "sdk", "glibc", "apt", True, True),
    (
        "mcr.microsoft.com/dotnet/framework/sdk:4.8.1",
        "dotnet-framework",
        "sdk",
        "windows",
        "none",
        True,
        False,
    ),
    (
        "microsoft/dotnet-framework:4.7.2-sdk-windowsservercore-1803",
        "dotnet-framework",
        "sdk",
        "windows",
        "none",
        True,
        False,
    ),
    (
        "mcr.microsoft.com/dotnet/framework/aspnet:4.8.1",
        "dotnet-framework",
        "runtime",
        "windows",
        "none",
        False,
        False,
    ),
    ("debian:bookworm-slim", "debian", "slim", "glibc", "apt", False, False),
    ("debian:12.6-slim", "debian", "slim", "glibc", "apt", False, False),
    ("debian:bullseye-20210902-slim", "debian", "slim", "glibc", "apt", False, False),
    ("debian:bookworm", "debian", "full", "glibc", "apt", False, False),
    ("ubuntu:24.04", "ubuntu", "standard", "glibc", "apt", False, False),
    ("alpine", "alpine", "standard", "musl", "apk", False, False),
    ("docker.io/library/alpine:3.24", "alpine", "standard", "musl", "apk", False, False),
    ("busybox", "busybox", "glibc", "glibc", "none", False, False),
    ("busybox:1.36-musl", "busybox", "musl", "musl", "none", False, False),
    ("gcr.io/distroless/static", "distroless", "static", "none", "none", False, False),
    (
        "gcr.io/distroless/static-debian12:nonroot",
        "distroless",
        "static",
        "none",
        "none",
        False,
        False,
    ),
    ("gcr.io/distroless/base-debian12", "distroless", "base", "glibc", "none", False, False),
    (
        "gcr.io/distroless/base-nossl-debian13",
        "distroless",
        "base-nossl",
        "glibc",
        "none",
        False,
        False,
    ),
    ("gcr.io/distroless/cc-debian13:debug", "distroless", "cc", "glibc", "none", False, False),
    ("gcr.io/distroless/nodejs24-debian13", "distroless", "nodejs", "glibc", "none", False, False),
    ("gcr.io/distroless/python3-debian12", "distroless", "python3", "glibc", "none", False, False),
    (
        "gcr.io/distroless/java21-debian13:nonroot",
        "distroless",
        "java",
        "glibc",
        "none",
        False,
        False,
    ),
    ("gcr.io/distroless/java-base-debian12", "distroless", "java", "glibc", "none", False, False),
    ("cgr.dev/chainguard/static", "chainguard", "static", "none", "none", False, False),
    ("cgr.dev/chainguard/node:latest", "chainguard", "minimal", "glibc", "none", False, False),
    ("cgr.dev/chainguard/python:latest-dev", "chainguard", "minimal", "glibc", "apk", False, False),
    ("cgr.dev/chainguard/go:latest", "chainguard", "toolchain", "glibc", "none", True, False),
    ("cgr.dev/chainguard/wolfi-base", "chainguard", "wolfi-base", "glibc", "apk", False, False),
    ("scratch", "scratch", "scratch", "none", "none", False, False),
    ("nginx:1.21.6", "nginx", "debian", "glibc", "apt", False, False),
    ("nginx:alpine", "nginx", "alpine", "musl", "apk", False, False),
    ("nginx:stable-alpine-slim", "nginx", "alpine-slim", "musl", "apk", False, False),
    (
        "nginxinc/nginx-unprivileged:1.27-alpine",
        "nginx",
        "unprivileged-alpine",
        "musl",
        "apk",
        False,
        False,
    ),
    ("httpd:2.4", "httpd", "debian", "glibc", "apt", False, False),
    ("httpd:2.4-alpine", "httpd", "alpine", "musl", "apk", False, False),
    ("tomcat:9.0", "tomcat", "jdk", "glibc", "apt", False, False),
    ("tomcat:10.1-jre21-temurin-noble", "tomcat", "jre", "glibc", "apt", False, False),
    ("buildpack-deps", "buildpack-deps", "full", "glibc", "apt", True, False),
    ("buildpack-deps:bookworm-curl", "buildpack-deps", "curl", "glibc", "apt", False, False),
    ("buildpack-deps:noble-scm", "buildpack-deps", "scm", "glibc", "apt", False, False),
    ("centos:7", "centos", "centos7", "glibc", "yum", False, False),
    ("centos:8", "centos", "centos8", "glibc", "dnf", False, False),
    ("quay.io/centos/centos:stream9", "centos", "stream", "glibc", "dnf", False, False),
    ("rockylinux:9", "rockylinux", "standard", "glibc", "dnf", False, False),
    ("rockylinux:9-minimal", "rockylinux", "minimal", "glibc", "microdnf", False, False),
    ("almalinux:8", "almalinux", "standard", "glibc", "dnf", False, False),
    ("almalinux/9-minimal", "almalinux", "minimal", "glibc", "microdnf", False, False),
    ("fedora:40", "fedora", "standard", "glibc", "dnf", False, False),
    ("registry.access.redhat.com/ubi9/ubi:9.4", "ubi", "standard", "glibc", "dnf", False, False),
    (
        "registry.access.redhat.com/ubi9/ubi-minimal",
        "ubi",
        "minimal",
        "glibc",
        "microdnf",
        False,
        False,
    ),
    ("registry.access.redhat.com/ubi8-micro", "ubi", "micro", "glibc", "none", False, False),
    ("redhat/ubi9", "ubi", "standard", "glibc", "dnf", False, False),
    ("amazonlinux:2", "amazonlinux", "al2", "glibc", "yum", False, False),
    ("amazonlinux:2023", "amazonlinux", "al2023", "glibc", "dnf", False, False),
    ("oraclelinux:9-slim", "oraclelinux", "slim", "glibc", "microdnf", False, False),
    (
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        "windows",
        "servercore",
        "windows",
        "none",
        False,
        False,
    ),
    (
        "mcr.microsoft.com/windows/nanoserver:ltsc2022",
        "windows",
        "nanoserver",
        "windows",
        "none",
        False,
        False,
    ),
    ("oven/bun:1", "bun", "debian", "glibc", "apt", False, False),
    ("oven/bun:1-alpine", "bun", "alpine", "musl", "apk", False, False),
    ("oven/bun:1-distroless", "bun", "distroless", "glibc", "none", False, False),
    ("nvidia/cuda:12.4.1-devel-ubuntu22.04", "cuda", "devel", "glibc", "apt", True, False),
    ("nvidia/cuda:12.4.0-base-ubuntu22.04", "cuda", "base", "glibc", "apt", False, False),
    (
        "tiangolo/uvicorn-gunicorn:python3.11",
        "python-web-stacks",
        "full",
        "glibc",
        "apt",
        True,
        True,
    ),
    (
        "tiangolo/uvicorn-gunicorn-fastapi:python3.9-slim",
        "python-web-stacks",
        "slim",
        "glibc",
        "apt",
        False,
        False,
    ),
    (
        "nikolaik/python-nodejs:python3.8-nodejs12",
        "python-nodejs",
        "full",
        "glibc",
        "apt",
        True,
        True,
    ),
    ("ghcr.io/astral-sh/uv:0.11.16", "uv", "binary", "none", "none", False, False),
    ("ghcr.io/astral-sh/uv:python3.12-bookworm-slim", "uv", "slim", "glibc", "apt", False, False),
    (
        "lukemathwalker/cargo-chef:latest-rust-1.85.1",
        "cargo-chef",
        "full",
        "glibc",
        "apt",
        True,
        True,
    ),
    ("jupyter/scipy-notebook", "jupyter", "notebook", "glibc", "apt", False, False),
    ("grafana/k6", "k6", "k6", "musl", "apk", False, False),
]


@pytest.mark.parametrize(("reference", "expected"), [(row[0], row[1:]) for row in CLASSIFY])
def test_classify(reference: str, expected: tuple[str, str, str, str, bool, bool]) -> None:
    info = _info(reference)
    got = (
        info.family,
        info.variant,
        info.libc,
        info.package_manager,
        info.is_toolchain,
        info.is_full_language_base,
    )
    assert got == expected
    assert not info.mirror


# reference, default user, non-root, shell, builtin user
USERS = [
    ("node:20", "root", False, True, "node"),
    ("python:3.12-slim", "root", False, True, None),
    ("gcr.io/distroless/static-debian12", "root", False, False, None),
    ("gcr.io/distroless/static-debian12:nonroot", "nonroot", True, False, "nonroot"),
    ("gcr.io/distroless/cc-debian12:debug-nonroot", "nonroot", True, True, "nonroot"),
    ("gcr.io/distroless/base-debian12:debug", "root", False, True, None),
    ("nginx:1.27", "root", False, True, None),
    ("nginxinc/nginx-unprivileged", "nginx", True, True, "nginx"),
    ("grafana/k6:latest", "k6", True, True, "k6"),
    ("jupyter/base-notebook", "jovyan", True, True, "jovyan"),
    ("quay.io/jupyter/minimal-notebook:2024-05-27", "jovyan", True, True, "jovyan"),
    ("mcr.microsoft.com/windows/nanoserver:ltsc2022", "ContainerUser", True, True, None),
    ("mcr.microsoft.com/windows/servercore:ltsc2022", "ContainerAdministrator", False, True, None),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022", "ContainerUser", True, True, None),
    ("golang:1.22-windowsservercore-ltsc2022", "ContainerAdministrator", False, True, None),
    ("scratch", "root", False, False, None),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled", "app", True, False, "app"),
    ("cgr.dev/chainguard/node", "65532", True, False, None),
    ("cgr.dev/chainguard/node:latest-dev", "65532", True, True, None),
    ("cgr.dev/chainguard/wolfi-base", "root", False, True, None),
    ("oven/bun:1", "root", False, True, "bun"),
    ("alpine:3.20", "root", False, True, None),
]


@pytest.mark.parametrize(("reference", "user", "non_root", "shell", "builtin"), USERS)
def test_users_and_shell(
    reference: str, user: str, non_root: bool, shell: bool, builtin: str | None
) -> None:
    info = _info(reference)
    assert (info.default_user, info.non_root, info.shell, info.builtin_user) == (
        user,
        non_root,
        shell,
        builtin,
    )


def test_distroless_nonroot_uid_and_modifiers() -> None:
    info = _info("gcr.io/distroless/static-debian12:debug-nonroot")
    assert info.default_uid == 65532
    assert info.modifiers == ("debug", "nonroot")
    assert any("busybox" in n for n in info.notes)
    assert _info("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled").default_uid == 1654


# reference, version, suite, runtime version
VERSIONS = [
    ("node:20.11-bookworm", "20.11", "bookworm", None),
    ("node:lts-alpine3.20", "lts", "alpine3.20", None),
    ("node:slim", None, None, None),
    ("node:latest", None, None, None),
    ("node@sha256:" + "d" * 64, None, None, None),
    ("python:3.13-slim-bookworm", "3.13", "bookworm", None),
    ("eclipse-temurin:25.0.3_9-jre-alpine", "25.0.3_9", "alpine", None),
    ("eclipse-temurin:17-jre-focal", "17", "focal", None),
    ("maven:3.8.5-eclipse-temurin-17", "3.8.5", None, "17"),
    ("maven:3-amazoncorretto-21-debian-bookworm", "3", "bookworm", "21"),
    ("gradle:7.5.1-jdk11", "7.5.1", None, "11"),
    ("gradle:jdk21-alpine", None, "alpine", "21"),
    ("tomcat:9.0-jdk17-temurin-jammy", "9.0", "jammy", "17"),
    ("mcr.microsoft.com/dotnet/sdk:10.0.100-noble", "10.0.100", "noble", None),
    ("gcr.io/distroless/nodejs24-debian13", "24", "debian13", None),
    ("gcr.io/distroless/static-debian12", None, "debian12", None),
    ("debian:bookworm-slim", "bookworm", "bookworm", None),
    ("golang:1.25-alpine3.22", "1.25", "alpine3.22", None),
    ("amazoncorretto:17-al2023-headless", "17", "al2023", None),
    ("mcr.microsoft.com/windows/servercore:ltsc2022", "ltsc2022", None, None),
    ("python:3.14-windowsservercore-ltsc2022", "3.14", "windowsservercore-ltsc2022", None),
    ("registry.access.redhat.com/ubi9", "9", "ubi9", None),
]


@pytest.mark.parametrize(("reference", "version", "suite", "runtime"), VERSIONS)
def test_versions_and_suites(
    reference: str, version: str | None, suite: str | None, runtime: str | None
) -> None:
    info = _info(reference)
    assert (info.version, info.suite, info.runtime_version) == (version, suite, runtime)


def test_version_helpers() -> None:
    info = _info("node:20.11.1-bookworm")
    assert (info.major, info.major_minor) == ("20", "20.11")
    assert _info("amazoncorretto:8u402-al2023").major == "8"
    assert _info("node:lts").major is None


def test_tag_and_digest_are_kept() -> None:
    digest = "sha256:" + "e" * 64
    info = _info(f"docker.io/library/node:24@{digest}")
    assert (info.tag, info.digest, info.name) == ("24", digest, "docker.io/library/node")
    assert (info.registry, info.repository) == ("docker.io", "library/node")


@pytest.mark.parametrize(
    "reference",
    [
        "localhost:5000/node:20",
        "registry.example.com/library/node:20",
        "public.ecr.aws/docker/library/node:20",
        "mirror.gcr.io/library/node:20",
        "harbor.example.com/dockerhub/library/node:20",
    ],
)
def test_mirrors_of_official_images(reference: str) -> None:
    info = _info(reference)
    assert (info.family, info.variant, info.version) == ("node", "full", "20")
    assert info.mirror


@pytest.mark.parametrize(
    "reference",
    [
        "ghcr.io/someone/node:20",  # someone's own image that happens to be called node
        "example.com/team/python:3.12",
        "myorg/node:20",  # a Docker Hub user repository, not the official image
        "localhost:5000/scratch",
        "gcr.io/someone/distroless",
        "python-parent",
        "hkotel/crfpp",
        "mcr.microsoft.com/mssql/server:2022-latest",
    ],
)
def test_unknown_images(reference: str) -> None:
    assert classify(reference) is None


def test_uppercase_is_folded() -> None:
    info = _info("NODE:20-SLIM")
    assert (info.family, info.variant, info.tag) == ("node", "slim", "20-SLIM")
    assert alternatives(_info("Node:20"))[0].reference == "node:20-slim"


ODD_INPUT: list[object] = [
    "",
    " ",
    "\t\n",
    "$BASE_IMAGE",
    "${NODE_IMAGE}",
    "node:${NODE_VERSION}",
    "node:$V-alpine",
    "scratch",
    "SCRATCH",
    "@sha256:" + "a" * 64,
    "node@sha256:" + "a" * 64,
    "node@sha256:zz",
    "localhost:5000/node:20",
    "node:20 AS build",
    "--platform=linux/amd64 node:20",
    ":",
    "::",
    "/",
    "//",
    "node:",
    "node:20:21",
    "a" * 10_000,
    "ñode:20",
    "node:20\x00",
    "http://example.com/node:20",
    "[::1]:5000/node:20",
    None,
    42,
    b"node:20",
    ["node:20"],
]


@pytest.mark.parametrize("value", ODD_INPUT)
def test_odd_input_never_raises(value: object) -> None:
    info = classify(value)  # type: ignore[arg-type]
    if info is not None:
        alternatives(info)
        family_notes(info.family)
    parse_reference(value)  # type: ignore[arg-type]
    package_kind(value)  # type: ignore[arg-type]
    family_notes(value)  # type: ignore[arg-type]
    alternatives(value)  # type: ignore[arg-type]


def test_variables_are_not_resolved_here() -> None:
    assert classify("node:${NODE_VERSION}") is None
    assert classify("$BASE") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_classify(text: str) -> None:
    info = classify(text)
    if info is not None:
        for alt in alternatives(info):
            assert alt.reference


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([row[0].split(":")[0].split("@")[0] for row in CLASSIFY]),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,30}", fullmatch=True),
)
def test_fuzz_tags_of_known_images(name: str, tag: str) -> None:
    info = classify(f"{name}:{tag}")
    assert info is not None
    for alt in alternatives(info):
        assert parse_reference(alt.reference) is not None, alt.reference


# --------------------------------------------------------------------------- alternatives

ALTERNATIVES = [
    (
        "node:20",
        [
            ("node:20-slim", "slim"),
            ("node:20-alpine", "alpine"),
            ("gcr.io/distroless/nodejs20-debian12:nonroot", "distroless"),
        ],
    ),
    (
        "node:20.11-bookworm",
        [
            ("node:20.11-bookworm-slim", "slim"),
            ("node:20.11-alpine", "alpine"),
            ("gcr.io/distroless/nodejs20-debian12:nonroot", "distroless"),
        ],
    ),
    (
        "node:24",
        [
            ("node:24-slim", "slim"),
            ("node:24-alpine", "alpine"),
            ("gcr.io/distroless/nodejs24-debian13:nonroot", "distroless"),
        ],
    ),
    ("node:lts", [("node:lts-slim", "slim"), ("node:lts-alpine", "alpine")]),
    ("node", [("node:slim", "slim"), ("node:alpine", "alpine")]),
    ("docker.io/library/node:22", [("docker.io/library/node:22-slim", "slim")]),
    ("python:3.12", [("python:3.12-slim", "slim"), ("python:3.12-alpine", "alpine")]),
    (
        "python:3.13-bookworm",
        [
            ("python:3.13-slim-bookworm", "slim"),
            ("python:3.13-alpine", "alpine"),
            ("gcr.io/distroless/python3-debian13:nonroot", "distroless"),
        ],
    ),
    ("python:3.11-slim", [("gcr.io/distroless/python3-debian12:nonroot", "distroless")]),
    ("ruby:3.3", [("ruby:3.3-slim", "slim"), ("ruby:3.3-alpine", "alpine")]),
    ("php:8.3", [("php:8.3-alpine", "alpine")]),
    (
        "golang:1.22",
        [
            ("gcr.io/distroless/static-debian13:nonroot", "static"),
            ("scratch", "scratch"),
            ("gcr.io/distroless/base-debian13:nonroot", "distroless"),
            ("golang:1.22-alpine", "alpine"),
        ],
    ),
    (
        "rust:1.80-bookworm",
        [
            ("gcr.io/distroless/cc-debian13:nonroot", "distroless"),
            ("debian:bookworm-slim", "slim"),
            ("gcr.io/distroless/static-debian13:nonroot", "static"),
            ("scratch", "scratch"),
            ("rust:1.80-slim-bookworm", "slim"),
        ],
    ),
    (
        "eclipse-temurin:21",
        [
            ("eclipse-temurin:21-jre", "jre"),
            ("eclipse-temurin:21-jre-alpine", "alpine"),
            ("gcr.io/distroless/java21-debian13:nonroot", "distroless"),
        ],
    ),
    ("eclipse-temurin:21.0.4_7-jdk-noble", [("eclipse-temurin:21.0.4_7-jre-noble", "jre")]),
    ("eclipse-temurin:21-jdk-alpine", [("eclipse-temurin:21-jre-alpine", "alpine")]),
    ("openjdk:8", [("eclipse-temurin:8-jre", "jre"), ("eclipse-temurin:8-jre-alpine", "alpine")]),
    ("amazoncorretto:21", [("amazoncorretto:21-al2023-headless", "jre")]),
    (
        "amazoncorretto:8",
        [("amazoncorretto:8-al2023-jre", "jre"), ("amazoncorretto:8-alpine-jre", "alpine")],
    ),
    (
        "maven:3.9-eclipse-temurin-21",
        [
            ("eclipse-temurin:21-jre", "jre"),
            ("eclipse-temurin:21-jre-alpine", "alpine"),
            ("gcr.io/distroless/java21-debian13:nonroot", "distroless"),
        ],
    ),
    (
        "gradle:7.5.1-jdk11",
        [("eclipse-temurin:11-jre", "jre"), ("eclipse-temurin:11-jre-alpine", "alpine")],
    ),
    (
        "mcr.microsoft.com/dotnet/sdk:8.0",
        [
            ("mcr.microsoft.com/dotnet/aspnet:8.0", "runtime"),
            ("mcr.microsoft.com/dotnet/runtime:8.0", "runtime"),
            ("mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled", "distroless"),
            ("mcr.microsoft.com/dotnet/aspnet:8.0-alpine", "alpine"),
            ("mcr.microsoft.com/dotnet/runtime-deps:8.0", "runtime"),
        ],
    ),
    (
        "mcr.microsoft.com/dotnet/sdk:10.0.100-noble",
        [("mcr.microsoft.com/dotnet/aspnet:10.0-noble", "runtime")],
    ),
    ("mcr.microsoft.com/dotnet/sdk:6.0", [("mcr.microsoft.com/dotnet/aspnet:6.0", "runtime")]),
    (
        "mcr.microsoft.com/dotnet/aspnet:8.0",
        [("mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled", "distroless")],
    ),
    ("debian:bookworm", [("debian:bookworm-slim", "slim")]),
    ("debian:12.6", [("debian:12.6-slim", "slim")]),
    ("debian", [("debian:stable-slim", "slim")]),
    ("nginx:1.27", [("nginx:1.27-alpine", "alpine"), ("nginx:1.27-alpine-slim", "alpine")]),
    ("nginx:1.21.6", [("nginx:1.21.6-alpine", "alpine")]),
    ("tomcat:9.0-jdk17-temurin-jammy", [("tomcat:9.0-jre17", "jre")]),
    (
        "buildpack-deps:bookworm",
        [("debian:bookworm-slim", "slim"), ("buildpack-deps:bookworm-curl", "os")],
    ),
    ("rockylinux:9", [("rockylinux:9-minimal", "minimal")]),
    (
        "registry.access.redhat.com/ubi9/ubi:9.4",
        [("registry.access.redhat.com/ubi9/ubi-minimal:9.4", "minimal")],
    ),
    (
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        [("mcr.microsoft.com/windows/nanoserver:ltsc2022", "minimal")],
    ),
    (
        "nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04",
        [("nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04", "runtime")],
    ),
    (
        "oven/bun:1.1",
        [
            ("oven/bun:1.1-slim", "slim"),
            ("oven/bun:1.1-alpine", "alpine"),
            ("oven/bun:1.1-distroless", "distroless"),
        ],
    ),
    (
        "tiangolo/uvicorn-gunicorn:python3.11",
        [("tiangolo/uvicorn-gunicorn:python3.11-slim", "slim"), ("python:3.11-slim", "slim")],
    ),
    (
        "nikolaik/python-nodejs:python3.12-nodejs22-bookworm",
        [("nikolaik/python-nodejs:python3.12-nodejs22-slim", "slim")],
    ),
]


@pytest.mark.parametrize(("reference", "expected"), ALTERNATIVES)
def test_alternatives(reference: str, expected: list[tuple[str, str]]) -> None:
    got = [(a.reference, a.kind) for a in alternatives(_info(reference))]
    assert got[: len(expected)] == expected


@pytest.mark.parametrize(
    "reference",
    [
        "node:lts-slim",  # distroless needs a numeric major
        "node:20-alpine",
        "python:3.12-slim",
        "alpine:3.20",
        "scratch",
        "gcr.io/distroless/static-debian12",
        "eclipse-temurin:21-jre",
        "ubuntu:24.04",
        "maven:3.9.9",  # no JDK major in the tag, and no recorded default for it
        "tomcat:9.0",
    ],
)
def test_no_alternatives(reference: str) -> None:
    assert alternatives(_info(reference)) == []


def test_alternatives_drop_the_digest_and_carry_facts() -> None:
    alts = alternatives(_info("node:24@sha256:" + "f" * 64))
    slim = alts[0]
    assert slim.reference == "node:24-slim"
    assert slim.info is not None and slim.info.variant == "slim"
    size = slim.size("compressed")
    assert size is not None and size.mb == 85.3
    assert slim.sizes == slim.info.sizes
    assert "native" in slim.caveat
    assert "musl" in alts[1].caveat


def test_windows_images_get_no_linux_alternatives() -> None:
    refs = [
        a.reference
        for a in alternatives(_info("mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022"))
    ]
    assert refs == [
        "mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022",
        "mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022",
        "mcr.microsoft.com/dotnet/runtime-deps:8.0-nanoserver-ltsc2022",
    ]
    temurin = [
        a.reference
        for a in alternatives(_info("eclipse-temurin:21-jdk-windowsservercore-ltsc2022"))
    ]
    assert temurin == ["eclipse-temurin:21-jre-windowsservercore-ltsc2022"]


def test_every_suggestion_is_a_known_smaller_image() -> None:
    """Each alternative classifies, is not a toolchain unless it says so, and parses."""
    checked = 0
    for row in CLASSIFY + [(r, *([None] * 6)) for r, _ in ALTERNATIVES]:
        info = _info(str(row[0]))
        for alt in alternatives(info):
            checked += 1
            assert parse_reference(alt.reference) is not None, alt.reference
            assert alt.info is not None, f"{info.reference} -> {alt.reference} is not classified"
            assert not alt.info.is_full_language_base, alt.reference
            if alt.kind in ("distroless", "static", "scratch"):
                assert alt.info.shell is False and alt.info.package_manager == "none"
            if alt.kind == "alpine":
                assert alt.info.libc == "musl", alt.reference
            assert alt.caveat and len(alt.caveat) < 160
    assert checked > 80


def test_full_bases_have_a_smaller_alternative() -> None:
    for row in CLASSIFY:
        info = _info(str(row[0]))
        if info.is_full_language_base and info.family not in ("maven", "gradle", "rails"):
            assert alternatives(info), info.reference


# --------------------------------------------------------------------------- notes


def test_family_notes_for_every_family() -> None:
    for fam in families():
        notes = family_notes(fam.id)
        assert notes is not None
        assert notes.bullets and notes.name
        assert all(len(b) < 400 for b in notes.bullets), fam.id


@pytest.mark.parametrize(
    ("family", "words"),
    [
        ("node", ["unofficial", "sharp", "musl", "USER node"]),
        ("python", ["manylinux", "musllinux", "wheel"]),
        ("golang", ["CGO_ENABLED=0", "scratch", "distroless"]),
        ("eclipse-temurin", ["-jre", "JDK"]),
        ("distroless", ["exec", ":debug", "65532"]),
        ("scratch", ["static", "CA certificates"]),
        ("alpine", ["musl", "DNS"]),
        ("dotnet", ["chiseled", "runtime-deps"]),
    ],
)
def test_family_notes_teach_the_right_things(family: str, words: list[str]) -> None:
    notes = family_notes(family)
    assert notes is not None
    text = " ".join(notes.bullets)
    for word in words:
        assert word in text, (family, word)
    assert notes.sources


def test_family_notes_unknown_and_case() -> None:
    assert family_notes("cobol") is None
    assert family_notes("") is None
    notes = family_notes(" Node ")
    assert notes is not None and notes.family == "node"


# --------------------------------------------------------------------------- packages

BUILD = [
    ("build-essential", "apt-get"),
    ("gcc", "apt-get"),
    ("g++", "apk"),
    ("gcc-12", "apt-get"),
    ("clang-17", "apt"),
    ("make", None),
    ("cmake", "dnf"),
    ("autoconf", "apk"),
    ("automake", "apt-get"),
    ("libtool", "apt-get"),
    ("pkg-config", "apt-get"),
    ("pkgconf", "apk"),
    ("python3-dev", "apt-get"),
    ("python3.11-dev", "apt-get"),
    ("python3-devel", "dnf"),
    ("libpq-dev", "apt-get"),
    ("libpq-dev:amd64", "apt-get"),
    ("libpq-dev=15.4-0+deb12u1", "apt-get"),
    ("php-dev", "apt-get"),
    ("php8.3-dev", "apt-get"),
    ("build-base", "apk"),
    ("musl-dev", "apk"),
    ("linux-headers", "apk"),
    ("linux-headers-amd64", "apt-get"),
    ("openssl-dev", "apk"),
    ("zlib-dev~1.3", "apk"),
    ("gcc-c++", "yum"),
    ("glibc-devel.x86_64", "dnf"),
    ("@development-tools", "dnf"),
    ("openjdk-17-jdk-headless", "apt-get"),
    ("libc6-dev", "apt-get"),
    ("$PHPIZE_DEPS", "apk"),
    ('"gcc"', "apt-get"),
]

RUNTIME = [
    ("libpq5", "apt-get"),
    ("libpq", "apk"),
    ("ca-certificates", "apt-get"),
    ("git", "apt-get"),
    ("curl", "apk"),
    ("tzdata", None),
    ("libssl3", "apt-get"),
    ("libjpeg62-turbo", "apt-get"),
    ("libstdc++6", "apt-get"),
    ("openssl-libs", "dnf"),
    ("postgresql-client", "apt-get"),
    ("openjdk-17-jre-headless", "apt-get"),
    ("tini", "apk"),
]

UNKNOWN = ["", "-y", "--no-install-recommends", ".build-deps", "${PKGS}", "htop", "udev", "vim"]


@pytest.mark.parametrize(("name", "manager"), BUILD)
def test_build_packages(name: str, manager: str | None) -> None:
    assert is_build_package(name, manager)
    assert package_kind(name, manager) == "build"


@pytest.mark.parametrize(("name", "manager"), RUNTIME)
def test_runtime_lookalikes(name: str, manager: str | None) -> None:
    assert not is_build_package(name, manager)
    assert package_kind(name, manager) == "runtime"


@pytest.mark.parametrize("name", UNKNOWN)
def test_unknown_packages(name: str) -> None:
    assert package_kind(name, "apt-get") == "unknown"
    assert not is_build_package(name)


def test_package_manager_specific_names() -> None:
    assert is_build_package("build-base", "apk")
    assert is_build_package("build-base")  # unknown manager: every list applies
    assert not is_build_package("build-base", "apt-get")
    assert is_build_package("gcc", "some-new-manager")


# --------------------------------------------------------------------------- corpus


def _manifest() -> dict[str, set[str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return {
            row["file"]: set(row["notes"].split(",")) for row in csv.DictReader(fh, delimiter="\t")
        }


@pytest.mark.skipif(not CORPUS.is_dir(), reason=SKIP_REASON)
def test_corpus_ground_truth() -> None:
    """Final-stage base images agree with the corpus tags full-base and root-user."""
    from dockerls.graph import build_graph
    from dockerls.syntax import parse

    checked = 0
    for name, tags in _manifest().items():
        doc = parse((CORPUS / name).read_bytes().decode("utf-8"))
        graph = build_graph(doc)
        if graph.final is None:
            continue
        ref = graph.root(graph.final).resolved_image
        info = classify(ref) if ref else None
        if info is None:
            continue
        checked += 1
        assert info.is_full_language_base == ("full-base" in tags), (name, ref)
        has_user = any(
            ins.name == "USER"
            for stage in doc.stages
            if graph.ships(stage)
            for ins in stage.instructions
        )
        if not has_user:
            assert info.non_root == ("root-user" not in tags), (name, ref)
    assert checked >= 100


@pytest.mark.parametrize(
    ("reference", "java"),
    [
        ("maven", "26"),
        ("maven:latest", "26"),
        ("maven:3", "26"),
        ("maven:3.9", "26"),
        ("maven:3.9.16", "26"),
        ("maven:3.9-eclipse-temurin", "26"),
        ("maven:eclipse-temurin", "26"),
        ("docker.io/library/maven:3.9", "26"),
        ("maven:3.9.9", None),  # an older patch: its image froze with whatever JDK was then
        ("maven@sha256:" + "a" * 64, None),  # a digest may be older than the record
        ("maven:3.8", None),
        ("maven:3-amazoncorretto", None),  # another JDK line's default, not recorded
        ("maven:3.9-eclipse-temurin-21", None),  # the tag says it: runtime_version
        ("gradle:8", "21"),
        ("gradle:8.14.3-jdk", "21"),
        ("gradle:8-noble", "21"),
        ("gradle", None),  # Gradle 9's plain tags: not recorded since Java 25
        ("gradle:jdk17", None),
    ],
)
def test_runtime_default_for_tags_without_java(reference: str, java: str | None) -> None:
    info = _info(reference)
    assert info.runtime_default == java
    if java is None:
        assert info.runtime_default_basis is None
    else:
        assert info.runtime_version is None
        basis = info.runtime_default_basis or ""
        assert "as of 20" in basis and ("docker-maven" in basis or "docker-gradle" in basis)
        assert alternatives(info)[0].reference == f"eclipse-temurin:{java}-jre"
