"""Analysis costs grow linearly with the file: counted in Python function calls and
shell parses, never timed (the machines that run the tests are noisy)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from types import FrameType

import pytest

import dockerls.shell
from bench.generate import STAGE, dockerfile
from dockerls.analysis import Analyzer, analyze
from dockerls.shell import Script
from dockerls.syntax import Instruction


def many_stages(count: int) -> str:
    """Independent build stages (each FROM an external image), then a runtime."""
    return dockerfile(count * STAGE.count("\n"))


def one_stage(count: int) -> str:
    """The same instructions in one long stage: per-stage work must not be quadratic."""
    return "FROM node:20\n" + "".join(STAGE.format(i=i).split("\n", 2)[2] for i in range(count))


def counted(work: Callable[[], object]) -> int:
    """Calls of dockerls functions (generators resumed included) that ``work`` makes."""
    count = 0

    def hook(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event == "call" and "dockerls" in frame.f_code.co_filename:
            count += 1

    sys.setprofile(hook)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


def calls(text: str) -> int:
    """Calls made by one analysis, after a first one warmed the caches."""
    analyze(text)
    return counted(lambda: analyze(text + "\n"))  # not the cached text: a full analysis


def keystroke_calls(text: str) -> int:
    """Calls made by an ``Analyzer`` to take in a word typed in the middle of the file."""
    analyzer = Analyzer()
    analyzer.analyze(text)
    lines = text.split("\n")
    middle = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("RUN apt"))
    lines[middle] += " x"
    return counted(lambda: analyzer.analyze("\n".join(lines)))


@pytest.mark.parametrize("shape", [many_stages, one_stage], ids=["many-stages", "one-stage"])
def test_six_times_the_file_costs_at_most_six_times_the_work(
    shape: Callable[[int], str],
) -> None:
    small, large = shape(8), shape(48)
    growth = large.count("\n") / small.count("\n")  # about 6
    assert calls(large) <= 1.03 * growth * calls(small)


def test_each_executing_instruction_is_shell_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    real = dockerls.shell.script_of

    def counting(instruction: Instruction, shell: object = None) -> Script:
        parsed.append(id(instruction))
        return real(instruction, shell)  # type: ignore[arg-type]

    monkeypatch.setattr(dockerls.shell, "script_of", counting)
    analysis = analyze(many_stages(30))
    executing = [
        ins
        for ins in analysis.document.instructions
        if ins.name in ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK")
    ]
    assert len(executing) > 60
    assert sorted(parsed) == sorted(id(ins) for ins in executing)


def test_a_keystroke_in_one_stage_costs_a_fraction_of_the_file() -> None:
    small, large = many_stages(8), many_stages(48)
    assert keystroke_calls(large) <= 0.15 * calls(large)
    # what still grows with the file (reading it, the per-stage keys) grows slowly
    assert keystroke_calls(large) <= 3 * keystroke_calls(small)


def test_a_big_file_read_afresh_is_frozen_out_of_the_collector_and_a_keystroke_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freezes: list[int] = []
    real = gc.freeze

    def counting() -> None:
        freezes.append(gc.get_count()[0])
        real()

    monkeypatch.setattr(gc, "freeze", counting)
    gc.collect()
    try:
        text = many_stages(150)  # about 2,500 lines: over 1,000 instructions read afresh
        analyzer = Analyzer()
        analyzer.analyze(text)
        assert len(freezes) == 1  # the collector will not walk the new model again
        assert gc.get_freeze_count() > 50_000
        analyzer.analyze(text.replace("curl", "curl wget", 1))
        assert len(freezes) == 1  # a keystroke leaves few new objects: nothing frozen
    finally:
        gc.unfreeze()
