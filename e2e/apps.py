"""The fixture applications under ``e2e/fixtures/`` and the variants dockerls makes of them.

Each fixture folder holds an application, its single-stage ``Dockerfile`` and a
``fixture.toml`` (format: e2e/README.md). The variants of one fixture, each built and run by
test_builds.py:

- ``original``: the Dockerfile as written (a ``# syntax=`` line blanked: no Docker Hub here);
- ``split-<kind>``: one per runtime the split offers (``dockerls fix --split --runtime <kind>``;
  kinds: slim, alpine, distroless, scratch);
- ``fix-all``: ``dockerls fix``;
- ``reorder``: ``dockerls fix --reorder`` (manifests first), with the cache check.

``[known_failures]`` keys name a variant (``split-slim``, also written ``split:slim``) or every
variant of a kind (``split``); the value is the reason.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dockerls.actions.offers import plan_split, runtime_kind
from dockerls.analysis import analyze
from dockerls.context_io import read_build_context
from dockerls.edits import apply_edits
from e2e.buildkit_oracle import bases, prepare

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Smoke:
    kind: str  # "http" or "output"
    port: int
    path: str = "/"
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Split:
    """One split dockerls offers: its variant name, runtime image and resulting text."""

    variant: str
    runtime: str
    kind: str
    text: str
    notes: tuple[str, ...]
    by_cli: bool  # the CLI's --runtime <kind> picks this one (the first of its kind)


@dataclass(frozen=True)
class App:
    name: str
    root: Path
    description: str
    smoke: Smoke
    split: bool
    reorder: bool
    install_step: str | None
    edit: str | None
    known_failures: dict[str, str] = field(default_factory=dict)
    # shell glob patterns of files the original ships and no split may (development gems)
    only_in_original: tuple[str, ...] = ()

    @property
    def dockerfile(self) -> Path:
        return self.root / "Dockerfile"

    def text(self) -> str:
        """The Dockerfile as the engine here can build it (``# syntax=`` blanked)."""
        return prepare(self.dockerfile.read_text(encoding="utf-8"))

    def known_failure(self, variant: str) -> str | None:
        kind = variant.split("-", 1)[0]
        return self.known_failures.get(variant) or self.known_failures.get(kind)

    def splits(self) -> list[Split] | str:
        """Every split dockerls offers for this Dockerfile, or why none is offered."""
        text = self.text()
        analysis = analyze(text, None, read_build_context(self.dockerfile))
        stages = analysis.document.stages
        if not stages:
            return "there is no FROM"
        planned = plan_split(analysis, stages[-1], read_build_context(self.dockerfile))
        if isinstance(planned, str):
            return planned
        found: list[Split] = []
        for split in planned:
            kind = runtime_kind(split.runtime_image)
            first = all(s.kind != kind for s in found)
            variant = f"split-{kind}" if first else f"split-{kind}-{len(found)}"
            after = apply_edits(text, split.edits)
            found.append(Split(variant, split.runtime_image, kind, after, split.warnings, first))
        return found


def load(root: Path) -> App:
    data = tomllib.loads((root / "fixture.toml").read_text(encoding="utf-8"))
    smoke = data.get("smoke", {})
    expect = data.get("expect", {})
    return App(
        name=root.name,
        root=root,
        description=str(data.get("description", "")),
        smoke=Smoke(
            kind=str(smoke.get("kind", "http")),
            port=int(smoke.get("port", 8080)),
            path=str(smoke.get("path", "/")),
            args=tuple(str(a) for a in smoke.get("args", ())),
        ),
        split=bool(expect.get("split", False)),
        reorder=bool(expect.get("reorder", False)),
        install_step=expect.get("install_step"),
        edit=expect.get("edit"),
        known_failures={
            str(k).replace(":", "-"): str(v) for k, v in data.get("known_failures", {}).items()
        },
        only_in_original=tuple(str(p) for p in expect.get("only_in_original", ())),
    )


def apps(root: Path = FIXTURES) -> list[App]:
    """Every fixture with a ``fixture.toml``, by name."""
    return [load(d) for d in sorted(root.iterdir()) if (d / "fixture.toml").is_file()]


def images(text: str) -> set[str]:
    """The images a build of ``text`` pulls (FROM and ``COPY --from``), ``scratch`` left out."""
    return set(bases(text).images)


def needed_images(found: list[App]) -> set[str]:
    """Every image the originals and their offered splits name."""
    wanted: set[str] = set()
    for app in found:
        wanted |= images(app.text())
        splits = app.splits()
        if not isinstance(splits, str):
            for split in splits:
                wanted |= images(split.text)
    return wanted
