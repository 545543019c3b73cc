"""DKL101 apt-install-recommends: apt installs recommended packages too, unless told not to."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerls.findings import Fix
from dockerls.rules.build_state import Step
from dockerls.rules.doc_links import BEST_PRACTICES
from dockerls.rules.engine import Category, Hit, RuleContext, RuleDocs, rule
from dockerls.rules.instruction_parts import insert_after
from dockerls.rules.packages.paths import absolute_path, copy_dest, inside
from dockerls.rules.packages.program_names import program_name, program_view, word_texts
from dockerls.rules.packages.stage_walk import configured_steps
from dockerls.rules.programs import unwrap
from dockerls.shell import Command
from dockerls.syntax import Severity

_RECOMMENDS_FLAG = {"apt-get": "--no-install-recommends", "aptitude": "--without-recommends"}


_NO_RECOMMENDS_CONFIG = re.compile(
    r"APT::Install-Recommends\s*(?:=\s*|\s+)[\"']?(?:false|0|no)\b", re.IGNORECASE
)


def _apt_conf(path: str | None) -> bool:
    """Whether ``path`` is apt's configuration: /etc/apt/apt.conf or in apt.conf.d."""
    return path is not None and inside(path, "/etc/apt") and "apt.conf" in path + "/"


def _writes_to(cmd: Command, at: Step) -> Iterator[str | None]:
    """The files a command writes: its ``>``/``>>`` redirections, and ``tee``'s files."""
    targets = [r.target for r in cmd.redirects if ">" in r.operator and "&" not in r.operator]
    if cmd.name == "tee":
        targets.extend(cmd.positionals())
    return (absolute_path(t.text, at.cwd, at.env) for t in targets if t is not None)


def _configures_apt(ctx: RuleContext, at: Step) -> bool:
    """An instruction that writes apt configuration disabling recommends to apt.conf or
    apt.conf.d (or copies some apt configuration in, whose content we cannot see). The
    configuration is matched on the words as the shell passes them (quotes removed), or
    in a heredoc body; an ``-o`` option given to one apt command configures nothing else."""
    if at.ins.name != "RUN":
        return _apt_conf(copy_dest(at))
    commands = ctx.script(at.ins).commands
    if not any(_apt_conf(path) for cmd in commands for path in _writes_to(cmd, at)):
        return False
    texts = [
        " ".join(word_texts(cmd.argv))
        for cmd in commands
        if program_name(unwrap(cmd)) not in _RECOMMENDS_FLAG
    ]
    texts.extend(h.body.text for h in at.ins.heredocs)
    return any(_NO_RECOMMENDS_CONFIG.search(t) for t in texts)


@rule(
    "DKL101",
    "apt-install-recommends",
    Category.BLOAT,
    Severity.WARNING,
    summary="apt installs recommended packages too, unless told not to.",
    hadolint=("DL3015",),
    docs=RuleDocs(
        what="`apt-get install` or `apt install` (and `aptitude install`) without "
        "`--no-install-recommends` (`--without-recommends` for aptitude), without "
        "`-o APT::Install-Recommends=false` on that command, and with no configuration "
        "written earlier in the stage (to /etc/apt/apt.conf or /etc/apt/apt.conf.d) that "
        "turns recommends off. Each install command is checked on its own: an `-o` option "
        "on one install does not cover the next. The option may come anywhere, even after "
        "the package list. Only "
        "stages whose layers ship are checked.",
        why="By default apt also installs every package the requested ones *recommend*. "
        "These are not needed to run them and often pull in large trees: python3-pip, "
        "for example, recommends build-essential and python3-dev, a whole C toolchain "
        "and headers. Everything installed stays in the layer and in the image.",
        example="RUN apt-get update && apt-get install -y curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*",
        instead="RUN apt-get update && apt-get install -y --no-install-recommends curl "
        "ca-certificates \\\n    && rm -rf /var/lib/apt/lists/*",
        fix_safety="The quick fix inserts `--no-install-recommends` after `install`. It is "
        "marked unsafe: a recommended package the image relies on (ca-certificates for "
        "curl over HTTPS is the classic) is no longer installed and must then be listed "
        "explicitly.",
        references=(
            BEST_PRACTICES + "#apt-get",
            "https://manpages.debian.org/bookworm/apt/apt-get.8.en.html",
        ),
    ),
)
def apt_install_recommends(ctx: RuleContext) -> Iterator[Hit]:
    for at, configured in configured_steps(ctx, lambda at: _configures_apt(ctx, at)):
        if at.ins.name != "RUN" or configured:
            continue
        for cmd in ctx.script(at.ins).commands:
            prog, view = program_view(cmd)
            flag = _RECOMMENDS_FLAG.get(prog)
            sub = view.subcommand()
            if flag is None or sub is None or sub.text != "install":
                continue
            names = (flag, "-R") if prog == "aptitude" else (flag,)
            if view.has_option(*names) or any(
                _NO_RECOMMENDS_CONFIG.search(w.text) for w in view.args
            ):
                continue
            yield Hit(
                sub.span,
                f"`{cmd.argv[0].text} install` also installs every recommended package; "
                f"add `{flag}` and list what you need.",
                fixes=(
                    Fix(
                        f"Add {flag} (recommended packages are no longer installed)",
                        (insert_after(at.ins, sub, flag),),
                        safe=False,
                    ),
                ),
            )
