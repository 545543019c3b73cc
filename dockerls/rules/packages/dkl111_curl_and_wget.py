"""DKL111 curl-and-wget: The image uses both curl and wget."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Related
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.packages.stage_walk import walk
from dockerls.rules.text_layout import line_no
from dockerls.shell import Word
from dockerls.syntax import Severity

_WITH_CURL_AND_WGET = frozenset({"node", "python", "ruby", "golang", "rust", "buildpack-deps"})


def _ships_both_downloaders(ctx: RuleContext) -> bool:
    """The final image's base already has both tools (buildpack-deps based full images),
    or its wget is the busybox applet (Alpine, busybox)."""
    final = ctx.graph.final
    info = ctx.image(final) if final is not None else None
    if info is None:
        return False
    if info.package_manager == "apk" or info.family == "busybox":
        return True
    return info.kind == "full" and info.family in _WITH_CURL_AND_WGET


@rule(
    "DKL111",
    "curl-and-wget",
    Category.BLOAT,
    Severity.INFORMATION,
    summary="The image uses both curl and wget.",
    hadolint=("DL4001",),
    docs=RuleDocs(
        what="Both `curl` and `wget` run in the stages that ship (RUN and HEALTHCHECK). "
        "Not reported when the final image's base already carries both (the full "
        "buildpack-deps based node, python, ruby, golang and rust images) or when wget is "
        "busybox's built-in applet (Alpine, busybox).",
        why="Each tool and its libraries must be installed to be used; one of them does the "
        "job of both, so the other is dead weight (and one more thing to patch).",
        example="RUN curl -fsSLO https://example.com/a.tgz\nHEALTHCHECK CMD wget -q -O- "
        "http://localhost/health",
        instead="HEALTHCHECK CMD curl -fsS http://localhost/health",
        fix_safety="No automatic fix: pick one tool and rewrite the other's invocations.",
        references=("https://github.com/hadolint/hadolint/wiki/DL4001",),
    ),
)
def curl_and_wget(ctx: RuleContext) -> Iterator[Hit]:
    first: dict[str, Word] = {}
    for at in walk(ctx, shipping=True):
        if at.ins.name not in ("RUN", "HEALTHCHECK"):
            continue
        for cmd in ctx.script(at.ins).commands:
            if cmd.name in ("curl", "wget") and cmd.name not in first:
                first[cmd.name] = cmd.argv[0]
    if len(first) < 2 or _ships_both_downloaders(ctx):
        return
    earlier, later = sorted(first.values(), key=lambda w: w.span.start)
    yield Hit(
        later.span,
        f"The image uses both curl and wget (`{earlier.text}` on line {line_no(earlier.span)}); "
        f"one of them is enough.",
        related=(Related(earlier.span, f"{earlier.text} is used here"),),
    )
