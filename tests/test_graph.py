"""The stage graph: the final stage, the FROM chain that ships, COPY --from edges."""

from __future__ import annotations

from dockerls.graph import build_graph
from dockerls.syntax import parse

MULTI = """\
FROM node:20 AS deps
RUN npm ci
FROM deps AS build
RUN npm run build
FROM node:20-slim AS base
FROM base AS runtime
COPY --from=build /app/dist ./dist
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
RUN --mount=type=bind,from=deps,source=/x,target=/y true
FROM build AS test
"""


def test_last_stage_is_final_and_its_from_chain_ships() -> None:
    graph = build_graph(parse(MULTI))
    assert graph.final is not None and graph.final.name_lower == "test"
    assert graph.shipping == {0, 1, 4}


def test_target_stage_changes_what_ships() -> None:
    doc = parse(MULTI)
    graph = build_graph(doc, target="runtime")
    assert graph.final is doc.stages[3]
    assert graph.shipping == {2, 3}
    assert graph.root(doc.stages[3]) is doc.stages[2]
    assert graph.chain(doc.stages[4]) == (doc.stages[0], doc.stages[1], doc.stages[4])
    assert graph.parent(doc.stages[1]) is doc.stages[0]
    assert graph.parent(doc.stages[0]) is None


def test_copy_from_edges_name_stages_or_images() -> None:
    doc = parse(MULTI)
    graph = build_graph(doc)
    assert [(e.source and e.source.name_lower, e.image) for e in graph.edges] == [
        ("build", None),
        (None, "nginx:1.27"),
        ("deps", None),
    ]
    assert [e.instruction.name for e in graph.edges_from(doc.stages[0])] == ["RUN"]


def test_a_stage_named_later_or_tagged_is_an_image_not_a_parent() -> None:
    doc = parse("FROM later AS first\nFROM alpine:3 AS later\nFROM first:1\n")
    graph = build_graph(doc)
    assert graph.parents == (None, None, None)
    assert graph.is_single_stage() is False


def test_unknown_target_falls_back_to_the_last_stage() -> None:
    doc = parse("FROM a AS one\nFROM b AS two\n")
    assert build_graph(doc, target="nope").final is doc.stages[1]


def test_scripts_follow_the_active_shell_through_the_from_chain() -> None:
    from dockerls.context import CONTEXT_EMPTY
    from dockerls.rules.engine import RuleContext

    doc = parse(
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base\n"
        'SHELL ["powershell", "-Command"]\n'
        "RUN Invoke-WebRequest x\n"
        "FROM base\nRUN apt-get install y\n"
        'SHELL ["/bin/sh", "-c"]\nRUN apt-get install z\n'
    )
    ctx = RuleContext(doc, build_graph(doc), CONTEXT_EMPTY)
    runs = [i for s in doc.stages for i in s.instructions if i.name == "RUN"]
    assert [ctx.shell(r) for r in runs] == [
        ("powershell", "-Command"),
        ("powershell", "-Command"),
        ("/bin/sh", "-c"),
    ]
    assert [len(ctx.script(r).commands) for r in runs] == [0, 0, 1]


def test_a_stage_named_through_a_global_arg_is_a_parent() -> None:
    doc = parse(
        "ARG BASE=runtime\nFROM python:3.12-slim AS runtime\nRUN true\n"
        "FROM ${BASE}\nCMD x\nFROM ${UNKNOWN}\n"
    )
    graph = build_graph(doc, target="1")
    assert graph.parent(doc.stages[1]) is doc.stages[0]
    assert graph.shipping == {0, 1}
    assert graph.parent(doc.stages[2]) is None
