"""Navigation, links and inlay hints through a real LSP client (VS Code and Neovim profiles)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp_helpers import (
    CLIENTS,
    CONFIG,
    URI,
    Client,
    capabilities,
    edits_by_uri,
    open_document,
)

TEXT = (
    "ARG NODE_VERSION=20\n"
    "FROM node:${NODE_VERSION} AS build\n"
    "RUN npm ci\n"
    "FROM gcr.io/distroless/nodejs20-debian12:nonroot\n"
    "COPY --from=build /app /app\n"
)
DOC = types.TextDocumentIdentifier(uri=URI)


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS)
async def client(lsp_client: Client, request: pytest.FixtureRequest) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities(request.param))
    )
    yield
    await lsp_client.shutdown_session()


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


async def test_definition_and_references_of_a_stage(client: Client) -> None:
    await open_document(client, TEXT)
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=DOC, position=at(4, 14))
    )
    assert isinstance(found, list) and [loc.range.start for loc in found] == [at(1, 29)]
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=DOC,
            position=at(1, 30),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None and sorted(r.range.start.line for r in refs) == [1, 4]


async def test_rename_a_variable_and_refuse_a_bad_name(client: Client) -> None:
    await open_document(client, TEXT)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=DOC, position=at(0, 5))
    )
    assert prepared is not None
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=DOC, position=at(0, 5), new_name="NODE_MAJOR")
    )
    assert edit is not None
    edits = edits_by_uri(edit)[URI]
    assert sorted(e.range.start.line for e in edits) == [0, 1]
    assert {e.new_text for e in edits} == {"NODE_MAJOR"}
    with pytest.raises(Exception, match=r"name"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=DOC, position=at(0, 5), new_name="1bad name")
        )


async def test_highlights_links_and_inlay_hints(client: Client) -> None:
    await open_document(client, TEXT)
    marks = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=DOC, position=at(1, 31))
    )
    assert marks is not None and len(marks) == 2
    links = await client.text_document_document_link_async(
        types.DocumentLinkParams(text_document=DOC)
    )
    assert links is not None
    # node:${NODE_VERSION} has no link (unexpanded); the distroless image links to its project
    assert [link.range.start.line for link in links] == [3]
    assert links[0].target is not None and "distroless" in links[0].target
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=DOC, range=types.Range(start=at(0, 0), end=at(5, 0)))
    )
    assert hints is not None
    labels = [h.label for h in hints]
    assert "= node:20" in labels


async def test_completion_signature_semantic_tokens_and_formatting(client: Client) -> None:
    await open_document(
        client, "from node:20 AS build\n  RUN --mo\nFROM alpine:3.20\nCOPY --from= . .\n"
    )
    items = await client.text_document_completion_async(
        types.CompletionParams(text_document=DOC, position=at(1, 10))
    )
    labels = [i.label for i in (items.items if isinstance(items, types.CompletionList) else items)]
    assert any(label.startswith("--mount") for label in labels)
    stages = await client.text_document_completion_async(
        types.CompletionParams(text_document=DOC, position=at(3, 12))
    )
    assert stages is not None
    found = stages.items if isinstance(stages, types.CompletionList) else stages
    assert "build" in [i.label for i in found]
    tokens = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=DOC)
    )
    assert tokens is not None and tokens.data and len(tokens.data) % 5 == 0
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=DOC, options=types.FormattingOptions(tab_size=4, insert_spaces=True)
        )
    )
    assert edits is not None
    assert "FROM" in {e.new_text for e in edits} or any(e.range.start == at(0, 0) for e in edits)
    help_ = await client.text_document_signature_help_async(
        types.SignatureHelpParams(text_document=DOC, position=at(3, 16))
    )
    assert help_ is not None and help_.signatures
