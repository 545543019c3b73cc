"""The files ``check`` and ``fix`` work on, each read with the settings (its
configuration file, the command line on top) and the build context that apply to it."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dockerls.cli.sources import STDIN, read_sources

if TYPE_CHECKING:
    import argparse

    from dockerls.cli.report import FileError
    from dockerls.config import Settings
    from dockerls.config_io import ConfigFile
    from dockerls.context import BuildContext


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    """``--select A,B --select C`` as ``("A", "B", "C")``."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def _settings_for(
    path: str, cli: dict[str, object], seen: set[str], configs: dict[Path, ConfigFile]
) -> Settings:
    """The configuration file's settings for ``path``, with the command line on top.

    ``configs`` remembers what applies in each folder already searched.
    """
    from dockerls.config import Settings
    from dockerls.config_io import find_config

    base = Settings()
    if path != STDIN:
        found = find_config(Path(path), cache=configs)
        base = found.settings
        for complaint in found.complaints:
            if complaint not in seen:
                seen.add(complaint)
                print(f"dockerls: warning: {complaint}", file=sys.stderr)
    settings, _ = Settings.from_mapping(cli, base)
    return settings


@dataclass(frozen=True, slots=True)
class Input:
    """One file to check or fix, with what applies to it."""

    path: str
    text: str
    settings: Settings
    context: BuildContext


def read_inputs(args: argparse.Namespace, errors: list[FileError]) -> tuple[list[str], list[Input]]:
    """The files named on the command line, read, each with its settings and build context.

    Files that cannot be read are added to ``errors``; the others are still returned.
    """
    from dockerls.context import CONTEXT_EMPTY
    from dockerls.context_io import read_build_context

    cli = _cli_settings(args)
    paths, sources = read_sources(args.paths, errors)
    seen: set[str] = set()
    configs: dict[Path, ConfigFile] = {}
    inputs: list[Input] = []
    for path, text in sources:
        context = CONTEXT_EMPTY if path == STDIN else read_build_context(Path(path))
        inputs.append(Input(path, text, _settings_for(path, cli, seen, configs), context))
    return paths, inputs


def _cli_settings(args: argparse.Namespace) -> dict[str, object]:
    cli: dict[str, object] = {}
    if args.select:
        cli["select"] = list(_codes(args.select))
    if args.ignore:
        cli["ignore"] = list(_codes(args.ignore))
    if args.target:
        cli["target"] = args.target
    return cli
