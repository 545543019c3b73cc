"""The server put together: the handlers registered with their options on a
``DockerLanguageServer`` (``create_server``), and serving on stdio (``main``)."""

from __future__ import annotations

import logging
import sys

from lsprotocol import types

from dockerls import convert
from dockerls.features.semantic import TOKEN_MODIFIERS, TOKEN_TYPES
from dockerls.rpc import RpcProtocol, serve
from dockerls.server.handlers.display import (
    hover,
    inlay_hint,
    semantic_tokens_full,
    semantic_tokens_range,
)
from dockerls.server.handlers.editing import (
    code_action,
    code_action_resolve,
    completion,
    formatting,
    on_type_formatting,
    range_formatting,
    show_notes,
    signature_help,
)
from dockerls.server.handlers.lifecycle import (
    did_change,
    did_change_configuration,
    did_close,
    did_open,
    did_save,
    initialize,
    initialized,
    shutdown,
)
from dockerls.server.handlers.navigation import (
    definition,
    document_highlight,
    document_link,
    document_symbol,
    folding_range,
    prepare_rename,
    references,
    rename,
)
from dockerls.server.language_server import DockerLanguageServer


def create_server() -> DockerLanguageServer:
    server = DockerLanguageServer()
    for method, handler in (
        (types.INITIALIZE, initialize),
        (types.INITIALIZED, initialized),
        (types.WORKSPACE_DID_CHANGE_CONFIGURATION, did_change_configuration),
        (types.TEXT_DOCUMENT_DID_OPEN, did_open),
        (types.TEXT_DOCUMENT_DID_CHANGE, did_change),
        (types.TEXT_DOCUMENT_DID_SAVE, did_save),
        (types.TEXT_DOCUMENT_DID_CLOSE, did_close),
        (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, document_symbol),
        (types.TEXT_DOCUMENT_FOLDING_RANGE, folding_range),
        (types.TEXT_DOCUMENT_HOVER, hover),
        (types.TEXT_DOCUMENT_DEFINITION, definition),
        (types.TEXT_DOCUMENT_REFERENCES, references),
        (types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, document_highlight),
        (types.TEXT_DOCUMENT_PREPARE_RENAME, prepare_rename),
        (types.TEXT_DOCUMENT_DOCUMENT_LINK, document_link),
        (types.TEXT_DOCUMENT_INLAY_HINT, inlay_hint),
        (types.TEXT_DOCUMENT_FORMATTING, formatting),
        (types.TEXT_DOCUMENT_RANGE_FORMATTING, range_formatting),
        (types.SHUTDOWN, shutdown),
    ):
        server.feature(method)(handler)
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=convert.CODE_ACTION_KINDS, resolve_provider=True),
    )(code_action)
    server.feature(types.CODE_ACTION_RESOLVE)(code_action_resolve)
    server.command(convert.SHOW_NOTES)(show_notes)
    server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))(rename)
    server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["-", "=", "$", "{", ":", " "]),
    )(completion)
    server.feature(
        types.TEXT_DOCUMENT_SIGNATURE_HELP,
        types.SignatureHelpOptions(trigger_characters=[" "]),
    )(signature_help)
    legend = types.SemanticTokensLegend(
        token_types=list(TOKEN_TYPES), token_modifiers=list(TOKEN_MODIFIERS)
    )
    server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, legend)(semantic_tokens_full)
    server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, legend)(semantic_tokens_range)
    server.feature(
        types.TEXT_DOCUMENT_ON_TYPE_FORMATTING,
        types.DocumentOnTypeFormattingOptions(
            first_trigger_character="\\", more_trigger_character=["`"]
        ),
    )(on_type_formatting)
    return server


def main() -> None:
    """Serve LSP on stdin/stdout until the client says ``exit``."""
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("dockerls").setLevel(logging.INFO)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must never corrupt the protocol stream
    server = create_server()
    assert isinstance(server.protocol, RpcProtocol)
    serve(server.protocol, stdin, stdout)
    if not server.shutdown_requested:
        raise SystemExit(1)  # the protocol's answer to an exit without shutdown
