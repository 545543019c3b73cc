"""DKL109 cleanup-in-later-layer: A later RUN deletes what an earlier layer added: the image does
not shrink.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Related
from dockerls.rules.doc_links import BEST_PRACTICES, IMAGE_LAYERS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.package_managers import Cache, package_name
from dockerls.rules.packages.artifacts import Artifact, copied, downloaded, extracted_archives
from dockerls.rules.packages.package_changes import package_changes
from dockerls.rules.packages.paths import removes
from dockerls.rules.packages.program_names import quoted
from dockerls.rules.packages.run_view import Run
from dockerls.rules.packages.stage_walk import walk
from dockerls.rules.text_layout import line_no
from dockerls.shell import Word
from dockerls.syntax import Severity, Span


@rule(
    "DKL109",
    "cleanup-in-later-layer",
    Category.BLOAT,
    Severity.WARNING,
    summary="A later RUN deletes what an earlier layer added: the image does not shrink.",
    docs=RuleDocs(
        what="In the stages that ship, a RUN that removes something an earlier instruction "
        "put in the image: a package-manager cache or list left by an earlier RUN (apt "
        "lists, /var/cache/apk, pip, uv, npm, yarn, yum/dnf/zypper, Go, Poetry… caches: "
        "`rm -rf`, `apt-get dist-clean`, `yum clean all`, `npm cache clean`, `pip cache "
        "purge`…), packages installed by an earlier RUN (`apt-get purge`, `apk del`, "
        "`dnf remove`), or a directory, archive, package file or download brought in by "
        "an earlier COPY, ADD or `curl`/`wget`.",
        why="Each instruction adds a layer, and a layer can only add or hide files. "
        "Deleting in a later layer marks the files as gone, but their bytes stay in the "
        "earlier layer and are still downloaded and stored with the image. Only cleanup "
        "in the same RUN that created the files reduces the size.",
        example="RUN apt-get update && apt-get install -y --no-install-recommends g++\n"
        "RUN make && apt-get purge -y g++ && rm -rf /var/lib/apt/lists/*",
        instead="RUN apt-get update && apt-get install -y --no-install-recommends g++ \\\n"
        "    && make && apt-get purge -y g++ && rm -rf /var/lib/apt/lists/*",
        fix_safety="No automatic fix: merging the RUNs changes what is cached and is a "
        "choice to make by hand. For build-only tools, a builder stage is usually better.",
        references=(IMAGE_LAYERS, BEST_PRACTICES),
    ),
)
def cleanup_in_later_layer(ctx: RuleContext) -> Iterator[Hit]:
    # What earlier instructions left, with the word that did it and whether it is a trigger.
    caches: dict[Cache, tuple[Word, bool]] = {}
    installed: dict[tuple[str, str], tuple[Word, bool]] = {}  # by (family, package)
    artifacts: dict[str, Artifact] = {}  # bulky paths from earlier instructions
    for at in walk(ctx, shipping=True):
        if at.ins.name in ("COPY", "ADD"):
            artifacts.update((a.path, a) for a in copied(at))
            continue
        if at.ins.name != "RUN":
            continue
        run = Run.of(ctx, at)
        if not run.commands:
            continue
        produced: dict[Cache, tuple[int, Word]] = {}
        installs: dict[tuple[str, str], tuple[Word, bool]] = {}
        downloads: dict[str, Artifact] = {}
        extracted = {p for i in range(len(run.programs)) for p in extracted_archives(run, i)}
        for i, (prog, view) in enumerate(run.programs):
            cmd = run.commands[i]
            for place, (origin, onbuild) in list(caches.items()):
                if place in produced or not at.sees(onbuild):
                    continue
                if run.hides(place, i) or not run.empties(i, place):
                    continue
                del caches[place]
                yield _later_hit(
                    cmd.argv[0],
                    f"`{cmd.argv[0].text}` removes {place.label}, filled",
                    origin,
                    "filled here",
                )
            changes = package_changes(prog, view)
            if changes is not None:
                family, install, words = changes
                keys = [(family, package_name(w.text)) for w in words]
                if install:
                    installs.update((k, (w, at.onbuild)) for k, w in zip(keys, words, strict=True))
                earlier = [
                    k
                    for k in keys
                    if not install and k in installed and k not in installs
                    if at.sees(installed[k][1])
                ]
                if earlier:
                    sub = view.subcommand() or cmd.argv[0]
                    names = ", ".join(name for _, name in earlier)
                    yield _later_hit(
                        sub,
                        f"`{quoted(cmd, sub)}` removes {names}, installed",
                        installed[earlier[0]][0],
                        "installed here",
                    )
                    for key in earlier:
                        del installed[key]
            for pattern in run.removed(i):
                hit = next(
                    (
                        art
                        for path, art in artifacts.items()
                        if at.sees(art.onbuild)
                        and removes(pattern, path, art.directory)
                        and not (art.archive and path in extracted)
                    ),
                    None,
                )
                if hit is None:
                    continue
                artifacts = {p: a for p, a in artifacts.items() if a.origin != hit.origin}
                yield _later_hit(
                    cmd.argv[0],
                    f"`{cmd.argv[0].text}` removes {pattern}, brought in",
                    hit.origin,
                    hit.how,
                )
            for found in run.leftovers(i):
                produced.setdefault(found.place, (i, found.word))
            downloads.update((a.path, a) for a in downloaded(run, i))
        for place, (_, onbuild) in list(caches.items()):
            if (
                at.sees(onbuild)
                and not run.hides(place, 0)
                and any(run.empties(i, place) for i in range(len(run.programs)))
            ):
                del caches[place]
        for place, (index, word) in produced.items():
            if run.left(index, place):
                caches[place] = (word, at.onbuild)
        installed.update(installs)
        artifacts.update(downloads)


def _later_hit(word: Word, what: str, origin: Word | Span, how: str) -> Hit:
    """``what`` reads "`rm` removes /x, brought in" and is completed with where."""
    span = origin.span if isinstance(origin, Word) else origin
    return Hit(
        word.span,
        f"{what} by an earlier layer (line {line_no(span)}): the bytes stay in that layer, so "
        f"the image does not get smaller. Remove them in the instruction that added them.",
        related=(Related(span, how),),
    )
