"""What a planner makes and the split offers: the runtime stages a planner fills
(``Runtime``), its insertions into the builder (``Builder``), and the offered rewrite
(``SplitAction``). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from dockerls.findings import Fix, TextEdit
from dockerls.knowledge.images import ImageInfo


@dataclass(frozen=True, slots=True)
class SplitAction:
    """One offered rewrite: apply ``edits`` together."""

    title: str
    edits: tuple[TextEdit, ...]
    ecosystem: str  # "node", "go", "python", "java", "rust", "generic"
    runtime_image: str
    size_before_mb: float | None
    size_after_mb: float | None
    warnings: tuple[str, ...] = ()

    @property
    def fix(self) -> Fix:
        """The rewrite as a ``Fix``: never safe (what the app reads at run time is unknown)."""
        return Fix(self.title, self.edits, safe=False)


@dataclass(slots=True)
class Runtime:
    """What one runtime stage receives (besides the copied and moved instructions)."""

    image: str
    kind: str
    label: str  # the title's suffix after the image: " — musl"
    info: ImageInfo | None
    generated: list[str] = field(default_factory=list)  # lines after ARG/ENV/WORKDIR
    user: str | None = None  # USER added when the original had none
    deps_image: str | None = None  # a production-dependencies stage before the runtime
    deps_lines: list[str] = field(default_factory=list)  # its lines after ARG/ENV/WORKDIR
    packages: list[tuple[str, str]] = field(default_factory=list)  # (manager, name) to install
    drop_words: int = 0  # CMD ["node", x] becomes CMD [x]: the image's entrypoint runs node
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Builder:
    """Insertions into the builder's lines: (line, column, text); ``workdir``: a WORKDIR
    the split adds to every stage, right after FROM (the original had none);
    ``build_only``: OS packages the planner knows only the build needs (Node for asset
    builds), which the runtime does not install."""

    inserts: list[tuple[int, int, str]] = field(default_factory=list)
    workdir: str | None = None
    build_only: frozenset[str] = frozenset()
