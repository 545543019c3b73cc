"""``rules.build_state``: what the builder has set at each instruction, and the agreements
between families that sharing it gives."""

from __future__ import annotations

from dockerls.rules.build_state import command_scopes, steps
from tests.rulecheck import check, clean, findings
from tests.rules.contexts import rule_context


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


def test_exporting_a_shell_variable_sets_it_for_later_commands() -> None:
    clean(
        "DKL204",
        'FROM node:20-slim\nRUN NODE_ENV=production; export NODE_ENV; npm ci\nCMD ["node", "x"]\n',
    )
