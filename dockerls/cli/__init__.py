"""The command-line edge: ``dockerls serve|check|fix|rules|explain|size``.

This module is the command line itself: its arguments (``build_parser``) and ``main``,
which runs the command asked for. Each command is a module of ``commands``; the pieces
``check`` and ``fix`` are built from are modules named for what they are: ``sources``
(finding and reading the files), ``inputs`` (each file with its settings and build
context), ``report`` (what is reported, the threshold, the exit status) and ``formats``
(the report as text, JSON or SARIF, and the fix summary).

Start-up stays fast: at module level only the standard library is imported, here and in
the package's other modules (which import no more than each other); this module imports
them only when a command runs. The analysis core is imported by the commands that need
it and the protocol stack by ``serve``.

``check`` is built from small pure pieces that tests call directly:
``discover`` (paths to files), ``decode`` (bytes to text) and the formatters in
``FORMATTERS`` (a ``Report`` to the text printed on standard output).
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import TYPE_CHECKING

from dockerls import __version__

if TYPE_CHECKING:
    import argparse

RUNTIME_KINDS = ("slim", "alpine", "distroless", "scratch")


def _add_selection(command: argparse.ArgumentParser) -> None:
    """The options ``check`` and ``fix`` share: threshold, rule selection, target."""
    from dockerls.cli.report import SEVERITY_LABELS

    command.add_argument(
        "--severity-threshold",
        choices=list(SEVERITY_LABELS.values()),
        default="warning",
        help="report only findings at least this severe (default: %(default)s)",
    )
    command.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated rule codes, code prefixes or names to enable (default: all)",
    )
    command.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated rule codes or names to disable",
    )
    command.add_argument(
        "--target",
        metavar="STAGE",
        help="the build target stage (default: the last stage)",
    )


def build_parser() -> argparse.ArgumentParser:
    import argparse  # not at module level: ``serve`` needs no parser

    from dockerls.cli.formats import FORMATTERS

    parser = argparse.ArgumentParser(
        prog="dockerls",
        description="A language server and linter for Dockerfiles.",
    )
    parser.add_argument("--version", action="version", version=f"dockerls {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser(
        "serve",
        help="run the language server on standard input and output",
        description="Run the language server on standard input and output.",
    )
    serve.add_argument(
        "--stdio", action="store_true", help="accepted for editors; stdio is the only transport"
    )

    check = commands.add_parser(
        "check",
        help="report findings in Dockerfiles",
        description=(
            "Report findings in Dockerfiles. Directories are searched recursively "
            "for Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile and "
            "Containerfile.* (any letter case). Exit status: 0 no findings at or above "
            "the threshold, 1 findings, 2 usage error or a file that could not be read."
        ),
    )
    check.add_argument(
        "paths", nargs="+", metavar="PATH", help="a file, a directory, or - for standard input"
    )
    check.add_argument(
        "--format",
        choices=list(FORMATTERS),
        default="text",
        help="output format (default: %(default)s)",
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="analyse in N processes; 0: one per CPU (default: %(default)s)",
    )
    _add_selection(check)

    fix = commands.add_parser(
        "fix",
        help="apply the safe fixes to Dockerfiles",
        description=(
            "Apply every safe fix (the ones the editor's fix-all applies) to Dockerfiles, "
            "in place, and report what is left. Directories are searched as by check. "
            "Exit status: 0 nothing left at or above the threshold, 1 findings left, "
            "2 usage error or a file that could not be read or written."
        ),
    )
    fix.add_argument(
        "paths", nargs="+", metavar="PATH", help="a file, a directory, or - for standard input"
    )
    fix.add_argument("--diff", action="store_true", help="print a unified diff and change no file")
    fix.add_argument(
        "--unsafe",
        action="store_true",
        help="also apply fixes that change behaviour (the first fix of each finding)",
    )
    refactor = fix.add_mutually_exclusive_group()
    refactor.add_argument(
        "--split",
        action="store_true",
        help="split a single-stage build into build and runtime stages (on a multi-stage "
        "file: slim the final stage) instead of fixing",
    )
    refactor.add_argument(
        "--reorder",
        action="store_true",
        help="copy the dependency manifests before the sources (DKL301) instead of fixing",
    )
    fix.add_argument(
        "--runtime",
        choices=RUNTIME_KINDS,
        help="with --split: the kind of runtime base (default: the first one offered)",
    )
    _add_selection(fix)

    rules = commands.add_parser(
        "rules", help="list every rule", description="List every rule dockerls knows."
    )
    rules.add_argument("--format", choices=["text", "json"], default="text")

    explain = commands.add_parser(
        "explain",
        help="print a rule's documentation",
        description="Print a rule's documentation (by code or name) as Markdown.",
    )
    explain.add_argument("rule", metavar="CODE")

    size = commands.add_parser(
        "size",
        help="estimate image sizes without building",
        description=(
            "Estimate what each instruction adds to the image and each stage's total, "
            "without building (uncompressed MB, as docker images prints them). Parts that "
            "cannot be sized are named. Exit status: 0, or 2 for a file that could not be read."
        ),
    )
    size.add_argument(
        "paths", nargs="+", metavar="PATH", help="a file, a directory, or - for standard input"
    )
    size.add_argument("--format", choices=["text", "json"], default="text")
    size.add_argument(
        "--context",
        metavar="DIR",
        help="the build context (default: the Dockerfile's directory)",
    )
    size.add_argument("--target", metavar="STAGE", help="the stage that is built")
    return parser


def _escape_unencodable(exc: UnicodeError) -> tuple[str | bytes, int]:
    """A path that is not valid UTF-8 gets its own bytes back; anything else the
    stream cannot encode becomes a backslash escape."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    try:
        return codecs.lookup_error("surrogateescape")(exc)
    except UnicodeError:
        return codecs.lookup_error("backslashreplace")(exc)


codecs.register_error("dockerls-escape", _escape_unencodable)


def tolerate_unencodable(stream: object) -> None:
    """Make ``stream`` write what its encoding cannot (file names with bytes that are
    not UTF-8 come from the file system as lone surrogates) instead of raising."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="dockerls-escape")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (``sys.exit(main())``)."""
    if (sys.argv[1:] if argv is None else argv) in (["serve"], ["serve", "--stdio"]):
        from dockerls.cli.commands.serve import serve

        return serve()  # how editors start it: no need to build the whole parser first
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits for --help, --version and usage errors
        return 0 if exc.code is None else int(exc.code)
    if args.command == "serve":
        from dockerls.cli.commands.serve import serve

        return serve()
    if args.command == "rules":
        from dockerls.cli.commands.rules import rules

        return rules(args)
    if args.command == "explain":
        from dockerls.cli.commands.rules import explain

        return explain(args)
    tolerate_unencodable(sys.stdout)
    if args.command == "size":
        from dockerls.cli.commands.size import size

        return size(args)
    if args.command == "fix":
        from dockerls.cli.commands.fix import fix

        return fix(args)
    from dockerls.cli.commands.check import check

    return check(args)
