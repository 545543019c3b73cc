"""DKL407 shell-form-command: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean, findings, fixed

SHELL_FORM = "DKL407"


def test_shell_form_cmd_flagged_and_converted() -> None:
    text = "FROM node:20-slim\nCMD node server.js\n"
    check(SHELL_FORM, "FROM node:20-slim\nCMD ⟨node server.js⟩\n")
    new = fixed(SHELL_FORM, text)
    assert new == 'FROM node:20-slim\nCMD ["node", "server.js"]\n'
    clean(SHELL_FORM, new)


def test_shell_form_entrypoint_fix_is_safe_only_without_cmd() -> None:
    (f,) = findings(SHELL_FORM, "FROM eclipse-temurin:21-jre\nENTRYPOINT java -jar /app.jar\n")
    assert f.fixes[0].safe
    (g,) = findings(
        SHELL_FORM, 'FROM eclipse-temurin:21-jre\nENTRYPOINT java -jar /app.jar\nCMD ["--x"]\n'
    )
    assert not g.fixes[0].safe and "CMD" in g.fixes[0].title


@pytest.mark.parametrize(
    ("cmd", "json_form"),
    [
        ("exec gunicorn app:app", '["gunicorn", "app:app"]'),
        ('echo "hello world"', '["echo", "hello world"]'),
        ("echo 'say \"hi\"'", '["echo", "say \\"hi\\""]'),
        ("/app/bin/server --port=8080", '["/app/bin/server", "--port=8080"]'),
        ("node \\\n    server.js", '["node", "server.js"]'),
    ],
)
def test_shell_form_fix_variants(cmd: str, json_form: str) -> None:
    assert fixed(SHELL_FORM, f"FROM node:20\nCMD {cmd}\n") == f"FROM node:20\nCMD {json_form}\n"


@pytest.mark.parametrize(
    "cmd",
    [
        "node server.js > /var/log/app.log",
        "$HOME/bin/app",
        "npm run migrate && npm start",
        "cd /app && ./run",
        "java -jar *.jar",
        'locust --host="http://${FRONTEND_ADDR}"',
        "FOO=1 node server.js",
        "env FOO=1 node server.js",
        "node server.js &",
        "! node server.js",
        "{ node server.js; }",
        "node server.js # started by tini",
        "time node server.js",
    ],
)
def test_shell_form_needing_a_shell_gets_no_fix(cmd: str) -> None:
    (f,) = findings(SHELL_FORM, f"FROM node:20\nCMD {cmd}\n")
    assert not f.fixes


def test_shell_form_on_an_image_without_a_shell() -> None:
    (f,) = check(SHELL_FORM, "FROM gcr.io/distroless/static-debian12\nENTRYPOINT ⟨/app⟩\n")
    assert "cannot start" in f.message


def test_shell_form_onbuild() -> None:
    check(SHELL_FORM, "FROM node:20\nONBUILD CMD ⟨npm start⟩\n")


@pytest.mark.parametrize(
    "text",
    [
        'FROM node:20\nCMD ["node", "server.js"]\n',
        'FROM node:20\nSHELL ["/bin/bash", "-c"]\nCMD node server.js\n',
        'FROM node:20 AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\nCMD node server.js\n',
        "FROM node:20\nCMD ['node', 'server.js']\n",  # broken JSON: DKL004's finding
        "FROM node:20\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
        "FROM node:20\nCMD\n",
    ],
)
def test_shell_form_clean(text: str) -> None:
    clean(SHELL_FORM, text)


def test_shell_form_respects_a_comment_inside_the_continuation() -> None:
    (f,) = findings(SHELL_FORM, "FROM node:20\nCMD node \\\n# why\n    server.js\n")
    assert not f.fixes
