"""Image references: ``[registry/]repository[:tag][@digest]``, each part with its span."""

from __future__ import annotations

from collections.abc import Callable

from dockerls.syntax.model import ImageRef, Span, Token

SpanOf = Callable[[int, int], Span]


def single_line(token: Token) -> SpanOf:
    """Span function for offsets inside a token that sits on one line."""
    line = token.span.start.line
    col = token.span.start.column
    if token.span.end.line != line:
        return lambda start, end: token.span
    return lambda start, end: Span.of(line, col + start, None, col + end)


def parse_image_ref(text: str, span_of: SpanOf) -> ImageRef:
    """Split an image reference; never raises (odd input gives odd but valid parts)."""
    digest: Token | None = None
    name_end = len(text)
    at = text.find("@")
    if at >= 0:
        digest = Token(text[at + 1 :], span_of(at + 1, len(text)))
        name_end = at
    registry: Token | None = None
    repo_start = 0
    slash = text.find("/", 0, name_end)
    if slash > 0:
        first = text[:slash]
        if "." in first or ":" in first or first == "localhost":
            registry = Token(first, span_of(0, slash))
            repo_start = slash + 1
    last_slash = text.rfind("/", repo_start, name_end)
    colon = text.find(":", max(last_slash, repo_start), name_end)
    tag: Token | None = None
    repo_end = name_end
    if colon >= 0:
        tag = Token(text[colon + 1 : name_end], span_of(colon + 1, name_end))
        repo_end = colon
    repository = Token(text[repo_start:repo_end], span_of(repo_start, repo_end))
    return ImageRef(text, span_of(0, len(text)), registry, repository, tag, digest)
