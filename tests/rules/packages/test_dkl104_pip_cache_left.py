"""DKL104 pip-cache-left: spans, traps and fixes."""

from __future__ import annotations

import pytest

from tests.rulecheck import check, clean
from tests.rules.packages.codes import PIP
from tests.rules.packages.roundtrip import fix_roundtrip


def test_pip_flags_each_install() -> None:
    (f1, f2, _) = check(
        PIP,
        "FROM python:3.12-slim\n"
        "RUN pip ⟨install⟩ --upgrade pip \\\n"
        " && python3 -m pip ⟨install⟩ -r requirements.txt \\\n"
        " && pip3.12 ⟨install⟩ gunicorn\n",
    )
    assert "--no-cache-dir" in f1.message and "~/.cache/pip" in f2.message


@pytest.mark.parametrize(
    "text",
    [
        "RUN pip install --no-cache-dir flask",
        "ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask",
        # pip disables the cache for false/0/off too (backwards compatibility)
        "ENV PIP_NO_CACHE_DIR=off\nRUN pip install flask",
        "ARG PIP_NO_CACHE_DIR=1\nRUN pip install flask",
        "RUN PIP_NO_CACHE_DIR=1 pip install flask",
        "RUN export PIP_NO_CACHE_DIR=1 && pip install flask",
        "RUN --mount=type=cache,target=/root/.cache/pip pip install flask",
        "RUN --mount=type=cache,target=/root/.cache pip install flask",
        "USER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install x",
        "RUN pip install flask && pip cache purge",
        "RUN pip install flask && rm -rf ~/.cache/pip",
        "RUN pip install flask && rm -rf /root/.cache",
        "ENV PIP_CACHE_DIR=/tmp/pip\nRUN pip install flask && rm -rf $PIP_CACHE_DIR",
        "RUN uv pip install --no-cache flask",
        "ENV UV_NO_CACHE=1\nRUN uv pip install flask",
        "RUN --mount=type=cache,target=/root/.cache/uv uv pip install --system flask",
        "RUN pipx install black && pipenv install",
    ],
)
def test_pip_clean(text: str) -> None:
    clean(PIP, f"FROM python:3.12-slim\n{text}\n")


def test_pip_uv_pip_install_and_non_final_stage() -> None:
    (f,) = check(
        PIP,
        "FROM python:3.12 AS build\nRUN pip install -r requirements.txt\n"
        "FROM python:3.12-slim\nRUN uv pip ⟨install⟩ --system flask\n",
    )
    assert "~/.cache/uv" in f.message and "--no-cache" in f.message


def test_uv_project_installs_are_the_pip_cache_finding() -> None:
    found = check(
        PIP,
        "FROM python:3.12-slim\nRUN uv ⟨sync⟩ --frozen --no-install-project && uv ⟨sync⟩ --frozen\n"
        "RUN uv ⟨add⟩ requests\nRUN uv ⟨run⟩ --frozen pytest\nRUN uv tool ⟨install⟩ ruff\n"
        "RUN python -m uv ⟨sync⟩\n",
    )
    assert [f.message.split("`")[1] for f in found] == [
        "uv sync",
        "uv sync",
        "uv add",
        "uv run",
        "uv tool install",
        "uv sync",
    ]
    assert all("~/.cache/uv" in f.message and "UV_NO_CACHE" in f.message for f in found)
    fix_roundtrip(
        PIP,
        "FROM python:3.12-slim\nRUN uv sync --frozen --no-install-project && uv sync --frozen\n"
        'RUN ["uv", "tool", "install", "ruff"]\n',
        "FROM python:3.12-slim\n"
        "RUN uv sync --no-cache --frozen --no-install-project && uv sync --no-cache --frozen\n"
        'RUN ["uv", "tool", "install", "--no-cache", "ruff"]\n',
    )


@pytest.mark.parametrize(
    "text",
    [
        "ENV UV_NO_CACHE=1\nRUN uv sync --frozen",
        "ENV UV_NO_CACHE=true\nRUN uv run --frozen pytest",
        "RUN uv sync --no-cache --locked && uv tool install -n ruff",
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked",
        "ENV UV_CACHE_DIR=/tmp/uv\nRUN --mount=type=cache,target=/tmp/uv uv sync --locked",
        "RUN uv sync --frozen && uv cache clean",
        "RUN uv sync --frozen && rm -rf /root/.cache/uv",
        "RUN uv python install 3.12 && uv venv && uv lock",
    ],
)
def test_uv_cache_clean(text: str) -> None:
    clean(PIP, f"FROM python:3.12-slim\n{text}\n")


def test_uv_cache_in_a_builder_stage_is_clean() -> None:
    clean(
        PIP,
        "FROM python:3.12 AS build\nRUN uv sync --frozen\n"
        "FROM python:3.12-slim\nCOPY --from=build /app/.venv /app/.venv\n",
    )


def test_pip_empty_env_value_does_not_count() -> None:
    check(PIP, "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=\nRUN pip ⟨install⟩ flask\n")


def test_pip_fixes() -> None:
    fix_roundtrip(
        PIP,
        "FROM python:3.12-slim\nRUN python -m pip install -U pip && uv pip sync r.txt\n",
        "FROM python:3.12-slim\n"
        "RUN python -m pip install --no-cache-dir -U pip && uv pip sync --no-cache r.txt\n",
    )
    fix_roundtrip(
        PIP,
        'FROM python:3.12-slim\nRUN ["pip", "install", "flask"]\n',
        'FROM python:3.12-slim\nRUN ["pip", "install", "--no-cache-dir", "flask"]\n',
    )
    fix_roundtrip(
        PIP,
        "FROM python:3.12-slim\nRUN <<EOF\npip install flask\nEOF\n",
        "FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir flask\nEOF\n",
    )
