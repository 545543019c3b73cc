"""Odd, half-typed input never breaks the stage rules (DKL201 to DKL206)."""

from __future__ import annotations

import pytest

from dockerls.analysis import analyze
from dockerls.config import Settings
from tests.rules.stages.rule_codes import DEV, FULL, NPM, SINGLE, TOOLS, WHOLE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "FROM",
        "FROM node:20\nRUN",
        "FROM node:20\nRUN npm",
        "FROM node:20\nRUN apt-get install -y 'unterminated",
        "FROM node:20\nCOPY --from= / /\n",
        "FROM node:20 AS a\nFROM a AS b\nFROM b\nRUN npm ci\n",
        "ONBUILD RUN npm install\n",
        "FROM node:20\nONBUILD\n",
        "FROM python:3.12\nRUN pip install -r\n",
        "FROM node:20\nRUN <<EOF\nnpm install\n",
    ],
)
def test_odd_input_never_breaks_the_rules(text: str) -> None:
    result = analyze(text, Settings(select=(FULL, TOOLS, SINGLE, DEV, NPM, WHOLE)))
    assert not [f for f in result.findings if f.code == "DKL000"]
