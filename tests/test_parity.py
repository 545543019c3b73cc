"""Parity with the Node Dockerfile server, through real clients (VS Code and Neovim).

Every test that talks to the server runs once per capability profile of
``tests.lsp_helpers.CLIENTS``, and asserts what that profile should get (the position
encoding it negotiates, the shape of workspace edits, Markdown or plain text…).
``docs/parity.md`` maps each behaviour of the Node server to the test that proves ours.
The validator table at the end runs on the pure core: each check of dockerfile-utils
and the dockerls rule that reports the same mistake.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import pytest
from lsprotocol import types

from dockerls.analysis import analyze
from dockerls.config import Settings
from tests.lsp_helpers import (
    CLIENTS,
    URI,
    Client,
    apply_text_edits,
    capabilities,
    code_actions,
    edits_by_uri,
    open_document,
    start,
)

DOC = types.TextDocumentIdentifier(uri=URI)
# What each profile negotiates: Neovim offers UTF-8 first, VS Code offers nothing (UTF-16).
ENCODING = {"visual-studio-code": "utf-16", "neovim": "utf-8"}


class Connect:
    """``await connect(text, configuration=…, **capability_changes)``: a started server
    with the profile's capabilities (changed by dotted paths), ``text`` already open."""

    def __init__(self, profile: str, stack: AsyncExitStack) -> None:
        self.profile = profile
        self.stack = stack
        self.results: dict[int, types.InitializeResult] = {}

    async def __call__(
        self, text: str | None = None, configuration: object = None, **changes: Any
    ) -> Client:
        caps = capabilities(self.profile, **changes)
        client, result = await start(caps, None, configuration)
        self.stack.push_async_callback(client.stop)
        self.stack.push_async_callback(client.shutdown_session)
        self.results[id(client)] = result
        if text is not None:
            await open_document(client, text)
        return client

    def server_capabilities(self, client: Client) -> types.ServerCapabilities:
        return self.results[id(client)].capabilities


@pytest.fixture(params=CLIENTS)
def profile(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def connect(profile: str) -> AsyncIterator[Connect]:
    async with AsyncExitStack() as stack:
        yield Connect(profile, stack)


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in the units of a position encoding."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


async def hover_text(client: Client, line: int, character: int) -> types.MarkupContent:
    found = await client.text_document_hover_async(
        types.HoverParams(text_document=DOC, position=at(line, character))
    )
    assert found is not None and isinstance(found.contents, types.MarkupContent)
    return found.contents


async def completion_items(client: Client, line: int, character: int) -> list[types.CompletionItem]:
    found = await client.text_document_completion_async(
        types.CompletionParams(text_document=DOC, position=at(line, character))
    )
    assert isinstance(found, types.CompletionList)
    return found.items


# --------------------------------------------------------------------------- initialize


async def test_capabilities_cover_the_node_server(connect: Connect, profile: str) -> None:
    client = await connect()
    caps = connect.server_capabilities(client)
    assert caps.position_encoding == ENCODING[profile]
    sync = caps.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert sync.save  # didSave re-reads the build context; the Node server has no didSave
    for provider in (
        caps.hover_provider,
        caps.definition_provider,
        caps.document_highlight_provider,
        caps.document_symbol_provider,
        caps.folding_range_provider,
        caps.document_formatting_provider,
        caps.document_range_formatting_provider,
        caps.references_provider,  # the Node server has none
        caps.inlay_hint_provider,  # the Node server has none
    ):
        assert provider
    assert caps.completion_provider is not None
    assert {"=", " ", "$", "-"} <= set(caps.completion_provider.trigger_characters or [])
    assert caps.signature_help_provider is not None
    assert caps.document_link_provider is not None
    assert isinstance(caps.rename_provider, types.RenameOptions)
    assert caps.rename_provider.prepare_provider
    on_type = caps.document_on_type_formatting_provider
    assert on_type is not None
    assert on_type.first_trigger_character == "\\"
    assert list(on_type.more_trigger_character or []) == ["`"]
    tokens = caps.semantic_tokens_provider
    assert isinstance(tokens, types.SemanticTokensOptions)
    assert tokens.full and tokens.range  # the Node server has no range
    assert isinstance(caps.code_action_provider, types.CodeActionOptions)
    assert types.CodeActionKind.QuickFix in (caps.code_action_provider.code_action_kinds or [])
    assert types.CodeActionKind.RefactorRewrite in (
        caps.code_action_provider.code_action_kinds or []
    )


# --------------------------------------------------------------------------- hover

HOVER_TEXT = (
    "# escape=\\\n"
    "ARG NODE_VERSION=20\n"
    "FROM node:${NODE_VERSION}-bookworm AS build\n"
    "# dockerls: ignore=DKL304\n"
    "RUN --mount=type=cache,target=/root/.npm npm ci\n"
    "ONBUILD RUN echo hi\n"
    "FROM gcr.io/distroless/nodejs20-debian12\n"
    "COPY --from=build /app /app\n"
    'HEALTHCHECK --interval=30s CMD ["node", "check.js"]\n'
)
# (line, column, what the hover must say): the Node server's hovers, then what it lacks.
# Documentation hovers (the first five) end with a link to the Dockerfile reference.
HOVERS = [
    (0, 3, "escape and line-continuation character"),  # parser directive
    (4, 1, "Executes a command"),  # instruction keyword
    (5, 9, "Inside `ONBUILD`"),  # ONBUILD trigger
    (8, 14, "Time between two probes"),  # HEALTHCHECK flag
    (7, 8, "COPY --from"),  # COPY flag
    (1, 6, "**Value:** `20`"),  # ARG name with its value
    (2, 14, "**Value here:** `20`"),  # variable, resolved
    (4, 7, "Mounts something"),  # RUN --mount: the Node server has no RUN flags
    (2, 7, "node:20-bookworm-slim"),  # base image: variants table (the Node server: nothing)
    (6, 10, "nonroot"),  # distroless image
    (7, 14, "Defined on line 3"),  # stage name
    (3, 22, "DKL304 install-without-cache-mount"),  # rule code in a suppression comment
]


async def test_hover_where_the_node_server_hovers_and_on_images(connect: Connect) -> None:
    client = await connect(HOVER_TEXT)
    for index, (line, column, expected) in enumerate(HOVERS):
        content = await hover_text(client, line, column)
        assert content.kind == types.MarkupKind.Markdown
        assert expected in content.value, (line, column)
        if index < 5:
            assert "(https://docs.docker.com/reference/dockerfile/#" in content.value


async def test_hover_is_plain_text_when_the_client_asks(connect: Connect) -> None:
    client = await connect(
        HOVER_TEXT, **{"text_document.hover.content_format": [types.MarkupKind.PlainText]}
    )
    for line, column, _ in HOVERS:
        content = await hover_text(client, line, column)
        assert content.kind == types.MarkupKind.PlainText
        assert "**" not in content.value and "### " not in content.value, (line, column)
        assert "|---" not in content.value, (line, column)


async def test_completion_and_signature_docs_are_plain_text_when_the_client_asks(
    connect: Connect,
) -> None:
    plain = [types.MarkupKind.PlainText]
    client = await connect(
        "FROM alpine AS a\nFROM alpine\nCOPY --from=a src /dst\n",
        **{
            "text_document.completion.completion_item.documentation_format": plain,
            "text_document.signature_help.signature_information.documentation_format": plain,
        },
    )
    items = await completion_items(client, 2, 0)
    documented = [i.documentation for i in items if i.documentation is not None]
    assert documented
    for doc in documented:
        assert isinstance(doc, types.MarkupContent)
        assert doc.kind == types.MarkupKind.PlainText
        assert "**" not in doc.value and "```" not in doc.value
    found = await client.text_document_signature_help_async(
        types.SignatureHelpParams(text_document=DOC, position=at(2, 16))
    )
    assert found is not None
    docs = [s.documentation for s in found.signatures if s.documentation is not None]
    assert docs and all(
        isinstance(d, types.MarkupContent) and d.kind == types.MarkupKind.PlainText for d in docs
    )


async def test_hover_range_in_the_negotiated_encoding(connect: Connect, profile: str) -> None:
    line = 'RUN echo "🐳 鲸" $NAME'
    client = await connect(f"FROM alpine\nARG NAME=whale\n{line}\n")
    encoding = ENCODING[profile]
    start = units(line[: line.index("$NAME")], encoding)
    found = await client.text_document_hover_async(
        types.HoverParams(text_document=DOC, position=at(2, start + 2))
    )
    assert found is not None and found.range is not None
    assert (found.range.start, found.range.end) == (at(2, start), at(2, start + 5))
    assert isinstance(found.contents, types.MarkupContent)
    assert "whale" in found.contents.value


# --------------------------------------------------------------------------- completion


@pytest.mark.parametrize("snippets", [True, False])
async def test_keyword_snippets_follow_snippet_support(connect: Connect, snippets: bool) -> None:
    client = await connect(
        "FROM alpine\n\n",
        **{"text_document.completion.completion_item.snippet_support": snippets},
    )
    items = {i.label: i for i in await completion_items(client, 1, 0)}
    expected = {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM"}
    expected |= {"HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL"}
    expected |= {"STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
    assert expected <= set(items)  # the Node server's 18 keywords
    run = items["RUN"]
    assert isinstance(run.text_edit, types.TextEdit)
    if snippets:
        assert run.insert_text_format == types.InsertTextFormat.Snippet
        assert run.text_edit.new_text == "RUN ${1:command}"
    else:
        assert run.insert_text_format == types.InsertTextFormat.PlainText
        assert all(isinstance(i.text_edit, types.TextEdit) for i in items.values())
        assert not any("${" in i.text_edit.new_text for i in items.values())  # type: ignore[union-attr]
    assert isinstance(run.documentation, types.MarkupContent)
    assert "docs.docker.com" in run.documentation.value


COMPLETION_TEXT = (
    "# \n"
    "ARG BASE=alpine\n"
    "FROM node:20 AS build\n"
    "ARG VERSION=1\n"
    "RUN echo $\n"
    "COPY -- \n"
    "ADD -- \n"
    "FROM -- x\n"
    "HEALTHCHECK -- \n"
    "HEALTHCHECK \n"
    "COPY --from= \n"
    "FROM node:20\n"
    "RUN --\n"
)
# (line, column, labels that must be offered)
COMPLETIONS = [
    (0, 2, {"escape", "syntax", "check"}),  # parser directives
    (4, 10, {"VERSION", "TARGETPLATFORM", "HTTP_PROXY"}),  # variables, platform and proxy ARGs
    (5, 7, {"--chown", "--from", "--chmod", "--link", "--exclude", "--parents"}),
    (6, 6, {"--chown", "--chmod", "--checksum", "--keep-git-dir", "--link"}),
    (7, 7, {"--platform"}),
    (8, 14, {"--interval", "--retries", "--start-interval", "--start-period", "--timeout"}),
    (9, 12, {"CMD", "NONE"}),
    (10, 12, {"build", "0"}),  # stage names and indices
    (11, 12, {"20-slim", "20-alpine"}),  # image variants, offline (the Node server asks Hub)
    (12, 6, {"--mount", "--network", "--security"}),  # RUN flags: the Node server has none
]


async def test_completion_contexts_of_the_node_server(connect: Connect) -> None:
    client = await connect(COMPLETION_TEXT)
    for line, column, expected in COMPLETIONS:
        labels = {i.label for i in await completion_items(client, line, column)}
        assert expected <= labels, (line, column, expected - labels)


# --------------------------------------------------------------------------- navigation

NAVIGATION_TEXT = (
    "FROM alpine AS base\nRUN <<EOF\necho hi\nEOF\nFROM base\nCOPY --from=base /a /b\n"
)


async def test_rename_edit_shape_follows_the_client(connect: Connect, profile: str) -> None:
    client = await connect(NAVIGATION_TEXT)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=DOC, position=at(0, 16), new_name="builder")
    )
    assert edit is not None
    if profile == "visual-studio-code":  # workspace.workspaceEdit.documentChanges
        assert edit.changes is None and edit.document_changes is not None
        [change] = edit.document_changes
        assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 1
    else:
        assert edit.document_changes is None and edit.changes is not None
    renamed = apply_text_edits(NAVIGATION_TEXT, edits_by_uri(edit)[URI])
    assert renamed == NAVIGATION_TEXT.replace("base", "builder")


async def test_heredoc_names_navigate_and_rename(connect: Connect) -> None:
    client = await connect(NAVIGATION_TEXT)
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=DOC, position=at(3, 1))
    )
    assert isinstance(found, list) and [loc.range.start for loc in found] == [at(1, 6)]
    marks = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=DOC, position=at(1, 7))
    )
    assert marks is not None
    assert [(m.range.start, m.kind) for m in marks] == [
        (at(1, 6), types.DocumentHighlightKind.Write),
        (at(3, 0), types.DocumentHighlightKind.Read),
    ]
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=DOC, position=at(3, 2))
    )
    assert isinstance(prepared, types.Range) and prepared.start == at(3, 0)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=DOC, position=at(3, 2), new_name="SCRIPT")
    )
    assert edit is not None
    renamed = apply_text_edits(NAVIGATION_TEXT, edits_by_uri(edit)[URI])
    assert renamed == NAVIGATION_TEXT.replace("EOF", "SCRIPT")


# --------------------------------------------------------------------------- tokens, links


def absolute(data: list[int]) -> list[tuple[int, int, int, int, int]]:
    """Relative semantic-token data as (line, start, length, type, modifiers)."""
    tokens, line, start = [], 0, 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, kind, mods = data[i : i + 5]
        line += delta_line
        start = start + delta_start if delta_line == 0 else delta_start
        tokens.append((line, start, length, kind, mods))
    return tokens


async def test_semantic_tokens_full_and_range(connect: Connect, profile: str) -> None:
    text = "FROM alpine AS base\n# note\nENV A=1\nRUN echo $A\nFROM base\n"
    client = await connect(text)
    provider = connect.server_capabilities(client).semantic_tokens_provider
    assert isinstance(provider, types.SemanticTokensOptions)
    legend = provider.legend
    requested = capabilities(profile).text_document
    assert requested is not None and requested.semantic_tokens is not None
    client_types = requested.semantic_tokens.token_types
    assert set(legend.token_types) <= set(client_types)  # every type has a colour
    full = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=DOC)
    )
    assert full is not None
    every = absolute(full.data)
    assert {legend.token_types[t[3]] for t in every} >= {"keyword", "namespace", "comment"}
    part = await client.text_document_semantic_tokens_range_async(
        types.SemanticTokensRangeParams(
            text_document=DOC, range=types.Range(start=at(2, 0), end=at(4, 0))
        )
    )
    assert isinstance(part, types.SemanticTokens)
    assert absolute(part.data) == [t for t in every if t[0] in (2, 3)]
    assert absolute(part.data)[0][:3] == (2, 0, 3)  # ENV, encoded from the range's start


async def test_document_links_to_the_registries_the_node_server_knows(connect: Connect) -> None:
    text = (
        "FROM node:20\n"
        "FROM bitnami/redis:7\n"
        "FROM ghcr.io/astral-sh/uv:latest\n"
        "FROM mcr.microsoft.com/dotnet/runtime:8.0\n"
        "FROM quay.io/prometheus/node-exporter\n"
    )
    client = await connect(text)
    links = await client.text_document_document_link_async(
        types.DocumentLinkParams(text_document=DOC)
    )
    assert links is not None
    assert [(link.range.start.line, link.target) for link in links] == [
        (0, "https://hub.docker.com/_/node"),
        (1, "https://hub.docker.com/r/bitnami/redis"),
        (2, "https://github.com/orgs/astral-sh/packages?repo_name=uv"),
        (3, "https://mcr.microsoft.com/artifact/mar/dotnet/runtime"),
        (4, "https://quay.io/repository/prometheus/node-exporter"),
    ]


# --------------------------------------------------------------------------- help, format, hints


async def test_signature_help_marks_the_active_parameter(connect: Connect) -> None:
    client = await connect("FROM alpine AS a\nFROM alpine\nCOPY --from=a src /dst\n")
    found = await client.text_document_signature_help_async(
        types.SignatureHelpParams(text_document=DOC, position=at(2, 16))
    )
    assert found is not None and found.active_parameter is not None
    signature = found.signatures[found.active_signature or 0]
    assert signature.label.startswith("COPY [--from=")
    assert signature.parameters is not None
    label = signature.parameters[found.active_parameter].label
    assert isinstance(label, tuple) and signature.label[label[0] : label[1]] == "<src>…"


FORMAT_TEXT = "from alpine\n  run apk add \\\ncurl \\\n   git\nworkdir /app \n"


async def test_formatting_document_range_and_on_type(connect: Connect) -> None:
    client = await connect(FORMAT_TEXT)
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    whole = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=DOC, options=options)
    )
    assert whole is not None
    assert apply_text_edits(FORMAT_TEXT, whole) == (
        "FROM alpine\nRUN apk add \\\n  curl \\\n  git\nWORKDIR /app\n"
    )
    part = await client.text_document_range_formatting_async(
        types.DocumentRangeFormattingParams(
            text_document=DOC, range=types.Range(start=at(4, 0), end=at(4, 3)), options=options
        )
    )
    assert part is not None
    assert apply_text_edits(FORMAT_TEXT, part) == FORMAT_TEXT.replace(
        "workdir /app ", "WORKDIR /app"
    )
    typed = await client.text_document_on_type_formatting_async(
        types.DocumentOnTypeFormattingParams(
            text_document=DOC, position=at(1, 16), ch="\\", options=options
        )
    )
    assert typed is not None
    assert apply_text_edits(FORMAT_TEXT, typed) == FORMAT_TEXT.replace("curl", "  curl").replace(
        "   git", "  git"
    )


async def test_inlay_hints_for_arguments_and_image_sizes(connect: Connect) -> None:
    client = await connect("ARG TAG=3.20\nFROM alpine:${TAG}\n")
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=DOC, range=types.Range(start=at(0, 0), end=at(2, 0)))
    )
    assert hints is not None
    labels = [h.label for h in hints]
    assert labels[0] == "= alpine:3.20"
    assert any(
        isinstance(label, str) and label.startswith("~") and "MB" in label for label in labels
    )


# --------------------------------------------------------------------------- diagnostics, fixes

# Each quick fix of the Node server: a line with the mistake, the title of our fix and
# the line after it. (line index in QUICK_FIX_TEXT, Node command, our title, fixed line)
QUICK_FIX_TEXT = (
    "FROM alpine XX base\n"
    "COPY --form=base a /b\n"
    "ADD --chwon=1 a /b\n"
    "HEALTHCHECK --intervall=5s CMD true\n"
    "RUN echo \\\n"
    "\n"
    "  hi\n"
    "run true\n"
    "RUN true\n"
    "RUN true\n"
)
QUICK_FIXES = [
    (0, "convertToAS", "Replace with AS", "FROM alpine AS base"),
    (1, "flagToCopyFrom", "Use --from", "COPY --from=base a /b"),
    (2, "flagToChown", "Use --chown", "ADD --chown=1 a /b"),
    (3, "flagToHealthcheckInterval", "Use --interval", "HEALTHCHECK --interval=5s CMD true"),
    (5, "removeEmptyContinuationLine", "Remove the empty line", "  hi"),
    (7, "convertToUppercase", "Write RUN", "RUN true"),
]


async def test_the_node_servers_quick_fixes_have_equivalents(connect: Connect) -> None:
    client = await connect()
    published = await open_document(client, QUICK_FIX_TEXT)
    lines = QUICK_FIX_TEXT.splitlines()
    for line, command, title, fixed in QUICK_FIXES:
        on_line = [d for d in published.diagnostics if d.range.start.line == line]
        assert on_line, command
        actions = await code_actions(client, on_line[0].range, on_line)
        [action] = [a for a in actions if a.title == title]
        assert action.kind == types.CodeActionKind.QuickFix and action.edit is not None
        after = apply_text_edits(QUICK_FIX_TEXT, edits_by_uri(action.edit)[URI]).splitlines()
        assert fixed in after, command
        assert len(after) == len(lines) - (command == "removeEmptyContinuationLine"), command


DIAGNOSTICS_TEXT = (
    'FROM alpine:3.20\nMAINTAINER me\nWORKDIR app\nCMD ["a"]\nCMD ["b"]\nrun true\nRUN true\n'
)


async def test_partial_settings_keep_the_other_defaults(connect: Connect) -> None:
    # The Node server turns every diagnostics key a client leaves out into "ignore".
    client = await connect(configuration={"severity": {"DKL526": "error"}})
    published = await open_document(client, DIAGNOSTICS_TEXT)
    got = {(d.code, int(d.severity or 0)) for d in published.diagnostics}
    defaults = {(f.code, int(f.severity)) for f in analyze(DIAGNOSTICS_TEXT, Settings()).findings}
    assert ("DKL526", int(types.DiagnosticSeverity.Error)) in got
    assert got - {("DKL526", 1)} == {d for d in defaults if d[0] != "DKL526"}
    assert {"DKL528", "DKL530", "DKL523"} <= {code for code, _ in got}


async def test_diagnostics_carry_tags_links_and_related_places(connect: Connect) -> None:
    client = await connect()
    published = await open_document(client, DIAGNOSTICS_TEXT)
    by_code = {d.code: d for d in published.diagnostics}
    assert list(by_code["DKL526"].tags or []) == [types.DiagnosticTag.Deprecated]
    superseded = by_code["DKL530"]
    assert list(superseded.tags or []) == [types.DiagnosticTag.Unnecessary]
    assert superseded.related_information is not None  # the Node server has none
    assert superseded.related_information[0].location.range.start.line == 4
    assert all(d.code_description is not None for d in published.diagnostics)


# --------------------------------------------------------------------------- validator (pure)

# Every check of dockerfile-utils 0.16.3 that dockerls also makes: (its code, a line that
# trips it, our code). The first line is ``FROM alpine`` unless the text starts otherwise.
VALIDATIONS = [
    ("CASING_INSTRUCTION", "run a\nRUN b\nRUN c", "DKL523"),
    ("ARGUMENT_MISSING", "USER", "DKL002"),
    ("ARGUMENT_EXTRA", "STOPSIGNAL 9 10", "DKL509"),
    ("ARGUMENT_REQUIRES_AT_LEAST_ONE", "HEALTHCHECK", "DKL002"),
    ("ARGUMENT_REQUIRES_TWO", "ENV key", "DKL007"),
    ("ARGUMENT_REQUIRES_AT_LEAST_TWO", "COPY a", "DKL502"),
    ("ARGUMENT_REQUIRES_ONE_OR_THREE", "FROM alpine x", "DKL501"),
    ("ARGUMENT_UNNECESSARY", "HEALTHCHECK NONE x", "DKL502"),
    ("DUPLICATE_BUILD_STAGE_NAME", "FROM alpine AS a\nFROM alpine AS a", "DKL524"),
    ("EMPTY_CONTINUATION_LINE", "RUN echo \\\n\n  hi", "DKL522"),
    ("INVALID_BUILD_STAGE_NAME", "FROM alpine AS 1bad", "DKL501"),
    ("FLAG_DUPLICATE", "COPY --chown=a --chown=b x y", "DKL504"),
    ("FLAG_INVALID_DURATION", "HEALTHCHECK --interval=abc CMD x", "DKL505"),
    ("FLAG_LESS_THAN_1MS", "HEALTHCHECK --interval=1ns CMD x", "DKL505"),
    ("FLAG_MISSING_VALUE", "COPY --chown x y", "DKL504"),
    ("FLAG_UNKNOWN_UNIT", "HEALTHCHECK --timeout=5x CMD x", "DKL505"),
    ("NO_SOURCE_IMAGE", "RUN echo\nFROM alpine", "DKL006"),
    ("INVALID_ESCAPE_DIRECTIVE", "# escape=x\nFROM alpine", "DKL005"),
    ("INVALID_AS", "FROM alpine XX name", "DKL501"),
    ("INVALID_DESTINATION", "COPY a b c", "DKL513"),
    ("INVALID_PORT", "EXPOSE abc", "DKL508"),
    ("INVALID_PROTO", "EXPOSE 80/xyz", "DKL508"),
    ("INVALID_REFERENCE_FORMAT", "FROM alpine:", "DKL503"),
    ("INVALID_SIGNAL", "STOPSIGNAL FOO", "DKL509"),
    ("INVALID_SYNTAX", "HEALTHCHECK --retries=abc CMD x", "DKL505"),
    ("ONBUILD_CHAINING_DISALLOWED", "ONBUILD ONBUILD RUN x", "DKL511"),
    ("ONBUILD_TRIGGER_DISALLOWED", "ONBUILD FROM x", "DKL511"),
    ("SHELL_JSON_FORM", "SHELL bash -c", "DKL510"),
    ("SHELL_REQUIRES_ONE", "SHELL []", "DKL510"),
    ("SYNTAX_MISSING_EQUALS", "ENV a=b c", "DKL007"),
    ("SYNTAX_MISSING_NAMES", "ENV =v", "DKL007"),
    ("SYNTAX_MISSING_SINGLE_QUOTE", "ENV a='b", "DKL514"),
    ("SYNTAX_MISSING_DOUBLE_QUOTE", 'ENV a="b', "DKL514"),
    ("MULTIPLE_INSTRUCTIONS", "CMD a\nCMD b", "DKL530"),
    ("UNKNOWN_INSTRUCTION", "FOO bar", "DKL001"),
    ("UNKNOWN_ADD_FLAG", "ADD --chwon=a x y", "DKL504"),
    ("UNKNOWN_COPY_FLAG", "COPY --form=a x y", "DKL504"),
    ("UNKNOWN_FROM_FLAG", "FROM --foo=x alpine", "DKL504"),
    ("UNKNOWN_HEALTHCHECK_FLAG", "HEALTHCHECK --intervall=5s CMD x", "DKL504"),
    ("UNKNOWN_TYPE", "HEALTHCHECK FOO", "DKL502"),
    ("UNSUPPORTED_MODIFIER", "ENV a=${b!x}", "DKL512"),
    ("DEPRECATED_MAINTAINER", "MAINTAINER me", "DKL526"),
    ("HEALTHCHECK_CMD_ARGUMENT_MISSING", "HEALTHCHECK CMD", "DKL502"),
    ("FLAG_INVALID_FROM_VALUE", "COPY --from=a:b:c x y", "DKL503"),
    ("FLAG_EXPECTED_BOOLEAN_VALUE", "COPY --link=abc x y", "DKL504"),
    ("JSON_IN_SINGLE_QUOTES", "CMD ['a']", "DKL004"),
    ("WORKDIR_IS_NOT_ABSOLUTE", "WORKDIR app", "DKL528"),
    ("BASE_NAME_EMPTY", "ARG X\nFROM $X", "DKL533"),
    ("DUPLICATED_ESCAPE_DIRECTIVE", "# escape=`\n# escape=\\\nFROM alpine", "DKL005"),
]
# What dockerfile-utils flags and BuildKit builds: dockerls stays quiet on purpose.
ACCEPTED_BY_BUILDKIT = [
    ("CASING_DIRECTIVE", "# ESCAPE=`\nFROM alpine"),  # directive names ignore case
    ("FLAG_AT_LEAST_ONE", "HEALTHCHECK --retries=0 CMD x"),  # 0 is BuildKit's default
    ("FLAG_MISSING_DURATION", "HEALTHCHECK --interval=0 CMD x"),  # Go reads "0" as 0s
]


def _full(text: str) -> str:
    first = text.split("\n", 1)[0]
    return (
        text if first.startswith(("FROM", "#", "ARG", "RUN echo")) else "FROM alpine\n" + text
    ) + "\n"


@pytest.mark.parametrize(
    ("node_code", "text", "code"), VALIDATIONS, ids=[v[0] for v in VALIDATIONS]
)
def test_every_node_validation_has_an_equivalent(node_code: str, text: str, code: str) -> None:
    assert code in {f.code for f in analyze(_full(text), Settings()).findings}


@pytest.mark.parametrize(
    ("node_code", "text"), ACCEPTED_BY_BUILDKIT, ids=[v[0] for v in ACCEPTED_BY_BUILDKIT]
)
def test_what_buildkit_accepts_is_not_an_error(node_code: str, text: str) -> None:
    codes = {f.code for f in analyze(_full(text), Settings()).findings}
    assert not {c for c in codes if c.startswith(("DKL0", "DKL50", "DKL51"))}
