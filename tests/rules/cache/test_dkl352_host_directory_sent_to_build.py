"""DKL352 host-directory-sent-to-build: flagged and clean cases."""

from __future__ import annotations

import pytest

from dockerls.context import BuildContext
from tests.rulecheck import check, clean
from tests.test_context import ctx as context


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
