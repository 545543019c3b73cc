"""The server's connection to its client: the protocol it speaks, what the client supports,
and what the client is told (its log, and stderr)."""

from __future__ import annotations

import logging
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import FeatureRequestError
from pygls.lsp.server import LanguageServer

from dockerls import __version__, convert
from dockerls.rpc import RpcProtocol

log = logging.getLogger("dockerls.server")  # the server's one logger, whichever module logs


class ClientLayer(LanguageServer):
    """The bottom layer of ``DockerLanguageServer``: the protocol and the client."""

    def __init__(self) -> None:
        super().__init__(
            "dockerls",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=RpcProtocol,
        )
        assert isinstance(self.protocol, RpcProtocol)
        self.rpc: RpcProtocol = self.protocol
        self.shutdown_requested = False

    @property
    def encoding(self) -> str:
        """The negotiated position encoding (pygls chooses it during ``initialize``)."""
        encoding = self.workspace.position_encoding or convert.UTF16
        return encoding.value if isinstance(encoding, types.PositionEncodingKind) else encoding

    def supports(self, field: Any) -> bool:
        return bool(get_capability(self.client_capabilities, field, False))

    def reads_markdown(self, formats_field: str) -> bool:
        """Whether the client's preferred format at ``formats_field`` (a list of
        ``MarkupKind``, most preferred first) is Markdown; a client that says nothing does."""
        formats = get_capability(self.client_capabilities, formats_field, None)
        return not formats or formats[0] == types.MarkupKind.Markdown

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A failure outside a request (a request's failure is its answer): logged, and
        told to the client's log rather than popped up (pygls' default)."""
        if source is FeatureRequestError:
            return
        self.tell(types.MessageType.Error, f"internal error: {error!r}")

    def tell(self, kind: types.MessageType, message: str) -> None:
        """An important event: to the log on stderr and to the client's log."""
        level = {types.MessageType.Error: logging.ERROR, types.MessageType.Warning: logging.WARNING}
        log.log(level.get(kind, logging.INFO), "%s", message)
        self.window_log_message(types.LogMessageParams(type=kind, message=message))
