"""Base-image hover: the family's variants side by side, then the trade-offs that
matter for the image under the cursor.

Every fact comes from the knowledge base (``dockerls.knowledge.images``): traits,
sizes with their date and architecture, family notes, variant notes and the
caveats of smaller alternatives. The few generic reminders below cover what the
knowledge base states only for some families; they are listed in the hover
module's report as candidates to move into ``images.json``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from dockerls.hover.render import bullets, code, escape, table
from dockerls.knowledge.images import (
    Alternative,
    FamilySpec,
    ImageInfo,
    Size,
    SizeKind,
    Traits,
    alternatives,
    classify,
    families,
    family_notes,
    parse_reference,
)
from dockerls.wording import megabytes

__all__ = ["image_markdown"]

# Reminders the knowledge base does not yet state for every family it applies to.
MUSL_DNS = (
    "musl resolves DNS differently from glibc: before musl 1.2.4 (Alpine 3.18) large "
    "answers had no TCP fallback, and search domains are not tried the glibc way for "
    "names with several dots (Kubernetes `ndots:5`)."
)
NO_SHELL = (
    "No shell in this image: `CMD`/`ENTRYPOINT` must use the exec (JSON) form and "
    "`RUN` cannot run in a stage built on it."
)

# Order of the rows: the big default first, smaller flavours after, empty last.
_RANK = {
    "full": 0,
    "sdk": 0,
    "os": 0,
    "server": 0,
    "app": 0,
    "windows": 0,
    "jre": 1,
    "runtime": 1,
    "slim": 2,
    "minimal": 3,
    "alpine": 4,
    "distroless": 5,
    "static": 6,
    "scratch": 7,
}
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True, slots=True)
class _Row:
    name: str  # Markdown for the first cell
    current: bool
    traits: Traits | ImageInfo | None
    sizes: tuple[Size, ...]
    rank: int


@functools.cache
def _families() -> dict[str, FamilySpec]:
    return {f.id: f for f in families()}


def _anchor(info: ImageInfo) -> tuple[ImageInfo, list[Alternative]]:
    """The image whose alternatives describe the family around ``info``."""
    alts = alternatives(info)
    if alts:
        return info, alts
    for tag in (info.version, None):
        ref = f"{info.name}:{tag}" if tag else info.name
        other = classify(ref)
        if other is not None and other.family == info.family and other.variant != info.variant:
            return other, alternatives(other)
    return info, []


def _rows(info: ImageInfo) -> list[_Row]:
    anchor, alts = _anchor(info)
    fam = _families().get(info.family)
    rows: list[_Row] = []
    by_variant: dict[str, ImageInfo] = {anchor.variant: anchor}
    for alt in alts:
        if alt.info is not None and alt.info.family == info.family:
            by_variant.setdefault(alt.info.variant, alt.info)
    by_variant[info.variant] = info
    if fam is not None:
        kinds = [v.kind for v in fam.variants]
        for i, spec in enumerate(fam.variants):
            current = spec.id == info.variant
            catch_all = i == len(fam.variants) - 1 and not spec.matches
            if not current:
                windows = spec.kind == "windows" or spec.traits.os == "windows"
                if windows and info.os != "windows":
                    continue
                if catch_all and kinds.count(spec.kind) > 1:
                    continue
            known = by_variant.get(spec.id)
            if known is not None:
                name = code(known.reference)
                traits: Traits | ImageInfo = known
                sizes = known.sizes or spec.sizes
            else:
                name = escape(spec.label)
                traits = spec.traits
                sizes = spec.sizes
            rows.append(_Row(name, current, traits, sizes, _RANK.get(spec.kind, 3)))
    else:
        rows.append(_Row(code(info.reference), True, info, info.sizes, _RANK.get(info.kind, 3)))
    for alt in alts:
        if alt.info is not None and alt.info.family == info.family:
            continue
        sizes = alt.info.sizes if alt.info is not None else ()
        rows.append(_Row(code(alt.reference), False, alt.info, sizes, _RANK.get(alt.kind, 5)))
    rows.sort(key=lambda r: r.rank)
    return rows


def _size_kind(rows: Sequence[_Row]) -> SizeKind:
    """Uncompressed, the unit `docker images` prints (and every other size dockerls shows),
    whenever a row has it; a row with only a pull size is footnoted as such."""
    on_disk = any(s.kind == "uncompressed" for r in rows for s in r.sizes)
    return "uncompressed" if on_disk else "compressed"


def _pick(sizes: Sequence[Size], kind: SizeKind) -> Size | None:
    return next((s for s in sizes if s.kind == kind), None) or next(iter(sizes), None)


def _amount(size: Size) -> str:
    mb = size.mb
    if mb == 0:
        return "0 MB"
    if mb >= 1000:
        return f"~{mb / 1000:.2g} GB" if mb < 10000 else f"~{mb / 1000:.0f} GB"
    return f"~{megabytes(mb)} MB"


_Key = tuple[str, str, str, bool, str]


def _label(size: Size) -> _Key:
    return (size.kind, size.arch, size.as_of, size.approx, size.source)


def _footnote(key: _Key, sizes: list[Size]) -> str:
    kind, arch, as_of, approx, _ = key
    what = "compressed pull size" if kind == "compressed" else "size on disk"
    measured = ", ".join(dict.fromkeys(s.measured for s in sizes))
    text = f"{what}, {arch}, {as_of}; measured on {measured}"
    if approx:
        bases = "; ".join(dict.fromkeys(s.basis for s in sizes if s.basis))
        text += f" (approximate{': ' + bases if bases else ''})"
    return f"{text}. Source: {sizes[0].citation.split(' (')[0]}."


def _yes_no(value: bool | None) -> str:
    return "?" if value is None else ("yes" if value else "no")


def _user(t: Traits | ImageInfo) -> str:
    user = t.default_user
    if t.default_uid is not None and not user.isdigit() and t.default_uid != 0:
        user = f"{user} ({t.default_uid})"
    text = escape(user)
    if t.builtin_user and t.builtin_user != t.default_user:
        text += f", {code(t.builtin_user)} available"
    return text


def _libc(t: Traits | ImageInfo) -> str:
    return {"none": "none (static)", "windows": "Windows"}.get(t.libc, t.libc)


def variant_table(info: ImageInfo) -> str:
    rows = _rows(info)
    kind = _size_kind(rows)
    notes: dict[_Key, list[Size]] = {}
    body: list[list[str]] = []
    for row in rows:
        size = _pick(row.sizes, kind)
        if size is None:
            size_cell = "—"
        else:
            key = _label(size)
            notes.setdefault(key, []).append(size)
            mark = _SUPERSCRIPTS[min(list(notes).index(key), len(_SUPERSCRIPTS) - 1)]
            size_cell = f"{_amount(size)}{mark}"
        name = f"**{row.name}** (this)" if row.current else row.name
        t = row.traits
        if t is None:
            body.append([name, size_cell, "?", "?", "?", "?"])
        else:
            body.append([name, size_cell, _libc(t), _yes_no(t.shell), t.package_manager, _user(t)])
    header = ["Variant", "Size", "libc", "Shell", "Packages", "Default user"]
    parts = [table(header, body)]
    if notes:
        lines = [
            f"{_SUPERSCRIPTS[min(i, len(_SUPERSCRIPTS) - 1)]} {escape(_footnote(key, sizes))}"
            for i, (key, sizes) in enumerate(notes.items())
        ]
        parts.append("  \n".join(lines))
    return "\n\n".join(parts)


def _advice(info: ImageInfo) -> list[str]:
    """The trade-offs for this image: its own caveats first, then its family's."""
    items: list[str] = [escape(n) for n in info.notes]
    notes = family_notes(info.family)
    if notes is not None:
        items.extend(escape(b) for b in notes.bullets)
    text = " ".join(items).lower()
    if info.libc == "musl" and "dns" not in text:
        items.append(MUSL_DNS)
    if info.shell is False and "no shell" not in text:
        items.append(NO_SHELL)
    return items


def _options(info: ImageInfo) -> list[str]:
    """Smaller images, with what changes, and the key caveats of foreign families."""
    out: list[str] = []
    foreign: list[str] = []
    for alt in alternatives(info):
        out.append(f"{code(alt.reference)}: {escape(alt.caveat)}")
        fam = alt.info.family if alt.info is not None else None
        if fam is not None and fam != info.family and fam not in foreign:
            foreign.append(fam)
    for fam in foreign:
        notes = family_notes(fam)
        if notes is not None:
            out.extend(f"{escape(notes.name)}: {escape(b)}" for b in notes.bullets[:2])
    musl = any(a.info is not None and a.info.libc == "musl" for a in alternatives(info))
    if musl and info.libc != "musl" and "dns" not in " ".join(out).lower():
        out.append(f"Alpine (musl): {MUSL_DNS}")
    return out


def _unknown(reference: str) -> str:
    parts = [f"**{code(reference)}**: no facts about this image in the dockerls knowledge base."]
    ref = parse_reference(reference)
    if ref is not None:
        rows = [
            ["Registry", code(ref.registry)],
            ["Repository", code(ref.repository)],
            ["Tag", code(ref.tag) if ref.tag else "none (`latest` is implied)"],
        ]
        if ref.digest:
            rows.append(["Digest", code(ref.digest)])
        parts.append(table(["Part", "Value"], rows))
    return "\n\n".join(parts)


def image_markdown(reference: str, context: str = "") -> str:
    """Hover text for an image reference (variables already expanded).

    ``context`` is a Markdown sentence about where the image is used (the stage
    ships or not, a ``COPY --from`` source…), shown under the title.
    """
    info = classify(reference)
    if info is None:
        text = _unknown(reference)
        return f"{text}\n\n{context}" if context else text
    title = f"### {code(info.reference)}: {escape(info.family_name)}, {escape(info.variant_label)}"
    parts = [title]
    if info.mirror:
        parts.append(f"Recognised as the {escape(info.family_name)} image on another registry.")
    if context:
        parts.append(context)
    parts.append(variant_table(info))
    advice = _advice(info)
    if advice:
        parts.append("**Trade-offs for this image**\n\n" + bullets(advice))
    options = _options(info)
    if options:
        parts.append("**Smaller options**\n\n" + bullets(options))
    return "\n\n".join(parts)
