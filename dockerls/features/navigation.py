"""Definition, references, highlights and rename: stages, build variables, heredoc names.

Pure core: model positions in, model spans and ``TextEdit`` values out.

Symbols:

- **Stages**: defined by ``FROM … AS name``; referenced by ``FROM name``,
  ``COPY|ADD --from=name`` and ``RUN --mount=…,from=name`` in a later stage. Names
  compare case-insensitively, as BuildKit lower-cases them. References by index
  (``--from=0``) and references through ``$`` are not name occurrences.
- **Variables**: defined by the pairs of ``ARG``/``ENV``; referenced by ``$VAR`` and
  ``${VAR…}`` in the instructions the builder expands, in ``RUN`` flags and in the shell
  form of ``RUN`` (the ARG/ENV value reaches the shell as an environment variable), and in
  the shell form of ``CMD``/``ENTRYPOINT``/``HEALTHCHECK`` when the name is an ``ENV``.
  Which definition a reference sees is decided by ``dockerls.hover.scope`` (global ARGs in
  ``FROM`` lines and through a stage's ``ARG NAME``; stage ARG/ENV after their definition
  and in stages built ``FROM`` that stage, as BuildKit does). A redefinition of a visible
  name (``ENV A=2`` after ``ENV A=1``, ``ARG NAME`` taking a global default) belongs to the
  same symbol, so a rename keeps the file meaning the same thing.
- **Here-document names**: the word in the ``<<EOF`` marker is the definition, the
  terminator line the reference. A rename refuses a name that is a line of the body
  (the here-document would end there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from dockerls.findings import TextEdit
from dockerls.graph import StageGraph, build_graph
from dockerls.hover.docs import AUTOMATIC_ARGS
from dockerls.hover.scope import Definition, global_scope, scope_before
from dockerls.syntax import Dockerfile, Instruction, Position, Span, Stage, Token
from dockerls.syntax.images import single_line
from dockerls.syntax.model import Heredoc
from dockerls.syntax.variables import references as variable_references
from dockerls.syntax.variables import scan

__all__ = [
    "HighlightKind",
    "RenameError",
    "definition",
    "highlights",
    "prepare_rename",
    "references",
    "rename",
]

HighlightKind = Literal["read", "write"]
_Kind = Literal["stage", "variable", "heredoc"]

STAGE_NAME = re.compile(r"^[a-z][a-z0-9._-]*$")
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
HEREDOC_NAME = VARIABLE_NAME
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Instructions whose arguments the builder expands itself.
_EXPANDED = frozenset(
    {"ADD", "ARG", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME"}
    | {"WORKDIR"}
)
# Shell form run at build time: ARG and ENV are in its environment.
_BUILD_SHELL = frozenset({"RUN"})
# Shell form run in the container: only ENV survives into the image.
_RUNTIME_SHELL = frozenset({"CMD", "ENTRYPOINT", "HEALTHCHECK"})


@dataclass(frozen=True, slots=True)
class RenameError:
    """Why a rename is refused, for the user."""

    message: str


@dataclass(slots=True)
class _Occurrence:
    span: Span
    text: str
    write: bool
    node: object  # the symbol node this occurrence belongs to
    targets: tuple[Span, ...] = ()  # what "go to definition" shows from here


@dataclass(slots=True)
class _Symbol:
    kind: _Kind
    name: str
    occurrences: list[_Occurrence] = field(default_factory=list)
    renamable: bool = True


@dataclass(slots=True)
class _Index:
    occurrences: list[_Occurrence]
    symbols: dict[object, _Symbol]  # by root node

    def at(self, pos: Position) -> tuple[_Symbol, _Occurrence] | None:
        best: _Occurrence | None = None
        for occ in self.occurrences:
            if occ.span.start <= pos < occ.span.end:
                best = occ
                break
            if best is None and occ.span.start <= pos <= occ.span.end:
                best = occ
        if best is None:
            return None
        return self.symbols[best.node], best


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, x: object) -> object:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


# --------------------------------------------------------------------------- public API


def definition(doc: Dockerfile, pos: Position) -> list[Span]:
    """Where the symbol under ``pos`` is defined (a declaration gives itself)."""
    found = _index(doc).at(pos)
    if found is None:
        return []
    _, occ = found
    return list(occ.targets)


def references(doc: Dockerfile, pos: Position, include_declaration: bool) -> list[Span]:
    """Every occurrence of the symbol under ``pos``, in document order."""
    found = _index(doc).at(pos)
    if found is None:
        return []
    symbol, _ = found
    return [o.span for o in symbol.occurrences if include_declaration or not o.write]


def highlights(doc: Dockerfile, pos: Position) -> list[tuple[Span, HighlightKind]]:
    """The occurrences of the symbol under ``pos``: definitions write, uses read."""
    found = _index(doc).at(pos)
    if found is None:
        return []
    symbol, _ = found
    return [(o.span, "write" if o.write else "read") for o in symbol.occurrences]


def prepare_rename(doc: Dockerfile, pos: Position) -> Span | None:
    """The name span under ``pos`` when it is a symbol that can be renamed."""
    found = _index(doc).at(pos)
    if found is None:
        return None
    symbol, occ = found
    return occ.span if symbol.renamable else None


def rename(doc: Dockerfile, pos: Position, new_name: str) -> list[TextEdit] | RenameError:
    """Edits renaming the symbol under ``pos`` everywhere it is in scope, or why not."""
    index = _index(doc)
    found = index.at(pos)
    if found is None:
        return RenameError(
            "There is no stage name, build variable or here-document name here to rename."
        )
    symbol, _ = found
    if not symbol.renamable:
        return RenameError(
            f"`{symbol.name}` cannot be renamed: it is set by the builder, not declared here."
        )
    if symbol.kind == "stage":
        if not STAGE_NAME.match(new_name.lower()):
            return RenameError(
                f"`{new_name}` is not a valid stage name: BuildKit accepts a letter followed "
                "by letters, digits, `.`, `_` or `-`."
            )
        clash = doc.stage_named(new_name)
        mine = any(o.write and o.text.lower() == new_name.lower() for o in symbol.occurrences)
        if clash is not None and clash.name_lower == new_name.lower() and not mine:
            return RenameError(f"A stage named `{new_name}` already exists.")
    elif symbol.kind == "heredoc":
        refused = _heredoc_refusal(doc, symbol, new_name)
        if refused is not None:
            return refused
    else:
        if not VARIABLE_NAME.match(new_name):
            return RenameError(
                f"`{new_name}` is not a valid variable name: use letters, digits and `_`, "
                "not starting with a digit."
            )
        if new_name != symbol.name:
            if new_name in AUTOMATIC_ARGS:
                return RenameError(f"`{new_name}` is set by the builder; choose another name.")
            others = {
                id(o)
                for s in index.symbols.values()
                if s is not symbol and s.kind == "variable"
                for o in s.occurrences
                if o.text == new_name
            }
            spans = {o.span for o in symbol.occurrences}
            free = any(
                used == new_name and span not in spans
                for ins in doc.instructions
                for used, span, _ in _uses(ins, doc.escape)
            )
            if others or free:
                return RenameError(
                    f"A variable named `{new_name}` is already used in this Dockerfile; "
                    "renaming would merge the two."
                )
    edits: list[TextEdit] = []
    seen: set[Span] = set()
    for occ in symbol.occurrences:
        if occ.span in seen:
            continue
        seen.add(occ.span)
        same = (
            occ.text.lower() == new_name.lower() if symbol.kind == "stage" else occ.text == new_name
        )
        if not same:
            edits.append(TextEdit(occ.span, new_name))
    return edits


# --------------------------------------------------------------------------- the index

_CACHE: list[tuple[Dockerfile, _Index]] = []


def _index(doc: Dockerfile) -> _Index:
    for cached_doc, cached in _CACHE:
        if cached_doc is doc:
            return cached
    built = _build(doc)
    _CACHE.append((doc, built))
    del _CACHE[:-4]
    return built


def _text_at(doc: Dockerfile, span: Span) -> str | None:
    """The source text of a one-line span, or None."""
    if span.start.line != span.end.line or not 0 <= span.start.line < len(doc.lines):
        return None
    line = doc.lines[span.start.line]
    if not 0 <= span.start.column < span.end.column <= len(line):
        return None
    return line[span.start.column : span.end.column]


@dataclass(slots=True)
class _Builder:
    doc: Dockerfile
    graph: StageGraph
    uf: _UnionFind = field(default_factory=_UnionFind)
    out: list[_Occurrence] = field(default_factory=list)
    names: dict[object, tuple[_Kind, str]] = field(default_factory=dict)
    fixed: set[object] = field(default_factory=set)  # nodes that may not be renamed

    def add(
        self,
        span: Span,
        expected: str,
        node: object,
        *,
        write: bool,
        targets: Iterable[Span] = (),
        fold: bool = False,
    ) -> None:
        text = _text_at(self.doc, span)
        if text is None:
            return
        if (text.lower() != expected.lower()) if fold else (text != expected):
            return
        target_list = tuple(targets) or ((span,) if write else ())
        self.out.append(_Occurrence(span, text, write, node, target_list))

    def link(self, node: object, d: Definition) -> None:
        other = _def_node(d)
        self.names.setdefault(other, ("variable", d.name))
        if d.key is None or d.kind == "automatic":
            self.fixed.add(other)
        self.uf.union(node, other)


def _build(doc: Dockerfile) -> _Index:
    b = _Builder(doc, build_graph(doc))
    _stages(b)
    _variables(b)
    _heredocs(b)
    uf, occurrences, names, fixed = b.uf, b.out, b.names, b.fixed
    symbols: dict[object, _Symbol] = {}
    for occ in sorted(occurrences, key=lambda o: o.span):
        root = uf.find(occ.node)
        occ.node = root
        if root not in symbols:
            kind, name = names[root]
            valid = (
                STAGE_NAME.match(name.lower())
                if kind == "stage"
                else (HEREDOC_NAME if kind == "heredoc" else VARIABLE_NAME).match(name)
            )
            symbols[root] = _Symbol(kind, name, renamable=valid is not None)
        symbols[root].occurrences.append(occ)
    for node in fixed:
        root = uf.find(node)
        if root in symbols:
            symbols[root].renamable = False
    occurrences.sort(key=lambda o: o.span)
    return _Index(occurrences, symbols)


# --------------------------------------------------------------------------- stages


def _stages(b: _Builder) -> None:
    doc, graph = b.doc, b.graph
    for stage in doc.stages:
        if stage.name is not None:
            node = ("stage", stage.index)
            b.uf.find(node)
            b.names[node] = ("stage", stage.name.text)
            b.add(stage.name.span, stage.name.text, node, write=True, fold=True)
    for stage in doc.stages:
        parent = graph.parent(stage)
        image = stage.image
        if (
            parent is not None
            and parent.name is not None
            and image is not None
            and "$" not in image.text
            and image.text.lower() == parent.name_lower
        ):
            node = ("stage", parent.index)
            b.add(image.span, image.text, node, write=False, targets=[parent.name.span], fold=True)
        for ins in stage.instructions:
            for token in source_names(ins):
                target = _named_stage(doc, token.text, stage)
                if target is not None and target.name is not None:
                    node = ("stage", target.index)
                    b.add(
                        token.span,
                        token.text,
                        node,
                        write=False,
                        targets=[target.name.span],
                        fold=True,
                    )


def _named_stage(doc: Dockerfile, text: str, current: Stage) -> Stage | None:
    """The earlier stage ``text`` names (by name, not by index)."""
    if not text or "$" in text:
        return None
    lowered = text.lower()
    for stage in doc.stages:
        if stage.index >= current.index:
            break
        if stage.name_lower == lowered:
            return stage
    return None


def source_names(ins: Instruction) -> list[Token]:
    """The stage-or-image names of ``--from=`` and ``--mount=…,from=``, with their spans."""
    found: list[Token] = []
    if ins.name in ("COPY", "ADD"):
        for flag in ins.flags_named("from"):
            if flag.value is not None and flag.value.text:
                found.append(flag.value)
    elif ins.name == "RUN":
        for flag in ins.flags_named("mount"):
            value = flag.value
            if value is None:
                continue
            span_of = single_line(value)
            offset = 0
            for part in value.text.split(","):
                key, eq, val = part.partition("=")
                if eq and key.strip().lower() == "from" and val.strip():
                    start = offset + len(key) + 1
                    start += len(val) - len(val.lstrip())
                    stripped = val.strip()
                    found.append(Token(stripped, span_of(start, start + len(stripped))))
                offset += len(part) + 1
    return found


# --------------------------------------------------------------------------- variables


def _def_node(d: Definition) -> object:
    if d.key is None:
        return ("auto", d.name)
    return ("var", d.key.span)


def _variables(b: _Builder) -> None:
    doc, graph, uf, names, fixed = b.doc, b.graph, b.uf, b.names, b.fixed
    globals_ = global_scope(doc)
    for ins in doc.instructions:
        expands = ins.name in _EXPANDED
        shell = ins.name in _BUILD_SHELL or ins.name in _RUNTIME_SHELL
        if not (expands or shell or ins.name in ("ARG", "ENV")):
            continue
        scope = scope_before(doc, graph, ins)
        if ins.name in ("ARG", "ENV"):
            local: dict[str, object] = {}
            for pair in ins.pairs:
                name = pair.key.text
                node: object = ("var", pair.key.span)
                uf.find(node)
                names[node] = ("variable", name)
                if name in AUTOMATIC_ARGS:
                    fixed.add(node)
                previous = scope.get(name)
                if previous is not None:
                    b.link(node, previous)
                if name in local:
                    uf.union(node, local[name])
                in_stage = doc.stage_of(ins) is not None
                glob = globals_.get(name)
                if in_stage and pair.value is None and glob is not None and ins.name == "ARG":
                    b.link(node, glob)
                local[name] = node
                b.add(pair.key.span, name, node, write=True)
        for name, name_span, in_rest in _uses(ins, doc.escape):
            if not expands and ins.exec_form is not None and in_rest:
                continue
            d = scope.get(name)
            if d is None:
                continue
            if ins.name in _RUNTIME_SHELL and in_rest and d.kind != "env":
                continue
            def_node = _def_node(d)
            b.link(def_node, d)
            targets = [d.key.span] if d.key is not None else []
            if d.from_global is not None and d.from_global.key is not None:
                targets.append(d.from_global.key.span)
            ref_node = ("ref", name_span)
            uf.union(def_node, ref_node)
            b.add(name_span, name, ref_node, write=False, targets=targets)


def _uses(ins: Instruction, escape: str) -> Iterator[tuple[str, Span, bool]]:
    """``(name, name span, in the arguments)`` for each ``$`` reference of ``ins``.

    Unquoted heredoc bodies count (the builder expands them for COPY/ADD, the shell
    expands them for RUN with the ARG/ENV environment); ``<<"EOF"`` bodies do not.
    """
    for ref in variable_references(ins, escape):
        yield ref.name, ref.name_span, _in_rest(ins, ref.span)
    for heredoc in ins.heredocs:
        if heredoc.quoted:
            continue
        for raw in scan(heredoc.body.text, escape):
            start = heredoc.locate(raw.name_start)
            yield raw.name, Span(start, Position(start.line, start.column + len(raw.name))), True


def _in_rest(ins: Instruction, span: Span) -> bool:
    return ins.rest is not None and ins.rest.span.start <= span.start


# --------------------------------------------------------------------------- here-documents


def _all_heredocs(doc: Dockerfile) -> Iterator[Heredoc]:
    for ins in doc.instructions:
        yield from ins.heredocs
        if ins.trigger is not None:
            yield from ins.trigger.heredocs


def _heredocs(b: _Builder) -> None:
    """The name in each ``<<EOF`` marker (definition) and on its terminator line."""
    for number, heredoc in enumerate(_all_heredocs(b.doc)):
        name, marker = heredoc.name, heredoc.marker
        offset = marker.text.find(name, 2) if name else -1
        if offset < 0 or marker.span.start.line != marker.span.end.line:
            continue
        start = marker.span.start
        declared = Span.of(
            start.line, start.column + offset, None, start.column + offset + len(name)
        )
        node = ("heredoc", number)
        b.uf.find(node)
        b.names[node] = ("heredoc", name)
        b.add(declared, name, node, write=True)
        if heredoc.terminator is not None:
            line = heredoc.terminator.start.line
            text = b.doc.lines[line] if 0 <= line < len(b.doc.lines) else ""
            column = len(text) - len(text.lstrip("\t")) if heredoc.strip_tabs else 0
            used = Span.of(line, column, None, column + len(name))
            b.add(used, name, node, write=False, targets=[declared])


def _heredoc_refusal(doc: Dockerfile, symbol: _Symbol, new_name: str) -> RenameError | None:
    if not HEREDOC_NAME.match(new_name):
        return RenameError(
            f"`{new_name}` is not a valid here-document name: use letters, digits and `_`, "
            "not starting with a digit."
        )
    if new_name == symbol.name:
        return None
    declared = symbol.occurrences[0].span
    for heredoc in _all_heredocs(doc):
        if not heredoc.marker.span.start <= declared.start < heredoc.marker.span.end:
            continue
        lines = _LINE_BREAK.split(heredoc.body.text)
        if heredoc.strip_tabs:
            lines = [line.lstrip("\t") for line in lines]
        if new_name in lines:
            return RenameError(
                f"`{new_name}` is already a line of the here-document: it would end there."
            )
    return None
