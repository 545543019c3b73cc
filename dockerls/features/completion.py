"""Completion: ``complete(doc, pos, snippets) -> list[CompletionItem]``.

Contexts, decided from the text before the cursor:

- parser directives in the header comments (``# syntax=``, ``# escape=``, ``# check=``)
  and their usual values;
- instruction keywords at the start of an instruction (and after ``ONBUILD``), as
  snippets when the client supports them;
- flags after ``-``/``--`` (BuildKit's full sets from the hover documentation), the
  values of ``--network``, ``--security``, ``--platform``, ``--from`` (stage names);
- ``--mount=`` keys for the mount's type, ``type=`` values, ``from=`` stages;
- stage names (and ``AS``) in ``FROM``; image variants after ``FROM <image>:`` from
  the offline knowledge base; ``CMD``/``NONE`` after ``HEALTHCHECK``;
- variables after ``$`` or ``${``: those in scope there, plus BuildKit's automatic
  platform arguments (and, in ``RUN``, the predefined proxy arguments).

Documentation comes from ``dockerls.hover.docs``; nothing here talks to the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from dockerls.graph import build_graph
from dockerls.hover import docs
from dockerls.hover.render import code
from dockerls.hover.scope import Definition, scope_before
from dockerls.knowledge.images import alternatives, classify, families
from dockerls.syntax import Dockerfile, Instruction, Position, Span

__all__ = ["CompletionItem", "ItemKind", "complete", "doc_markdown"]

ItemKind = Literal["keyword", "property", "variable", "value", "reference", "enum", "module"]


@dataclass(frozen=True, slots=True)
class CompletionItem:
    label: str
    kind: ItemKind
    insert_text: str
    text_edit: Span  # the text ``insert_text`` replaces (the word typed so far)
    is_snippet: bool = False
    detail: str = ""
    documentation: str = ""  # Markdown


def doc_markdown(doc: docs.Doc) -> str:
    """One documentation entry as Markdown: synopsis, text, impact, link."""
    parts = []
    if doc.syntax:
        parts.append(code(doc.syntax))
    parts.append(doc.text)
    if doc.impact:
        parts.append(f"**Size and cache.** {doc.impact}")
    parts.append(f"[Dockerfile reference]({doc.link})")
    return "\n\n".join(parts)


_SNIPPETS: dict[str, str] = {
    "ADD": "ADD ${1:source} ${2:dest}",
    "ARG": "ARG ${1:name}",
    "CMD": 'CMD ["${1:executable}"]',
    "COPY": "COPY ${1:source} ${2:dest}",
    "ENTRYPOINT": 'ENTRYPOINT ["${1:executable}"]',
    "ENV": "ENV ${1:key}=${2:value}",
    "EXPOSE": "EXPOSE ${1:port}",
    "FROM": "FROM ${1:image}",
    "HEALTHCHECK": "HEALTHCHECK --interval=${1:30s} --timeout=${2:30s} CMD ${3:command}",
    "LABEL": 'LABEL ${1:key}="${2:value}"',
    "MAINTAINER": "MAINTAINER ${1:name}",
    "ONBUILD": "ONBUILD ${1:INSTRUCTION}",
    "RUN": "RUN ${1:command}",
    "SHELL": 'SHELL ["${1:executable}", "${2:parameter}"]',
    "STOPSIGNAL": "STOPSIGNAL ${1:signal}",
    "USER": "USER ${1:user}",
    "VOLUME": 'VOLUME ["${1:/data}"]',
    "WORKDIR": "WORKDIR ${1:path}",
}
_NOT_IN_ONBUILD = frozenset({"ONBUILD", "FROM", "MAINTAINER"})
_BARE_FLAGS = frozenset({"link", "parents", "unpack", "keep-git-dir"})
_REPEATABLE_FLAGS = frozenset({"mount", "exclude"})
_BARE_MOUNT_KEYS = frozenset({"rw", "readwrite", "ro", "readonly", "required"})
_FLAG_VALUES: dict[str, tuple[str, ...]] = {
    "network": ("default", "none", "host"),
    "security": ("sandbox", "insecure"),
    "platform": ("$BUILDPLATFORM", "$TARGETPLATFORM", "linux/amd64", "linux/arm64"),
}
_DIRECTIVE_VALUES: dict[str, tuple[str, ...]] = {
    "syntax": ("docker/dockerfile:1", "docker/dockerfile:1-labs"),
    "escape": ("\\", "`"),
    "check": ("skip=all", "error=true", "skip=", "skip=all;error=true"),
}
_MOUNT_VALUES: dict[str, tuple[str, ...]] = {
    "sharing": ("shared", "private", "locked"),
}

_DIRECTIVE_NAME = re.compile(r"^\s*#\s*([A-Za-z]*)$")
_DIRECTIVE_VALUE = re.compile(r"^\s*#\s*([A-Za-z]+)\s*=\s*(\S*)$")
_LINE_START = re.compile(r"^\s*([A-Za-z]*)$")
_AFTER_ONBUILD = re.compile(r"^\s*onbuild\s+([A-Za-z]*)$", re.IGNORECASE)
_VARIABLE = re.compile(r"\$(\{?)([A-Za-z_][A-Za-z0-9_]*)?$")
_WORD = re.compile(r"(\S*)$")
_FLAG_VALUE = re.compile(r"(?:^|\s)--([A-Za-z-]+)=(\S*)$")
_FLAG_NAME = re.compile(r"(?:^|\s)(-{1,2}[A-Za-z-]*)$")
_FROM_IMAGE = re.compile(r"^\s*(?:onbuild\s+)?from\s+(?:--\S*\s+)*(\S*)$", re.IGNORECASE)
_FROM_AS = re.compile(r"^\s*from\s+(?:--\S*\s+)*[^\s-]\S*\s+([A-Za-z]*)$", re.IGNORECASE)
_HEALTHCHECK_WORD = re.compile(
    r"^\s*(?:onbuild\s+)?healthcheck\s+(?:--\S*\s+)*([A-Za-z]*)$", re.IGNORECASE
)


def complete(doc: Dockerfile, pos: Position, snippets: bool = False) -> list[CompletionItem]:
    """What may be typed at ``pos``; empty where nothing sensible is known."""
    if not 0 <= pos.line < len(doc.lines):
        return []
    line = doc.lines[pos.line]
    column = max(0, min(pos.column, len(line)))
    pos = Position(pos.line, column)
    start = 1 if pos.line == 0 and doc.bom else 0
    prefix = line[start:column]
    after = line[column:]
    if _in_heredoc_body(doc, pos.line):
        return []
    if prefix.lstrip().startswith("#"):
        return _directives(doc, pos, prefix) if _in_header(doc, pos.line) else []
    ins = doc.instruction_at(pos)
    first_line = ins is None or ins.start_line == pos.line
    if first_line and (m := _LINE_START.match(prefix)):
        return _keywords(pos, m.group(1), snippets, onbuild=False)
    if ins is None:
        return []
    if first_line and (m := _AFTER_ONBUILD.match(prefix)):
        return _keywords(pos, m.group(1), snippets, onbuild=True)
    if (m := _VARIABLE.search(prefix)) and not _escaped(prefix, m.start(), doc.escape):
        return _variables(doc, ins, pos, m.group(2) or "", braced=bool(m.group(1)), after=after)
    target = ins.trigger if ins.name == "ONBUILD" and ins.trigger is not None else ins
    if m := _FLAG_VALUE.search(prefix):
        return _flag_value(doc, ins, target, pos, name=m.group(1).lower(), value=m.group(2))
    if (m := _FLAG_NAME.search(prefix)) and _in_flag_area(target, pos, len(m.group(1))):
        return _flags(target, pos, m.group(1))
    if first_line and (m := _FROM_IMAGE.match(prefix)):
        return _from_image(doc, ins, pos, m.group(1))
    if first_line and (m := _FROM_AS.match(prefix)):
        word = m.group(1)
        if "as".startswith(word.lower()):
            return [CompletionItem("AS", "keyword", "AS ", _replace(pos, len(word)))]
        return []
    if first_line and (m := _HEALTHCHECK_WORD.match(prefix)):
        word = m.group(1)
        return [
            CompletionItem(
                name,
                "keyword",
                f"{name} ",
                _replace(pos, len(word)),
                False,
                d.title,
                doc_markdown(d),
            )
            for name, d in docs.HEALTHCHECK_WORDS.items()
        ]
    return []


# --------------------------------------------------------------------------- helpers


def _replace(pos: Position, typed: int) -> Span:
    return Span(Position(pos.line, pos.column - typed), pos)


def _escaped(prefix: str, index: int, escape: str) -> bool:
    count = 0
    while index - count - 1 >= 0 and prefix[index - count - 1] == escape:
        count += 1
    return count % 2 == 1


def _in_heredoc_body(doc: Dockerfile, line: int) -> bool:
    for ins in doc.instructions:
        if ins.start_line <= line <= ins.end_line:
            for heredoc in ins.heredocs:
                marker_line = heredoc.marker.span.end.line
                end = heredoc.terminator.end.line if heredoc.terminator else ins.end_line
                if marker_line < line <= end:
                    return True
    return False


def _in_header(doc: Dockerfile, line: int) -> bool:
    """Every line above ``line`` is a parser directive (so a new one may go here)."""
    directive_lines = {d.span.start.line for d in doc.directives}
    return all(i in directive_lines for i in range(line)) and not any(
        ins.start_line < line for ins in doc.instructions
    )


def _in_flag_area(ins: Instruction, pos: Position, typed: int) -> bool:
    word_start = Position(pos.line, pos.column - typed)
    if word_start <= ins.keyword.span.end:
        return False
    return ins.rest is None or ins.rest.span.start >= word_start


# --------------------------------------------------------------------------- contexts


def _directives(doc: Dockerfile, pos: Position, prefix: str) -> list[CompletionItem]:
    if m := _DIRECTIVE_VALUE.match(prefix):
        name, value = m.group(1).lower(), m.group(2)
        d = docs.DIRECTIVES.get(name)
        return [
            CompletionItem(
                v,
                "value",
                v,
                _replace(pos, len(value)),
                False,
                f"# {name}=",
                doc_markdown(d) if d else "",
            )
            for v in _DIRECTIVE_VALUES.get(name, ())
        ]
    if m := _DIRECTIVE_NAME.match(prefix):
        word = m.group(1)
        used = {d.name.text for d in doc.directives if d.span.start.line != pos.line}
        return [
            CompletionItem(
                name,
                "property",
                f"{name}=",
                _replace(pos, len(word)),
                False,
                d.title,
                doc_markdown(d),
            )
            for name, d in docs.DIRECTIVES.items()
            if name not in used
        ]
    return []


def _keywords(pos: Position, word: str, snippets: bool, onbuild: bool) -> list[CompletionItem]:
    items = []
    for name in sorted(docs.INSTRUCTIONS):
        if onbuild and name in _NOT_IN_ONBUILD:
            continue
        d = docs.INSTRUCTIONS[name]
        snippet = snippets and name in _SNIPPETS
        items.append(
            CompletionItem(
                name,
                "keyword",
                _SNIPPETS[name] if snippet else f"{name} ",
                _replace(pos, len(word)),
                snippet,
                d.syntax,
                doc_markdown(d),
            )
        )
    return items


def _flags(ins: Instruction, pos: Position, typed: str) -> list[CompletionItem]:
    present = {
        f.name.text.lower()
        for f in ins.flags
        if f.span.start.line != pos.line or f.span.end < Position(pos.line, pos.column - len(typed))
    }
    items = []
    for (instruction, name), d in docs.FLAGS.items():
        if instruction != ins.name or (name in present and name not in _REPEATABLE_FLAGS):
            continue
        insert = f"--{name}" if name in _BARE_FLAGS else f"--{name}="
        items.append(
            CompletionItem(
                f"--{name}",
                "property",
                insert,
                _replace(pos, len(typed)),
                False,
                d.syntax,
                doc_markdown(d),
            )
        )
    return items


def _flag_value(
    doc: Dockerfile, ins: Instruction, target: Instruction, pos: Position, *, name: str, value: str
) -> list[CompletionItem]:
    if name == "mount" and target.name == "RUN":
        return _mount(doc, ins, pos, value)
    if name == "from" and target.name == "COPY":
        return _stages(doc, ins, pos, value, indices=True)
    if (target.name, name) not in docs.FLAGS:
        return []
    d = docs.FLAGS[(target.name, name)]
    return [
        CompletionItem(v, "value", v, _replace(pos, len(value)), False, d.title)
        for v in _FLAG_VALUES.get(name, ())
    ]


def _mount(doc: Dockerfile, ins: Instruction, pos: Position, value: str) -> list[CompletionItem]:
    *others, current = value.split(",")
    options = dict(part.partition("=")[::2] for part in others)
    options = {k.strip().lower(): v for k, v in options.items()}
    key, eq, typed = current.partition("=")
    key = key.strip().lower()
    if eq:
        if key == "type":
            return [
                CompletionItem(
                    t, "enum", t, _replace(pos, len(typed)), False, d.title, doc_markdown(d)
                )
                for t, d in docs.MOUNT_TYPES.items()
            ]
        if key == "from":
            return _stages(doc, ins, pos, typed)
        return [
            CompletionItem(v, "value", v, _replace(pos, len(typed)))
            for v in _MOUNT_VALUES.get(key, ())
        ]
    kind = options.get("type", "bind") or "bind"
    keys = {**docs.MOUNT_KEYS[""], **docs.MOUNT_KEYS.get(kind, {})}
    return [
        CompletionItem(
            k,
            "property",
            k if k in _BARE_MOUNT_KEYS else f"{k}=",
            _replace(pos, len(current)),
            False,
            f"--mount type={kind}",
            text,
        )
        for k, text in keys.items()
        if k not in options
    ]


def _stages(
    doc: Dockerfile, ins: Instruction, pos: Position, typed: str, *, indices: bool = False
) -> list[CompletionItem]:
    """Stages declared before the one holding ``ins``: by name, then (where the builder
    accepts it, ``COPY --from=``) by index."""
    current = doc.stage_of(ins)
    named: list[CompletionItem] = []
    numbered: list[CompletionItem] = []
    for stage in doc.stages:
        if current is not None and stage.index >= current.index:
            break
        if stage.from_.start_line >= ins.start_line:
            break
        image = stage.image.text if stage.image else ""
        detail = f"stage {stage.index}" + (f" FROM {image}" if image else "")
        span = _replace(pos, len(typed))
        if stage.name is not None:
            text = stage.name.text
            named.append(CompletionItem(text, "reference", text, span, False, detail))
        if indices:
            label = str(stage.index)
            numbered.append(CompletionItem(label, "reference", label, span, False, detail))
    return named + numbered


def _from_image(
    doc: Dockerfile, ins: Instruction, pos: Position, word: str
) -> list[CompletionItem]:
    if ":" in word and "@" not in word and "$" not in word:
        name, _, tag = word.rpartition(":")
        if "/" not in tag:  # not a registry port such as localhost:5000/x
            return _variants(name, pos, tag)
    if "$" in word or "/" in word or ":" in word:
        return []
    return _stages(doc, ins, pos, word)


def _variants(name: str, pos: Position, typed: str) -> list[CompletionItem]:
    info = classify(name)
    if info is None:
        return []
    family = next((f for f in families() if f.id == info.family), None)
    if family is None:
        return []
    items: list[CompletionItem] = []
    seen: set[str] = set()
    span = _replace(pos, len(typed))

    def offer(reference: str, label: str, text: str) -> None:
        """An item for ``reference`` when it is another tag of the same image."""
        other = classify(reference)
        if other is None or other.tag is None or other.tag in seen:
            return
        if (other.repository, other.registry) != (info.repository, info.registry):
            return
        seen.add(other.tag)
        detail = f"{family.name}: {label}"
        items.append(CompletionItem(other.tag, "value", other.tag, span, False, detail, text))

    # With a version typed (``node:20``), the smaller variants of that version come first.
    version = typed.rstrip("-.")
    typed_info = classify(f"{name}:{version}") if version else None
    if typed_info is not None and typed_info.version and typed_info.family == info.family:
        for alt in alternatives(typed_info):
            spec = family.variant(alt.info.variant) if alt.info is not None else None
            offer(alt.reference, spec.label if spec is not None else alt.kind, alt.caveat)
    for variant in family.variants:
        for size in variant.sizes:
            sizes = [s.describe() for s in variant.sizes if s.measured == size.measured]
            offer(size.measured, variant.label, "\n\n".join([variant.note or "", *sizes]).strip())
    return items


def _variables(
    doc: Dockerfile, ins: Instruction, pos: Position, typed: str, *, braced: bool, after: str
) -> list[CompletionItem]:
    scope: dict[str, Definition] = dict(scope_before(doc, build_graph(doc), ins))
    items = []
    close = "}" if braced and not after.startswith("}") else ""
    names = list(scope)
    names += [n for n in docs.AUTOMATIC_ARGS if n not in scope]
    # Predefined proxy arguments reach only the environment of RUN, without an ARG line.
    proxies = sorted(docs.PROXY_ARGS - scope.keys()) if ins.name == "RUN" else []
    for name in names + proxies:
        definition = scope.get(name)
        if name in proxies:
            detail = "predefined proxy ARG"
            documentation = docs.PROXY_NOTE
        elif definition is not None and definition.kind != "automatic":
            value = definition.value if definition.value is not None else definition.written
            detail = f"{definition.kind.upper() if definition.kind != 'global-arg' else 'ARG'}"
            detail += f" = {value}" if value is not None else ""
            documentation = (
                f"Declared on line {definition.line}." if definition.line is not None else ""
            )
        else:
            detail = "automatic platform ARG"
            documentation = (
                f"{docs.AUTOMATIC_ARGS[name]}\n\n{docs.AUTOMATIC_NOTE.format(name=name)}"
            )
        items.append(
            CompletionItem(
                name,
                "variable",
                name + close,
                _replace(pos, len(typed)),
                False,
                detail,
                documentation,
            )
        )
    return items
