"""Handlers for what the editor shows over the text: hovers, inlay hints and semantic tokens."""

from __future__ import annotations

from lsprotocol import types

from dockerls import convert
from dockerls.server.language_server import DockerLanguageServer


def hover(ls: DockerLanguageServer, params: types.HoverParams) -> types.Hover | None:
    from dockerls.hover import hover as hover_at

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    markdown = ls.reads_markdown("text_document.hover.content_format")
    at = positions.to_model(params.position)
    files = ls.context_files(params.text_document.uri)
    found = hover_at(analysis, at, markdown, sizes=True, files=files)
    return convert.hover(found, positions) if found is not None else None


def inlay_hint(ls: DockerLanguageServer, params: types.InlayHintParams) -> list[types.InlayHint]:
    from dockerls.features.inlay import inlay_hints

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    files = ls.context_files(params.text_document.uri)
    found = inlay_hints(analysis, positions.to_model_span(params.range), sizes=True, files=files)
    return convert.inlay_hints(found, positions)


def semantic_tokens_full(
    ls: DockerLanguageServer, params: types.SemanticTokensParams
) -> types.SemanticTokens:
    from dockerls.features.semantic import semantic_tokens

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    return convert.semantic_tokens(semantic_tokens(analysis.document), positions)


def semantic_tokens_range(
    ls: DockerLanguageServer, params: types.SemanticTokensRangeParams
) -> types.SemanticTokens:
    from dockerls.features.semantic import semantic_tokens, tokens_in

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    found = tokens_in(semantic_tokens(analysis.document), positions.to_model_span(params.range))
    return convert.semantic_tokens(found, positions)
