"""What the rule families share (``rules.common``, ``rules.managers``), and the
agreements between families that sharing it gives."""

from __future__ import annotations

import pytest

from dockerls.context import CONTEXT_EMPTY, PackageManager
from dockerls.graph import build_graph
from dockerls.rules.common import command_scopes, program, steps, unwrap
from dockerls.rules.engine import RuleContext
from dockerls.rules.managers import dependency_step
from dockerls.shell import Command
from dockerls.syntax import parse
from tests.rulecheck import check, clean, findings, fixed


def rule_context(text: str) -> RuleContext:
    doc = parse(text)
    return RuleContext(doc, build_graph(doc), CONTEXT_EMPTY)


def commands(run: str) -> tuple[Command, ...]:
    ctx = rule_context(f"FROM debian\nRUN {run}\n")
    (_, ins) = next(ctx.instructions("RUN"))
    return ctx.script(ins).commands


# --- programs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "name", "first_argument"),
    [
        ("python3 -m pip install x", "pip", "install"),
        ("python3.12 -m pip install x", "pip", "install"),
        ("npx --yes tsc -p .", "tsc", "-p"),
        ("pnpm exec vite build", "vite", "build"),
        ("bundle exec rake assets:precompile", "rake", "assets:precompile"),
        ("poetry run pip install x", "pip", "install"),
        ("sh ./gradlew build", "gradle", "build"),
        ("php composer.phar install", "composer", "install"),
        ("corepack yarn install", "yarn", "install"),
        ("/usr/bin/pip3.12 install x", "pip", "install"),
        ("./mvnw package", "mvn", "package"),
    ],
)
def test_unwrap_finds_the_program_that_does_the_work(
    run: str, name: str, first_argument: str
) -> None:
    (cmd,) = commands(run)
    view = unwrap(cmd)
    assert program(view.name) == name
    assert view.args[0].text == first_argument


@pytest.mark.parametrize(
    ("run", "manager", "word"),
    [
        ("npm ci", PackageManager.NPM, "ci"),
        ("npm install-clean", PackageManager.NPM, "install-clean"),
        ("corepack pnpm install --frozen-lockfile", PackageManager.PNPM, "install"),
        ("poetry sync", PackageManager.POETRY, "sync"),
        ("composer update", PackageManager.COMPOSER, "update"),
        ("python -m pip install -r requirements.txt", PackageManager.PIP, "install"),
    ],
)
def test_one_classifier_of_dependency_installs(
    run: str, manager: PackageManager, word: str
) -> None:
    (cmd,) = commands(run)
    step = dependency_step(cmd)
    assert step is not None and step.manager is manager and step.word.text == word


@pytest.mark.parametrize("run", ["npm install -g pnpm", "npm install --location=global x"])
def test_global_installs_are_not_dependency_installs(run: str) -> None:
    (cmd,) = commands(run)
    assert dependency_step(cmd) is None


# --- the builder's state -----------------------------------------------------------------------


def test_steps_follow_env_arg_workdir_and_user_down_the_from_chain() -> None:
    ctx = rule_context(
        "ARG BASE=/srv\nFROM debian AS base\nARG BASE\nARG LOCAL=1\nENV APP=$BASE/app\n"
        "WORKDIR $APP\nUSER app\nFROM base\nRUN true\n"
    )
    child = ctx.document.stages[1]
    (step,) = steps(ctx, child)[-1:]
    assert step.env == {"APP": "/srv/app"}  # ENV passes down the chain, ARG does not
    assert step.cwd == "/srv/app"
    assert step.scope.user is not None and step.scope.user.name == "app"


def test_env_wins_over_an_arg_and_unknown_values_are_marked() -> None:
    ctx = rule_context("FROM debian\nARG MODE=dev\nENV MODE=prod\nARG X\nENV Y=$X\nRUN true\n")
    step = steps(ctx, ctx.document.stages[0])[-1]
    assert step.env == {"MODE": "prod"}
    assert step.scope.unknown == {"Y"}


def test_onbuild_triggers_change_nothing_for_the_stage_itself() -> None:
    ctx = rule_context("FROM debian\nONBUILD ENV A=1\nONBUILD RUN true\nRUN true\n")
    trigger, regular = steps(ctx, ctx.document.stages[0])[1:]
    assert trigger.onbuild and trigger.env == {"A": "1"}
    assert not regular.onbuild and regular.env == {}


def test_command_scopes_follow_export_and_cd() -> None:
    ctx = rule_context(
        "FROM debian\nWORKDIR /app\n"
        "RUN X=1; export Y=2; cd sub && Z=3 make && (cd /tmp && ls) && pwd\n"
    )
    step = steps(ctx, ctx.document.stages[0])[-1]
    names = [c.name for c in ctx.script(step.ins).commands]
    scopes = dict(zip(names, command_scopes(ctx, step), strict=True))
    make, ls, pwd = scopes["make"], scopes["ls"], scopes["pwd"]
    assert make.env == {"Y": "2", "Z": "3"} and make.vars == {"X": "1", "Y": "2"}
    assert make.cwd == "/app/sub" and ls.cwd == "/tmp" and pwd.cwd == "/app/sub"


# --- one table of package managers -------------------------------------------------------------

PACKAGE_CACHE_RULES = ("DKL102", "DKL103", "DKL104", "DKL105", "DKL106", "DKL108")


@pytest.mark.parametrize(
    "text",
    [
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends curl\n",
        "FROM alpine:3.20\nRUN apk update && apk add curl\n",
        "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n",
        "FROM python:3.12-slim\nRUN python3 -m pip install -r requirements.txt\n",
        "FROM python:3.12-slim\nRUN uv pip install --system -r requirements.txt\n",
        "FROM python:3.12-slim\nRUN uv sync --frozen\n",
        "FROM python:3.12-slim\nRUN poetry install --only main\n",
        "FROM node:22-slim\nRUN npm ci --omit=dev\n",
        "FROM node:22-slim\nRUN yarn install --production\n",
        "FROM golang:1.23\nRUN go mod download && go build -o /app .\n",
        "FROM rust:1.80\nRUN cargo fetch\n",
        "FROM maven:3.9\nRUN mvn -B package\n",
        "FROM gradle:8\nRUN gradle build\n",
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet restore\n",
    ],
)
def test_the_cache_mounts_dkl304_adds_are_clean_for_the_package_rules(text: str) -> None:
    assert findings("DKL304", text), "DKL304 should offer a mount here"
    mounted = fixed("DKL304", text)
    for code in PACKAGE_CACHE_RULES:
        clean(code, mounted)


def test_a_cargo_build_keeps_its_target_directory_under_the_registry_mount() -> None:
    mounted = fixed("DKL304", "FROM rust:1.80\nRUN cargo build --release\n")
    (f,) = findings("DKL108", mounted)
    assert "target directory" in f.message and "registry" not in f.message


@pytest.mark.parametrize(
    "text",
    [
        "FROM python:3.12\nENV XDG_CACHE_HOME=/cache\n"
        "RUN --mount=type=cache,target=/cache/pip pip install flask\n",
        "FROM python:3.12\nARG SECRET\nENV PIP_NO_CACHE_DIR=$SECRET\nRUN pip install flask\n",
    ],
)
def test_cache_rules_read_the_same_variables(text: str) -> None:
    clean("DKL104", text)
    assert all(not f.fixes for f in findings("DKL304", text))


def test_an_empty_no_cache_variable_disables_nothing_for_either_rule() -> None:
    text = "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=\nRUN pip ⟨install⟩ flask\n"
    check("DKL104", text)
    check("DKL304", text)


# --- what sharing fixed ------------------------------------------------------------------------


def test_an_onbuild_env_does_not_configure_the_stages_own_runs() -> None:
    check("DKL104", "FROM python:3.12\nONBUILD ENV PIP_NO_CACHE_DIR=1\nRUN pip ⟨install⟩ flask\n")


def test_an_arg_does_not_reach_a_stage_built_from_its_stage() -> None:
    check(
        "DKL104",
        "FROM python:3.12 AS base\nARG PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip ⟨install⟩ x\n",
    )


def test_a_trigger_runs_under_the_user_and_shell_its_stage_ends_with() -> None:
    check(
        "DKL404",
        "FROM debian\nUSER app\nONBUILD USER root\nONBUILD RUN ⟨sudo⟩ apt-get update\n",
    )
    (f,) = findings(
        "DKL404", "FROM debian\nUSER app\nONBUILD USER root\nONBUILD RUN sudo apt-get update\n"
    )
    assert f.fixes[0].safe  # it runs as root
    clean("DKL407", 'FROM node:20\nONBUILD CMD node server.js\nSHELL ["/bin/bash", "-c"]\n')


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("DKL104", "FROM python:3.12-slim\nRUN poetry run pip ⟨install⟩ flask\n"),
        ("DKL106", "FROM node:22\nRUN corepack yarn ⟨install⟩\n"),
        ("DKL203", "FROM eclipse-temurin:21\nCOPY . .\nRUN ⟨sh ./gradlew build⟩\n"),
        ("DKL204", "FROM php:8.3\nCOPY . .\nRUN composer ⟨update⟩\n"),
        ("DKL204", "FROM python:3.12\nCOPY . .\nRUN poetry ⟨sync⟩\n"),
    ],
)
def test_launched_programs_and_every_install_spelling_are_seen(code: str, text: str) -> None:
    check(code, text)


def test_exporting_a_shell_variable_sets_it_for_later_commands() -> None:
    clean(
        "DKL204",
        'FROM node:20-slim\nRUN NODE_ENV=production; export NODE_ENV; npm ci\nCMD ["node", "x"]\n',
    )


def test_python_m_pytest_makes_a_test_image() -> None:
    clean(
        "DKL204",
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements-dev.txt\n"
        "CMD python -m pytest\n",
    )
