"""The server survives what editors and broken clients send, and still answers afterwards.

Every test ends by asking for the document symbols of a small document: the server is
alive and its document store is not poisoned. No sleeps: every wait is a future with a
deadline (``TIMEOUT``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcMethodNotFound

from bench.generate import dockerfile
from tests.lsp_helpers import (
    CONFIG,
    TIMEOUT,
    URI,
    Client,
    capabilities,
    next_publish,
    open_document,
    start,
)

SMALL = "FROM alpine:3.20 AS base\nRUN echo hi\n"
SMALL_URI = "file:///project/small/Dockerfile"


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: Client) -> AsyncIterator[None]:
    caps = capabilities("visual-studio-code")
    await lsp_client.initialize_session(types.InitializeParams(capabilities=caps))
    yield
    await lsp_client.shutdown_session()


async def symbols(client: Client, uri: str) -> list[Any]:
    result = await asyncio.wait_for(
        client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
        ),
        TIMEOUT,
    )
    return list(result or [])


async def still_answers(client: Client, deadline: float = TIMEOUT) -> None:
    """A fresh small document is analysed and its symbols come back."""

    async def ask() -> list[Any]:
        if SMALL_URI not in client.diagnostics:
            await open_document(client, SMALL, uri=SMALL_URI)
        return await symbols(client, SMALL_URI)

    found = await asyncio.wait_for(ask(), deadline)
    assert [s.name for s in found] == ["FROM alpine:3.20 AS base"]
    assert client.exit_code is None


def change(uri: str, version: int, changes: list[Any]) -> types.DidChangeTextDocumentParams:
    return types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=changes,
    )


def edit(start: tuple[int, int], end: tuple[int, int], text: str) -> Any:
    return types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=start[0], character=start[1]),
            end=types.Position(line=end[0], character=end[1]),
        ),
        text=text,
    )


async def test_an_unknown_method_is_method_not_found(client: Client) -> None:
    with pytest.raises(JsonRpcMethodNotFound):
        await asyncio.wait_for(client.protocol.send_request_async("x/y", {}), TIMEOUT)
    # an unknown notification is ignored, not answered
    client.protocol.notify("$/x", {})
    await still_answers(client)


async def test_a_change_to_a_document_never_opened(client: Client) -> None:
    uri = "file:///project/never-opened/Dockerfile"
    client.text_document_did_change(change(uri, 2, [edit((0, 0), (0, 0), "FROM alpine\n")]))
    client.text_document_did_change(
        change(uri, 3, [types.TextDocumentContentChangeWholeDocument(text="FROM x\n")])
    )
    await still_answers(client)


async def diagnostics_and_symbols(client: Client, uri: str) -> tuple[Any, list[Any]]:
    published = client.diagnostics[uri]
    found = [(d.code, d.range, d.message) for d in published]
    return found, [(s.name, s.range) for s in await symbols(client, uri)]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # clamped to the end of the document, as VS Code does
        ((50, 0), (50, 0), "FROM alpine\nRUN <<EOF\n"),
        # clamped to the end of the line's text, before its line break
        ((0, 500), (0, 500), "FROM alpineRUN <<EOF\n\n"),
        # an inverted range is normalised, as editors do
        ((1, 0), (0, 0), "RUN <<EOF\n"),
    ],
    ids=["line-past-the-end", "column-past-the-end", "inverted"],
)
async def test_an_out_of_range_edit(
    client: Client, start: tuple[int, int], end: tuple[int, int], expected: str
) -> None:
    await open_document(client, "FROM alpine\n")
    published = await next_publish(
        client,
        lambda: client.text_document_did_change(change(URI, 2, [edit(start, end, "RUN <<EOF\n")])),
    )
    assert published.version == 2
    # The server's copy is what a fresh open of the expected text gives.
    fresh = "file:///project/fresh/Dockerfile"
    await open_document(client, expected, uri=fresh)
    assert await diagnostics_and_symbols(client, URI) == await diagnostics_and_symbols(
        client, fresh
    )
    await still_answers(client)


async def test_nul_bytes_and_lone_surrogates(client: Client) -> None:
    text = "FROM alpine\x00:3\nRUN echo \ud800 \udfff\x00\nLABEL a=\ud83d\n\x00\x00\n"
    published = await open_document(client, text)
    assert published.uri == URI
    found = await symbols(client, URI)
    assert found
    hover = await asyncio.wait_for(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=URI),
                position=types.Position(line=1, character=10),
            )
        ),
        TIMEOUT,
    )
    del hover  # any answer will do
    await still_answers(client)


async def test_a_5_mb_document() -> None:
    text = dockerfile(200)
    text = text * (5 * 1024 * 1024 // len(text) + 1)
    assert len(text.encode()) >= 5 * 1024 * 1024
    client, _ = await start(capabilities("visual-studio-code"))
    try:
        item = types.TextDocumentItem(uri=URI, language_id="dockerfile", version=1, text=text)
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        # Analysing the big document may take its time; answering about another must not.
        await still_answers(client, deadline=10.0)
    finally:
        # A server still busy would make an orderly shutdown wait for it: stop it outright.
        server = client._server
        if server is not None and server.returncode is None:
            server.kill()
        await client.stop()


async def test_a_request_right_after_changes_sees_the_newest_text(client: Client) -> None:
    """Requests wait for the analysis of the text as it is when they arrive, even while
    the diagnostics of older versions are still being worked out."""
    text = dockerfile(2000)
    await open_document(client, text)
    first = text.split("\n")[1]
    assert first.startswith("FROM ")
    for version, name in enumerate(["one", "two", "three"], start=2):
        new_first = f"FROM alpine:3.20 AS {name}"
        client.text_document_did_change(
            change(URI, version, [edit((1, 0), (1, len(first)), new_first)])
        )
        first = new_first
    found = await symbols(client, URI)
    assert found[0].name == "FROM alpine:3.20 AS three"
    await still_answers(client)


async def test_a_storm_of_configuration_changes(client: Client) -> None:
    await open_document(client, SMALL, uri=SMALL_URI)
    for i in range(200):
        settings = {"dockerls": {"enable": True}} if i % 2 else {}
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings=settings)
        )
    await still_answers(client)


async def test_cancelled_requests(client: Client) -> None:
    await open_document(client, dockerfile(200))
    pending = []
    for n in range(10):
        msg_id = f"cancel-me-{n}"
        future = client.protocol.send_request(
            types.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
            types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=URI)),
            msg_id=msg_id,
        )
        client.protocol.notify("$/cancelRequest", types.CancelParams(id=msg_id))
        pending.append(future)
    # Each is answered (a result, or RequestCancelled): none is left hanging.
    done, not_done = await asyncio.wait([asyncio.wrap_future(f) for f in pending], timeout=TIMEOUT)
    assert not not_done
    for future in done:
        error = future.exception()
        assert error is None or isinstance(error, JsonRpcException)
    # cancelling a request that was answered long ago, or never existed, is harmless
    client.protocol.notify("$/cancelRequest", types.CancelParams(id="no-such-request"))
    await still_answers(client)
