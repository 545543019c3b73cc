"""Helpers for end-to-end tests that drive ``dockerls.server`` through pytest-lsp."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER_COMMAND = [sys.executable, "-c", "from dockerls.server import main; main()"]
CLIENTS = ["visual-studio-code", "neovim"]
URI = "file:///project/Dockerfile"
# A bound on every wait, so a server that stays silent fails the test instead of hanging it.
TIMEOUT = 20.0


class Client(LanguageClient):
    """pytest-lsp's client, plus what a real editor does that the tests rely on."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.exit_code: int | None = None
        self.published: list[types.PublishDiagnosticsParams] = []  # every one, in order

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self.exit_code = server.returncode
        await super().server_exit(server)


def record_diagnostics(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def make_client() -> Client:
    client = Client()
    features = {
        **DEFAULT_CLIENT_FEATURES,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: record_diagnostics,
    }
    register_lsp_features(client, features)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        """Accept dynamic registrations, as VS Code does."""

    return client


CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client)


# ``start`` as a fixture hands it out: (capabilities, options, configuration) -> started.
Launch = Callable[..., Awaitable[tuple[Client, types.InitializeResult]]]


def capabilities(name: str, **changes: Any) -> types.ClientCapabilities:
    """A recorded client's capabilities, with ``changes`` given as dotted paths."""
    caps = client_capabilities(name)
    for path, value in changes.items():
        *parents, last = path.split(".")
        target: Any = caps
        for part in parents:
            target = getattr(target, part)
        setattr(target, last, value)
    return caps


async def start(
    caps: types.ClientCapabilities, options: Any = None, configuration: Any = None
) -> tuple[Client, types.InitializeResult]:
    """Launch a server and initialize it; ``configuration`` is the client's ``dockerls`` section."""
    client = await CONFIG.start()
    assert isinstance(client, Client)
    if configuration is not None:
        client.set_configuration(configuration, section="dockerls")
    result = await client.initialize_session(
        types.InitializeParams(capabilities=caps, initialization_options=options)
    )
    return client, result


async def next_publish(
    client: LanguageClient, send: Callable[[], None]
) -> types.PublishDiagnosticsParams:
    """Do ``send`` and return the diagnostics the server publishes next.

    The wait is registered before sending (what ``client.wait_for_notification`` does
    when awaited), so the reply cannot slip past it.
    """
    waiting = client.protocol.wait_for_notification_async(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    send()
    params = await asyncio.wait_for(waiting, TIMEOUT)
    assert isinstance(params, types.PublishDiagnosticsParams)
    return params


async def open_document(
    client: LanguageClient, text: str, uri: str = URI, version: int = 1
) -> types.PublishDiagnosticsParams:
    item = types.TextDocumentItem(uri=uri, language_id="dockerfile", version=version, text=text)
    return await next_publish(
        client,
        lambda: client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item)),
    )


async def change_document(
    client: LanguageClient,
    version: int,
    start: tuple[int, int],
    end: tuple[int, int],
    text: str,
    *,
    uri: str = URI,
) -> types.PublishDiagnosticsParams:
    """Replace the range from ``start`` to ``end`` (client units) with ``text``."""
    change = types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=start[0], character=start[1]),
            end=types.Position(line=end[0], character=end[1]),
        ),
        text=text,
    )
    params = types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[change],
    )
    return await next_publish(client, lambda: client.text_document_did_change(params))


def start_of(diagnostic: types.Diagnostic) -> tuple[int, int]:
    return diagnostic.range.start.line, diagnostic.range.start.character


def unterminated(published: types.PublishDiagnosticsParams) -> list[types.Diagnostic]:
    """The unterminated-heredoc diagnostics (DKL003) among those published."""
    return [d for d in published.diagnostics if d.code == "DKL003"]
