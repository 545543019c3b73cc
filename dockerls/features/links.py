"""Document links: external image references to their registry pages (pure core).

Links are made for the images in ``FROM``, ``COPY|ADD --from=`` and
``RUN --mount=…,from=``, never for a stage reference (by name or index), for
``scratch``, or for a reference that still contains ``$`` (its value is only known at
build time). Registries without a public browse page get no link.
"""

from __future__ import annotations

from urllib.parse import quote

from dockerls.features.navigation import source_names
from dockerls.graph import build_graph
from dockerls.knowledge.images import parse_reference
from dockerls.syntax import Dockerfile, Span

__all__ = ["document_links", "image_url"]

_DISTROLESS = "https://github.com/GoogleContainerTools/distroless"


def image_url(reference: str) -> str | None:
    """The browse page of an image reference, or None when there is no known one."""
    ref = parse_reference(reference)
    if ref is None:
        return None
    repo = ref.repository
    parts = repo.split("/")
    if ref.registry == "docker.io":
        if repo == "library/scratch":
            return None
        if len(parts) == 2 and parts[0] == "library":
            return f"https://hub.docker.com/_/{quote(parts[1])}"
        if len(parts) == 2:
            return f"https://hub.docker.com/r/{quote(repo)}"
        return None
    if ref.registry == "ghcr.io" and len(parts) >= 2:
        org, name = parts[0], parts[1]
        return f"https://github.com/orgs/{quote(org)}/packages?repo_name={quote(name)}"
    if ref.registry == "mcr.microsoft.com":
        return f"https://mcr.microsoft.com/artifact/mar/{quote(repo)}"
    if ref.registry == "quay.io" and len(parts) >= 2:
        return f"https://quay.io/repository/{quote(repo)}"
    if ref.registry == "gcr.io" and parts[0] == "distroless":
        return _DISTROLESS
    return None


def document_links(doc: Dockerfile) -> list[tuple[Span, str]]:
    """``(span, url)`` for every external image reference with a known page."""
    graph = build_graph(doc)
    stage_names = {s.name_lower for s in doc.stages if s.name_lower is not None}
    links: list[tuple[Span, str]] = []

    def add(text: str, span: Span) -> None:
        if not text or "$" in text or text.lower() in stage_names or text.isdigit():
            return
        url = image_url(text)
        if url is not None:
            links.append((span, url))

    for stage in doc.stages:
        if stage.image is not None and graph.parent(stage) is None:
            add(stage.image.text, stage.image.span)
        for ins in stage.instructions:
            for token in source_names(ins):
                add(token.text, token.span)
    return links
