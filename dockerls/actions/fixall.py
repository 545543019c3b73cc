"""Fix-all: apply every safe fix, re-analyse, repeat (pure).

``fix_all`` is what ``source.fixAll.dockerls`` and ``dockerls fix`` both run. Each
round analyses the text, takes one fix per finding (the first safe one, or with
``unsafe`` the first one), keeps the fixes whose edits touch no other chosen fix,
checks each against the parse, applies them together and starts again, until no
fix is left or ``MAX_ROUNDS`` is reached.

A fix is dropped (and never tried again) when, applied alone, it would make the
parser report a problem it did not report before, or change the number of
instructions by something other than what its edits say (``instruction_delta``:
a fix that deletes a whole RUN means to remove one instruction; one that moves an
ARG removes one and inserts one). Whatever is applied is re-checked as a whole.

A fix that does not remove its finding is applied once only: when the round after
it still finds as many findings of that rule with that message on that instruction
as before less the fixes applied there, none of them is fixed again (else the same
edit would be repeated every round up to ``MAX_ROUNDS``). A fix that leaves another
finding of its rule on the instruction (a different message) is not held back.

``text_edits`` turns the before and after texts into a few small edits, so an
editor applying fix-all leaves untouched lines (and the cursor) alone.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.context import BuildContext
from dockerls.edits import EditConflict, apply_edits, line_offsets, offset_of
from dockerls.findings import Finding, Fix, TextEdit
from dockerls.syntax import Dockerfile, Position, Span, parse

MAX_ROUNDS = 8

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True, slots=True)
class FixAllResult:
    text: str  # the text with every applied fix
    applied: Mapping[str, int] = field(default_factory=dict)  # rule code -> fixes applied
    rejected: Mapping[str, int] = field(default_factory=dict)  # rule code -> fixes dropped
    rounds: int = 0

    @property
    def count(self) -> int:
        return sum(self.applied.values())


def chosen_fix(finding: Finding, *, unsafe: bool = False) -> Fix | None:
    """The fix fix-all applies for a finding: the first safe one (``unsafe``: the first)."""
    if unsafe:
        return finding.fixes[0] if finding.fixes else None
    return next((f for f in finding.fixes if f.safe), None)


# --------------------------------------------------------------------------- checking a fix


def _whole_lines(document: Dockerfile, edit: TextEdit) -> bool:
    """Whether an edit replaces whole lines with whole lines.

    Either it runs from the start of a line to the start of a line (or the end of
    the text) and its new text is empty or ends with a line break, or it runs from
    the end of a line to the end of a line and its new text is empty or starts
    with a line break (lines added or removed after the last one).
    """
    lines = document.lines
    start, end, new = edit.span.start, edit.span.end, edit.new_text
    first_column = 1 if start.line == 0 and document.bom else 0
    last_line = len(lines) - 1
    at_end_of_text = end.line > last_line or (
        end.line == last_line and end.column >= len(lines[last_line])
    )
    breaks = ("\n", "\r")
    if start.column == first_column and (end.column == 0 or at_end_of_text):
        return not new or new.endswith(breaks)
    start_at_line_end = start.line <= last_line and start.column >= len(lines[start.line])
    end_at_line_end = end.line > last_line or end.column >= len(lines[end.line])
    return start_at_line_end and end_at_line_end and (not new or new.startswith(breaks))


def _inside_instruction(document: Dockerfile, edit: TextEdit) -> bool:
    """Whether whole lines go inside an instruction (continuation lines, a heredoc body)."""
    start = edit.span.start
    at_line_start = start.column <= (1 if start.line == 0 and document.bom else 0)
    for ins in document.instructions:
        if at_line_start and ins.start_line < start.line <= ins.end_line:
            return True
        if not at_line_start and ins.start_line <= start.line < ins.end_line:
            return True
    return False


def instruction_delta(document: Dockerfile, fix: Fix) -> int:
    """How many instructions a fix means to add (positive) or remove (negative).

    Only edits of whole lines add or remove instructions: such an edit removes the
    instructions its span covers entirely and adds those of its new text. A fix
    that deletes a RUN's lines means -1; one that moves an ARG (deletes its line,
    inserts it elsewhere) means 0; an edit inside a line, or lines added inside an
    instruction (a heredoc body, continuation lines), means 0, so one that joins two
    instructions into one, or splits one, does not mean to.
    """
    prefix = "" if document.escape == "\\" else f"# escape={document.escape}\n"
    delta = 0
    for edit in fix.edits:
        if not _whole_lines(document, edit) or _inside_instruction(document, edit):
            continue
        delta -= sum(
            1
            for ins in document.instructions
            if edit.span.start <= ins.span.start and ins.span.end <= edit.span.end
        )
        if edit.new_text.strip():
            delta += len(parse(prefix + edit.new_text.lstrip("\r\n")).instructions)
    return delta


def _problems(document: Dockerfile) -> Counter[str]:
    return Counter(p.code for p in document.problems)


def keeps_parse(before: Dockerfile, after: Dockerfile, expected_delta: int = 0) -> bool:
    """No new parse problem, and the instruction count changed by ``expected_delta``."""
    if len(after.instructions) != len(before.instructions) + expected_delta:
        return False
    return not (_problems(after) - _problems(before))


# --------------------------------------------------------------------------- choosing fixes


def _extent(text: str, offsets: list[int], fix: Fix) -> list[tuple[int, int]]:
    return [
        (offset_of(offsets, text, e.span.start), offset_of(offsets, text, e.span.end))
        for e in fix.edits
    ]


def _touches(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Overlapping ranges, or an insertion at or inside the other range."""
    if a[0] == a[1] or b[0] == b[1]:
        return max(a[0], b[0]) <= min(a[1], b[1])
    return max(a[0], b[0]) < min(a[1], b[1])


def _key(text: str, offsets: list[int], finding: Finding, fix: Fix) -> tuple[object, ...]:
    """What identifies a fix across rounds, where positions shift: its code and edits."""
    return (
        finding.code,
        fix.title,
        tuple(
            (text[s:e], edit.new_text)
            for (s, e), edit in zip(_extent(text, offsets, fix), fix.edits, strict=True)
        ),
    )


def _candidates(
    text: str, findings: Iterable[Finding], unsafe: bool
) -> list[tuple[Finding, Fix, list[tuple[int, int]]]]:
    offsets = line_offsets(text)
    found = []
    for finding in findings:
        fix = chosen_fix(finding, unsafe=unsafe)
        if fix is not None and fix.edits:
            found.append((finding, fix, _extent(text, offsets, fix)))
    return found


def _compatible(
    candidates: Sequence[tuple[Finding, Fix, list[tuple[int, int]]]],
) -> list[tuple[Finding, Fix, list[tuple[int, int]]]]:
    """Candidates whose edits touch no earlier candidate's (the rest wait a round)."""
    taken: list[tuple[int, int]] = []
    chosen = []
    for finding, fix, extent in candidates:
        if any(_touches(a, b) for a in extent for b in taken):
            continue
        taken.extend(extent)
        chosen.append((finding, fix, extent))
    return chosen


def _anchors(
    document: Dockerfile, offsets: list[int], text: str, findings: Iterable[Finding]
) -> dict[int, tuple[str, str, int]]:
    """For each finding (by id), its code, its message and where the instruction it is
    on starts (an offset; where the finding starts when it is on no instruction): what
    "the same finding" means across rounds, where positions shift."""
    instructions = document.instructions
    starts = [ins.span.start for ins in instructions]
    found = {}
    for finding in findings:
        at = finding.span.start
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and at <= instructions[i].span.end:
            at = starts[i]
        found[id(finding)] = (finding.code, finding.message, offset_of(offsets, text, at))
    return found


def _moved(offset: int, edits: Sequence[tuple[int, int, int]]) -> int:
    """Where ``offset`` is once ``edits`` (start, end, length of the new text; sorted,
    not overlapping) are applied; an offset inside a replaced range goes to its start."""
    shift = 0
    for start, end, size in edits:
        if end <= offset:
            shift += size - (end - start)
        elif start < offset:
            return start + shift
        else:
            break
    return offset + shift


def _sizes(text: str, offsets: list[int], fixes: Iterable[Fix]) -> list[tuple[int, int, int]]:
    return sorted(
        (start, end, len(edit.new_text))
        for fix in fixes
        for (start, end), edit in zip(_extent(text, offsets, fix), fix.edits, strict=True)
    )


def fix_all(
    text: str,
    settings: Settings | None = None,
    context: BuildContext | None = None,
    *,
    unsafe: bool = False,
    max_rounds: int = MAX_ROUNDS,
) -> FixAllResult:
    """Apply fixes until none is left (or ``max_rounds``); see the module docstring."""
    applied: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    dropped: set[tuple[object, ...]] = set()
    stuck: set[tuple[str, str, int]] = set()  # findings (see _anchors) whose fix did nothing
    # the findings fixed last round -> how many there were, how many were fixed
    watched: dict[tuple[str, str, int], tuple[int, int]] = {}
    rounds = 0
    current = text
    for _ in range(max_rounds):
        analysis = analyze(current, settings, context)
        document = analysis.document
        offsets = line_offsets(current)
        anchors = _anchors(document, offsets, current, analysis.findings)
        found = Counter(anchors.values())
        stuck.update(k for k, (before, fixed) in watched.items() if found[k] > before - fixed)
        candidates = [
            c
            for c in _candidates(current, analysis.findings, unsafe)
            if _key(current, offsets, c[0], c[1]) not in dropped and anchors[id(c[0])] not in stuck
        ]
        if not candidates:
            break
        rounds += 1
        accepted: list[tuple[Finding, Fix, int]] = []
        for finding, fix, _ in _compatible(candidates):
            try:
                delta = instruction_delta(document, fix)
                alone = apply_edits(current, fix.edits)
            except EditConflict:  # a fix whose own edits overlap: a bug in its rule
                delta, alone = 0, None
            if alone is None or not keeps_parse(document, parse(alone), delta):
                dropped.add(_key(current, offsets, finding, fix))
                rejected[finding.code] += 1
                continue
            accepted.append((finding, fix, delta))
        if not accepted:
            continue  # every candidate was dropped; the next round looks at the rest
        combined = _apply_together(current, document, accepted)
        if combined is None:
            # The fixes interfere with one another: apply the first one alone this round.
            finding, fix, _ = accepted[0]
            accepted = accepted[:1]
            combined = apply_edits(current, fix.edits)
        for finding, _, _ in accepted:
            applied[finding.code] += 1
        sizes = _sizes(current, offsets, (fix for _, fix, _ in accepted))
        fixed_at = Counter(anchors[id(f)] for f, _, _ in accepted)
        watched = {
            (code, message, _moved(at, sizes)): (found[code, message, at], n)
            for (code, message, at), n in fixed_at.items()
        }
        stuck = {(code, message, _moved(at, sizes)) for code, message, at in stuck}
        current = combined
    return FixAllResult(current, dict(applied), dict(rejected), rounds)


def _apply_together(
    text: str, document: Dockerfile, accepted: Sequence[tuple[Finding, Fix, int]]
) -> str | None:
    try:
        combined = apply_edits(text, [e for _, fix, _ in accepted for e in fix.edits])
    except EditConflict:
        return None
    delta = sum(d for _, _, d in accepted)
    return combined if keeps_parse(document, parse(combined), delta) else None


# --------------------------------------------------------------------------- minimal edits


def _position(offsets: list[int], offset: int) -> Position:
    line = bisect.bisect_right(offsets, offset) - 1
    return Position(line, offset - offsets[line])


def text_edits(before: str, after: str) -> list[TextEdit]:
    """Small edits that turn ``before`` into ``after``: changed lines only, trimmed.

    Lines are compared as they are, line break included; within each changed run of
    lines the common beginning and end are left out, so an edit covers only what
    differs (never splitting a ``\\r\\n``).
    """
    if before == after:
        return []
    old = _LINE.findall(before)
    new = _LINE.findall(after)
    old_starts = [0]
    for line in old:
        old_starts.append(old_starts[-1] + len(line))
    new_starts = [0]
    for line in new:
        new_starts.append(new_starts[-1] + len(line))
    offsets = line_offsets(before)
    edits: list[TextEdit] = []
    hunks: list[tuple[int, int, int, int]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            # As many lines as before: each line is its own edit.
            hunks.extend((i1 + k, i1 + k + 1, j1 + k, j1 + k + 1) for k in range(i2 - i1))
        else:
            hunks.append((i1, i2, j1, j2))
    for i1, i2, j1, j2 in hunks:
        start, end = old_starts[i1], old_starts[i2]
        new_start, new_end = new_starts[j1], new_starts[j2]
        # Trim what the two sides share at either end.
        while start < end and new_start < new_end and before[start] == after[new_start]:
            start += 1
            new_start += 1
        while end > start and new_end > new_start and before[end - 1] == after[new_end - 1]:
            end -= 1
            new_end -= 1
        if start > 0 and before[start - 1] == "\r" and before[start : start + 1] == "\n":
            start -= 1
            new_start -= 1
        if end < len(before) and before[end] == "\n" and before[end - 1 : end] == "\r":
            end += 1
            new_end += 1
        span = Span(_position(offsets, start), _position(offsets, end))
        edits.append(TextEdit(span, after[new_start:new_end]))
    return edits
