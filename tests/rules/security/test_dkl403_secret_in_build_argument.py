"""DKL403 secret-in-build-argument: spans, traps and fixes."""

from __future__ import annotations

import pytest

from dockerls.rules.security.dkl403_secret_in_build_argument import looks_secret
from tests.rulecheck import check, clean, findings

SECRET = "DKL403"


def test_secret_arg_and_env_names() -> None:
    check(
        SECRET,
        "ARG ⟨NPM_TOKEN⟩\nFROM node:20\nARG ⟨GITHUB_TOKEN⟩=x\n"
        "ENV ⟨DB_PASSWORD⟩=hunter2 NODE_ENV=production\nENV ⟨sa_password⟩ legacy form\n"
        "ENV ⟨AWS_SECRET_ACCESS_KEY⟩=x ⟨API_KEY⟩=y\n",
    )


def test_secret_in_onbuild() -> None:
    check(SECRET, "FROM node:20\nONBUILD ARG ⟨AUTH_TOKEN⟩\n")


@pytest.mark.parametrize(
    "name",
    [
        "PUBLIC_KEY",
        "GPG_KEY",
        "TOKEN_FILE",
        "PASSWORD_FILE",
        "MONKEY",
        "AUTHOR",
        "KEYRING",
        "NODE_VERSION",
        "SECRET_VERSION",
        "TOKEN_URL",
        "API_KEY_PATH",
    ],
)
def test_secret_allowed_names(name: str) -> None:
    assert not looks_secret(name)
    clean(SECRET, f"FROM alpine:3.20\nARG {name}\n")


@pytest.mark.parametrize(
    "name", ["password", "Api_Key", "APIKEY", "PWORD", "CREDENTIALS", "MY_SECRET_THING", "KEY"]
)
def test_secret_names(name: str) -> None:
    assert looks_secret(name)


def test_secret_message_says_where_it_ends_up() -> None:
    (arg,) = findings(SECRET, "FROM alpine:3.20\nARG TOKEN\n")
    (env,) = findings(SECRET, "FROM alpine:3.20\nENV TOKEN=x\n")
    assert "docker history" in arg.message and "docker inspect" in env.message
