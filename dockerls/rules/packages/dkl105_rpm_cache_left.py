"""DKL105 rpm-cache-left: yum, dnf, microdnf or zypper leave their metadata and package cache
behind.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.rules.doc_links import BEST_PRACTICES
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.package_managers import RPM_MANAGERS, Cache
from dockerls.rules.packages.append_fixes import append_fix, last_index
from dockerls.rules.packages.program_names import quoted
from dockerls.rules.packages.run_view import each_run, fills
from dockerls.syntax import Severity


def _rpm_family(prog: str) -> tuple[str, ...]:
    return ("zypper",) if prog == "zypper" else RPM_MANAGERS


@rule(
    "DKL105",
    "rpm-cache-left",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="yum, dnf, microdnf or zypper leave their metadata and package cache behind.",
    hadolint=("DL3032", "DL3036", "DL3040"),
    docs=RuleDocs(
        what="`yum`, `dnf`, `microdnf`, `tdnf` or `zypper` installing, updating or "
        "refreshing in a shipping stage without a matching clean later in the same RUN "
        "(`yum clean all`, `dnf clean all`, `microdnf clean all`, `zypper clean`, or "
        "removing /var/cache/yum, /var/cache/dnf, /var/cache/libdnf5 or /var/cache/zypp) "
        "and without a cache or tmpfs mount on that directory.",
        why="These managers download repository metadata (and, depending on the "
        "configuration, the packages) into /var/cache; the metadata of a full "
        "distribution repository is large and useless once the RUN is over, and what a "
        "RUN leaves stays in its layer.",
        example="RUN dnf install -y python3",
        instead="RUN dnf install -y python3 && dnf clean all",
        fix_safety="The quick fix appends `<manager> clean all` (`zypper clean --all`) "
        "after the last command of that manager in the RUN. Safe.",
        references=(
            "https://dnf.readthedocs.io/en/latest/command_ref.html#clean-command",
            "https://en.opensuse.org/SDB:Zypper_manual",
            BEST_PRACTICES,
        ),
    ),
)
def rpm_cache_left(ctx: RuleContext) -> Iterator[Hit]:
    for run in each_run(ctx):
        reported: set[Cache] = set()
        for i, found in fills(run, (*RPM_MANAGERS, "zypper")):
            if found.place in reported or not run.left(i, found.place):
                continue
            reported.add(found.place)
            family = _rpm_family(found.tool)
            last = run.commands[last_index(run, family)]
            clean = "zypper clean --all" if found.tool == "zypper" else f"{last.name} clean all"
            yield Hit(
                found.word.span,
                f"`{quoted(run.commands[i], found.word)}` leaves repository metadata and "
                f"cached packages in {found.place.label} in this layer; end the RUN with "
                f"`{clean}`.",
                fixes=append_fix(ctx, run, family, clean, f"Append {clean}"),
            )
