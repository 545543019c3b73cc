"""DKL112 useradd-without-no-log-init: useradd with a large UID writes huge sparse log files into
the layer.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerls.findings import Fix
from dockerls.rules.doc_links import BEST_PRACTICES
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, Scope, rule
from dockerls.rules.instruction_parts import insert_after
from dockerls.rules.packages.run_view import each_run
from dockerls.syntax import Severity

_LOG_RECORD_BYTES = 292 + 32  # a lastlog and a faillog record on 64-bit glibc
_HIGH_UID = 65536


@rule(
    "DKL112",
    "useradd-without-no-log-init",
    Category.BLOAT,
    Severity.WARNING,
    scope=Scope.STAGE,
    summary="useradd with a large UID writes huge sparse log files into the layer.",
    hadolint=("DL3046",),
    docs=RuleDocs(
        what="`useradd -u <uid>` with a UID of 65536 or more and without `-l`/"
        "`--no-log-init`, in a stage that ships. (hadolint's DL3046 fires from 100000.)",
        why="shadow's useradd writes the new user's records into /var/log/lastlog and "
        "/var/log/faillog at an offset proportional to the UID (292 + 32 bytes per UID on "
        "64-bit systems). On disk the files are sparse, but image layers store them in "
        "full: UID 100000 adds about 32 MB, UID 1000000 about 324 MB, and very large "
        "UIDs can exhaust the disk during the build.",
        example="RUN useradd -u 1000000 app",
        instead="RUN useradd --no-log-init -u 1000000 app",
        fix_safety="The quick fix inserts `--no-log-init` after `useradd`. Safe: the "
        "only difference is that the user gets no lastlog/faillog entries.",
        references=(
            BEST_PRACTICES + "#user",
            "https://manpages.debian.org/bookworm/passwd/useradd.8.en.html",
        ),
    ),
)
def useradd_without_no_log_init(ctx: RuleContext) -> Iterator[Hit]:
    for run in each_run(ctx):
        for cmd in run.commands:
            if cmd.name != "useradd" or cmd.has_option("-l", "--no-log-init"):
                continue
            uid = cmd.option_value("-u", "--uid")
            if uid is None or not uid.text.isdigit() or int(uid.text) < _HIGH_UID:
                continue
            size = (int(uid.text) + 1) * _LOG_RECORD_BYTES / 1e6
            yield Hit(
                cmd.argv[0].span,
                f"`useradd -u {uid.text}` without `--no-log-init` writes lastlog/faillog "
                f"records at an offset proportional to the UID: about {size:,.0f} MB of "
                f"sparse files stored in full in this layer.",
                fixes=(
                    Fix(
                        "Add --no-log-init",
                        (insert_after(run.at.ins, cmd.argv[0], "--no-log-init"),),
                    ),
                ),
            )
