"""One helper per boundary: check a rule against a marked Dockerfile.

Write the Dockerfile with ``⟨…⟩`` around each range the rule must flag; the
helper runs the full analysis with only that rule selected and compares spans.
``fixed()`` applies a finding's fixes and returns the new text.
"""

from __future__ import annotations

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.context import CONTEXT_EMPTY, BuildContext
from dockerls.edits import apply_edits
from dockerls.findings import Finding, TextEdit
from tests.markers import extract


def findings(code: str, text: str, context: BuildContext = CONTEXT_EMPTY) -> list[Finding]:
    settings = Settings(select=(code,))
    return [f for f in analyze(text, settings, context).findings if f.code == code]


def check(code: str, marked: str, context: BuildContext = CONTEXT_EMPTY) -> list[Finding]:
    """Assert the rule flags exactly the marked ranges; return its findings."""
    text, spans = extract(marked)
    found = findings(code, text, context)
    assert [f.span for f in found] == spans, [(f.span, f.message) for f in found]
    return found


def clean(code: str, text: str, context: BuildContext = CONTEXT_EMPTY) -> None:
    """Assert the rule is silent."""
    found = findings(code, text, context)
    assert not found, [(f.span, f.message) for f in found]


def fixed(code: str, text: str, context: BuildContext = CONTEXT_EMPTY, index: int = 0) -> str:
    """Apply the first fix of every finding of the rule (the fix-all view for one rule).

    ``index`` picks another fix of each finding when a rule offers several.
    """
    edits: list[TextEdit] = []
    for f in findings(code, text, context):
        assert f.fixes, f"{code} found {f.message!r} but offers no fix"
        edits.extend(f.fixes[index].edits)
    return apply_edits(text, edits)
