"""DKL529 undefined-variable: flagged, clean and fix cases."""

from __future__ import annotations

import pytest

from tests.markers import extract
from tests.rulecheck import check, clean, fixed
from tests.rules.roundtrip import roundtrip


def test_global_arg_not_redeclared_gets_declared() -> None:
    roundtrip(
        "DKL529",
        "ARG VERSION=1\nFROM alpine:3.20\nCOPY app-⟨${VERSION}⟩.jar /app.jar\n",
        "ARG VERSION=1\nFROM alpine:3.20\nARG VERSION\nCOPY app-${VERSION}.jar /app.jar\n",
    )


def test_only_the_first_use_declares_the_arg() -> None:
    first, second = check(
        "DKL529",
        "ARG VERSION=1\nFROM alpine:3.20\nCOPY app-⟨$VERSION⟩.jar /app.jar\n"
        "COPY app-⟨$VERSION⟩.pom /app.pom\n",
    )
    assert first.fixes and not second.fixes
    assert first.related[0].message == "declared here, before the first FROM"


def test_platform_arg_needs_declaring() -> None:
    roundtrip(
        "DKL529",
        "FROM alpine\n  copy ⟨$TARGETARCH⟩/bin /bin/\n",
        "FROM alpine\n  arg TARGETARCH\n  copy $TARGETARCH/bin /bin/\n",
    )


def test_misspelled_variable() -> None:
    roundtrip(
        "DKL529",
        "FROM a\nENV NODE_VERSION=1\nENV X=⟨$NODE_VERSON⟩\n",
        "FROM a\nENV NODE_VERSION=1\nENV X=$NODE_VERSION\n",
    )


@pytest.mark.parametrize(
    "marked",
    [
        "FROM a AS one\nARG APP=x\nFROM b\nWORKDIR /src/⟨$APP⟩\n",
        "FROM scratch\nCOPY ⟨$BIN⟩ /bin/\n",
        "FROM a\nCOPY ⟨$LATER⟩ /x/\nARG LATER=1\n",
        "FROM a\nRUN --mount=type=cache,target=⟨$TARGETARCH⟩ true\n",
    ],
)
def test_undefined_variable_flagged(marked: str) -> None:
    check("DKL529", marked)


def test_copy_heredoc_bodies_are_checked() -> None:
    # BuildKit expands a COPY/ADD heredoc body and reports "Usage of undefined variable"
    check("DKL529", "FROM scratch\nCOPY <<EOF /x\nhi ⟨$NAME⟩, 'don't' ⟨${OTHER}⟩ \\$NOT\nEOF\n")
    roundtrip(
        "DKL529",
        "ARG V=1\nFROM a\nCOPY <<EOF /x\nv=⟨${V}⟩ ${W:-w}\nEOF\n",
        "ARG V=1\nFROM a\nARG V\nCOPY <<EOF /x\nv=${V} ${W:-w}\nEOF\n",
    )


def test_proxy_args_are_only_predefined_in_run() -> None:
    # BuildKit: "Usage of undefined variable '$HTTP_PROXY'" outside RUN
    check("DKL529", "FROM scratch\nCOPY --chown=⟨$HTTP_PROXY⟩ a /b/\n")


@pytest.mark.parametrize(
    "text",
    [
        "FROM node:20\nENV PATH=/app/bin:$PATH\nWORKDIR $HOME\n",
        "FROM a\nENV LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/x\n",
        "FROM a AS one\nENV LD_LIBRARY_PATH=/x\nFROM b\nENV LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/y\n",
        "ARG VERSION=1\nFROM alpine\nCOPY ${VERSION:-1}.jar /app/\n",
        "FROM a\nRUN echo $UNDEFINED\n",
        "FROM a\nARG A=1 B=$A\n",
        "ARG VERSION=1\nFROM alpine\nARG VERSION\nCOPY app-$VERSION.jar /x\n",
        "FROM a AS base\nARG APP=x\nFROM base\nWORKDIR /src/$APP\n",
        "FROM a\nCOPY --chown=$HTTP_PROXY a /b/\n",  # no ARG in the file: the base's ENV?
        "FROM a\nONBUILD COPY $X /y/\n",
    ],
)
def test_undefined_variable_clean(text: str) -> None:
    clean("DKL529", text)


@pytest.mark.parametrize("name", ["VIRTUAL_EN\x03", "VIRTUAL_EN🐳"])
def test_undefined_variable_suggests_only_names_a_reference_can_spell(name: str) -> None:
    # `$VIRTUAL_EN🐳` reads as `$VIRTUAL_EN`: such a name is never suggested.
    clean("DKL529", f'FROM a\nENV {name}=/v\nENV PATH="$VIRTUAL_ENV/bin"\n')
    text = f'FROM a\nENV {name}=/v VIRTUAL_EM=/w\nENV PATH="⟨$VIRTUAL_ENV⟩/bin"\n'
    (f,) = check("DKL529", text)
    assert "'VIRTUAL_EM'" in f.message and name not in f.message
    assert fixed("DKL529", extract(text)[0]).endswith('ENV PATH="$VIRTUAL_EM/bin"\n')
