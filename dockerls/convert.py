"""The only place where model values become lsprotocol types, and back.

Model positions count code points; a client counts UTF-16 units (the LSP default),
UTF-8 bytes or code points, whichever was negotiated. ``PositionMap`` converts
between the two using the document's lines. A line made only of ASCII is the same in
every encoding, so only lines with non-ASCII characters cost anything; no conversion
ever looks at more than the one line it is about.

Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from dockerls.features.semantic import TOKEN_MODIFIERS, TOKEN_TYPES, SemanticToken
from dockerls.syntax.model import Position, Span

if TYPE_CHECKING:
    from cattrs import Converter

    from dockerls.actions.offers import Action, ActionRef
    from dockerls.analysis import Analysis
    from dockerls.features.completion import CompletionItem
    from dockerls.features.signature import SignatureHelp
    from dockerls.findings import Finding, TextEdit
    from dockerls.hover import HoverResult
    from dockerls.syntax.model import Dockerfile, Instruction, Stage

SOURCE = "dockerls"
RULE_DOCS = "https://dockerls.dev/rules/{code}"

UTF8 = types.PositionEncodingKind.Utf8
UTF16 = types.PositionEncodingKind.Utf16
UTF32 = types.PositionEncodingKind.Utf32

_DETAIL_WIDTH = 60


def _utf8_units(char: str) -> int:
    point = ord(char)
    if point < 0x80:
        return 1
    if point < 0x800:
        return 2
    if point < 0x10000:
        return 3
    return 4


def _utf16_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


class PositionMap:
    """Converts positions of one document between the model and a client encoding.

    Columns past the end of a line clamp to the end of the line, in both directions;
    a client position inside a multi-unit character maps to the start of that character.
    """

    __slots__ = ("_encoding", "_lines")

    def __init__(self, lines: Sequence[str], encoding: str = UTF16) -> None:
        self._lines = lines
        # Anything we do not know is treated as the protocol's default, UTF-16.
        self._encoding = encoding if encoding in (UTF8, UTF32) else UTF16

    @classmethod
    def of(cls, document: Dockerfile, encoding: str = UTF16) -> PositionMap:
        return cls(document.lines, encoding)

    def _line(self, line: int) -> str:
        return self._lines[line] if 0 <= line < len(self._lines) else ""

    def units(self, line: int, column: int) -> int:
        """The client's column for a code-point ``column`` on ``line``."""
        text = self._line(line)
        column = min(max(column, 0), len(text))
        if self._encoding == UTF32 or text.isascii():
            return column
        prefix = text[:column]
        if self._encoding == UTF8:
            return len(prefix.encode("utf-8", "surrogatepass"))
        return len(prefix.encode("utf-16-le", "surrogatepass")) // 2

    def column(self, line: int, units: int) -> int:
        """The code-point column for a client column of ``units`` on ``line``."""
        text = self._line(line)
        if self._encoding == UTF32 or text.isascii():
            return min(max(units, 0), len(text))
        size = _utf8_units if self._encoding == UTF8 else _utf16_units
        count = 0
        for index, char in enumerate(text):
            count += size(char)
            if count > units:
                return index
        return len(text)

    def position(self, pos: Position) -> types.Position:
        return types.Position(line=pos.line, character=self.units(pos.line, pos.column))

    def range(self, span: Span) -> types.Range:
        return types.Range(start=self.position(span.start), end=self.position(span.end))

    def to_model(self, position: types.Position) -> Position:
        return Position(position.line, self.column(position.line, position.character))

    def to_model_span(self, range_: types.Range) -> Span:
        return Span(self.to_model(range_.start), self.to_model(range_.end))


# --- diagnostics ---------------------------------------------------------------------

_DIAGNOSTIC_TAGS = {
    "unnecessary": int(types.DiagnosticTag.Unnecessary),
    "deprecated": int(types.DiagnosticTag.Deprecated),
}

# A diagnostic as the client receives it (JSON), built without lsprotocol's converter:
# publishing on every keystroke is the hottest path of the server.
WireDiagnostic = dict[str, Any]


def _wire_range(positions: PositionMap, span: Span) -> dict[str, dict[str, int]]:
    start, end = span.start, span.end
    return {
        "start": {"line": start.line, "character": positions.units(start.line, start.column)},
        "end": {"line": end.line, "character": positions.units(end.line, end.column)},
    }


def diagnostic(finding: Finding, positions: PositionMap, uri: str) -> WireDiagnostic:
    """The JSON of ``finding``'s diagnostic; empty tags and related information are left out."""
    wire: WireDiagnostic = {
        "range": _wire_range(positions, finding.span),
        "message": finding.message,
        "severity": int(finding.severity),
        "code": finding.code,
        "codeDescription": {"href": RULE_DOCS.format(code=finding.code)},
        "source": SOURCE,
    }
    if finding.tags:
        wire["tags"] = sorted(_DIAGNOSTIC_TAGS[tag.value] for tag in finding.tags)
    if finding.related:
        wire["relatedInformation"] = [
            {
                "location": {"uri": uri, "range": _wire_range(positions, r.span)},
                "message": r.message,
            }
            for r in finding.related
        ]
    return wire


def diagnostics(analysis: Analysis, uri: str, encoding: str = UTF16) -> list[WireDiagnostic]:
    positions = PositionMap.of(analysis.document, encoding)
    return [diagnostic(f, positions, uri) for f in analysis.findings]


@functools.cache
def _converter() -> Converter:
    from pygls.protocol import default_converter

    converter: Converter = default_converter()  # type: ignore[no-untyped-call]
    return converter


def structured(wire: WireDiagnostic) -> types.Diagnostic:
    """A diagnostic's JSON as lsprotocol's type (for the few a code action carries)."""
    return _converter().structure(wire, types.Diagnostic)


def range_key(range_: types.Range) -> tuple[int, int, int, int]:
    """A range as a tuple, to match a client's diagnostic with ours."""
    return (range_.start.line, range_.start.character, range_.end.line, range_.end.character)


def wire_key(wire: WireDiagnostic) -> tuple[str, tuple[int, int, int, int]]:
    """What identifies a diagnostic's JSON: its code and range, as for a client's."""
    start, end = wire["range"]["start"], wire["range"]["end"]
    return wire["code"], (start["line"], start["character"], end["line"], end["character"])


# --- document symbols ----------------------------------------------------------------

_SYMBOL_KINDS = {
    "RUN": types.SymbolKind.Function,
    "CMD": types.SymbolKind.Function,
    "ENTRYPOINT": types.SymbolKind.Function,
    "SHELL": types.SymbolKind.Function,
    "HEALTHCHECK": types.SymbolKind.Function,
    "ENV": types.SymbolKind.Variable,
    "ARG": types.SymbolKind.Variable,
    "COPY": types.SymbolKind.File,
    "ADD": types.SymbolKind.File,
    "EXPOSE": types.SymbolKind.Interface,
    "ONBUILD": types.SymbolKind.Event,
}
_DEPRECATED = frozenset({"MAINTAINER"})


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _DETAIL_WIDTH else flat[: _DETAIL_WIDTH - 1] + "…"


WireSymbol = dict[str, Any]  # a DocumentSymbol or SymbolInformation as the client gets it


def _symbol(
    name: str,
    kind: types.SymbolKind,
    range_: dict[str, dict[str, int]],
    selection: dict[str, dict[str, int]],
    detail: str | None,
    *,
    children: list[WireSymbol] | None = None,
    deprecated: bool = False,
) -> WireSymbol:
    """A DocumentSymbol's JSON; empty optional parts are left out."""
    symbol: WireSymbol = {
        "name": name,
        "kind": int(kind),
        "range": range_,
        "selectionRange": selection,
    }
    if detail is not None:
        symbol["detail"] = detail
    if deprecated:
        symbol["tags"] = [int(types.SymbolTag.Deprecated)]
    if children:
        symbol["children"] = children
    return symbol


def _instruction_symbol(ins: Instruction, positions: PositionMap) -> WireSymbol:
    pair_kind = types.SymbolKind.Property if ins.name == "LABEL" else types.SymbolKind.Variable
    children = [
        _symbol(
            pair.key.text,
            pair_kind,
            _wire_range(positions, pair.span),
            _wire_range(positions, pair.key.span),
            _shorten(pair.value.text) if pair.value is not None else None,
        )
        for pair in ins.pairs
        if pair.key.text.strip()
    ]
    return _symbol(
        ins.name,
        _SYMBOL_KINDS.get(ins.name, types.SymbolKind.Property),
        _wire_range(positions, ins.span),
        _wire_range(positions, ins.keyword.span),
        _shorten(ins.rest.text) if ins.rest is not None else None,
        children=children,
        deprecated=ins.name in _DEPRECATED,
    )


def _stage_symbol(stage: Stage, positions: PositionMap) -> WireSymbol:
    span = stage.span.cover(stage.from_.span)
    for ins in stage.instructions:
        span = span.cover(ins.span)
    header = stage.name or stage.image or stage.from_.keyword
    rest = stage.from_.rest
    return _symbol(
        f"FROM {_shorten(rest.text)}" if rest is not None else "FROM",
        types.SymbolKind.Class,
        _wire_range(positions, span),
        _wire_range(positions, header.span),
        f"stage {stage.index}",
        children=[_instruction_symbol(ins, positions) for ins in stage.instructions],
    )


def document_symbols(document: Dockerfile, encoding: str = UTF16) -> list[WireSymbol]:
    """Stages with their instructions inside; directives and global ARGs at the top level
    (as JSON: an outline of a big file is a few megabytes, which lsprotocol's types and
    converter would take several times longer to build and write).

    Instructions outside any stage that are not global ARGs (a mistake the parser
    reports) are listed at the top level too, so the outline shows every line.
    """
    positions = PositionMap.of(document, encoding)
    in_stage = {id(s.from_) for s in document.stages}
    in_stage.update(id(i) for s in document.stages for i in s.instructions)
    entries: list[tuple[Position, WireSymbol]] = [
        (
            d.span.start,
            _symbol(
                f"# {d.name.text}",
                types.SymbolKind.Property,
                _wire_range(positions, d.span),
                _wire_range(positions, d.name.span),
                d.value.text,
            ),
        )
        for d in document.directives
    ]
    entries.extend(
        (ins.span.start, _instruction_symbol(ins, positions))
        for ins in document.instructions
        if id(ins) not in in_stage
    )
    entries.extend((s.span.start, _stage_symbol(s, positions)) for s in document.stages)
    entries.sort(key=lambda entry: entry[0])
    return [symbol for _, symbol in entries]


def _flatten(
    symbols: Sequence[WireSymbol], container: str | None
) -> Iterator[tuple[WireSymbol, str | None]]:
    for symbol in symbols:
        yield symbol, container
        yield from _flatten(symbol.get("children", ()), symbol["name"])


def symbol_information(document: Dockerfile, uri: str, encoding: str = UTF16) -> list[WireSymbol]:
    """The same symbols as a flat list (SymbolInformation), for clients without
    hierarchical support."""
    flat: list[WireSymbol] = []
    for symbol, container in _flatten(document_symbols(document, encoding), None):
        info: WireSymbol = {
            "name": symbol["name"],
            "kind": symbol["kind"],
            "location": {"uri": uri, "range": symbol["range"]},
        }
        if "tags" in symbol:
            info["tags"] = symbol["tags"]
        if container is not None:
            info["containerName"] = container
        flat.append(info)
    return flat


# --- folding ranges ------------------------------------------------------------------


def _last_line(span: Span) -> int:
    """The last line that holds part of ``span`` (an end at column 0 holds nothing)."""
    if span.end.column == 0 and span.end.line > span.start.line:
        return span.end.line - 1
    return span.end.line


def _folds(document: Dockerfile) -> Iterator[tuple[int, int, types.FoldingRangeKind | None]]:
    for stage in document.stages:
        last = max([stage.from_, *stage.instructions], key=lambda i: i.span.end)
        yield stage.from_.start_line, _last_line(last.span), None
    for ins in document.instructions:
        yield ins.start_line, _last_line(ins.span), None
        for heredoc in ins.heredocs:
            # Keep the line before the body (the marker, or the previous terminator)
            # and the terminator visible; fold only the body.
            body = heredoc.body.span
            yield body.start.line - 1, _last_line(body), None
    comments = sorted(document.comments, key=lambda c: c.span.start)
    block_start = block_end = -2
    for comment in comments:
        if comment.span.start.line != block_end + 1:
            yield block_start, block_end, types.FoldingRangeKind.Comment
            block_start = comment.span.start.line
        block_end = comment.span.end.line
    yield block_start, block_end, types.FoldingRangeKind.Comment


def folding_ranges(
    document: Dockerfile, range_limit: int | None = None
) -> list[types.FoldingRange]:
    """Stages, multi-line instructions, heredoc bodies and blocks of comment lines.

    Ranges are whole lines, which suits every client whether or not it declares
    ``lineFoldingOnly``. Where two ranges start on the same line only the larger one is
    kept (clients would otherwise pick one arbitrarily); ``range_limit`` keeps the first.
    """
    widest: dict[int, tuple[int, types.FoldingRangeKind | None]] = {}
    for start, end, kind in _folds(document):
        if end > start and (start not in widest or widest[start][0] < end):
            widest[start] = (end, kind)
    ranges = [
        types.FoldingRange(start_line=start, end_line=end, kind=kind)
        for start, (end, kind) in sorted(widest.items())
    ]
    return ranges if range_limit is None else ranges[:range_limit]


# --- code actions --------------------------------------------------------------------

_ACTION_KINDS = {
    "quickfix": types.CodeActionKind.QuickFix,
    "refactor.rewrite": types.CodeActionKind.RefactorRewrite,
}
# The kinds a client is told about in ``codeActionProvider``.
CODE_ACTION_KINDS = [
    types.CodeActionKind.QuickFix,
    types.CodeActionKind.RefactorRewrite,
    "source.fixAll.dockerls",
]


@dataclass(frozen=True, slots=True)
class FileChange:
    """Edits to one file, with what the client needs to place them."""

    uri: str
    version: int | None  # None: whatever the client has (or a file it creates)
    positions: PositionMap
    edits: Sequence[TextEdit]
    create: bool = False


def text_edits(edits: Sequence[TextEdit], positions: PositionMap) -> list[types.TextEdit]:
    return [types.TextEdit(range=positions.range(e.span), new_text=e.new_text) for e in edits]


def workspace_edit(changes: Sequence[FileChange], *, document_changes: bool) -> types.WorkspaceEdit:
    """Versioned ``documentChanges`` (with file creation) when the client has them."""
    if not document_changes:
        by_uri: dict[str, list[types.TextEdit]] = {}
        for change in changes:
            by_uri.setdefault(change.uri, []).extend(text_edits(change.edits, change.positions))
        return types.WorkspaceEdit(changes=by_uri)
    operations: list[
        types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile
    ] = []
    for change in changes:
        if change.create:
            operations.append(
                types.CreateFile(
                    uri=change.uri,
                    options=types.CreateFileOptions(overwrite=False, ignore_if_exists=True),
                )
            )
        operations.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=change.uri, version=change.version
                ),
                edits=list(text_edits(change.edits, change.positions)),
            )
        )
    return types.WorkspaceEdit(document_changes=operations)


def code_action(
    action: Action,
    diagnostics: Sequence[types.Diagnostic],
    edit: types.WorkspaceEdit | None,
    data: object = None,
) -> types.CodeAction:
    kind = _ACTION_KINDS.get(action.kind.value, action.kind.value)
    disabled = types.CodeActionDisabled(action.disabled) if action.disabled else None
    return types.CodeAction(
        title=action.title,
        kind=kind,
        diagnostics=list(diagnostics) or None,
        is_preferred=True if action.preferred else None,
        edit=None if disabled else edit,
        data=None if disabled else data,
        disabled=disabled,
        command=notes_command(action),
    )


SHOW_NOTES = "dockerls.showNotes"


def notes_command(action: Action) -> types.Command | None:
    """The command a client runs after applying ``action``: the server shows its notes."""
    if not action.notes or action.disabled:
        return None
    return types.Command(
        title="Show what to check after this refactoring",
        command=SHOW_NOTES,
        arguments=[action.title, list(action.notes)],
    )


def notes_message(arguments: object) -> str | None:
    """The message for a ``dockerls.showNotes`` command's arguments; None if malformed."""
    if not isinstance(arguments, Sequence) or len(arguments) != 2:
        return None
    title, notes = arguments
    if not isinstance(title, str) or not isinstance(notes, Sequence) or isinstance(notes, str):
        return None
    if not all(isinstance(note, str) for note in notes):
        return None
    return "\n".join([f"{title}:", *(f"- {note}" for note in notes)])


def action_data(ref: ActionRef, uri: str, version: int | None) -> dict[str, object]:
    """What ``codeAction/resolve`` gets back to compute the same action again."""
    return {
        "uri": uri,
        "version": version,
        "what": ref.what.value,
        "code": ref.code,
        "finding": ref.finding,
        "at": [ref.at.line, ref.at.column],
        "index": ref.index,
        "stage": ref.stage,
    }


def action_ref(data: object) -> tuple[str, int | None, ActionRef] | None:
    """The uri, version and reference in a resolve request's ``data``; None if malformed."""
    from dockerls.actions.offers import ActionRef, What

    if not isinstance(data, Mapping):
        return None
    try:
        uri, version = data["uri"], data["version"]
        line, column = data["at"]
        ref = ActionRef(
            What(data["what"]),
            int(data["finding"]),
            str(data["code"]),
            Position(int(line), int(column)),
            int(data["index"]),
            int(data["stage"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(uri, str) or not (version is None or isinstance(version, int)):
        return None
    return uri, version, ref


def request_uri(params: object) -> str | None:
    """The document a request is about: its ``textDocument``, or for
    ``codeAction/resolve`` the one named in the action's data; None for no document."""
    if isinstance(params, types.CodeAction):
        found = action_ref(params.data)
        return found[0] if found is not None else None
    document = getattr(params, "text_document", None)
    uri = getattr(document, "uri", None)
    return uri if isinstance(uri, str) else None


def hover(result: HoverResult, positions: PositionMap) -> types.Hover:
    """A hover result as LSP: Markdown or plain text, with the hovered token's range."""
    kind = types.MarkupKind.Markdown if result.markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=result.text),
        range=positions.range(result.span),
    )


def locations(uri: str, spans: Sequence[Span], positions: PositionMap) -> list[types.Location]:
    return [types.Location(uri=uri, range=positions.range(span)) for span in spans]


def highlights(
    found: Sequence[tuple[Span, str]], positions: PositionMap
) -> list[types.DocumentHighlight]:
    kinds = {"read": types.DocumentHighlightKind.Read, "write": types.DocumentHighlightKind.Write}
    return [
        types.DocumentHighlight(range=positions.range(span), kind=kinds.get(kind))
        for span, kind in found
    ]


def document_links(
    found: Sequence[tuple[Span, str]], positions: PositionMap
) -> list[types.DocumentLink]:
    return [types.DocumentLink(range=positions.range(span), target=url) for span, url in found]


def inlay_hints(
    found: Sequence[tuple[Position, str, str]], positions: PositionMap
) -> list[types.InlayHint]:
    return [
        types.InlayHint(
            position=positions.position(where),
            label=label,
            tooltip=tooltip or None,
            padding_left=True,
        )
        for where, label, tooltip in found
    ]


_SNIPPET = types.InsertTextFormat.Snippet
_PLAIN = types.InsertTextFormat.PlainText
_ITEM_KINDS = {
    "keyword": types.CompletionItemKind.Keyword,
    "property": types.CompletionItemKind.Property,
    "variable": types.CompletionItemKind.Variable,
    "value": types.CompletionItemKind.Value,
    "reference": types.CompletionItemKind.Reference,
    "enum": types.CompletionItemKind.EnumMember,
    "module": types.CompletionItemKind.Module,
}


def markup(text: str, markdown: bool) -> types.MarkupContent | None:
    """Documentation (written in dockerls's Markdown subset) as the client reads it."""
    if not text:
        return None
    if markdown:
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    from dockerls.hover.render import to_plain

    return types.MarkupContent(kind=types.MarkupKind.PlainText, value=to_plain(text))


def completion_items(
    items: Sequence[CompletionItem], positions: PositionMap, markdown: bool = True
) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(
            label=item.label,
            kind=_ITEM_KINDS.get(item.kind),
            detail=item.detail or None,
            documentation=markup(item.documentation, markdown),
            insert_text_format=(
                types.InsertTextFormat.Snippet
                if item.is_snippet
                else types.InsertTextFormat.PlainText
            ),
            text_edit=types.TextEdit(
                range=positions.range(item.text_edit), new_text=item.insert_text
            ),
        )
        for item in items
    ]


def semantic_tokens(
    tokens: Sequence[SemanticToken], positions: PositionMap
) -> types.SemanticTokens:
    """Relative-encoded semantic tokens (line delta, start delta, length, type, modifiers)."""
    data: list[int] = []
    last_line = last_start = 0
    for token in tokens:
        start = positions.units(token.line, token.start)
        length = positions.units(token.line, token.start + token.length) - start
        delta_line = token.line - last_line
        delta_start = start - last_start if delta_line == 0 else start
        bits = 0
        for modifier in token.modifiers:
            bits |= 1 << TOKEN_MODIFIERS.index(modifier)
        data.extend((delta_line, delta_start, length, TOKEN_TYPES.index(token.type), bits))
        last_line, last_start = token.line, start
    return types.SemanticTokens(data=data)


def signature_help(found: SignatureHelp, markdown: bool = True) -> types.SignatureHelp:
    return types.SignatureHelp(
        signatures=[
            types.SignatureInformation(
                label=sig.label,
                documentation=markup(sig.documentation, markdown),
                parameters=[
                    types.ParameterInformation(
                        label=_utf16_offsets(sig.label, p.offsets),
                        documentation=markup(p.documentation, markdown),
                    )
                    for p in sig.parameters
                ],
            )
            for sig in found.signatures
        ],
        active_signature=found.active_signature,
        active_parameter=found.active_parameter,
    )


def _utf16_offsets(label: str, offsets: tuple[int, int]) -> tuple[int, int]:
    """Parameter label offsets are UTF-16 units into the signature label (LSP says so)."""
    start, end = offsets
    return (
        len(label[:start].encode("utf-16-le")) // 2,
        len(label[:end].encode("utf-16-le")) // 2,
    )
