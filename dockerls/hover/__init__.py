"""Hover: documentation for the token under the cursor (pure core, no protocol types).

``hover(analysis, position, markdown=True) -> HoverResult | None`` is the entry point;
see ``dockerls.hover.hover`` for what is recognised.
"""

from dockerls.hover.hover import HoverKind, HoverResult, hover, hover_markdown

__all__ = ["HoverKind", "HoverResult", "hover", "hover_markdown"]
