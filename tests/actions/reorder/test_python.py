"""The reorder for Python: pip requirements, Poetry, uv and Pipenv."""

from __future__ import annotations

from tests.actions.reorder.guarantees import context, refused, rewrite


def test_pip_requirements_with_a_context_copies_every_requirements_file() -> None:
    rewrite(
        "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\n"
        'RUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "app:app"]\n',
        context("requirements.txt requirements-base.txt app.py"),
        expected="FROM python:3.12-slim\nWORKDIR /srv\n"
        "COPY requirements-base.txt requirements.txt ./\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
        'CMD ["gunicorn", "app:app"]\n',
        instructions=6,
    )


def test_pip_requirements_without_a_context() -> None:
    rewrite(
        "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\n"
        "RUN python -m pip install -r requirements.txt\n",
        expected="FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements*.txt ./\n"
        "RUN python -m pip install -r requirements.txt\nCOPY . .\n",
        instructions=5,
    )


def test_pip_requirements_in_a_directory() -> None:
    rewrite(
        "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements/prod.txt\n",
        expected="FROM python:3.12\nWORKDIR /srv\nCOPY requirements ./requirements/\n"
        "RUN pip install -r requirements/prod.txt\nCOPY . .\n",
        instructions=5,
    )


def test_pip_installing_the_project_itself_is_explained() -> None:
    refusal = refused(
        "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt -e .\n"
    )
    assert "-e ." in refusal.reason


def test_poetry_without_the_project_moves() -> None:
    rewrite(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --no-root --only main\n",
        context("pyproject.toml poetry.lock README.md"),
        expected="FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\n"
        "RUN poetry install --no-root --only main\nCOPY . .\n",
        instructions=5,
    )


def test_poetry_installing_the_project_gets_a_dependency_only_install_first() -> None:
    rewrite(
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\n",
        context("pyproject.toml poetry.lock"),
        expected="FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\n"
        "RUN poetry install --only main --no-root\nCOPY . .\nRUN poetry install --only main\n",
        instructions=6,
        title="Copy pyproject.toml and poetry.lock and run `poetry install --only main "
        "--no-root` before COPY . . (Poetry)",
    )


def test_poetry_without_a_context_cannot_know_the_lockfile() -> None:
    refusal = refused("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install --no-root\n")
    assert "poetry.lock" in refusal.reason


def test_uv_sync() -> None:
    rewrite(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked\n"
        'CMD ["uv", "run", "app"]\n',
        context("pyproject.toml uv.lock .python-version"),
        expected="FROM python:3.12-slim\nWORKDIR /app\n"
        "COPY pyproject.toml uv.lock .python-version ./\n"
        "RUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked\n"
        'CMD ["uv", "run", "app"]\n',
        instructions=7,
    )
    # Without a context, --frozen proves uv.lock exists; the project is not installed.
    rewrite(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
        "RUN uv sync --frozen --no-install-project\n",
        expected="FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n"
        "RUN uv sync --frozen --no-install-project\nCOPY . .\n",
        instructions=5,
    )


def test_pipenv() -> None:
    rewrite(
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pipenv install --deploy --system\n",
        expected="FROM python:3.11\nWORKDIR /app\nCOPY Pipfile* ./\n"
        "RUN pipenv install --deploy --system\nCOPY . .\n",
        instructions=5,
    )
