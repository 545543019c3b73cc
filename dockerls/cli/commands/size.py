"""``dockerls size``: what each instruction adds to the image, estimated without building."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dockerls.cli.report import FileError
from dockerls.cli.sources import STDIN, read_sources

if TYPE_CHECKING:
    import argparse


def size(args: argparse.Namespace) -> int:
    from dockerls.context_io import read_build_context, read_context_files
    from dockerls.graph import build_graph
    from dockerls.size import estimate
    from dockerls.size.render import as_json, provenance, table
    from dockerls.syntax import parse

    errors: list[FileError] = []
    _, sources = read_sources(args.paths, errors)
    texts: list[str] = []
    reports: list[dict[str, object]] = []
    for path, text in sources:
        files = None
        if path != STDIN:
            directory = Path(args.context) if args.context else Path(path).parent
            context = read_build_context(Path(path), directory)
            files = read_context_files(context, directory)
        doc = parse(text)
        final = build_graph(doc, args.target).final
        estimates = estimate(doc, files)
        final_index = final.index if final is not None else None
        texts.append(table(estimates, path, final_index))
        reports.append(as_json(estimates, path, final_index))
    for error in errors:
        print(f"dockerls: {error.path}: {error.message}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(json.dumps({"files": reports}, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n\n".join([*texts, provenance()]) + "\n")
    return 2 if errors else 0
