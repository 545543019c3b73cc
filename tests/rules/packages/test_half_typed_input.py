"""Every package rule on half-typed input: none of them raises."""

from __future__ import annotations

import pytest

from dockerls.analysis import analyze
from dockerls.config import Settings


@pytest.mark.parametrize("code", [f"DKL1{n:02d}" for n in range(1, 16)])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "FROM",
        "FROM debian\nRUN",
        "FROM debian\nRUN apt-get",
        "FROM debian\nRUN apt-get install",
        "FROM debian\nRUN ['broken",
        "FROM debian\nRUN if then fi ((( apt-get install \\\n",
        "FROM debian\nRUN <<EOF\napt-get install x\n",
        "FROM debian\nCOPY\nRUN chown -R",
        "FROM debian\nRUN useradd -u\nRUN tar -x -f\nRUN curl -o\nRUN rm -rf $X/{a,b}",
        "FROM debian\nWORKDIR\nRUN cd && cd $NOPE && tar xf a.tgz",
    ],
)
def test_rules_never_raise_on_half_typed_input(code: str, text: str) -> None:
    # a check that raises is reported as a DKL000 finding
    found = analyze(text, Settings(select=(code,))).findings
    assert not [f for f in found if f.code == "DKL000"]
