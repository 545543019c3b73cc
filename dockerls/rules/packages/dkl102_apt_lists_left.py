"""DKL102 apt-lists-left: A RUN that installs apt packages leaves the package lists in its layer."""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix
from dockerls.rules.build_state import Step
from dockerls.rules.doc_links import BEST_PRACTICES, CACHE_MOUNTS
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.package_managers import APT_LISTS
from dockerls.rules.packages.append_fixes import append_after
from dockerls.rules.packages.leftovers import leftovers
from dockerls.rules.packages.program_names import APT_PROGRAMS, program_view, quoted
from dockerls.rules.packages.run_view import each_run, fills
from dockerls.rules.packages.stage_walk import walk
from dockerls.rules.text_layout import line_no
from dockerls.shell import Word
from dockerls.syntax import Severity

_APT_LISTS_CLEANUP = "rm -rf /var/lib/apt/lists/*"


@rule(
    "DKL102",
    "apt-lists-left",
    Category.BLOAT,
    Severity.WARNING,
    summary="A RUN that installs apt packages leaves the package lists in its layer.",
    hadolint=("DL3009",),
    docs=RuleDocs(
        what="A RUN in a shipping stage that runs `apt-get update` (or `apt-get install` "
        "with package lists that nothing earlier left behind) and does not remove "
        "/var/lib/apt/lists in the same RUN: by `rm -rf /var/lib/apt/lists/*` (a glob "
        "or a parent directory also counts), by `apt-get dist-clean` (apt 2.7 and later), "
        "or because a cache or tmpfs mount covers /var/lib/apt or /var/lib/apt/lists. "
        "Brace expansion such as `rm -rf /var/lib/{apt,dpkg}/lists` only counts when the "
        "SHELL is bash: /bin/sh removes nothing there. Only a cleanup that runs when the "
        "install succeeds counts: not one after `||`, nor one in the `else` branch. The "
        "official Debian and Ubuntu "
        "images clean the downloaded .deb files automatically, but not the lists.",
        why="The package lists are tens of MB of indexes that are only needed while apt "
        "runs. Files written by a RUN stay in its layer for good: removing them in a later "
        "RUN hides them but does not make the image smaller (see DKL109).",
        example="RUN apt-get update && apt-get install -y --no-install-recommends curl",
        instead="RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*",
        fix_safety="The quick fix appends `rm -rf /var/lib/apt/lists/*` right after the "
        "last apt command of the RUN (or a later `add-apt-repository`, which fills the lists "
        "again), in the RUN's own continuation style (a new line in "
        "a heredoc body). Safe: it is not offered when a later RUN (in this stage or a "
        "stage built FROM it) installs without its own `apt-get update`, because that "
        "install needs the lists; merge the two RUNs instead. No fix either for an "
        "exec-form RUN or when the apt command feeds a pipe.",
        references=(BEST_PRACTICES + "#apt-get", CACHE_MOUNTS),
    ),
)
def apt_lists_left(ctx: RuleContext) -> Iterator[Hit]:
    present = False  # lists left by an earlier RUN of the shipping chain are on disk
    for run in each_run(ctx):
        updates = fills(run, ("apt",))
        installs = [
            (i, sub)
            for i, (prog, view) in enumerate(run.programs)
            if prog in APT_PROGRAMS and (sub := view.subcommand()) is not None
            if sub.text == "install"
        ]
        busy = [i for i, _ in (*updates, *installs)]
        if not busy:
            if any(run.empties(i, APT_LISTS) for i in range(len(run.programs))):
                present = False
            continue
        if run.hides(APT_LISTS, busy[0]):
            continue
        if run.emptied(APT_LISTS, max(busy)):
            present = False
            continue
        if not updates and present:
            continue  # the lists come from an earlier RUN, which is reported
        present = True
        if installs:
            word = installs[0][1]
            message = (
                f"This RUN installs apt packages but leaves the package lists in "
                f"/var/lib/apt/lists (tens of MB) in its layer; end it with "
                f"`{_APT_LISTS_CLEANUP}`."
            )
        else:
            i, found = updates[0]
            word = found.word
            message = (
                f"`{quoted(run.commands[i], word)}` downloads package lists (tens of MB) to "
                f"/var/lib/apt/lists and nothing in this RUN removes them; they stay in its "
                f"layer. Remove them in the same RUN with `{_APT_LISTS_CLEANUP}`."
            )
        relies = _installs_from_lists(ctx, run.at)
        if relies is not None:
            message += (
                f" A later RUN (line {line_no(relies.span)}) installs from these lists: move "
                f"its install into this RUN."
            )
        # After the last apt command, and after whatever fills the lists (add-apt-repository
        # runs apt-get update itself): there the cleanup is what the check looks for.
        apt = [i for i, (prog, _) in enumerate(run.programs) if prog in APT_PROGRAMS]
        edit = append_after(ctx, run, max(apt + busy), _APT_LISTS_CLEANUP)
        yield Hit(
            word.span,
            message,
            fixes=()
            if relies is not None or edit is None
            else (Fix("Remove /var/lib/apt/lists at the end of this RUN", (edit,)),),
        )


def _installs_from_lists(ctx: RuleContext, at: Step) -> Word | None:
    """A later ``apt-get install`` (in this stage or one built FROM it) that runs no
    ``apt-get update`` of its own, and so needs the lists this RUN leaves behind."""
    after = False
    for later in walk(ctx, shipping=False):
        if later.ins is at.ins:
            after = True
            continue
        if not after or later.ins.name != "RUN":
            continue
        if not any(s is at.stage for s in ctx.graph.chain(later.stage)):
            continue
        updated = False
        for cmd in ctx.script(later.ins).commands:
            prog, view = program_view(cmd)
            sub = view.subcommand()
            updated = updated or any(f.tool == "apt" for f in leftovers(prog, view, {}, None))
            installs = prog in APT_PROGRAMS and sub is not None and sub.text == "install"
            if installs and not updated:
                return sub
    return None
