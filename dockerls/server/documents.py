"""The open documents: their text as the client sent it, kept up to date edit by edit,
with lines broken where LSP breaks them; a request about a document that is not open is
refused (``RequestFailed``): the server never reads a document's text from disk."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.workspace import TextDocument, Workspace

from dockerls.server.client import ClientLayer

_LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class DocumentNotOpen(JsonRpcException):
    """A request about a document the client has not opened (LSP's RequestFailed)."""

    CODE = -32803
    MESSAGE = "Request failed"


class LspTextDocument(TextDocument):
    """A document whose lines break where LSP says: at \\r\\n, \\n and \\r only.

    pygls splits with ``str.splitlines``, which also breaks at U+2028, U+2029,
    U+0085, form feeds and vertical tabs; an incremental edit after such a
    character would land on the wrong line and the server's copy would drift.
    """

    # The lines of ``_source`` (with their breaks) while it is the text they were split
    # from: an edit replaces the lines it touches instead of splitting the text again.
    _split: tuple[str, list[str]] | None = None

    def _lines(self) -> list[str]:
        source = self.source
        if self._split is None or self._split[0] is not source:
            self._split = (source, _LSP_LINE.findall(source))
        return self._split[1]

    @property
    def lines(self) -> Sequence[str]:
        return tuple(self._lines())

    def apply_change(self, change: types.TextDocumentContentChangeEvent) -> None:
        """Apply a change; an inverted range (end before start) is normalised, as
        editors do, instead of duplicating the text between the two positions."""
        if isinstance(change, types.TextDocumentContentChangePartial):
            start, end = change.range.start, change.range.end
            if (end.line, end.character) < (start.line, start.character):
                change = types.TextDocumentContentChangePartial(
                    range=types.Range(start=end, end=start),
                    text=change.text,
                    range_length=change.range_length,
                )
        super().apply_change(change)

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        """pygls' edit, on the lines it touches: the same text, without walking every line."""
        lines = self._lines()
        edited = self._position_codec.range_from_client_units(lines, change.range)
        first, last = edited.start.line, edited.end.line
        if first >= len(lines):  # at the very end
            self._source = self.source + change.text
            return
        middle = lines[first][: edited.start.character] + change.text
        if last < len(lines):
            middle += lines[last][edited.end.character :]
        pieces = _LSP_LINE.findall(middle)
        joins = (first > 0 and lines[first - 1].endswith("\r") and middle.startswith("\n")) or (
            last + 1 < len(lines)
            and (not pieces or not pieces[-1].endswith(("\r", "\n")) or middle.endswith("\r"))
        )
        lines[first : last + 1] = pieces
        source = self._source = "".join(lines)
        # Where the edit's ends meet the lines around it a break may be made or undone
        # (an \r before an \n, a line without its break): those lines are split again.
        self._split = None if joins else (source, lines)

    @property
    def source(self) -> str:
        """The text the client sent; never the file on disk (pygls reads it when a
        document was not opened)."""
        return self._source or ""


def use_lsp_lines(workspace: Workspace) -> None:
    """Make the workspace create ``LspTextDocument``s (pygls has no public hook)."""

    def create(
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=workspace._sync_kind,
            position_codec=workspace.position_codec,
        )

    workspace._create_text_document = create  # type: ignore[method-assign]


class DocumentLayer(ClientLayer):
    """The layer of ``DockerLanguageServer`` that finds the open documents."""

    def document(self, uri: str) -> TextDocument:
        """The open document at ``uri``; refused (never read from disk) when not open."""
        found: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        if found is None:
            raise DocumentNotOpen(f"{uri} is not open")
        return found

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents
