"""End to end: the server in a subprocess, driven through pytest-lsp as real clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp_helpers import (
    CLIENTS,
    CONFIG,
    TIMEOUT,
    URI,
    Client,
    Launch,
    apply_text_edits,
    apply_to_document,
    capabilities,
    change_document,
    code_actions,
    edits_by_uri,
    next_publish,
    open_document,
    published_version,
    resolved,
    start,
    start_of,
    unterminated,
)

# The parser reports an unterminated heredoc (DKL003) at its marker: a finding at a known
# place. Tests look only at that code, so rules that flag other things do not disturb them.
UNTERMINATED = "FROM alpine\nRUN <<EOF\necho 🐳\n"


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS)
async def client(lsp_client: Client, request: pytest.FixtureRequest) -> AsyncIterator[None]:
    caps = capabilities(request.param)
    await lsp_client.initialize_session(types.InitializeParams(capabilities=caps))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
async def launch() -> AsyncIterator[Launch]:
    """Start servers with custom capabilities or settings; shut them down afterwards."""
    clients: list[Client] = []

    async def launch_one(
        caps: types.ClientCapabilities,
        options: object = None,
        configuration: object = None,
        root_uri: str | None = None,
    ) -> tuple[Client, types.InitializeResult]:
        launched = await start(caps, options, configuration, root_uri)
        clients.append(launched[0])
        return launched

    yield launch_one
    for launched in clients:
        if launched.exit_code is None:
            await launched.shutdown_session()
        await launched.stop()


async def test_diagnostics_carry_the_version(client: Client) -> None:
    published = await open_document(client, UNTERMINATED, version=7)
    assert published.uri == URI
    assert published.version == 7
    [diagnostic] = unterminated(published)
    assert diagnostic.code == "DKL003"
    assert diagnostic.source == "dockerls"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert start_of(diagnostic) == (1, 4)
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == "https://dockerls.dev/rules/DKL003"


async def test_incremental_changes_are_analysed(client: Client) -> None:
    await open_document(client, "FROM alpine\nRUN <<EOF\necho hi\n", version=1)
    fixed = await change_document(client, 2, (3, 0), (3, 0), "EOF\n")
    assert fixed.version == 2
    assert unterminated(fixed) == []
    broken = await change_document(client, 3, (3, 0), (3, 3), "EON")
    assert broken.version == 3
    assert [start_of(d) for d in unterminated(broken)] == [(1, 4)]


async def test_edits_after_a_unicode_line_separator_land_on_the_right_line(
    client: Client,
) -> None:
    # U+2028 is not a line break in LSP; pygls alone would count it as one.
    await open_document(client, "FROM alpine\n# a\u2028b\nRUN <<EOF\necho hi\n", version=1)
    fixed = await change_document(client, 2, (4, 0), (4, 0), "EOF\n")
    assert unterminated(fixed) == []
    broken = await change_document(client, 3, (4, 0), (4, 3), "EON")
    assert [start_of(d) for d in unterminated(broken)] == [(2, 4)]


async def test_rapid_changes_publish_in_order(client: Client) -> None:
    await open_document(client, "FROM alpine\nRUN <<EOF\necho hi\n", version=1)
    for version, text in ((2, "EOF\n"), (3, "#"), (4, "")):
        change = types.TextDocumentContentChangePartial(
            range=types.Range(
                start=types.Position(line=3, character=0), end=types.Position(line=3, character=1)
            ),
            text=text,
        )
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=version),
                content_changes=[change],
            )
        )
    # A burst may be coalesced: stale versions are dropped, never published after a newer
    # one, and the newest is always published, each with the diagnostics of its own text.
    await published_version(client, 4)
    versions = [p.version for p in client.published]
    assert versions[0] == 1
    assert versions[-1] == 4
    assert versions == sorted(set(versions))
    unterminated_in = {1: 1, 2: 0, 3: 1, 4: 1}
    assert [len(unterminated(p)) for p in client.published] == [
        unterminated_in[v] for v in versions if v is not None
    ]


async def test_close_clears_diagnostics(client: Client) -> None:
    await open_document(client, UNTERMINATED)
    close = types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=URI))
    cleared = await next_publish(client, lambda: client.text_document_did_close(close))
    assert cleared.uri == URI
    assert list(cleared.diagnostics) == []


async def test_a_big_document_gets_the_parsers_problems_first(client: Client) -> None:
    # From SYNTAX_FIRST_LINES lines: the parser's problems as soon as the text is parsed,
    # then every finding of the same version.
    text = "FROM node:20\nRUN npm install\n" + "ENV A=1\n" * 1_000 + "RUN <<EOF\necho hi\n"
    first = await open_document(client, text, version=4)
    # Nothing runs between looking at what came and waiting: no publish slips past.
    later = client.published[client.published.index(first) + 1 :]
    full = (
        later[0]
        if later
        else await asyncio.wait_for(
            client.protocol.wait_for_notification_async(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS),
            TIMEOUT,
        )
    )
    assert {d.code for d in first.diagnostics} == {"DKL003"}
    assert full.version == first.version
    codes = {d.code for d in full.diagnostics}
    assert "DKL003" in codes and {"DKL201", "DKL204"} <= codes


async def test_a_small_document_is_published_once(client: Client) -> None:
    first = await open_document(client, "FROM node:20\nRUN npm install\n" + "ENV A=1\n" * 900)
    assert {"DKL201", "DKL204"} <= {d.code for d in first.diagnostics}


async def test_every_opened_document_is_analysed(client: Client) -> None:
    uri = "file:///project/Containerfile"
    published = await open_document(client, UNTERMINATED, uri=uri)
    assert published.uri == uri
    assert len(unterminated(published)) == 1


SYMBOLS_DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG BASE=alpine
FROM $BASE AS build
RUN make
MAINTAINER someone@example.com
FROM scratch
COPY --from=build /app /app
"""


async def test_document_symbols_are_hierarchical(client: Client) -> None:
    await open_document(client, SYMBOLS_DOCKERFILE)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    assert symbols is not None
    assert all(isinstance(s, types.DocumentSymbol) for s in symbols)
    top = [(s.name, s.kind) for s in symbols]
    assert top == [
        ("# syntax", types.SymbolKind.Property),
        ("ARG", types.SymbolKind.Variable),
        ("FROM $BASE AS build", types.SymbolKind.Class),
        ("FROM scratch", types.SymbolKind.Class),
    ]
    build, final = symbols[2], symbols[3]
    assert isinstance(build, types.DocumentSymbol)
    assert isinstance(final, types.DocumentSymbol)
    assert [c.name for c in build.children or []] == ["RUN", "MAINTAINER"]
    assert list((build.children or [])[1].tags or []) == [types.SymbolTag.Deprecated]
    assert [c.name for c in final.children or []] == ["COPY"]
    assert (build.range.start.line, build.range.end.line) == (2, 4)


async def test_flat_symbols_without_hierarchical_support(launch: Launch) -> None:
    caps = capabilities(
        "visual-studio-code",
        **{"text_document.document_symbol.hierarchical_document_symbol_support": False},
    )
    client, _ = await launch(caps)
    await open_document(client, SYMBOLS_DOCKERFILE)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    assert symbols is not None
    flat = [(s.name, s.container_name) for s in symbols]  # type: ignore[union-attr]
    assert ("RUN", "FROM $BASE AS build") in flat
    assert ("COPY", "FROM scratch") in flat
    assert ("FROM scratch", None) in flat


FOLDING_DOCKERFILE = """\
# Build the tool.
# Then ship it.
FROM alpine AS build
RUN apk add \\
    curl
COPY <<A <<B /dst/
one
A
two
B
FROM scratch
COPY --from=build /dst /dst
"""


async def test_folding_ranges(client: Client) -> None:
    await open_document(client, FOLDING_DOCKERFILE)
    ranges = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    assert ranges is not None
    assert [(r.start_line, r.end_line, r.kind) for r in ranges] == [
        (0, 1, types.FoldingRangeKind.Comment),
        (2, 9, None),  # the first stage
        (3, 4, None),  # RUN with a continuation
        (5, 9, None),  # COPY with two heredocs (the first body starts here too)
        (7, 8, None),  # the second heredoc body
        (10, 11, None),  # the second stage
    ]
    assert all(r.start_character is None and r.end_character is None for r in ranges)


# The heredoc marker after an emoji (2 UTF-16 units, 4 UTF-8 bytes) and a CJK
# character (1 unit, 3 bytes): code point 19, UTF-16 unit 20, UTF-8 byte 24.
WIDE = "FROM alpine\nRUN echo 🐳鲸 && cat <<EOF\necho hi\n"


@pytest.mark.parametrize(
    ("offered", "negotiated", "column"),
    [
        (["utf-8"], "utf-8", 24),
        (["utf-32"], "utf-32", 19),
        (None, "utf-16", 20),
    ],
)
async def test_columns_follow_the_negotiated_encoding(
    launch: Launch, offered: list[str] | None, negotiated: str, column: int
) -> None:
    caps = capabilities("visual-studio-code", **{"general.position_encodings": offered})
    client, result = await launch(caps)
    assert result.capabilities.position_encoding == negotiated
    published = await open_document(client, WIDE)
    assert [start_of(d) for d in unterminated(published)] == [(1, column)]


async def test_invalid_settings_warn_and_fall_back(launch: Launch) -> None:
    client, result = await launch(capabilities("neovim"), options={"severity": {"DKL003": "loud"}})
    assert result.capabilities.text_document_sync is not None
    published = await open_document(client, UNTERMINATED)
    [diagnostic] = unterminated(published)
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    warnings = [m for m in client.messages if m.type == types.MessageType.Warning]
    assert len(warnings) == 1
    assert "severity.DKL003" in warnings[0].message


@pytest.mark.parametrize(
    "options",
    [{"severity": {"DKL003": "warning"}}, {"dockerls": {"severity": {"DKL003": "warning"}}}],
)
async def test_initialization_options(launch: Launch, options: object) -> None:
    client, _ = await launch(capabilities("visual-studio-code"), options=options)
    published = await open_document(client, UNTERMINATED)
    assert [d.severity for d in unterminated(published)] == [types.DiagnosticSeverity.Warning]
    assert client.messages == []


async def test_workspace_configuration_is_pulled(launch: Launch) -> None:
    client, _ = await launch(
        capabilities("neovim"),
        options={"severity": {"DKL003": "warning"}},
        configuration={"severity": {"DKL003": "hint"}},
    )
    published = await open_document(client, UNTERMINATED)
    assert [d.severity for d in unterminated(published)] == [types.DiagnosticSeverity.Hint]


async def test_workspace_tables_merge_with_the_initialization_options(launch: Launch) -> None:
    # The workspace sets another rule's severity: DKL003's from the options stays.
    client, _ = await launch(
        capabilities("neovim"),
        options={"severity": {"DKL003": "warning"}},
        configuration={"severity": {"DKL101": "hint"}},
    )
    published = await open_document(client, UNTERMINATED)
    assert [d.severity for d in unterminated(published)] == [types.DiagnosticSeverity.Warning]
    assert client.messages == []


async def test_pushed_settings_are_only_a_signal_when_the_client_answers_requests(
    client: Client,
) -> None:
    # A VS Code-style push carries every default; the server asks for the section instead.
    await open_document(client, UNTERMINATED, version=3)
    client.set_configuration({"severity": {"DKL003": "hint"}}, section="dockerls")
    params = types.DidChangeConfigurationParams(
        settings={"dockerls": {"severity": {"DKL003": "info"}}}
    )
    published = await next_publish(
        client, lambda: client.workspace_did_change_configuration(params)
    )
    assert published.version == 3
    assert [d.severity for d in unterminated(published)] == [types.DiagnosticSeverity.Hint]


async def test_pushed_settings_apply_when_the_client_cannot_answer(launch: Launch) -> None:
    caps = capabilities("neovim", **{"workspace.configuration": False})
    client, _ = await launch(caps)
    await open_document(client, UNTERMINATED, version=3)
    for pushed, expected in (
        ({"dockerls": {"severity": {"DKL003": "info"}}}, types.DiagnosticSeverity.Information),
        ({"dockerls": []}, types.DiagnosticSeverity.Error),  # an empty Lua table
    ):
        params = types.DidChangeConfigurationParams(settings=pushed)
        published = await next_publish(
            client, lambda p=params: client.workspace_did_change_configuration(p)
        )
        assert [d.severity for d in unterminated(published)] == [expected]
        assert not client.messages


async def test_hover_on_a_base_image_follows_the_content_format(launch: Launch) -> None:
    for profile, kind in (
        ("visual-studio-code", types.MarkupKind.Markdown),
        ("neovim", types.MarkupKind.Markdown),
    ):
        client, result = await launch(capabilities(profile))
        assert result.capabilities.hover_provider
        await open_document(client, 'FROM node:20\nCMD ["node", "app.js"]\n')
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=URI),
                position=types.Position(line=0, character=7),
            )
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.kind == kind
        assert "node:20-slim" in hover.contents.value and "alpine" in hover.contents.value
        assert hover.range is not None and hover.range.start.line == 0
    plain = capabilities(
        "visual-studio-code", **{"text_document.hover.content_format": ["plaintext"]}
    )
    client, _ = await launch(plain)
    await open_document(client, "FROM node:20\n")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=0, character=7),
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.PlainText
    assert "**" not in hover.contents.value and "node:20-slim" in hover.contents.value


async def test_changed_configuration_is_pulled_again(client: Client) -> None:
    await open_document(client, UNTERMINATED)
    client.set_configuration({"severity": {"DKL003": "hint"}}, section="dockerls")
    params = types.DidChangeConfigurationParams(settings=None)
    published = await next_publish(
        client, lambda: client.workspace_did_change_configuration(params)
    )
    assert [d.severity for d in unterminated(published)] == [types.DiagnosticSeverity.Hint]


async def test_exit_codes(launch: Launch) -> None:
    polite, _ = await launch(capabilities("neovim"))
    await polite.shutdown_session()
    await asyncio.wait_for(polite.stop(), TIMEOUT)
    assert polite.exit_code == 0

    abrupt, _ = await launch(capabilities("neovim"))
    abrupt.exit(None)
    await asyncio.wait_for(abrupt.stop(), TIMEOUT)
    assert abrupt.exit_code == 1


# --- code actions --------------------------------------------------------------------

# ADD of a local file (DKL405, "Use COPY instead of ADD") and apk without --no-cache
# (DKL103): two safe fixes on two lines.
FIXABLE = "FROM alpine:3.20\nADD run.sh /app/\nRUN apk add curl\nUSER nobody\n"
FIXED = "FROM alpine:3.20\nCOPY run.sh /app/\nRUN apk add --no-cache curl\nUSER nobody\n"


def coded(published: types.PublishDiagnosticsParams, code: str) -> list[types.Diagnostic]:
    return [d for d in published.diagnostics if d.code == code]


async def test_code_actions_are_announced(launch: Launch) -> None:
    _, result = await launch(capabilities("neovim"))
    provider = result.capabilities.code_action_provider
    assert isinstance(provider, types.CodeActionOptions)
    assert provider.resolve_provider is True
    assert list(provider.code_action_kinds or []) == [
        "quickfix",
        "refactor.rewrite",
        "source.fixAll.dockerls",
    ]


async def test_a_quick_fix_removes_its_diagnostic(client: Client) -> None:
    published = await open_document(client, FIXABLE, version=1)
    [diagnostic] = coded(published, "DKL405")
    actions = await code_actions(client, diagnostic.range, [diagnostic])
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    [preferred] = [a for a in quick if a.is_preferred]
    assert preferred.title == "Use COPY instead of ADD"
    assert list(preferred.diagnostics or []) == [diagnostic]  # attached as the client sent it
    titles = [a.title for a in quick]
    assert titles[-2:] == ["Ignore DKL405 for this instruction", "Ignore DKL405 in this file"]
    action = await resolved(client, preferred)
    assert action.edit is not None
    text, after = await apply_to_document(client, FIXABLE, action.edit, version=2)
    assert text == "FROM alpine:3.20\nCOPY run.sh /app/\nRUN apk add curl\nUSER nobody\n"
    assert after.version == 2
    assert coded(after, "DKL405") == []
    assert len(coded(after, "DKL103")) == 1


async def test_edits_are_versioned_when_the_client_supports_it(client: Client) -> None:
    published = await open_document(client, FIXABLE, version=4)
    [diagnostic] = coded(published, "DKL103")
    actions = await code_actions(client, diagnostic.range, [diagnostic])
    [preferred] = [a for a in actions if a.is_preferred]
    assert preferred.edit is not None
    if client.capabilities.workspace.workspace_edit.document_changes:  # type: ignore[union-attr]
        [change] = preferred.edit.document_changes or []
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.version == 4
        assert preferred.edit.changes is None
    else:
        assert preferred.edit.document_changes is None
        assert list((preferred.edit.changes or {}).keys()) == [URI]


async def test_fix_all_on_save(client: Client) -> None:
    await open_document(client, FIXABLE, version=1)
    everything = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=4, character=0)
    )
    [action] = await code_actions(client, everything, only=["source.fixAll"])
    assert action.kind == "source.fixAll.dockerls"
    assert action.edit is None  # both recorded clients resolve edits lazily
    action = await resolved(client, action)
    assert action.edit is not None
    edits = edits_by_uri(action.edit)[URI]
    # Only what changed: no edit touches the untouched first and last lines.
    assert all(e.range.start.line in (1, 2) and e.range.end.line in (1, 2) for e in edits)
    text, after = await apply_to_document(client, FIXABLE, action.edit, version=2)
    assert text == FIXED
    assert not any(d.code in ("DKL405", "DKL103") for d in after.diagnostics)
    # Nothing left to fix: no fix-all offered any more.
    assert await code_actions(client, everything, only=["source.fixAll"]) == []


async def test_only_filters_kinds(client: Client) -> None:
    await open_document(client, FIXABLE)
    line = types.Range(
        start=types.Position(line=1, character=0), end=types.Position(line=1, character=3)
    )
    quick = await code_actions(client, line, only=["quickfix"])
    assert quick and all(a.kind == types.CodeActionKind.QuickFix for a in quick)
    assert await code_actions(client, line, only=["refactor.extract"]) == []
    every = await code_actions(client, line)
    assert {a.kind for a in every} == {types.CodeActionKind.QuickFix, "source.fixAll.dockerls"}


async def test_a_stale_resolve_returns_no_edit(client: Client) -> None:
    await open_document(client, FIXABLE, version=1)
    everything = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=4, character=0)
    )
    [action] = await code_actions(client, everything, only=["source.fixAll.dockerls"])
    await change_document(client, 2, (0, 0), (0, 0), "# a comment\n")
    stale = await client.code_action_resolve_async(action)
    assert stale.edit is None


async def test_fix_all_is_eager_without_resolve_support(launch: Launch) -> None:
    caps = capabilities("visual-studio-code", **{"text_document.code_action.resolve_support": None})
    client, _ = await launch(caps)
    await open_document(client, FIXABLE, version=1)
    everything = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=4, character=0)
    )
    [action] = await code_actions(client, everything, only=["source"])
    assert action.edit is not None
    text, _ = await apply_to_document(client, FIXABLE, action.edit, version=2)
    assert text == FIXED


@pytest.mark.parametrize("scope", ["instruction", "file"])
async def test_an_ignore_action_silences_the_finding(client: Client, scope: str) -> None:
    text = "# syntax=docker/dockerfile:1\nFROM alpine:3.20\n  ADD run.sh /app/\nUSER nobody\n"
    published = await open_document(client, text, version=1)
    [diagnostic] = coded(published, "DKL405")
    actions = await code_actions(client, diagnostic.range, [diagnostic], only=["quickfix"])
    title = {
        "instruction": "Ignore DKL405 for this instruction",
        "file": "Ignore DKL405 in this file",
    }
    [action] = [a for a in actions if a.title == title[scope]]
    assert not action.is_preferred
    assert action.edit is not None
    new, after = await apply_to_document(client, text, action.edit, version=2)
    if scope == "instruction":
        assert new.splitlines()[2] == "  # dockerls: ignore=DKL405"
    else:
        assert new.splitlines()[1] == "# dockerls: ignore-file=DKL405"
    assert coded(after, "DKL405") == []


# Whole-context COPY with node_modules beside the Dockerfile: DKL351 without a
# .dockerignore, DKL352 with one that does not exclude node_modules.
CONTEXT_COPY = "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\n"


def _project(tmp_path: Path, ignore: str | None) -> str:
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "package.json").write_text('{"name": "x"}')
    if ignore is not None:
        (tmp_path / ".dockerignore").write_bytes(ignore.encode())
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(CONTEXT_COPY)
    return dockerfile.as_uri()


@pytest.mark.parametrize("name", CLIENTS)
async def test_create_a_dockerignore(launch: Launch, tmp_path: Path, name: str) -> None:
    uri = _project(tmp_path, None)
    client, _ = await launch(capabilities(name), root_uri=tmp_path.as_uri())
    published = await open_document(client, CONTEXT_COPY, uri=uri)
    [diagnostic] = coded(published, "DKL351")
    actions = await code_actions(client, diagnostic.range, [diagnostic], uri=uri)
    created = [a for a in actions if a.title.startswith("Create .dockerignore")]
    if name == "neovim":
        # The recorded Neovim announces no documentChanges, where CreateFile lives.
        assert created == []
        return
    [action] = created
    assert not action.is_preferred
    assert action.edit is not None
    create, fill = action.edit.document_changes or []
    assert isinstance(create, types.CreateFile)
    assert isinstance(fill, types.TextDocumentEdit)
    assert create.uri == fill.text_document.uri
    assert create.uri.endswith("/.dockerignore")
    content = apply_text_edits("", [e for e in fill.edits if isinstance(e, types.TextEdit)])
    assert {".git", "**/node_modules", ".dockerignore"} <= set(content.splitlines())


@pytest.mark.parametrize("name", CLIENTS)
async def test_add_to_the_dockerignore(launch: Launch, tmp_path: Path, name: str) -> None:
    uri = _project(tmp_path, ".git\r\n*.log")
    client, _ = await launch(capabilities(name), root_uri=tmp_path.as_uri())
    published = await open_document(client, CONTEXT_COPY, uri=uri)
    [diagnostic] = coded(published, "DKL352")
    actions = await code_actions(client, diagnostic.range, [diagnostic], uri=uri)
    [action] = [a for a in actions if a.title.startswith("Add ")]
    assert action.title == "Add node_modules to .dockerignore"
    assert action.edit is not None
    [(ignore_uri, edits)] = [(u, e) for u, e in edits_by_uri(action.edit).items() if u != uri]
    assert ignore_uri.endswith("/.dockerignore")
    assert apply_text_edits(".git\r\n*.log", edits) == ".git\r\n*.log\r\nnode_modules\r\n"


async def test_the_reorder_refactor_resolves_and_applies(client: Client) -> None:
    text = 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n'
    published = await open_document(client, text, version=1)
    [diagnostic] = coded(published, "DKL301")
    actions = await code_actions(client, diagnostic.range, [diagnostic])
    [refactor] = [a for a in actions if a.kind == types.CodeActionKind.RefactorRewrite]
    assert not refactor.is_preferred
    assert refactor.edit is None  # both recorded clients resolve lazily
    action = await resolved(client, refactor)
    assert action.edit is not None
    new, after = await apply_to_document(client, text, action.edit, version=2)
    assert new.splitlines()[2:5] == ["COPY package*.json ./", "RUN npm ci", "COPY . ."]
    assert coded(after, "DKL301") == []
