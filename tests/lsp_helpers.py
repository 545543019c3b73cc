"""Helpers for end-to-end tests that drive ``dockerls.server`` through pytest-lsp."""

from __future__ import annotations

import asyncio
import itertools
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Union

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER_COMMAND = [sys.executable, "-c", "from dockerls.server import main; main()"]
CLIENTS = ["visual-studio-code", "neovim"]
URI = "file:///project/Dockerfile"
# A bound on every wait, so a server that stays silent fails the test instead of hanging it.
TIMEOUT = 20.0


def _converter() -> Any:
    """lsprotocol's converter, reading a code action as editors do.

    lsprotocol takes every result item with a ``command`` key for a ``Command``, so a
    ``CodeAction`` that carries a command (the split refactor's notes) would lose its
    edit. VS Code and Neovim tell them apart by the type of ``command``: a string
    names a ``Command``, an object is a ``CodeAction``'s.
    """
    converter = default_converter()

    def command_or_action(value: Any, _: type) -> types.Command | types.CodeAction:
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    converter.register_structure_hook(types.Command | types.CodeAction, command_or_action)
    converter.register_structure_hook(Union[types.Command, types.CodeAction], command_or_action)  # noqa: UP007
    return converter


class Client(LanguageClient):
    """pytest-lsp's client, plus what a real editor does that the tests rely on."""

    def __init__(self) -> None:
        super().__init__(converter_factory=_converter)
        self.exit_code: int | None = None
        self.published: list[types.PublishDiagnosticsParams] = []  # every one, in order
        # (uri, version, future) for ``published_version``
        self.version_waiters: list[
            tuple[str, int, asyncio.Future[types.PublishDiagnosticsParams]]
        ] = []

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self.exit_code = server.returncode
        await super().server_exit(server)


def record_diagnostics(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)
    for waiter in list(client.version_waiters):
        uri, version, future = waiter
        if params.uri == uri and params.version == version:
            client.version_waiters.remove(waiter)
            if not future.done():
                future.set_result(params)


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
    caps: types.ClientCapabilities,
    options: Any = None,
    configuration: Any = None,
    root_uri: str | None = None,
) -> tuple[Client, types.InitializeResult]:
    """Launch a server and initialize it; ``configuration`` is the client's ``dockerls`` section."""
    client = await CONFIG.start()
    assert isinstance(client, Client)
    if configuration is not None:
        client.set_configuration(configuration, section="dockerls")
    result = await client.initialize_session(
        types.InitializeParams(capabilities=caps, initialization_options=options, root_uri=root_uri)
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


async def published_version(
    client: Client, version: int, uri: str = URI
) -> types.PublishDiagnosticsParams:
    """The diagnostics published for ``version`` of ``uri``, already in or still to come."""
    for params in client.published:
        if params.uri == uri and params.version == version:
            return params
    future: asyncio.Future[types.PublishDiagnosticsParams] = (
        asyncio.get_running_loop().create_future()
    )
    client.version_waiters.append((uri, version, future))
    return await asyncio.wait_for(future, TIMEOUT)


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


# --- applying a server's edits, as a client does ------------------------------------------

_LINE_WITH_BREAK = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _offset(text: str, position: types.Position) -> int:
    """The string offset of an LSP position counted in UTF-16 units (the default encoding)."""
    lines = _LINE_WITH_BREAK.findall(text)
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line].rstrip("\r\n")
    units = 0
    for index, char in enumerate(line):
        if units >= position.character:
            return start + index
        units += 2 if ord(char) > 0xFFFF else 1
    return start + len(line)


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply edits that all refer to ``text`` (the protocol's rule), last first."""
    spans = sorted(
        ((_offset(text, e.range.start), _offset(text, e.range.end), e.new_text) for e in edits),
        key=lambda s: (s[0], s[1]),
    )
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        assert end <= start, f"overlapping edits: {edits}"
    for start, end, new in reversed(spans):
        text = text[:start] + new + text[end:]
    return text


def edits_by_uri(edit: types.WorkspaceEdit) -> dict[str, list[types.TextEdit]]:
    """The text edits of a workspace edit per document, from either of its two shapes."""
    found: dict[str, list[types.TextEdit]] = {}
    for uri, edits in (edit.changes or {}).items():
        found.setdefault(uri, []).extend(edits)
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit):
            found.setdefault(change.text_document.uri, []).extend(
                e for e in change.edits if isinstance(e, types.TextEdit)
            )
    return found


async def apply_to_document(
    client: LanguageClient, text: str, edit: types.WorkspaceEdit, version: int, uri: str = URI
) -> tuple[str, types.PublishDiagnosticsParams]:
    """Apply the edit's changes to the open document (as incremental changes, last first),
    tell the server, and return the new text and the diagnostics published for it."""
    edits = edits_by_uri(edit).get(uri, [])
    new_text = apply_text_edits(text, edits)
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    changes: list[types.TextDocumentContentChangeEvent] = [
        types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
        for e in reversed(ordered)
    ]
    params = types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=changes,
    )
    published = await next_publish(client, lambda: client.text_document_did_change(params))
    return new_text, published


async def code_actions(
    client: LanguageClient,
    range_: types.Range,
    diagnostics: Sequence[types.Diagnostic] = (),
    only: Sequence[str] | None = None,
    uri: str = URI,
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=range_,
            context=types.CodeActionContext(
                diagnostics=list(diagnostics), only=list(only) if only is not None else None
            ),
        )
    )
    actions = [a for a in result or [] if isinstance(a, types.CodeAction)]
    assert len(actions) == len(result or []), "commands are never returned"
    return actions


async def resolved(client: LanguageClient, action: types.CodeAction) -> types.CodeAction:
    """The action with its edit, resolving it first when it came without one."""
    if action.edit is not None:
        return action
    return await client.code_action_resolve_async(action)
