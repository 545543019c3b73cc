"""The session's handlers: initialize, configuration changes, the documents' open, change,
save and close, and shutdown."""

from __future__ import annotations

from lsprotocol import types

from dockerls.server.documents import use_lsp_lines
from dockerls.server.language_server import DockerLanguageServer


def initialize(ls: DockerLanguageServer, params: types.InitializeParams) -> None:
    use_lsp_lines(ls.workspace)
    ls.initialize_settings(params.initialization_options)


async def initialized(ls: DockerLanguageServer, params: types.InitializedParams) -> None:
    await ls.start_serving()


async def did_change_configuration(
    ls: DockerLanguageServer, params: types.DidChangeConfigurationParams
) -> None:
    await ls.settings_changed(params.settings)


def did_open(ls: DockerLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


def did_change(ls: DockerLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


def did_save(ls: DockerLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.saved()


def did_close(ls: DockerLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.closed(params.text_document.uri)


def shutdown(ls: DockerLanguageServer, params: None) -> None:
    ls.shutdown_requested = True
