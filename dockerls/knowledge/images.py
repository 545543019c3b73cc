"""Base-image knowledge: what the image in a FROM line is, and what would be smaller.

The facts live in ``images.json`` next to this module (see ``docs/knowledge.md``);
this module only loads, validates and queries them. The file is read lazily, on
the first query, and cached for the life of the process, so importing this module
costs nothing at server start-up.

Queries are pure and never raise on odd input: a reference that is empty, still
contains ``$``, is syntactically broken or names an image we know nothing about
gives ``None`` from :func:`classify`. (A broken *data file* is a programming
error; it raises :class:`KnowledgeDataError` on first use, a bad regular expression
when it is first needed, and the tests load it all.)

Public API::

    classify(reference) -> ImageInfo | None
    alternatives(info) -> list[Alternative]
    family_notes(family) -> FamilyNotes | None
    families() -> tuple[FamilySpec, ...]
    parse_reference(reference) -> Reference | None
    package_kind(name, manager=None) -> "build" | "runtime" | "unknown"
    is_build_package(name, manager=None) -> bool
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeVar, cast, get_args

from dockerls.wording import megabytes

__all__ = [
    "Alternative",
    "AlternativeSpec",
    "Category",
    "FamilyNotes",
    "FamilySpec",
    "ImageInfo",
    "KnowledgeBase",
    "KnowledgeDataError",
    "Libc",
    "OsName",
    "PackageKind",
    "PackageManager",
    "Reference",
    "Size",
    "SizeKind",
    "Traits",
    "VariantKind",
    "VariantSpec",
    "alternatives",
    "classify",
    "families",
    "family_notes",
    "is_build_package",
    "package_kind",
    "parse_knowledge",
    "parse_reference",
]

Libc = Literal["glibc", "musl", "uclibc", "windows", "none"]
PackageManager = Literal["apt", "apk", "dnf", "microdnf", "yum", "none"]
OsName = Literal["linux", "windows"]
VariantKind = Literal[
    "full",  # a default language/SDK tag built on buildpack-deps or a full JDK
    "slim",
    "alpine",
    "distroless",  # no shell, no package manager (distroless, chiseled, Chainguard)
    "static",  # no libc at all (distroless/static, chainguard/static)
    "scratch",
    "jre",
    "sdk",
    "runtime",
    "os",
    "minimal",
    "server",
    "windows",
    "app",
]
SizeKind = Literal["compressed", "uncompressed"]
Category = Literal["language", "toolchain", "os", "distroless", "server", "windows", "app"]
PackageKind = Literal["build", "runtime", "unknown"]
SuiteKind = Literal["debian", "ubuntu", "alpine", "rhel", "windows", "other", "none"]

_T = TypeVar("_T")


class KnowledgeDataError(ValueError):
    """``images.json`` does not match the schema this module expects."""


# --------------------------------------------------------------------------- public values


@dataclass(frozen=True, slots=True)
class Size:
    """One size figure, always with where, when and on what it was measured."""

    mb: float
    kind: SizeKind  # compressed = registry transfer size; uncompressed = on disk
    as_of: str  # "2026-Q3" or "2026-08"
    arch: str  # "linux/amd64"
    measured: str  # the image the figure belongs to, e.g. "node:24-trixie"
    source: str  # key of the sources table in images.json, e.g. "repo-info"
    citation: str  # human-readable source, e.g. "docker-library/repo-info … @2534b852"
    approx: bool = False
    basis: str | None = None  # how an approximate figure was obtained

    def describe(self) -> str:
        """Short hover text, e.g. ``~439 MB compressed (node:24-trixie, linux/amd64, 2026-Q3)``."""
        return f"~{megabytes(self.mb)} MB {self.kind} ({self.measured}, {self.arch}, {self.as_of})"


@dataclass(frozen=True, slots=True)
class Traits:
    """What a variant is like inside."""

    os: OsName
    libc: Libc
    package_manager: PackageManager
    shell: bool | None  # None: not known
    default_user: str  # as the image config says: "root", "nonroot", "65532", "ContainerUser"
    default_uid: int | None
    non_root: bool  # the image does not run as root unless a USER says so
    builtin_user: str | None  # a non-root user the image ships, ready for ``USER``
    is_toolchain: bool  # compilers/SDK inside (build stage material)
    is_full_language_base: bool  # the corpus "full-base" notion (node:20, python:3.12, a JDK…)


@dataclass(frozen=True, slots=True)
class Reference:
    """An image reference split the way Docker splits it."""

    text: str  # as given, stripped
    name: str  # as written, without tag and digest: "docker.io/library/node"
    registry: str  # lower-case host; every Docker Hub spelling becomes "docker.io"
    repository: str  # lower-case path; Docker Hub single names get "library/"
    tag: str | None
    digest: str | None


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What :func:`classify` knows about one image reference."""

    reference: str
    name: str
    registry: str
    repository: str
    tag: str | None
    digest: str | None
    family: str  # "node"
    family_name: str  # "Node.js"
    category: Category
    variant: str  # "slim"
    variant_label: str  # "slim (Debian, glibc)"
    kind: VariantKind
    version: str | None  # the tag's version part ("20.11"), or one from the repository name
    suite: str | None  # distro token: "bookworm", "alpine3.20", "debian12", "ubi9-minimal"
    runtime_version: str | None  # for build-tool images, the JDK major in the tag ("17")
    os: OsName
    libc: Libc
    package_manager: PackageManager
    shell: bool | None
    default_user: str
    default_uid: int | None
    non_root: bool
    builtin_user: str | None
    is_toolchain: bool
    is_full_language_base: bool
    modifiers: tuple[str, ...]  # tag modifiers seen: "nonroot", "debug", "dev", "windowsservercore"
    mirror: bool  # recognised by its path on a registry that is not the family's home
    sizes: tuple[Size, ...]
    notes: tuple[str, ...]  # short caveats specific to this variant/modifier
    # For a build-tool tag that names no JDK (``maven``, ``maven:3.9``, ``gradle:8``): the JDK
    # major the image carried when the knowledge was gathered, and where and when that was seen.
    # ``runtime_version`` stays None (the tag does not say it); alternatives use this instead.
    runtime_default: str | None = None
    runtime_default_basis: str | None = None

    @property
    def major(self) -> str | None:
        return _major(self.version)

    @property
    def major_minor(self) -> str | None:
        return _major_minor(self.version)

    def size(self, kind: SizeKind = "compressed") -> Size | None:
        """The first figure of that kind, if any."""
        return next((s for s in self.sizes if s.kind == kind), None)


@dataclass(frozen=True, slots=True)
class Alternative:
    """A smaller image to consider, as an exact reference string."""

    reference: str  # e.g. "node:20.11-bookworm-slim"
    kind: VariantKind  # slim / alpine / distroless / jre / runtime / static / scratch / minimal
    caveat: str  # one line: what changes when switching
    info: ImageInfo | None  # the suggested reference, classified (sizes, libc, user…)

    @property
    def sizes(self) -> tuple[Size, ...]:
        return self.info.sizes if self.info is not None else ()

    def size(self, kind: SizeKind = "compressed") -> Size | None:
        return self.info.size(kind) if self.info is not None else None


@dataclass(frozen=True, slots=True)
class FamilyNotes:
    """Short teaching text for hover."""

    family: str
    name: str
    bullets: tuple[str, ...]
    sources: tuple[str, ...]  # citations


# --------------------------------------------------------------------------- data schema


class _Pattern:
    """A regular expression of ``images.json``, compiled when first used.

    An analysis needs few of the 250 patterns: the repository patterns tried before its
    images' families are found, and those families' tag patterns. Compiling them all was
    most of the first analysis. Equal when the expressions are (as ``re.Pattern``).
    """

    __slots__ = ("_compiled", "source", "where")

    def __init__(self, source: str, where: str) -> None:
        self.source = source
        self.where = where  # for the error message
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled expression; raises :class:`KnowledgeDataError` if it is not one."""
        found = self._compiled
        if found is None:
            try:
                found = re.compile(self.source)
            except re.error as exc:
                message = f"{self.where}: bad regular expression {self.source!r}: {exc}"
                raise KnowledgeDataError(message) from exc
            self._compiled = found  # two threads may both compile it: either result is kept
        return found

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled().search(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled().fullmatch(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Pattern) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"_Pattern({self.source!r})"


@dataclass(frozen=True, slots=True)
class _Match:
    tags: tuple[_Pattern, ...]  # all must be found in the lower-case tag
    repository: _Pattern | None  # fullmatch on the normalised repository

    def hits(self, tag: str, repository: str) -> bool:
        if self.repository is not None and not self.repository.fullmatch(repository):
            return False
        return all(p.search(tag) for p in self.tags)


@dataclass(frozen=True, slots=True)
class _When:
    values_in: tuple[tuple[str, frozenset[str]], ...] = ()
    version_min: tuple[int, ...] | None = None
    version_max: tuple[int, ...] | None = None
    os_in: frozenset[str] | None = None
    suite_kind_in: frozenset[str] | None = None
    requires: tuple[str, ...] = ()  # placeholders that must have a value


@dataclass(frozen=True, slots=True)
class AlternativeSpec:
    kind: VariantKind
    image: str | None  # None: the same name as written; otherwise a template
    tag: tuple[str, ...] | None  # parts joined with "-" (empty parts dropped); None: no tag
    tag_sub: tuple[_Pattern, str] | None  # or: rewrite the original tag
    caveat: str
    when: _When


@dataclass(frozen=True, slots=True)
class VariantSpec:
    id: str
    label: str
    kind: VariantKind
    matches: tuple[_Match, ...]  # any; empty = catch-all
    traits: Traits
    sizes: tuple[Size, ...]
    alternatives: tuple[AlternativeSpec, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class _Modifier:
    id: str
    tag: _Pattern
    changes: tuple[tuple[str, object], ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class _Image:
    registry: str
    repository: _Pattern
    mirror_pattern: _Pattern | None  # how the path may look on another registry


@dataclass(frozen=True, slots=True)
class RuntimeDefault:
    """The JDK a build-tool image carries when its tag names none (``maven:3.9``)."""

    version: str  # "26"
    tag: _Pattern  # the tags it holds for, matched in full; "" is the untagged reference
    as_of: str  # "2026-08"
    basis: str  # where and when it was read: "carlossg/docker-maven, …, as of 2026-08"


@dataclass(frozen=True, slots=True)
class FamilySpec:
    id: str
    name: str
    category: Category
    images: tuple[_Image, ...]
    version_pattern: _Pattern | None
    version_in_repository: _Pattern | None
    runtime_version: _Pattern | None
    variants: tuple[VariantSpec, ...]
    modifiers: tuple[_Modifier, ...]
    notes: tuple[str, ...]
    sources: tuple[str, ...]  # citations
    runtime_default: RuntimeDefault | None = None

    def variant(self, variant_id: str) -> VariantSpec | None:
        return next((v for v in self.variants if v.id == variant_id), None)


@dataclass(frozen=True, slots=True)
class _Packages:
    build_names: Mapping[str, frozenset[str]]  # manager group ("any", "apt", "apk", "rpm")
    build_patterns: tuple[_Pattern, ...]
    runtime_names: frozenset[str]
    runtime_patterns: tuple[_Pattern, ...]
    managers: Mapping[str, str]  # command -> group


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """The validated content of ``images.json``."""

    families: tuple[FamilySpec, ...]
    by_id: Mapping[str, FamilySpec]
    global_modifiers: tuple[_Modifier, ...]
    packages: _Packages
    sources: Mapping[str, str]


# --------------------------------------------------------------------------- validation

_TRAIT_FIELDS: Final = tuple(f.name for f in dataclasses.fields(Traits))
_AS_OF = re.compile(r"\d{4}-(0[1-9]|1[0-2]|Q[1-4])")
_ARCH = re.compile(r"[a-z0-9]+/[a-z0-9]+(/v[0-9])?")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\|([^{}]*))?\}")
_PLACEHOLDER_NAMES: Final = frozenset(
    {"version", "tag_version", "major", "major_minor", "suite", "runtime_version"}
)


class _Reader:
    """A JSON object read strictly: wrong types and unknown keys are errors."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise KnowledgeDataError(f"{where}: expected an object")
        self.data = cast(dict[str, object], value)
        self.where = where
        self.used: set[str] = set()

    def raw(self, key: str) -> object:
        self.used.add(key)
        return self.data.get(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value:
            raise KnowledgeDataError(f"{self.where}.{key}: expected a non-empty string")
        return value

    def opt_text(self, key: str) -> str | None:
        if self.data.get(key) is None:
            self.used.add(key)
            return None
        return self.text(key)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise KnowledgeDataError(f"{self.where}.{key}: expected true or false")
        return value

    def items(self, key: str) -> list[object]:
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise KnowledgeDataError(f"{self.where}.{key}: expected a list")
        return cast(list[object], value)

    def texts(self, key: str) -> list[str]:
        items = self.items(key)
        if not all(isinstance(i, str) and i for i in items):
            raise KnowledgeDataError(f"{self.where}.{key}: expected a list of strings")
        return cast(list[str], items)

    def obj(self, key: str) -> _Reader | None:
        value = self.raw(key)
        return None if value is None else _Reader(value, f"{self.where}.{key}")

    def literal(self, key: str, allowed: tuple[_T, ...]) -> _T:
        value = self.text(key)
        if value not in allowed:
            raise KnowledgeDataError(f"{self.where}.{key}: {value!r} not one of {allowed}")
        return cast(_T, value)

    def done(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            raise KnowledgeDataError(f"{self.where}: unknown key(s) {extra}")


def _regex(pattern: str, where: str) -> _Pattern:
    return _Pattern(pattern, where)


def _check_template(text: str, where: str) -> None:
    for m in _PLACEHOLDER.finditer(text):
        if m.group(1) not in _PLACEHOLDER_NAMES:
            raise KnowledgeDataError(f"{where}: unknown placeholder {{{m.group(1)}}}")
    if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
        raise KnowledgeDataError(f"{where}: unbalanced braces in {text!r}")


def _trait_value(name: str, value: object, where: str) -> object:
    """Check one trait value against the Traits field types."""
    literal_fields: dict[str, tuple[object, ...]] = {
        "os": get_args(OsName),
        "libc": get_args(Libc),
        "package_manager": get_args(PackageManager),
    }
    if name in literal_fields:
        if value not in literal_fields[name]:
            raise KnowledgeDataError(f"{where}.{name}: {value!r} not one of {literal_fields[name]}")
    elif name in ("non_root", "is_toolchain", "is_full_language_base"):
        if not isinstance(value, bool):
            raise KnowledgeDataError(f"{where}.{name}: expected true or false")
    elif name == "shell":
        if value is not None and not isinstance(value, bool):
            raise KnowledgeDataError(f"{where}.{name}: expected true, false or null")
    elif name == "default_user":
        if not isinstance(value, str) or not value:
            raise KnowledgeDataError(f"{where}.{name}: expected a non-empty string")
    elif name == "builtin_user":
        if value is not None and (not isinstance(value, str) or not value):
            raise KnowledgeDataError(f"{where}.{name}: expected a string or null")
    elif name == "default_uid":
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            raise KnowledgeDataError(f"{where}.{name}: expected a non-negative integer or null")
    else:
        raise KnowledgeDataError(f"{where}: unknown trait {name!r}")
    return value


def _traits_from(base: Mapping[str, object], r: _Reader | None, where: str) -> dict[str, object]:
    merged = dict(base)
    if r is not None:
        for key in list(r.data):
            if key in _TRAIT_FIELDS:
                merged[key] = _trait_value(key, r.data[key], where)
                r.used.add(key)
    return merged


def _make_traits(values: Mapping[str, object], where: str) -> Traits:
    missing = [f for f in _TRAIT_FIELDS if f not in values]
    if missing:
        raise KnowledgeDataError(f"{where}: missing trait(s) {missing}")
    traits = Traits(**{f: values[f] for f in _TRAIT_FIELDS})  # type: ignore[arg-type]
    if traits.non_root and traits.default_user in ("root", "0", "ContainerAdministrator"):
        raise KnowledgeDataError(f"{where}: non_root contradicts default_user")
    return traits


def _dated_source(r: _Reader, sources: Mapping[str, str], where: str) -> tuple[str, str]:
    """A figure's ``as_of`` (YYYY-MM or YYYY-Qn) and ``source`` (a key of the sources table)."""
    as_of = r.text("as_of")
    if not _AS_OF.fullmatch(as_of):
        raise KnowledgeDataError(f"{where}.as_of: {as_of!r} is not YYYY-MM or YYYY-Qn")
    source = r.text("source")
    if source not in sources:
        raise KnowledgeDataError(f"{where}.source: {source!r} is not in the sources table")
    return as_of, source


def _parse_size(value: object, sources: Mapping[str, str], where: str) -> Size:
    r = _Reader(value, where)
    mb = r.raw("mb")
    if not isinstance(mb, int | float) or isinstance(mb, bool) or mb < 0:
        raise KnowledgeDataError(f"{where}.mb: expected a non-negative number")
    as_of, source = _dated_source(r, sources, where)
    arch = r.text("arch")
    if not _ARCH.fullmatch(arch):
        raise KnowledgeDataError(f"{where}.arch: {arch!r} is not os/arch")
    detail = r.opt_text("detail")
    approx = r.flag("approx")
    basis = r.opt_text("basis")
    if approx and not basis:
        raise KnowledgeDataError(f"{where}: an approximate size needs a basis")
    size = Size(
        mb=float(mb),
        kind=r.literal("kind", get_args(SizeKind)),
        as_of=as_of,
        arch=arch,
        measured=r.text("measured"),
        source=source,
        citation=f"{sources[source]} {detail}" if detail else sources[source],
        approx=approx,
        basis=basis,
    )
    r.done()
    return size


def _parse_when(r: _Reader | None, where: str) -> _When:
    if r is None:
        return _When()
    values_in: list[tuple[str, frozenset[str]]] = []
    table = r.obj("in")
    if table is not None:
        for key in list(table.data):
            if key not in _PLACEHOLDER_NAMES:
                raise KnowledgeDataError(f"{where}.in: unknown placeholder {key!r}")
            values_in.append((key, frozenset(table.texts(key))))
        table.done()
    vmin = r.opt_text("version_min")
    vmax = r.opt_text("version_max")
    requires = tuple(r.texts("requires"))
    if not set(requires) <= _PLACEHOLDER_NAMES:
        raise KnowledgeDataError(f"{where}.requires: unknown placeholder in {requires}")
    os_in = r.texts("os_in") if r.has("os_in") else None
    suite_in = r.texts("suite_kind_in") if r.has("suite_kind_in") else None
    if suite_in is not None and not set(suite_in) <= set(get_args(SuiteKind)):
        raise KnowledgeDataError(f"{where}.suite_kind_in: unknown suite kind in {suite_in}")
    r.done()
    return _When(
        values_in=tuple(values_in),
        version_min=_numeric(vmin) if vmin else None,
        version_max=_numeric(vmax) if vmax else None,
        os_in=frozenset(os_in) if os_in is not None else None,
        suite_kind_in=frozenset(suite_in) if suite_in is not None else None,
        requires=requires,
    )


def _parse_alternative(value: object, where: str) -> AlternativeSpec:
    r = _Reader(value, where)
    kind = r.literal("kind", get_args(VariantKind))
    image = r.opt_text("image")
    if image is not None:
        _check_template(image, f"{where}.image")
    tag: tuple[str, ...] | None = None
    tag_sub: tuple[_Pattern, str] | None = None
    if r.has("tag"):
        tag = tuple(r.texts("tag"))
        for part in tag:
            _check_template(part, f"{where}.tag")
    if r.has("tag_sub"):
        pair = r.texts("tag_sub")
        if len(pair) != 2 or tag is not None:
            raise KnowledgeDataError(f"{where}.tag_sub: expected [pattern, replacement], no tag")
        tag_sub = (_regex(pair[0], f"{where}.tag_sub"), pair[1])
    spec = AlternativeSpec(
        kind=kind,
        image=image,
        tag=tag,
        tag_sub=tag_sub,
        caveat=r.text("caveat"),
        when=_parse_when(r.obj("when"), f"{where}.when"),
    )
    r.done()
    return spec


def _parse_match(value: object, where: str) -> _Match:
    r = _Reader(value, where)
    raw = r.data.get("tag")
    tags: list[str]
    if isinstance(raw, str):
        r.used.add("tag")
        tags = [raw]
    else:
        tags = r.texts("tag")
    repo = r.opt_text("repository")
    r.done()
    if not tags and repo is None:
        raise KnowledgeDataError(f"{where}: a match needs a tag or a repository pattern")
    return _Match(
        tags=tuple(_regex(t, f"{where}.tag") for t in tags),
        repository=_regex(repo, f"{where}.repository") if repo else None,
    )


def _parse_modifier(value: object, where: str) -> _Modifier:
    r = _Reader(value, where)
    ident = r.text("id")
    tag = _regex(r.text("tag"), f"{where}.tag")
    note = r.opt_text("note")
    changes_r = r.obj("set")
    changes: list[tuple[str, object]] = []
    if changes_r is not None:
        for key, val in changes_r.data.items():
            changes.append((key, _trait_value(key, val, f"{where}.set")))
    r.done()
    return _Modifier(id=ident, tag=tag, changes=tuple(changes), note=note)


def _parse_image(value: object, where: str, mirrors: bool) -> _Image:
    r = _Reader(value, where)
    registry = r.text("registry").lower()
    repo = r.text("repository")
    r.done()
    mirror: _Pattern | None = None
    if mirrors and registry == "docker.io":
        if repo.startswith("library/"):
            # localhost:5000/node, proxy.example/library/node, public.ecr.aws/docker/library/node
            mirror = _regex(f"(?:(?:.+/)?library/)?(?:{repo[8:]})", where)
        else:
            mirror = _regex(f"(?:.+/)?(?:{repo})", where)
    return _Image(registry=registry, repository=_regex(repo, where), mirror_pattern=mirror)


def _parse_family(
    value: object, defaults: Mapping[str, object], sources: Mapping[str, str], where: str
) -> FamilySpec:
    r = _Reader(value, where)
    ident = r.text("id")
    where = f"families[{ident}]"
    mirrors = r.flag("mirrors", default=True)
    images = tuple(
        _parse_image(v, f"{where}.images[{i}]", mirrors) for i, v in enumerate(r.items("images"))
    )
    if not images:
        raise KnowledgeDataError(f"{where}: no images")
    vp = r.opt_text("version_pattern")
    vr = r.opt_text("version_in_repository")
    rv = r.opt_text("runtime_version")
    runtime_default = _parse_runtime_default(r.obj("runtime_default"), sources, where)
    defaults_r = r.obj("defaults")
    fam_defaults = _traits_from(defaults, defaults_r, f"{where}.defaults")
    if defaults_r is not None:
        defaults_r.done()

    variants: list[VariantSpec] = []
    for i, v in enumerate(r.items("variants")):
        vw = f"{where}.variants[{i}]"
        vr_ = _Reader(v, vw)
        vid = vr_.text("id")
        vw = f"{where}.variants[{vid}]"
        traits = _make_traits(_traits_from(fam_defaults, vr_, vw), vw)
        variants.append(
            VariantSpec(
                id=vid,
                label=vr_.text("label"),
                kind=vr_.literal("kind", get_args(VariantKind)),
                matches=tuple(
                    _parse_match(m, f"{vw}.match[{j}]") for j, m in enumerate(vr_.items("match"))
                ),
                traits=traits,
                sizes=tuple(
                    _parse_size(s, sources, f"{vw}.sizes[{j}]")
                    for j, s in enumerate(vr_.items("sizes"))
                ),
                alternatives=tuple(
                    _parse_alternative(a, f"{vw}.alternatives[{j}]")
                    for j, a in enumerate(vr_.items("alternatives"))
                ),
                note=vr_.opt_text("note"),
            )
        )
        vr_.done()
    if not variants:
        raise KnowledgeDataError(f"{where}: a family needs at least one variant")
    if variants[-1].matches:
        raise KnowledgeDataError(f"{where}: the last variant must be the catch-all (no match)")
    if any(not v.matches for v in variants[:-1]):
        raise KnowledgeDataError(f"{where}: only the last variant may be a catch-all")
    ids = [v.id for v in variants]
    if len(set(ids)) != len(ids):
        raise KnowledgeDataError(f"{where}: duplicate variant ids {ids}")

    notes = tuple(r.texts("notes"))
    if not notes:
        raise KnowledgeDataError(f"{where}: notes are required")
    source_keys = r.texts("sources")
    for key in source_keys:
        if key not in sources:
            raise KnowledgeDataError(f"{where}.sources: {key!r} is not in the sources table")
    spec = FamilySpec(
        id=ident,
        name=r.text("name"),
        category=r.literal("category", get_args(Category)),
        images=images,
        version_pattern=_regex(vp, f"{where}.version_pattern") if vp else None,
        version_in_repository=_regex(vr, f"{where}.version_in_repository") if vr else None,
        runtime_version=_regex(rv, f"{where}.runtime_version") if rv else None,
        variants=tuple(variants),
        modifiers=tuple(
            _parse_modifier(m, f"{where}.modifiers[{j}]")
            for j, m in enumerate(r.items("modifiers"))
        ),
        notes=notes,
        sources=tuple(sources[k] for k in source_keys),
        runtime_default=runtime_default,
    )
    r.done()
    return spec


def _parse_runtime_default(
    r: _Reader | None, sources: Mapping[str, str], where: str
) -> RuntimeDefault | None:
    if r is None:
        return None
    where = f"{where}.runtime_default"
    version = r.text("version")
    if not version.isdigit():
        raise KnowledgeDataError(f"{where}.version: {version!r} is not a JDK major")
    as_of, source = _dated_source(r, sources, where)
    r.text("detail")  # how it was read, for whoever checks it again
    spec = RuntimeDefault(
        version=version,
        tag=_regex(r.text("tag"), f"{where}.tag"),
        as_of=as_of,
        basis=f"{sources[source]}, as of {as_of}",
    )
    r.done()
    return spec


def _parse_packages(value: object) -> _Packages:
    r = _Reader(value, "packages")
    build = r.obj("build")
    runtime = r.obj("runtime")
    managers = r.obj("managers")
    if build is None or runtime is None or managers is None:
        raise KnowledgeDataError("packages: build, runtime and managers are required")
    groups: dict[str, frozenset[str]] = {}
    for group in ("any", "apt", "apk", "rpm"):
        groups[group] = frozenset(n.lower() for n in build.texts(group))
    build_patterns = tuple(_regex(p, "packages.build.patterns") for p in build.texts("patterns"))
    build.done()
    runtime_names = frozenset(n.lower() for n in runtime.texts("names"))
    runtime_patterns = tuple(
        _regex(p, "packages.runtime.patterns") for p in runtime.texts("patterns")
    )
    runtime.done()
    manager_map: dict[str, str] = {}
    for group in list(managers.data):
        if group not in ("apt", "apk", "rpm"):
            raise KnowledgeDataError(f"packages.managers: unknown group {group!r}")
        for command in managers.texts(group):
            manager_map[command] = group
    managers.done()
    r.done()
    return _Packages(groups, build_patterns, runtime_names, runtime_patterns, manager_map)


def _patterns(kb: KnowledgeBase) -> Iterator[_Pattern]:
    """Every regular expression of the knowledge base."""
    yield from (m.tag for m in kb.global_modifiers)
    yield from kb.packages.build_patterns
    yield from kb.packages.runtime_patterns
    for fam in kb.families:
        for img in fam.images:
            yield img.repository
            if img.mirror_pattern is not None:
                yield img.mirror_pattern
        for found in (fam.version_pattern, fam.version_in_repository, fam.runtime_version):
            if found is not None:
                yield found
        if fam.runtime_default is not None:
            yield fam.runtime_default.tag
        yield from (m.tag for m in fam.modifiers)
        for variant in fam.variants:
            for match in variant.matches:
                yield from match.tags
                if match.repository is not None:
                    yield match.repository
            yield from (a.tag_sub[0] for a in variant.alternatives if a.tag_sub is not None)


def parse_knowledge(data: object, *, compile_patterns: bool = True) -> KnowledgeBase:
    """Validate decoded ``images.json`` content; raises :class:`KnowledgeDataError`.

    Without ``compile_patterns`` the regular expressions are compiled when first used
    (and a bad one raises then): the tests load the data with them all compiled.
    """
    r = _Reader(data, "images.json")
    version = r.raw("schema_version")
    if version != 1:
        raise KnowledgeDataError(f"images.json: unsupported schema_version {version!r}")
    r.text("updated")
    sources_r = r.obj("sources")
    if sources_r is None:
        raise KnowledgeDataError("images.json: sources table missing")
    sources = {k: sources_r.text(k) for k in list(sources_r.data)}
    sources_r.done()
    defaults_r = r.obj("defaults")
    defaults = _traits_from({}, defaults_r, "defaults")
    if defaults_r is not None:
        defaults_r.done()
    fams = tuple(
        _parse_family(f, defaults, sources, f"families[{i}]")
        for i, f in enumerate(r.items("families"))
    )
    by_id = {f.id: f for f in fams}
    if len(by_id) != len(fams):
        raise KnowledgeDataError("images.json: duplicate family ids")
    glob = tuple(
        _parse_modifier(m, f"global_modifiers[{i}]")
        for i, m in enumerate(r.items("global_modifiers"))
    )
    packages = _parse_packages(r.raw("packages"))
    r.done()
    kb = KnowledgeBase(fams, by_id, glob, packages, sources)
    if compile_patterns:
        for pattern in _patterns(kb):
            pattern.compiled()
    return kb


@functools.cache
def _kb() -> KnowledgeBase:
    # Through the package's loader (a directory or a zip archive alike): importlib.resources
    # would import tempfile, shutil, zipfile and more to read one file.
    import pkgutil

    data = pkgutil.get_data("dockerls.knowledge", "images.json")
    if data is None:
        raise KnowledgeDataError("images.json: the package's loader cannot read it")
    return parse_knowledge(json.loads(data), compile_patterns=False)


# --------------------------------------------------------------------------- references

_HUB_ALIASES: Final = frozenset(
    {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
)
_PATH_RE = re.compile(
    r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
)
_HOST_RE = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]+)?|\[[0-9A-Fa-f:]+\](?::[0-9]+)?")
_TAG_RE = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Za-z=_-]+")


def parse_reference(reference: str) -> Reference | None:
    """Split ``[registry/]path[:tag][@digest]``; None for anything Docker would reject.

    Lenient where an editor needs it: quotes are dropped (as BuildKit does), upper-case path
    letters are folded (Docker would refuse them), and a trailing ``:`` means no tag.
    """
    if not isinstance(reference, str):
        return None
    # Quotes cannot be part of a reference; BuildKit's word processing removes them.
    text = reference.strip().replace('"', "").replace("'", "")
    if not text or "$" in text or any(c.isspace() for c in text):
        return None
    name, at, digest = text.partition("@")
    if at and not _DIGEST_RE.fullmatch(digest):
        return None
    tag: str | None = None
    colon = name.rfind(":")
    if colon > name.rfind("/"):
        tag = name[colon + 1 :] or None
        name = name[:colon]
        if tag is not None and not _TAG_RE.fullmatch(tag):
            return None
    if not name:
        return None
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        if not _HOST_RE.fullmatch(first):
            return None
        registry, path = first.lower(), rest
    else:
        registry, path = "docker.io", name
    if registry in _HUB_ALIASES:
        registry = "docker.io"
    path = path.lower()
    if not _PATH_RE.fullmatch(path):
        return None
    if registry == "docker.io" and "/" not in path:
        path = f"library/{path}"
    return Reference(text, name, registry, path, tag, digest or None)


# --------------------------------------------------------------------------- classification

_DEBIAN: Final = (
    "jessie",
    "stretch",
    "buster",
    "bullseye",
    "bookworm",
    "trixie",
    "forky",
    "duke",
    "sid",
)
_UBUNTU: Final = (
    "trusty",
    "xenial",
    "bionic",
    "focal",
    "jammy",
    "noble",
    "oracular",
    "plucky",
    "questing",
)
_SUITE_RE = re.compile(
    r"(?<![a-z0-9.])("
    r"alpine(?:[0-9]+(?:\.[0-9]+)*)?|al2023|al2|ubi[0-9]+(?:-minimal)?|debian[0-9]+"
    r"|windowsservercore(?:-(?:ltsc[0-9]{4}|[0-9]{4}|[0-9]{2}h[0-9]))?"
    r"|nanoserver(?:-(?:ltsc[0-9]{4}|[0-9]{4}|[0-9]{2}h[0-9]))?"
    rf"|{'|'.join(_DEBIAN + _UBUNTU)}"
    r")(?![a-z0-9])"
)
_NUMERIC_RE = re.compile(r"[0-9]+(?:\.[0-9]+)*")


def _numeric(version: str | None) -> tuple[int, ...] | None:
    if not version:
        return None
    m = _NUMERIC_RE.search(version)
    return tuple(int(p) for p in m.group(0).split(".")) if m else None


def _major(version: str | None) -> str | None:
    m = re.search(r"[0-9]+", version or "")
    return m.group(0) if m else None


def _major_minor(version: str | None) -> str | None:
    m = re.search(r"[0-9]+\.[0-9]+", version or "")
    return m.group(0) if m else None


def _suite_kind(suite: str | None) -> SuiteKind:
    if suite is None:
        return "none"
    if suite in _DEBIAN or suite.startswith("debian"):
        return "debian"
    if suite in _UBUNTU:
        return "ubuntu"
    if suite.startswith("alpine"):
        return "alpine"
    if suite.startswith(("windowsservercore", "nanoserver")):
        return "windows"
    if suite.startswith(("ubi", "al2")):
        return "rhel"
    return "other"


def _tag_version(family: FamilySpec, tag: str | None) -> str | None:
    if not tag:
        return None
    first = tag.split("-", 1)[0]
    low = first.lower()
    if low[:1].isdigit() or (low[:1] == "v" and low[1:2].isdigit()):
        return first
    if family.version_pattern is not None and family.version_pattern.fullmatch(low):
        return first
    return None


def _find_family(ref: Reference) -> tuple[FamilySpec, bool] | None:
    kb = _kb()
    for fam in kb.families:
        for img in fam.images:
            if img.registry == ref.registry and img.repository.fullmatch(ref.repository):
                return fam, False
    if ref.registry != "docker.io":
        for fam in kb.families:
            for img in fam.images:
                if img.mirror_pattern is not None and img.mirror_pattern.fullmatch(ref.repository):
                    return fam, True
    return None


@functools.lru_cache(maxsize=2048)
def _classify(reference: str) -> ImageInfo | None:
    ref = parse_reference(reference)
    if ref is None:
        return None
    found = _find_family(ref)
    if found is None:
        return None
    fam, mirror = found
    tag_lc = (ref.tag or "").lower()
    repo_leaf = ref.repository.rsplit("/", 1)[-1]
    variant = next(
        (
            v
            for v in fam.variants
            if not v.matches or any(m.hits(tag_lc, ref.repository) for m in v.matches)
        ),
        fam.variants[-1],
    )
    version = _tag_version(fam, ref.tag)
    if version is None and fam.version_in_repository is not None:
        m = fam.version_in_repository.search(ref.repository)
        version = m.group(1) if m else None
    suite_m = _SUITE_RE.search(tag_lc) or _SUITE_RE.search(repo_leaf)
    runtime_version: str | None = None
    if fam.runtime_version is not None:
        m = fam.runtime_version.search(tag_lc)
        runtime_version = m.group(1) if m else None
    default = fam.runtime_default
    assumed = (  # not for a digest: that image may be older than the recorded default
        default
        if runtime_version is None
        and default is not None
        and ref.digest is None
        and default.tag.fullmatch(tag_lc)
        else None
    )

    traits = variant.traits
    modifiers: list[str] = []
    notes: list[str] = [variant.note] if variant.note else []
    for mod in (*_kb().global_modifiers, *fam.modifiers):
        if mod.tag.search(tag_lc):
            traits = dataclasses.replace(traits, **dict(mod.changes))  # type: ignore[arg-type]
            modifiers.append(mod.id)
            if mod.note:
                notes.append(mod.note)

    return ImageInfo(
        reference=ref.text,
        name=ref.name,
        registry=ref.registry,
        repository=ref.repository,
        tag=ref.tag,
        digest=ref.digest,
        family=fam.id,
        family_name=fam.name,
        category=fam.category,
        variant=variant.id,
        variant_label=variant.label,
        kind=variant.kind,
        version=version,
        suite=suite_m.group(1) if suite_m else None,
        runtime_version=runtime_version,
        os=traits.os,
        libc=traits.libc,
        package_manager=traits.package_manager,
        shell=traits.shell,
        default_user=traits.default_user,
        default_uid=traits.default_uid,
        non_root=traits.non_root,
        builtin_user=traits.builtin_user,
        is_toolchain=traits.is_toolchain,
        is_full_language_base=traits.is_full_language_base,
        modifiers=tuple(modifiers),
        mirror=mirror,
        sizes=variant.sizes,
        notes=tuple(notes),
        runtime_default=assumed.version if assumed else None,
        runtime_default_basis=assumed.basis if assumed else None,
    )


def classify(reference: str) -> ImageInfo | None:
    """Recognise the image in a FROM line (after ARG substitution).

    ``node:20``, ``docker.io/library/python:3.12-slim-bookworm``,
    ``gcr.io/distroless/static-debian12:nonroot``, ``mcr.microsoft.com/dotnet/sdk:8.0``,
    ``golang``, ``node@sha256:…`` and ``scratch`` are all understood. Returns None for an
    unknown image, for anything that still contains ``$`` and for input that is not an
    image reference. Never raises on odd input.

    A path that looks like a Docker Hub official image on another registry
    (``localhost:5000/node:20``, ``public.ecr.aws/docker/library/node``) is classified
    as that image with ``mirror=True``.
    """
    if not isinstance(reference, str):
        return None
    return _classify(reference.strip())


# --------------------------------------------------------------------------- alternatives


def _placeholders(info: ImageInfo, fam: FamilySpec) -> dict[str, str | None]:
    return {
        "version": info.version,
        "tag_version": _tag_version(fam, info.tag),
        "major": info.major,
        "major_minor": info.major_minor,
        "suite": info.suite,
        "runtime_version": info.runtime_version or info.runtime_default,
    }


def _render(template: str, values: Mapping[str, str | None]) -> str | None:
    """Fill ``{name}`` / ``{name|default}``; None when a value is missing."""
    missing = False

    def fill(m: re.Match[str]) -> str:
        nonlocal missing
        value = values.get(m.group(1)) or m.group(2)
        if not value:
            missing = True
            return ""
        return value

    out = _PLACEHOLDER.sub(fill, template)
    return None if missing else out


def _render_tag(parts: Sequence[str], values: Mapping[str, str | None]) -> str | None:
    rendered: list[str] = []
    for part in parts:
        m = _PLACEHOLDER.fullmatch(part)
        if m is not None:
            value = values.get(m.group(1)) or m.group(2)
            if value:
                rendered.append(value)
            continue
        text = _render(part, values)
        if text is None:
            return None
        rendered.append(text)
    return "-".join(rendered)


def _allowed(when: _When, info: ImageInfo, values: Mapping[str, str | None]) -> bool:
    if any(not values.get(key) for key in when.requires):
        return False
    for key, allowed in when.values_in:
        value = values.get(key)
        if value is None or value.lower() not in allowed:
            return False
    if when.os_in is not None and info.os not in when.os_in:
        return False
    if when.suite_kind_in is not None and _suite_kind(info.suite) not in when.suite_kind_in:
        return False
    numeric = _numeric(info.version)
    # A floating tag (latest, lts, stable) points at the newest release.
    if when.version_min is not None and numeric is not None and numeric < when.version_min:
        return False
    return when.version_max is None or (numeric is not None and numeric <= when.version_max)


def _render_alternative(spec: AlternativeSpec, info: ImageInfo, fam: FamilySpec) -> str | None:
    values = _placeholders(info, fam)
    if not _allowed(spec.when, info, values):
        return None
    image = info.name.lower() if spec.image is None else _render(spec.image, values)
    if image is None:
        return None
    tag: str | None
    if spec.tag_sub is not None:
        if not info.tag:
            return None
        pattern, replacement = spec.tag_sub
        tag, count = pattern.compiled().subn(replacement, info.tag, count=1)
        if count == 0:
            return None
    elif spec.tag is not None:
        tag = _render_tag(spec.tag, values)
        if tag is None:
            return None
    else:
        tag = None
    return f"{image}:{tag}" if tag else image


def alternatives(info: ImageInfo) -> list[Alternative]:
    """Smaller images to consider instead of ``info``, best first.

    The version written in the tag is kept (``node:20.11-bookworm`` gives
    ``node:20.11-bookworm-slim`` and ``node:20.11-alpine``); a digest is dropped, since
    it would pin the old image. Suggestions whose tag cannot be built from what was
    written (for example a distroless Node image for ``node:lts``) are left out.
    """
    if not isinstance(info, ImageInfo):
        return []
    fam = _kb().by_id.get(info.family)
    variant = fam.variant(info.variant) if fam is not None else None
    if fam is None or variant is None:
        return []
    out: list[Alternative] = []
    seen = {info.reference.lower()}
    for spec in variant.alternatives:
        ref = _render_alternative(spec, info, fam)
        if ref is None or ref.lower() in seen:
            continue
        seen.add(ref.lower())
        out.append(
            Alternative(reference=ref, kind=spec.kind, caveat=spec.caveat, info=classify(ref))
        )
    return out


# --------------------------------------------------------------------------- notes, listing


def family_notes(family: str) -> FamilyNotes | None:
    """Hover text for a family id (``"node"``, ``"distroless"``…); None if unknown."""
    if not isinstance(family, str):
        return None
    fam = _kb().by_id.get(family.strip().lower())
    if fam is None:
        return None
    return FamilyNotes(family=fam.id, name=fam.name, bullets=fam.notes, sources=fam.sources)


def families() -> tuple[FamilySpec, ...]:
    """Every family the knowledge base describes, in data-file order."""
    return _kb().families


# --------------------------------------------------------------------------- packages

_PIN_RE = re.compile(r"^([^=<>~:]+?)(?:[=<>~].*|:[a-z0-9]+)?$")
_RPM_ARCH_RE = re.compile(r"\.(?:x86_64|aarch64|noarch|i686|ppc64le|s390x)$")


def package_kind(name: str, manager: str | None = None) -> PackageKind:
    """Whether an OS package is build tooling/headers ("build"), a known runtime piece, or unknown.

    ``manager`` is the command that installs it (``apt-get``, ``apk``, ``dnf``…); version
    pins (``gcc=4:12.2``, ``musl-dev~1.2``), architecture qualifiers (``libpq-dev:amd64``,
    ``gcc.x86_64``) and quotes are ignored. Never raises.
    """
    if not isinstance(name, str):
        return "unknown"
    text = name.strip().strip("\"'").lower()
    if not text or text.startswith("-") or text.startswith("."):
        return "unknown"
    if text in ("$phpize_deps", "${phpize_deps}"):
        return "build"
    if "$" in text:
        return "unknown"
    m = _PIN_RE.match(text)
    base = _RPM_ARCH_RE.sub("", m.group(1) if m else text)
    if not base:
        return "unknown"
    pk = _kb().packages
    group = pk.managers.get(manager.strip().lower(), None) if isinstance(manager, str) else None
    groups = ("any", group) if group else ("any", "apt", "apk", "rpm")
    if any(base in pk.build_names[g] for g in groups):
        return "build"
    if base in pk.runtime_names:
        return "runtime"
    if any(p.search(base) for p in pk.build_patterns):
        return "build"
    if any(p.search(base) for p in pk.runtime_patterns):
        return "runtime"
    return "unknown"


def is_build_package(name: str, manager: str | None = None) -> bool:
    """True for compilers, build systems and development headers (gcc, make, libpq-dev…)."""
    return package_kind(name, manager) == "build"
