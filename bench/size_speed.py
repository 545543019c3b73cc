#!/usr/bin/env python3
"""What the size estimate costs an editor: the keystroke path and the inlay request.

- ``keystroke``: an ``Analyzer`` re-analysing the file after a one-character edit (the
  diagnostics path; the estimate is not on it, so this must not move);
- ``inlay cold``: the first ``inlay_hints(..., sizes=True)`` of the process (loads the data);
- ``inlay after edit``: the same request on a new text (the estimate is recomputed);
- ``inlay again``: the same text asked again (the estimate is memoised).

.venv/bin/python bench/size_speed.py [--file PATH] [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dockerls.analysis import Analyzer, analyze
from dockerls.config import Settings
from dockerls.features.inlay import inlay_hints
from dockerls.syntax import Span

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
EVERYWHERE = Span.of(0, 0, 100_000, 0)


def _ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _edit(text: str, n: int) -> str:
    return text + f"\n# edit {n}\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    candidates = [
        p for p in CORPUS.iterdir() if "Dockerfile" in p.name or "Containerfile" in p.name
    ]
    path = args.file or max(candidates, key=lambda p: len(p.read_text(errors="replace")))
    text = path.read_text(errors="replace")
    settings = Settings()
    analyzer = Analyzer()
    analyzer.analyze(text, settings, None)
    keystroke = [_ms(lambda n=n: analyzer.analyze(_edit(text, n), settings, None))
                 for n in range(args.runs)]  # fmt: skip
    cold = _ms(lambda: inlay_hints(analyze(text), EVERYWHERE, sizes=True))
    after_edit = []
    again = []
    for n in range(args.runs):
        analysis = analyze(_edit(text, 1000 + n))
        after_edit.append(_ms(lambda a=analysis: inlay_hints(a, EVERYWHERE, sizes=True)))
        again.append(_ms(lambda a=analysis: inlay_hints(a, EVERYWHERE, sizes=True)))
    print(f"{path.name}: {len(text.splitlines())} lines")
    print(f"keystroke (incremental analysis): median {statistics.median(keystroke):.2f} ms")
    print(f"inlay cold (loads the data):      {cold:.1f} ms")
    print(f"inlay after edit (re-estimate):   median {statistics.median(after_edit):.2f} ms")
    print(f"inlay again (memoised):           median {statistics.median(again):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
