"""Where a request at a position points: the analysis and position map it is resolved with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockerls import convert
from dockerls.server.language_server import DockerLanguageServer

if TYPE_CHECKING:
    from lsprotocol import types

    from dockerls.analysis import Analysis
    from dockerls.syntax.model import Position


def at(
    ls: DockerLanguageServer, uri: str, position: types.Position
) -> tuple[Analysis, convert.PositionMap, Position]:
    """The document's analysis, its position map and the model position of ``position``."""
    analysis = ls.analysis(uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    return analysis, positions, positions.to_model(position)
