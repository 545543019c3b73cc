"""The size facts (``knowledge/sizes.json.gz``), loaded lazily and queried purely.

The file is written by ``scripts/build_size_data.py`` at data-build time (see
``docs/size.md``); nothing here touches the network. It is read on the first query and
kept for the life of the process, so importing this module costs nothing.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import cast

__all__ = ["AptRelease", "Registry", "SizeData", "load", "normalized"]

KIB = 1024


@dataclass(frozen=True, slots=True)
class AptRelease:
    """One Debian release's package facts."""

    name: str
    index_date: str
    lists_bytes: Mapping[str, int]  # "compressed", "uncompressed"
    packages: Mapping[str, tuple[int, tuple[str, ...], tuple[str, ...]]]  # KiB, deps, recs
    provides: Mapping[str, tuple[str, ...]]  # virtual -> providers, apt's first choice first
    sets: Mapping[str, frozenset[str]]
    set_sources: Mapping[str, str]

    def real(self, name: str) -> str | None:
        """The package itself or the provider of a virtual one; None when unknown."""
        if name in self.packages:
            return name
        providers = self.provides.get(name)
        return providers[0] if providers else None

    def candidates(self, group: str) -> list[str]:
        """Every package that satisfies a dependency group (``a | b``, virtual ones too)."""
        found: list[str] = []
        for alternative in group.split("|"):
            if alternative in self.packages:
                found.append(alternative)
            else:
                found.extend(self.provides.get(alternative, ()))
        return found

    def installed_bytes(self, name: str) -> int:
        entry = self.packages.get(name)
        return entry[0] * KIB if entry is not None else 0

    def closure(self, seeds: Iterable[str], *, recommends: bool, have: frozenset[str]) -> set[str]:
        """What installing ``seeds`` adds to a system holding ``have`` (apt's choice of the
        first alternative unless another one is present)."""
        added: set[str] = set()
        todo = [r for r in (self.real(s) for s in seeds) if r is not None and r not in have]
        while todo:
            name = todo.pop()
            if name in added or name in have:
                continue
            added.add(name)
            _, depends, recs = self.packages[name]
            for group in (*depends, *recs) if recommends else depends:
                chosen = self._choose(group, have, added)
                if chosen is not None and chosen not in added and chosen not in have:
                    todo.append(chosen)
        return added

    def _choose(self, group: str, have: frozenset[str], added: set[str]) -> str | None:
        present = next((o for o in self.candidates(group) if o in have or o in added), None)
        if present is not None:
            return present
        return next((r for r in (self.real(a) for a in group.split("|")) if r is not None), None)


@dataclass(frozen=True, slots=True)
class Registry:
    """Language packages' sizes from one registry (PyPI wheels, npm tarballs)."""

    date: str
    source: str
    unpack_factor: float
    typical_bytes: int  # the median archive size: what an unknown package is taken to weigh
    archives: Mapping[str, int]  # name -> archive bytes (wheel or tarball)
    metadata: Mapping[str, int] = field(default_factory=dict)  # npm: name -> packument bytes
    typical_metadata: int = 0
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # PyPI

    def archive(self, name: str) -> int | None:
        return self.archives.get(normalized(name))

    def closure(self, names: Iterable[str]) -> tuple[list[str], list[str]]:
        """``names`` and what they require, transitively (PyPI); and the packages among them
        whose requirements the data does not know."""
        order: list[str] = []
        unknown: list[str] = []
        todo = [normalized(n) for n in names]
        while todo:
            name = todo.pop(0)
            if name in order:
                continue
            order.append(name)
            if name not in self.requires:
                unknown.append(name)
                continue
            todo.extend(r for r in self.requires[name] if r not in order)
        return order, unknown


def normalized(name: str) -> str:
    """A package name as its registry compares them (PyPI: ``Foo_Bar`` is ``foo-bar``)."""
    return re.sub(r"[-_.]+", "-", name).lower() if "/" not in name else name.lower()


@dataclass(frozen=True, slots=True)
class SizeData:
    generated: str
    arch: str
    apt: Mapping[str, AptRelease]
    pypi: Registry
    npm: Registry


def _release(name: str, raw: Mapping[str, object]) -> AptRelease:
    packages = cast("Mapping[str, list[object]]", raw["packages"])
    sets = cast("Mapping[str, Mapping[str, object]]", raw["sets"])
    return AptRelease(
        name=name,
        index_date=str(raw["index_date"]),
        lists_bytes=cast("Mapping[str, int]", raw["lists_bytes"]),
        packages={
            n: (
                int(cast(int, e[0])),
                tuple(cast("list[str]", e[1])),
                tuple(cast("list[str]", e[2])),
            )
            for n, e in packages.items()
        },
        provides={v: tuple(p) for v, p in cast("Mapping[str, list[str]]", raw["provides"]).items()},
        sets={k: frozenset(cast("list[str]", v["packages"])) for k, v in sets.items()},
        set_sources={k: str(v["source"]) for k, v in sets.items()},
    )


def _registry(raw: Mapping[str, object], size_key: str, typical_key: str) -> Registry:
    packages = cast("Mapping[str, Mapping[str, int]]", raw["packages"])
    return Registry(
        date=str(raw["date"]),
        source=str(raw["source"]),
        unpack_factor=float(cast(float, raw["unpack_factor"])),
        typical_bytes=int(cast(int, raw[typical_key])),
        archives={normalized(n): int(p[size_key]) for n, p in packages.items() if size_key in p},
        metadata={
            n.lower(): int(p["packument_bytes"])
            for n, p in packages.items()
            if "packument_bytes" in p
        },
        typical_metadata=int(cast(int, raw.get("typical_packument_bytes", 0))),
        requires={
            normalized(n): tuple(cast("list[str]", p["requires"]))
            for n, p in cast("Mapping[str, Mapping[str, object]]", packages).items()
            if "requires" in p
        },
    )


def parse(raw: Mapping[str, object]) -> SizeData:
    """The facts from the decoded JSON (a schema mismatch raises KeyError/TypeError)."""
    apt = cast("Mapping[str, Mapping[str, object]]", raw["apt"])
    return SizeData(
        generated=str(raw["generated"]),
        arch=str(raw["arch"]),
        apt={name: _release(name, r) for name, r in apt.items()},
        pypi=_registry(
            cast("Mapping[str, object]", raw["pypi"]), "wheel_bytes", "typical_wheel_bytes"
        ),
        npm=_registry(
            cast("Mapping[str, object]", raw["npm"]), "packed_bytes", "typical_packed_bytes"
        ),
    )


def raw_data() -> Mapping[str, object]:
    blob = resources.files("dockerls.knowledge").joinpath("sizes.json.gz").read_bytes()
    return cast("Mapping[str, object]", json.loads(gzip.decompress(blob)))


@functools.cache
def load() -> SizeData:
    """The shipped facts, read on first use."""
    return parse(raw_data())
