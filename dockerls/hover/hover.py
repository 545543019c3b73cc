"""``hover()``: what the token under the cursor is, and its documentation.

Pure and protocol-free: an ``Analysis`` and a code-point ``Position`` in, a
``HoverResult`` (text plus the span of the token) out. The server turns it into an
LSP ``Hover``: ``MarkupContent(kind="markdown" if result.markdown else "plaintext",
value=result.text)`` with ``range=convert.span(result.span)``, choosing ``markdown``
from the first entry of the client's ``textDocument.hover.contentFormat``.

What is recognised, most specific first:

- parser directives (``# syntax``, ``# escape``, ``# check`` and the check names in it);
- pragma comments (``# dockerls: ignore=…``, ``ignore-file=…``, ``# hadolint ignore=…``):
  each code shows its rule's documentation;
- instruction keywords (ONBUILD triggers too), every flag, ``--mount`` types and keys,
  ``HEALTHCHECK CMD``/``NONE``, here-document markers;
- base images in ``FROM``, ``COPY --from=<image>`` and ``RUN --mount=from=<image>``: the
  family's variants in a table with sizes, libc, shell, package manager and user, then
  the trade-offs for this image;
- stage names (``FROM <stage>``, ``AS <name>``, ``--from=<stage>``): where the stage is
  defined, its base image, whether it ships in the final image, and who uses it;
- variables (``$VAR``, ``${VAR:-x}``) and ``ARG``/``ENV`` names: the value at that point
  and where it was defined;
- any position inside a finding's range: the rule's documentation and the message,
  after the token's own documentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dockerls.analysis import Analysis
from dockerls.findings import Finding
from dockerls.graph import StageGraph, build_graph
from dockerls.hover import docs
from dockerls.hover.image import image_markdown
from dockerls.hover.render import code, escape, to_plain
from dockerls.hover.scope import Definition, global_scope, scope_before, values
from dockerls.rules.engine import Rule
from dockerls.rules.registry import all_rules, lookup
from dockerls.sarif import rule_help
from dockerls.size import ContextFiles, estimate
from dockerls.size.render import provenance, stage_markdown, step_markdown
from dockerls.syntax import (
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Instruction,
    KeyValue,
    Position,
    Span,
    Stage,
    VariableModifier,
    VariableRef,
)
from dockerls.syntax.variables import expand, references

__all__ = ["HoverKind", "HoverResult", "hover", "hover_markdown"]

HoverKind = Literal[
    "directive",
    "pragma",
    "rule",
    "instruction",
    "flag",
    "mount",
    "image",
    "stage",
    "variable",
    "heredoc",
]


@dataclass(frozen=True, slots=True)
class HoverResult:
    text: str  # Markdown, or plain text when ``markdown`` is False
    span: Span  # the token hovered (image reference, flag, variable, keyword, code…)
    kind: HoverKind  # what the token is (the findings part is always appended)
    markdown: bool


def hover(
    analysis: Analysis,
    pos: Position,
    markdown: bool = True,
    *,
    sizes: bool = False,
    files: ContextFiles | None = None,
) -> HoverResult | None:
    """The hover for ``pos`` in the analysed document, or None. Never raises.

    ``sizes``: on an instruction's keyword, add its size estimate (on FROM, the stage's);
    ``files`` are the build context's files when read."""
    try:
        found = hover_markdown(analysis, pos, sizes=sizes, files=files)
        if found is None:
            return None
        text = found.text if markdown else to_plain(found.text)
        return HoverResult(text, found.span, found.kind, markdown)
    except Exception:  # a hover must never break the editor; tests call hover_markdown
        return None


def hover_markdown(
    analysis: Analysis,
    pos: Position,
    *,
    sizes: bool = False,
    files: ContextFiles | None = None,
) -> HoverResult | None:
    """Like :func:`hover` (Markdown only) but lets errors through: for tests."""
    doc = analysis.document
    if pos.line < 0 or pos.column < 0 or pos.line >= len(doc.lines):
        return None
    ctx = _Ctx(doc, analysis.graph or build_graph(doc))
    token = _token(ctx, pos)
    findings = [f for f in analysis.findings if _hits(f.span, pos)]
    if token is None and not findings:
        return None
    sections = [token.text] if token is not None else []
    if sizes:
        sections.extend(_size_section(doc, pos, files))
    sections.extend(_findings(findings))
    if token is not None:
        span, kind = token.span, token.kind
    else:
        span = min((f.span for f in findings), key=_extent)
        kind = "rule"
    return HoverResult("\n\n---\n\n".join(sections), span, kind, True)


def _size_section(doc: Dockerfile, pos: Position, files: ContextFiles | None) -> list[str]:
    """The size estimate of the instruction whose keyword is at ``pos`` (a stage's on FROM)."""
    ins = doc.instruction_at(pos)
    if ins is None or not ins.keyword.span.contains(pos):
        return []
    for found in estimate(doc, files):
        # the estimate may have been made on an earlier parse of the same text: match by index
        if found.stage.from_.index == ins.index:
            return [f"{stage_markdown(found)}\n\n{provenance()}"]
        for step in found.steps:
            if step.instruction.index == ins.index and (step.amount.known or step.amount.unknown):
                return [f"{step_markdown(step)}\n\n{provenance()}"]
    return []


# --------------------------------------------------------------------------- plumbing


@dataclass(slots=True)
class _Ctx:
    doc: Dockerfile
    graph: StageGraph
    _scopes: dict[int, dict[str, Definition]] = field(default_factory=dict)

    def scope(self, ins: Instruction) -> dict[str, Definition]:
        key = id(ins)
        if key not in self._scopes:
            self._scopes[key] = scope_before(self.doc, self.graph, ins)
        return self._scopes[key]

    def stage_of(self, ins: Instruction) -> Stage | None:
        return self.doc.stage_of(ins)


def _hits(span: Span, pos: Position) -> bool:
    if span.start == span.end:
        return pos == span.start
    return span.start <= pos < span.end


def _extent(span: Span) -> tuple[int, int]:
    return (span.end.line - span.start.line, span.end.column - span.start.column)


def _found(text: str, span: Span, kind: HoverKind) -> HoverResult:
    return HoverResult(text, span, kind, True)


def _line(n: int) -> str:
    return f"line {n + 1}"


def _doc_markdown(doc: docs.Doc, lead: str = "") -> str:
    parts = [f"### {escape(doc.title)}"]
    if lead:
        parts.append(lead)
    if doc.syntax:
        parts.append(code(doc.syntax))
    parts.append(doc.text)
    if doc.impact:
        parts.append(f"**Size and cache.** {doc.impact}")
    parts.append(f"[Dockerfile reference]({doc.link})")
    return "\n\n".join(parts)


def _source_text(doc: Dockerfile, span: Span) -> tuple[str, int] | None:
    """The source text of a one-line span and its start column."""
    if span.start.line != span.end.line or span.start.line >= len(doc.lines):
        return None
    line = doc.lines[span.start.line]
    return line[span.start.column : span.end.column], span.start.column


def _parts(text: str, separators: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the pieces of ``text`` between separator characters."""
    start = 0
    for i, ch in enumerate(text):
        if ch in separators:
            yield start, i
            start = i + 1
    yield start, len(text)


# --------------------------------------------------------------------------- rules


def rule_markdown(rule: Rule, messages: Sequence[str] = (), lead: str = "") -> str:
    """A rule's documentation (``sarif.rule_help``), with the findings' messages under its title."""
    text = rule_help(rule).rstrip("\n")
    if text.startswith("# "):
        text = "### " + text[2:]
    title, _, rest = text.partition("\n\n")
    extra = [lead] if lead else []
    extra.extend(f"**This finding:** {m}" for m in messages)
    return "\n\n".join([title, *extra, rest] if rest else [title, *extra])


def _findings(findings: Sequence[Finding]) -> list[str]:
    by_code: dict[str, list[Finding]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    out: list[str] = []
    for code_, group in by_code.items():
        messages = list(dict.fromkeys(f.message for f in group))
        rule = lookup(code_)
        if rule is None:
            out.append(f"### {escape(code_)} {escape(group[0].name)}\n\n" + "\n\n".join(messages))
        else:
            out.append(rule_markdown(rule, messages))
    return out


def _hadolint_rules(code_: str) -> list[Rule]:
    key = code_.lower()
    return [r for r in all_rules() if any(h.lower() == key for h in r.hadolint)]


def _buildkit_rules(name: str) -> list[Rule]:
    key = name.lower()
    return [r for r in all_rules() if any(b.lower() == key for b in r.buildkit)]


def _foreign_rules(tool: str, code_: str, rules: Sequence[Rule]) -> str:
    if not rules:
        return (
            f"### {escape(tool)} {code(code_)}\n\n"
            f"dockerls has no rule equivalent to {escape(tool)} {code(code_)}, so this entry "
            "silences nothing in dockerls."
        )
    sections = []
    for r in rules:
        lead = f"{escape(tool)} {code(code_)} is checked by dockerls as {code(r.code)} ({r.name})."
        sections.append(rule_markdown(r, lead=lead))
    return "\n\n---\n\n".join(sections)


# --------------------------------------------------------------------------- entry points


def _token(ctx: _Ctx, pos: Position) -> HoverResult | None:
    for directive in ctx.doc.directives:
        if directive.span.start.line == pos.line and _hits(directive.span, pos):
            return _directive(ctx, directive, pos)
    for comment in ctx.doc.comments:
        if comment.span.start.line == pos.line and _hits(comment.span, pos):
            return _pragma(ctx, comment, pos)
    ins = ctx.doc.instruction_at(pos)
    if ins is None:
        return None
    return _instruction(ctx, ins, pos, None)


def _directive(ctx: _Ctx, directive: Directive, pos: Position) -> HoverResult | None:
    name = directive.name.text
    doc = docs.DIRECTIVES.get(name)
    if doc is None:
        return None
    if name == "check" and _hits(directive.value.span, pos):
        found = _check_value(ctx, directive, pos)
        if found is not None:
            return found
    return _found(_doc_markdown(doc), directive.span, "directive")


def _check_value(ctx: _Ctx, directive: Directive, pos: Position) -> HoverResult | None:
    located = _source_text(ctx.doc, directive.value.span)
    if located is None:
        return None
    text, base = located
    for start, end in _parts(text, ";"):
        key, eq, value = text[start:end].partition("=")
        if key.strip().lower() != "skip" or not eq:
            continue
        offset = start + len(key) + 1
        for s, e in _parts(value, ","):
            name = value[s:e].strip()
            lead = len(value[s:e]) - len(value[s:e].lstrip())
            col = base + offset + s + lead
            span = Span.of(pos.line, col, None, col + len(name))
            if not name or not _hits(span, pos):
                continue
            if name.lower() == "all":
                body = (
                    "### `skip=all`\n\nTurns off every BuildKit build check, and in dockerls "
                    "every rule that has a BuildKit equivalent."
                )
                return _found(body, span, "rule")
            return _found(
                _foreign_rules("BuildKit check", name, _buildkit_rules(name)), span, "rule"
            )
    return None


_DOCKERLS_PRAGMA = re.compile(r"#\s*dockerls\s*:\s*(ignore-file|ignore)\s*=", re.IGNORECASE)
_HADOLINT_PRAGMA = re.compile(r"#\s*hadolint\s+(global\s+)?ignore\s*=", re.IGNORECASE)


def _pragma(ctx: _Ctx, comment: Comment, pos: Position) -> HoverResult | None:
    located = _source_text(ctx.doc, comment.span)
    if located is None:
        return None
    text, base = located
    m = _DOCKERLS_PRAGMA.match(text)
    tool = "dockerls"
    if m is None:
        m = _HADOLINT_PRAGMA.match(text)
        tool = "hadolint"
    if m is None:
        return None
    for code_m in re.finditer(r"[^,\s]+", text[m.end() :]):
        start = base + m.end() + code_m.start()
        span = Span.of(pos.line, start, None, start + len(code_m.group()))
        if not _hits(span, pos):
            continue
        key = code_m.group()
        if tool == "hadolint":
            return _found(_foreign_rules("hadolint", key, _hadolint_rules(key)), span, "rule")
        if key.lower() == "all":
            return _found("### `all`\n\nEvery dockerls rule.", span, "rule")
        rule = lookup(key)
        if rule is None:
            body = (
                f"### {code(key)}\n\nNo dockerls rule has this code or name, so this entry "
                "silences nothing."
            )
            return _found(body, span, "rule")
        return _found(rule_markdown(rule), span, "rule")
    about = docs.PRAGMAS["hadolint" if tool == "hadolint" else m.group(1).lower()]
    return _found(f"### Suppression comment\n\n{about}", comment.span, "pragma")


# --------------------------------------------------------------------------- instructions


def _instruction(
    ctx: _Ctx, ins: Instruction, pos: Position, onbuild: Instruction | None
) -> HoverResult | None:
    if _hits(ins.keyword.span, pos):
        doc = docs.INSTRUCTIONS.get(ins.name)
        if doc is None:
            return None
        lead = ""
        if onbuild is not None:
            lead = (
                "Inside `ONBUILD`: this runs in a later build that uses this image as its "
                "base, right after its `FROM`, not in this build."
            )
        return _found(_doc_markdown(doc, lead), ins.keyword.span, "instruction")
    if ins.name == "ONBUILD":
        trigger = ins.trigger
        if trigger is not None and trigger.span.start <= pos <= trigger.span.end:
            return _instruction(ctx, trigger, pos, ins)
        return None
    refs = references(ins, ctx.doc.escape)
    if ins.name == "FROM":
        found = _from(ctx, ins, pos, refs)
        if found is not None:
            return found
    for flag in ins.flags:
        if _hits(flag.span, pos):
            return _flag(ctx, ins, flag, pos, refs, onbuild=onbuild)
    if ins.name in ("ARG", "ENV"):
        for pair in ins.pairs:
            if _hits(pair.key.span, pos):
                return _definition(ctx, ins, pair, onbuild)
    for heredoc in ins.heredocs:
        if _hits(heredoc.marker.span, pos):
            return _found(_doc_markdown(docs.HEREDOC), heredoc.marker.span, "heredoc")
    if ins.name == "HEALTHCHECK" and ins.args and _hits(ins.args[0].span, pos):
        word = docs.HEALTHCHECK_WORDS.get(ins.args[0].text.upper())
        if word is not None:
            return _found(_doc_markdown(word), ins.args[0].span, "instruction")
    for ref in refs:
        if _hits(ref.span, pos):
            return _variable(ctx, ins, ref, onbuild)
    return None


def _flag(
    ctx: _Ctx,
    ins: Instruction,
    flag: Flag,
    pos: Position,
    refs: Sequence[VariableRef],
    *,
    onbuild: Instruction | None,
) -> HoverResult | None:
    value = flag.value
    name = flag.name.text.lower()
    if value is not None and _hits(value.span, pos):
        is_source = name == "from" and ins.name in ("COPY", "ADD")
        if value.span.start.line == value.span.end.line:  # spans of references are exact
            for ref in refs:
                if _hits(ref.span, pos) and not (is_source and ref.span == value.span):
                    return _variable(ctx, ins, ref, onbuild)
        if is_source:
            return _source(ctx, ins, value.text, value.span, "copy", onbuild=onbuild)
        if name == "mount" and ins.name == "RUN":
            found = _mount(ctx, ins, flag, pos, onbuild)
            if found is not None:
                return found
    doc = docs.FLAGS.get((ins.name, name))
    if doc is not None:
        return _found(_doc_markdown(doc), flag.span, "flag")
    known = sorted(f"--{n}" for (i, n) in docs.FLAGS if i == ins.name)
    body = f"### {code('--' + flag.name.text)}\n\n{code(ins.name)} has no flag by this name."
    if known:
        body += " Its flags: " + ", ".join(code(k) for k in known) + "."
    return _found(body, flag.span, "flag")


def _mount(
    ctx: _Ctx, ins: Instruction, flag: Flag, pos: Position, onbuild: Instruction | None
) -> HoverResult | None:
    assert flag.value is not None
    options = flag.options()
    mount_type = options.get("type", "bind").lower()
    located = _source_text(ctx.doc, flag.value.span)
    if located is None:
        doc = docs.MOUNT_TYPES.get(mount_type)
        return _found(_doc_markdown(doc), flag.span, "mount") if doc else None
    text, base = located
    if len(text) >= 2 and text[0] in "\"'" and text[-1] == text[0]:
        text, base = text[1:-1], base + 1
    for start, end in _parts(text, ","):
        part = text[start:end]
        key, eq, value = part.partition("=")
        key_span = Span.of(pos.line, base + start, None, base + start + len(key))
        value_start = base + start + len(key) + len(eq)
        value_span = Span.of(pos.line, value_start, None, base + end)
        key_name = key.strip().strip("\"'").lower()
        if eq and _hits(value_span, pos):
            val = value.strip().strip("\"'")
            if key_name == "type":
                return _mount_type(val, value_span)
            if key_name == "from":
                return _source(ctx, ins, val, value_span, "mount", onbuild=onbuild)
            return _mount_key(mount_type, key_name, value_span)
        if _hits(key_span, pos) or (eq and pos.column == value_start - 1):
            if key_name == "type" and eq:
                return _mount_type(value.strip().strip("\"'"), key_span)
            return _mount_key(mount_type, key_name, key_span)
    return None


def _mount_type(name: str, span: Span) -> HoverResult:
    doc = docs.MOUNT_TYPES.get(name.lower())
    if doc is not None:
        return _found(_doc_markdown(doc), span, "mount")
    valid = ", ".join(code(t) for t in docs.MOUNT_TYPES)
    return _found(f"### {code(name)}\n\nNot a mount type. Valid types: {valid}.", span, "mount")


def _mount_key(mount_type: str, key: str, span: Span) -> HoverResult:
    keys = {**docs.MOUNT_KEYS[""], **docs.MOUNT_KEYS.get(mount_type, {})}
    type_doc = docs.MOUNT_TYPES.get(mount_type)
    link = type_doc.link if type_doc is not None else docs.reference_url("run---mount")
    about = keys.get(key)
    if about is None:
        valid = ", ".join(code(k) for k in keys)
        body = f"{code(key)} is not an option of `type={escape(mount_type)}` mounts: {valid}."
    else:
        body = about
    title = f"### {code(key)} (`--mount type={escape(mount_type)}`)"
    return _found(f"{title}\n\n{body}\n\n[Dockerfile reference]({link})", span, "mount")


# --------------------------------------------------------------------------- FROM, stages, images


def _from(
    ctx: _Ctx, ins: Instruction, pos: Position, refs: Sequence[VariableRef]
) -> HoverResult | None:
    stage = next((s for s in ctx.doc.stages if s.from_ is ins), None)
    if stage is None:
        return None
    if stage.name is not None and _hits(stage.name.span, pos):
        return _found(_stage_markdown(ctx, stage), stage.name.span, "stage")
    image = stage.image
    if image is None or not _hits(image.span, pos):
        return None
    inner = [r for r in refs if image.span.start <= r.span.start and r.span.end <= image.span.end]
    whole = len(inner) == 1 and inner[0].span == image.span
    if whole and stage.resolved_image is None:
        return _variable(ctx, ins, inner[0], None)
    if not whole:
        for ref in inner:
            if _hits(ref.span, pos):
                return _variable(ctx, ins, ref, None)
    parent = ctx.graph.parent(stage)
    if parent is not None:
        return _found(_stage_markdown(ctx, parent), image.span, "stage")
    context = _ships_sentence(ctx, stage)
    if stage.resolved_image is None:
        if inner:
            body = (
                f"### {code(image.text)}\n\nThe image depends on a value known only at build "
                "time (an `ARG` without a default, or a platform argument)."
            )
            return _found(body, image.span, "image")
        ref_text = image.text
    else:
        ref_text = stage.resolved_image
        if inner:
            context = f"{code(image.text)} resolves to {code(ref_text)}. {context}"
    return _found(image_markdown(ref_text, context), image.span, "image")


def _ships_sentence(ctx: _Ctx, stage: Stage) -> str:
    if ctx.graph.ships(stage):
        if stage is ctx.graph.final:
            return "This is the final stage: its base image ships in the image."
        return "This stage is in the final image's `FROM` chain: its base image ships."
    return (
        "This stage does not ship: only what is copied out of it reaches the final image, "
        "so its base costs build time, not image size."
    )


def _source(
    ctx: _Ctx,
    ins: Instruction,
    text: str,
    span: Span,
    how: Literal["copy", "mount"],
    *,
    onbuild: Instruction | None,
) -> HoverResult | None:
    """``COPY --from=<x>`` or ``--mount=from=<x>``: a stage, or else an image."""
    if not text:
        return None
    name = text
    if "$" in name and onbuild is None:
        expanded = expand(name, values(ctx.scope(ins)), ctx.doc.escape)
        if expanded is None:
            body = f"### {code(text)}\n\nThe source depends on a value known only at build time."
            return _found(body, span, "image")
        name = expanded
    current = ctx.stage_of(onbuild or ins)
    stage = ctx.doc.stage_named(name)
    if stage is not None and onbuild is None and current is not None:
        if stage.index < current.index:
            return _found(_stage_markdown(ctx, stage), span, "stage")
        if stage is current:
            body = (
                f"### {code(name)}\n\nThis is the current stage: a stage cannot copy from "
                "itself, so BuildKit reads this as an image name."
            )
            return _found(body, span, "image")
        later = (
            f"A stage named {code(name)} is defined on {_line(stage.from_.start_line)}, after "
            "this instruction: a stage can only be used after its definition, so BuildKit "
            "reads this as an image name."
        )
        return _found(image_markdown(name, later), span, "image")
    if stage is not None and onbuild is not None:
        return _found(_stage_markdown(ctx, stage), span, "stage")
    if how == "copy":
        context = (
            "Copy source: only the copied files land in this stage; the size of the source "
            "image does not matter here."
        )
    else:
        context = "Mount source: nothing of this image is stored in the layer."
    if onbuild is not None:
        context += " This `ONBUILD` trigger is resolved in the downstream build."
    return _found(image_markdown(name, context), span, "image")


def _stage_markdown(ctx: _Ctx, stage: Stage) -> str:
    label = code(stage.name.text) if stage.name is not None else f"#{stage.index}"
    count = len(ctx.doc.stages)
    parts = [
        f"### Stage {label}",
        f"Defined on {_line(stage.from_.start_line)} (stage {stage.index + 1} of {count}).",
    ]
    parent = ctx.graph.parent(stage)
    if parent is not None:
        root = ctx.graph.root(stage)
        pname = code(parent.name.text) if parent.name is not None else f"#{parent.index}"
        line = f"Built on stage {pname} ({_line(parent.from_.start_line)})"
        if root.resolved_image:
            line += f"; the chain starts at {code(root.resolved_image)}"
        parts.append(line + ".")
    elif stage.image is not None:
        shown = stage.resolved_image or stage.image.text
        parts.append(f"Base image: {code(shown)}.")
    if ctx.graph.ships(stage):
        if stage is ctx.graph.final:
            parts.append("**Ships:** this is the final stage.")
        else:
            parts.append("**Ships:** it is in the final stage's `FROM` chain.")
    else:
        parts.append(
            "**Does not ship:** only what other stages copy or mount from it reaches the image."
        )
    uses = [
        f"{e.instruction.name} on {_line(e.instruction.start_line)}"
        for e in ctx.graph.edges_from(stage)
    ]
    uses.extend(
        f"FROM on {_line(s.from_.start_line)}"
        for s in ctx.doc.stages
        if ctx.graph.parent(s) is stage
    )
    if uses:
        parts.append("Used by: " + ", ".join(dict.fromkeys(uses)) + ".")
    elif not ctx.graph.ships(stage):
        parts.append("Nothing uses it: BuildKit skips it unless it is the build `--target`.")
    return "\n\n".join(parts)


# --------------------------------------------------------------------------- variables


def _ref_text(ref: VariableRef) -> str:
    if not ref.braced:
        return "$" + ref.name
    if ref.modifier is VariableModifier.OTHER:
        return "${" + ref.name + (ref.word or "") + "}"
    operator: str = ref.modifier.value
    return "${" + ref.name + operator + (ref.word or "") + "}"


def _described(d: Definition) -> str:
    if d.kind == "automatic":
        return docs.AUTOMATIC_ARGS.get(d.name, "") + " " + docs.AUTOMATIC_NOTE.format(name=d.name)
    if d.kind == "arg" and d.written is None and d.name in docs.AUTOMATIC_ARGS:
        assert d.key is not None
        return (
            f"{docs.AUTOMATIC_ARGS[d.name]} Set by BuildKit; `ARG {d.name}` on "
            f"{_line(d.key.span.start.line)} makes it visible in this stage."
        )
    assert d.instruction is not None and d.key is not None
    where = _line(d.key.span.start.line)
    if d.kind == "global-arg":
        text = f"Declared by a global `ARG` on {where} (before the first `FROM`)."
    else:
        stage = d.stage
        sname = code(stage.name.text) if stage is not None and stage.name is not None else ""
        text = f"Declared by `{d.instruction.name}` on {where}"
        text += f" in stage {sname}." if sname else "."
    if d.from_global is not None and d.from_global.key is not None:
        origin = _line(d.from_global.key.span.start.line)
        text += f" It takes the default of the global `ARG` on {origin}."
    if d.kind in ("arg", "global-arg"):
        text += f" `--build-arg {d.name}=…` overrides it."
    return text


def _value_line(value: str | None, d: Definition | None) -> str:
    if value is not None:
        return f"**Value here:** {code(value)}" if value else "**Value here:** empty"
    if d is not None and d.name in docs.AUTOMATIC_ARGS and d.written is None:
        return "**Value here:** set by BuildKit for each build."
    if d is not None and d.kind in ("arg", "global-arg") and d.written is None:
        if d.from_global is not None:
            return "**Value here:** the global `ARG` has no default; empty unless passed."
        return f"**Value here:** no default; empty unless `--build-arg {d.name}=…` is passed."
    if d is not None and d.written is not None:
        return f"**Value here:** {code(d.written)}, with parts known only at build time."
    return "**Value here:** known only at build time."


def _usage_note(ins: Instruction, d: Definition | None) -> str:
    name = ins.name
    if name in ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"):
        if ins.exec_form is not None:
            return "Exec form runs without a shell: the text is passed literally, not expanded."
        if name == "RUN":
            return (
                "The shell expands it when the step runs; `ARG` and `ENV` values are both in "
                "its environment (a shell variable set earlier in the command wins)."
            )
        note = (
            "The shell expands it when the container starts: only `ENV` values (and "
            "`docker run -e`) exist then."
        )
        if d is not None and d.kind in ("arg", "global-arg"):
            note += f" **{code(d.name)} is an `ARG`: it is not set in the running container.**"
        return note
    if name == "FROM":
        return "In `FROM` only global `ARG`s and BuildKit's platform arguments are available."
    return ""


def _missing(ctx: _Ctx, ins: Instruction, ref: VariableRef) -> str:
    name = ref.name
    lines: list[str] = []
    stage = ctx.stage_of(ins)
    global_only = stage is None or stage.from_ is ins
    if name in docs.AUTOMATIC_ARGS and not global_only:
        lines.append(
            f"{docs.AUTOMATIC_ARGS[name]} Inside a stage it is empty until the stage declares "
            f"`ARG {name}`."
        )
        return " ".join(lines)
    if name in docs.PROXY_ARGS:
        return docs.PROXY_NOTE
    if name in docs.BUILTIN_ARGS:
        return docs.BUILTIN_ARGS[name] + " A BuildKit built-in build argument."
    if global_only:
        return "Not a global `ARG`: it expands to an empty string here."
    glob = global_scope(ctx.doc).get(name)
    if glob is not None and glob.kind == "global-arg" and glob.key is not None:
        lines.append(
            f"A global `ARG {name}` exists ({_line(glob.key.span.start.line)}), but stages do "
            f"not see global arguments: add `ARG {name}` in this stage to use it."
        )
    later = _declared_later(stage, ins, name) if stage is not None else None
    if later is not None:
        lines.append(f"It is declared later, on {_line(later)}: not visible here yet.")
    elif stage is not None:
        chain = {s.index for s in ctx.graph.chain(stage)}
        for other in ctx.doc.stages:
            if other.index in chain:
                continue
            line = _declared_later(other, None, name)
            if line is not None:
                label = code(other.name.text) if other.name is not None else f"#{other.index}"
                lines.append(
                    f"Stage {label} declares it ({_line(line)}), but this stage is not built "
                    "on that one, so it does not inherit it."
                )
                break
    if not lines:
        lines.append(
            "Not declared by this Dockerfile before this line: the base image's value is "
            "used if it sets one, otherwise it is empty."
        )
    return " ".join(lines)


def _declared_later(stage: Stage, ins: Instruction | None, name: str) -> int | None:
    """The line of an ARG/ENV of ``name`` in ``stage`` after ``ins`` (anywhere if None)."""
    seen = ins is None
    for step in stage.instructions:
        if step is ins:
            seen = True
            continue
        if seen and step.name in ("ARG", "ENV"):
            for pair in step.pairs:
                if pair.key.text == name:
                    return pair.key.span.start.line
    return None


def _variable(
    ctx: _Ctx, ins: Instruction, ref: VariableRef, onbuild: Instruction | None
) -> HoverResult:
    written = _ref_text(ref)
    parts = [f"### {code(written)}"]
    if onbuild is not None:
        parts.append(
            "Inside `ONBUILD`: expanded in the later build that uses this image, with that "
            "build's variables."
        )
        return _found("\n\n".join(parts), ref.span, "variable")
    scope = ctx.scope(ins)
    d = scope.get(ref.name)
    value = expand(written, values(scope), ctx.doc.escape)
    if d is None:
        if ref.modifier is not VariableModifier.NONE and value is not None:
            parts.append(_value_line(value, None))
        parts.append(_missing(ctx, ins, ref))
    else:
        parts.append(_value_line(value, d))
        parts.append(_described(d))
    note = _usage_note(ins, d)
    if note:
        parts.append(note)
    return _found("\n\n".join(parts), ref.span, "variable")


def _definition(
    ctx: _Ctx, ins: Instruction, pair: KeyValue, onbuild: Instruction | None
) -> HoverResult:
    name = pair.key.text
    parts = [f"### {code(ins.name + ' ' + name)}"]
    if onbuild is not None:
        parts.append("Inside `ONBUILD`: declared in the later build that uses this image.")
        return _found("\n\n".join(parts), pair.key.span, "variable")
    scope = ctx.scope(ins)
    stage = ctx.stage_of(ins)
    is_global = ins.name == "ARG" and (stage is None or any(g is ins for g in ctx.doc.global_args))
    written = pair.value.text if pair.value is not None else None
    if written is not None:
        value = expand(written, values(scope), ctx.doc.escape)
        if value is None:
            parts.append(f"**Value:** {code(written)}, with parts known only at build time.")
        else:
            parts.append(f"**Value:** {code(value)}" if value else "**Value:** empty")
        if "$" in written and value is not None:
            parts.append(f"Written as {code(written)}.")
    elif name in docs.AUTOMATIC_ARGS:
        parts.append(
            f"{docs.AUTOMATIC_ARGS[name]} Set by BuildKit; this line makes it visible in the stage."
        )
    elif (
        not is_global
        and (glob := global_scope(ctx.doc).get(name)) is not None
        and (glob.kind == "global-arg" and glob.key is not None)
    ):
        shown = code(glob.value) if glob.value else "no value"
        parts.append(
            f"**Value:** the global default ({shown}, {_line(glob.key.span.start.line)}) "
            f"unless `--build-arg {name}=…` is passed."
        )
    else:
        parts.append(f"**Value:** no default; empty unless `--build-arg {name}=…` is passed.")
    if name in docs.PROXY_ARGS:
        parts.append(docs.PROXY_NOTE)
    elif name in docs.BUILTIN_ARGS:
        parts.append(docs.BUILTIN_ARGS[name] + " A BuildKit built-in build argument.")
    previous = scope.get(name)
    if previous is not None and previous.key is not None:
        where = _line(previous.key.span.start.line)
        if ins.name == "ARG" and previous.kind == "env":
            parts.append(f"An `ENV {name}` ({where}) takes precedence over this `ARG`.")
        elif previous.kind != "automatic":
            parts.append(f"Replaces the earlier definition on {where}.")
    if is_global:
        parts.append(
            "Global: usable in `FROM` lines; a stage sees it only after declaring "
            f"`ARG {name}` without a value."
        )
    elif ins.name == "ARG":
        parts.append(
            "Visible from the next instruction to the end of the stage and in stages built on "
            "it; not stored in the image config."
        )
    else:
        parts.append(
            "Set for the rest of the stage, stages built on it, and the running container "
            "(stored in the image config)."
        )
    anchor = "arg" if ins.name == "ARG" else "env"
    parts.append(f"[Dockerfile reference]({docs.reference_url(anchor)})")
    return _found("\n\n".join(parts), pair.key.span, "variable")
