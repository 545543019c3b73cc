"""Handlers that find things in a document: symbols, folding ranges, definitions,
references, highlights, renames and links."""

from __future__ import annotations

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcInvalidParams

from dockerls import convert
from dockerls.rpc import Wire
from dockerls.server.handlers.position import at
from dockerls.server.language_server import DockerLanguageServer


def document_symbol(ls: DockerLanguageServer, params: types.DocumentSymbolParams) -> Wire:
    uri = params.text_document.uri
    document = ls.analysis(uri).document
    if ls.supports("text_document.document_symbol.hierarchical_document_symbol_support"):
        return Wire(convert.document_symbols(document, ls.encoding))
    return Wire(convert.symbol_information(document, uri, ls.encoding))


def folding_range(
    ls: DockerLanguageServer, params: types.FoldingRangeParams
) -> list[types.FoldingRange]:
    limit = get_capability(ls.client_capabilities, "text_document.folding_range.range_limit")
    return convert.folding_ranges(ls.analysis(params.text_document.uri).document, limit)


def definition(ls: DockerLanguageServer, params: types.DefinitionParams) -> list[types.Location]:
    from dockerls.features.navigation import definition as find

    uri = params.text_document.uri
    analysis, positions, pos = at(ls, uri, params.position)
    return convert.locations(uri, find(analysis.document, pos), positions)


def references(ls: DockerLanguageServer, params: types.ReferenceParams) -> list[types.Location]:
    from dockerls.features.navigation import references as find

    uri = params.text_document.uri
    analysis, positions, pos = at(ls, uri, params.position)
    found = find(analysis.document, pos, params.context.include_declaration)
    return convert.locations(uri, found, positions)


def document_highlight(
    ls: DockerLanguageServer, params: types.DocumentHighlightParams
) -> list[types.DocumentHighlight]:
    from dockerls.features.navigation import highlights

    analysis, positions, pos = at(ls, params.text_document.uri, params.position)
    return convert.highlights(highlights(analysis.document, pos), positions)


def prepare_rename(
    ls: DockerLanguageServer, params: types.PrepareRenameParams
) -> types.Range | None:
    from dockerls.features.navigation import prepare_rename as prepare

    analysis, positions, pos = at(ls, params.text_document.uri, params.position)
    span = prepare(analysis.document, pos)
    return positions.range(span) if span is not None else None


def rename(ls: DockerLanguageServer, params: types.RenameParams) -> types.WorkspaceEdit:
    from dockerls.features.navigation import RenameError
    from dockerls.features.navigation import rename as plan

    uri = params.text_document.uri
    analysis, positions, pos = at(ls, uri, params.position)
    edits = plan(analysis.document, pos, params.new_name)
    if isinstance(edits, RenameError):
        raise JsonRpcInvalidParams(edits.message)  # the client shows the reason
    change = convert.FileChange(uri, ls.analysed(uri).version, positions, edits)
    return convert.workspace_edit(
        [change], document_changes=ls.supports("workspace.workspace_edit.document_changes")
    )


def document_link(
    ls: DockerLanguageServer, params: types.DocumentLinkParams
) -> list[types.DocumentLink]:
    from dockerls.features.links import document_links

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    return convert.document_links(document_links(analysis.document), positions)
