"""ONBUILD triggers run in a child build, after every instruction of this image: the package
rules relate a trigger only to what ran before it.
"""

from __future__ import annotations

from tests.rulecheck import check, clean
from tests.rules.packages.codes import ARCHIVE, CHOWN, LATER


def test_triggers_relate_only_to_what_ran_before_them() -> None:
    clean(CHOWN, "FROM node:20-slim\nONBUILD COPY . /app\nRUN chown -R node /app\n")
    clean(ARCHIVE, "FROM debian:bookworm\nONBUILD COPY a.tgz /tmp/\nRUN tar -xzf /tmp/a.tgz\n")
    clean(LATER, "FROM python:3.12-slim\nONBUILD RUN pip install x\nRUN pip cache purge\n")
    check(
        ARCHIVE,
        "FROM debian:bookworm\nONBUILD COPY a.tgz /tmp/\nONBUILD RUN ⟨tar⟩ -xzf /tmp/a.tgz\n",
    )
    check(LATER, "FROM python:3.12-slim\nRUN pip install x\nONBUILD RUN ⟨pip⟩ cache purge\n")
