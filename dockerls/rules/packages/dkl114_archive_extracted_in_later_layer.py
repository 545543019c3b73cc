"""DKL114 archive-extracted-in-later-layer: An archive is brought in by one layer and extracted in a
later one.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockerls.findings import Related
from dockerls.rules.doc_links import BEST_PRACTICES, DOCKERFILE_REFERENCE
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.packages.artifacts import Artifact, copied, downloaded, extracted_archives
from dockerls.rules.packages.run_view import Run
from dockerls.rules.packages.stage_walk import walk
from dockerls.syntax import Severity


@rule(
    "DKL114",
    "archive-extracted-in-later-layer",
    Category.BLOAT,
    Severity.WARNING,
    summary="An archive is brought in by one layer and extracted in a later one.",
    hadolint=("DL3010",),
    docs=RuleDocs(
        what="In the stages that ship, `tar -x`, `unzip` or `gunzip` of an archive that an "
        "earlier instruction put in the image: a COPY of a local archive, an ADD of a "
        "URL or of a .zip (ADD does not extract those), or a `curl`/`wget` download in an "
        "earlier RUN.",
        why="The archive stays in the layer that brought it in, even if the extracting "
        "RUN deletes it afterwards: the image carries both the archive and its contents.",
        example="COPY vendor.tar.gz /tmp/\nRUN tar -xzf /tmp/vendor.tar.gz -C /opt && "
        "rm /tmp/vendor.tar.gz",
        instead="ADD vendor.tar.gz /opt/   # a local tar archive is extracted by ADD\n"
        "# or download, extract and delete in one RUN:\n"
        "RUN curl -fsSL https://example.com/v.tgz | tar -xz -C /opt",
        fix_safety="No automatic fix: use ADD for a local tar archive, or fetch and "
        "extract in the same RUN (or in a builder stage).",
        references=(DOCKERFILE_REFERENCE + "#add", BEST_PRACTICES + "#add-or-copy"),
    ),
)
def archive_extracted_in_later_layer(ctx: RuleContext) -> Iterator[Hit]:
    archives: dict[str, Artifact] = {}
    for at in walk(ctx, shipping=True):
        if at.ins.name in ("COPY", "ADD"):
            archives.update((a.path, a) for a in copied(at) if a.archive)
            continue
        if at.ins.name != "RUN":
            continue
        run = Run.of(ctx, at)
        for i in range(len(run.programs)):
            for path in extracted_archives(run, i):
                archive = archives.get(path)
                if archive is None or not at.sees(archive.onbuild):
                    continue
                del archives[path]
                word = run.commands[i].argv[0]
                yield Hit(
                    word.span,
                    f"`{word.text}` extracts {posixpath.basename(path)}, {archive.how}: the "
                    f"archive stays in that layer next to what is extracted here.",
                    related=(Related(archive.origin, archive.how),),
                )
        for i in range(len(run.programs)):
            archives.update((a.path, a) for a in downloaded(run, i) if a.archive)
