"""Handlers that change the text: completion (with signature help), formatting, and code
actions (with the command a refactoring's notes come back through)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from dockerls import convert
from dockerls.server.handlers.position import at
from dockerls.server.language_server import DockerLanguageServer

if TYPE_CHECKING:
    from dockerls.features.formatting import FormatOptions


def completion(ls: DockerLanguageServer, params: types.CompletionParams) -> types.CompletionList:
    from dockerls.features.completion import complete

    analysis, positions, pos = at(ls, params.text_document.uri, params.position)
    snippets = ls.supports("text_document.completion.completion_item.snippet_support")
    items = complete(analysis.document, pos, snippets)
    markdown = ls.reads_markdown("text_document.completion.completion_item.documentation_format")
    return types.CompletionList(
        is_incomplete=False, items=convert.completion_items(items, positions, markdown)
    )


def signature_help(
    ls: DockerLanguageServer, params: types.SignatureHelpParams
) -> types.SignatureHelp | None:
    from dockerls.features.signature import signature_help as find

    analysis, _, pos = at(ls, params.text_document.uri, params.position)
    found = find(analysis.document, pos)
    if found is None:
        return None
    formats = "text_document.signature_help.signature_information.documentation_format"
    return convert.signature_help(found, ls.reads_markdown(formats))


def _format_options(options: types.FormattingOptions) -> FormatOptions:
    from dockerls.features.formatting import FormatOptions

    return FormatOptions(tab_size=options.tab_size, insert_spaces=options.insert_spaces)


def formatting(
    ls: DockerLanguageServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit]:
    from dockerls.features.formatting import format_document

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    edits = format_document(analysis.document, _format_options(params.options))
    return convert.text_edits(edits, positions)


def range_formatting(
    ls: DockerLanguageServer, params: types.DocumentRangeFormattingParams
) -> list[types.TextEdit]:
    from dockerls.features.formatting import format_range

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    span = positions.to_model_span(params.range)
    edits = format_range(analysis.document, span, _format_options(params.options))
    return convert.text_edits(edits, positions)


def on_type_formatting(
    ls: DockerLanguageServer, params: types.DocumentOnTypeFormattingParams
) -> list[types.TextEdit]:
    from dockerls.features.formatting import format_on_type

    analysis, positions, pos = at(ls, params.text_document.uri, params.position)
    edits = format_on_type(analysis.document, pos, params.ch, _format_options(params.options))
    return convert.text_edits(edits, positions)


def code_action(ls: DockerLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    return ls.code_actions(params)


def code_action_resolve(ls: DockerLanguageServer, params: types.CodeAction) -> types.CodeAction:
    return ls.resolve_code_action(params)


def show_notes(ls: DockerLanguageServer, *arguments: Any) -> None:
    """``dockerls.showNotes``: run by the client after a refactoring that has notes."""
    message = convert.notes_message(arguments)
    if message is not None:
        ls.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Info, message=message)
        )
