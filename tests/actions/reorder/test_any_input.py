"""The reorder on any input: it never raises, and generated files keep the guarantees."""

from __future__ import annotations

import dockerfile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerls.analysis import analyze
from dockerls.context import CONTEXT_EMPTY
from dockerls.edits import apply_edits
from tests.actions.reorder.guarantees import installs_left as _installs
from tests.actions.reorder.guarantees import plan, untouched_lines_kept
from tests.actions.reorder.guarantees import stage_of as _stage_of


@pytest.mark.parametrize(
    "text",
    [
        "",
        "FROM",
        "COPY . .\nRUN npm ci\n",
        "FROM a\nCOPY\nRUN\n",
        "FROM a\nCOPY . .\nRUN npm",
        "FROM a\nCOPY . .\nRUN npm ci &&",
        "FROM a\nCOPY . .\nRUN <<EOF\nnpm ci\n",
        'FROM a\nCOPY [".", "/my app"]\nRUN npm ci\n',
        "FROM a\nCOPY $SRC .\nRUN npm ci\n",
        "FROM a\nWORKDIR $HOME\nCOPY . .\nRUN npm ci\n",
        "FROM a\nCOPY . .\nRUN npm ci `$(cat x)`\n",
        'FROM a\nSHELL ["pwsh", "-c"]\nCOPY . .\nRUN cargo build\n',
        "FROM a\nCOPY --parents . .\nRUN npm ci\n",
        "FROM a\nCOPY . ./\nRUN npm ci\nCOPY . ./\nRUN npm ci\n",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    found = plan(text)
    for action in found.actions:
        apply_edits(text, action.edits)


_PIECES = st.sampled_from(
    [
        "FROM node:22\n",
        "FROM golang:1.23 AS build\n",
        "WORKDIR /app\n",
        "WORKDIR sub\n",
        "COPY . .\n",
        "COPY --chown=1000 . /srv\n",
        "ADD . /app\n",
        "COPY src ./src\n",
        "RUN npm ci\n",
        "RUN npm ci && npm run build\n",
        "RUN yarn install --immutable\n",
        "RUN go build -o /x .\n",
        "RUN pip install -r requirements.txt && rm -rf /root/.cache\n",
        "RUN apt-get update && apt-get install -y git\n",
        "ENV A=1\n",
        "ARG V\n",
        "USER node\n",
        "# comment\n",
        "\n",
        "ONBUILD RUN npm ci\n",
        "RUN npm ci \\\n  && npm test\n",
        "LABEL a=b\n",
        "WORKDIR /app\n",
        "COPY package.json ./\n",
        "RUN poetry install\n",
        "RUN mvn -B package\n",
        "RUN cd web && npm ci\n",
        "RUN npm install -g pnpm\n",
        "FROM build AS final\n",
        "ONBUILD COPY . /app\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=9), st.booleans())
def test_generated_files_keep_the_guarantees(pieces: list[str], crlf: bool) -> None:
    text = "".join(pieces)
    if crlf:
        text = text.replace("\n", "\r\n")
    found = plan(text)
    assert not {(a.span, a.install) for a in found.actions} & {
        (r.span, r.install) for r in found.refusals
    }
    for action in found.actions:
        new = apply_edits(text, action.edits)
        dockerfile.parse_string(new)
        assert untouched_lines_kept(text, new, action.edits)
        stage = _stage_of(text, action)
        assert _installs(new, CONTEXT_EMPTY, stage, action.ecosystem, triggers=False) == []
        before = {f.code for f in analyze(text).findings}
        assert {f.code for f in analyze(new).findings} <= before
