"""``dockerls check``: analyse the files, in several processes if asked, and print the
report in the chosen format."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from dockerls.cli.formats import FORMATTERS
from dockerls.cli.inputs import Input, read_inputs
from dockerls.cli.report import FileError, FileReport, Report, at_threshold, finish

if TYPE_CHECKING:
    import argparse

    from dockerls.analysis import Finding

# ``check --jobs``: below this many files per process, one process is faster.
MIN_FILES_PER_JOB = 8


def _findings(i: Input) -> tuple[Finding, ...]:
    from dockerls.analysis import analyze

    return analyze(i.text, i.settings, i.context).findings


def _analyse_all(inputs: list[Input], jobs: int) -> list[tuple[Finding, ...]]:
    """The findings of each input, in order; with ``jobs`` > 1 in that many processes.

    The workers are forked after the core is imported, so they start at once; where
    fork is not available, or there are too few files to share, one process does it all.
    """
    import multiprocessing

    import dockerls.analysis  # noqa: F401  (imported before forking: the workers inherit it)

    jobs = min(jobs, len(inputs) // MIN_FILES_PER_JOB)
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_findings(i) for i in inputs]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(inputs) // (jobs * 8))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        return list(pool.map(_findings, inputs, chunksize=chunk))


def check(args: argparse.Namespace) -> int:
    errors: list[FileError] = []
    paths, inputs = read_inputs(args, errors)
    jobs = args.jobs or os.cpu_count() or 1
    files = [
        FileReport(i.path, at_threshold(findings, args))
        for i, findings in zip(inputs, _analyse_all(inputs, jobs), strict=True)
    ]
    status = finish(paths, files, errors)
    sys.stdout.write(FORMATTERS[args.format](Report(tuple(files), tuple(errors))))
    return status
