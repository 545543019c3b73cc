"""Split for Python: a virtual environment built in the builder, copied to a slim runtime.

Every offered split goes through ``assert_properties`` (tests/test_split.py): BuildKit
parses it, nothing is lost, every ``COPY --from`` has a source, re-analysis adds no
finding and the split is not offered twice.
"""

from __future__ import annotations

import pytest

from dockerls.edits import apply_edits
from tests.test_split import actions, assert_properties, by_image, check_variants, reasons

PIP = """\
FROM python:3.12
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]
"""

PIP_SLIM = """\
FROM python:3.12 AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

FROM python:3.12-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf {lists}
RUN useradd --create-home app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN chown app /app
USER app
EXPOSE 8000
CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]
""".format(lists="/var/lib/apt/lists/*")


def test_pip_requirements_to_slim() -> None:
    found = actions(PIP)
    assert [a.title for a in found] == [
        "Split into build and runtime stages (runtime on python:3.12-slim)"
    ]
    action = found[0]
    assert apply_edits(PIP, action.edits) == PIP_SLIM
    assert action.ecosystem == "python"
    # sizes are uncompressed, the unit `docker images` prints, and the notes say so
    assert action.size_before_mb is not None and action.size_after_mb is not None
    assert action.size_after_mb < action.size_before_mb
    assert any(w.startswith("Base images (uncompressed") for w in action.warnings)
    assert_properties(PIP, action)


POETRY = """\
FROM python:3.11
ENV PYTHONUNBUFFERED=1
WORKDIR /code
RUN pip install poetry==1.8.3
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false && poetry install --no-root --no-interaction
COPY . .
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
"""


def test_poetry_installs_main_only_into_the_environment() -> None:
    action = by_image(actions(POETRY), "python:3.11-slim")
    result = assert_properties(POETRY, action)
    builder, runtime = result.split("\nFROM python:3.11-slim\n")
    assert "RUN python -m venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv" in builder
    assert "poetry install --only main --no-root --no-interaction" in builder
    assert "COPY --from=build /opt/venv /opt/venv\nCOPY --from=build --chown=app /code /code\n" in (
        runtime
    )
    assert "ENV PYTHONUNBUFFERED=1" in runtime
    assert any("--only main" in w for w in action.warnings)


def test_old_poetry_with_dev_dependencies_is_refused() -> None:
    text = POETRY.replace("poetry==1.8.3", "poetry==1.1.15")
    assert actions(text) == []
    assert "development dependencies" in reasons(text)[0]


UV = """\
FROM python:3.12-bookworm
COPY --from=ghcr.io/astral-sh/uv:0.4.20 /uv /bin/uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-install-project
COPY . .
RUN uv sync --frozen
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"""

UV_SPLIT = """\
FROM python:3.12-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.4.20 /uv /bin/uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH" UV_PROJECT_ENVIRONMENT=/opt/venv
RUN uv sync --no-dev --frozen --no-install-project
COPY . .
RUN uv sync --no-dev --frozen

FROM python:3.12-slim-bookworm
WORKDIR /app
RUN useradd --create-home app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN chown app /app
USER app
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
"""


def test_uv_sync_into_the_environment_same_debian_release() -> None:
    found = actions(UV)
    assert [a.runtime_image for a in found] == ["python:3.12-slim-bookworm"]
    assert apply_edits(UV, found[0].edits) == UV_SPLIT
    assert_properties(UV, found[0])
    # the uv binary from another image stays in the builder
    assert "/bin/uv" not in UV_SPLIT.split("FROM python:3.12-slim")[1]


PIPENV_ALPINE = """\
FROM python:3.10-alpine
RUN apk add --no-cache gcc musl-dev postgresql-dev
WORKDIR /srv
COPY Pipfile Pipfile.lock ./
RUN pip install pipenv && pipenv install --system --deploy
COPY src/ ./src/
CMD ["python", "-m", "src.main"]
"""


def test_pipenv_on_alpine_keeps_musl() -> None:
    found = actions(PIPENV_ALPINE)
    assert [a.runtime_image for a in found] == ["python:3.10-alpine"]
    assert found[0].title.endswith(
        "(runtime on python:3.10-alpine — same image, no build packages)"
    )
    result = assert_properties(PIPENV_ALPINE, found[0])
    runtime = result.split("\nFROM python:3.10-alpine\n")[1]
    assert runtime.startswith(
        "WORKDIR /srv\nRUN apk add --no-cache libpq\nRUN adduser -D app\n"
        "COPY --from=build /opt/venv /opt/venv\nCOPY --from=build --chown=app /srv /srv\n"
    )
    assert "gcc" not in runtime and "postgresql-dev" not in runtime


SLIM_WITH_CLIENT = """\
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev postgresql-client
RUN mkdir /config
COPY requirements.txt /config/
RUN pip install -r /config/requirements.txt
COPY settings.ini /config/
COPY src /code
WORKDIR /code
RUN python manage.py collectstatic --noinput
CMD python manage.py runserver
"""


def test_slim_builder_carries_runtime_packages_and_other_directories() -> None:
    found = actions(SLIM_WITH_CLIENT)
    assert [a.runtime_image for a in found] == ["python:3.12-slim"]
    result = assert_properties(SLIM_WITH_CLIENT, found[0])
    runtime = result.split("\nFROM python:3.12-slim\n")[1]
    assert "apt-get install -y --no-install-recommends libpq5 postgresql-client &&" in runtime
    assert "COPY --from=build /config /config\nCOPY --from=build --chown=app /code /code\n" in (
        runtime
    )


def test_indented_file_keeps_its_indentation() -> None:
    text = "".join(f"  {line}\n" for line in PIP.splitlines())
    result = assert_properties(text, actions(text)[0])
    assert "\n  RUN python -m venv /opt/venv\n  ENV VIRTUAL_ENV" in result


def test_unpinned_minor_warns() -> None:
    text = PIP.replace("python:3.12", "python:3")
    action = actions(text)[0]
    assert action.runtime_image == "python:3-slim"
    assert any("does not pin a Python minor" in w for w in action.warnings)
    assert_properties(text, action)


def test_existing_user_is_kept_and_none_added() -> None:
    text = PIP.replace("EXPOSE 8000", "USER nobody\nEXPOSE 8000")
    result = assert_properties(text, actions(text)[0])
    assert "useradd" not in result and "USER app" not in result


def test_unknown_dev_package_warns() -> None:
    text = PIP.replace("libpq-dev", "libpq-dev libgdal-dev")
    action = actions(text)[0]
    assert any("libgdal-dev" in w for w in action.warnings)
    assert_properties(text, action)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("pip install --no-cache-dir", "pip install --user"), "--user"),
        (("pip install --no-cache-dir", "/usr/local/bin/pip install"), "by its path"),
        (
            (
                'CMD ["gunicorn", "app:app",',
                'ENTRYPOINT ["poetry", "run"]\nCMD ["gunicorn", "app:app",',
            ),
            "poetry run",
        ),
        (('CMD ["gunicorn"', 'CMD ["/usr/local/bin/python", "-m", "gunicorn"'), "outside"),
        (("WORKDIR /app\n", ""), "no WORKDIR"),
        (("WORKDIR /app\n", "WORKDIR /\n"), "in /"),
        (("COPY . .", "COPY . .\nENV PATH=/usr/bin:/bin"), "ENV PATH"),
        (("RUN pip install", "RUN python -m venv /venv && pip install"), "own virtual"),
    ],
    ids=[
        "user",
        "pip-by-path",
        "poetry-run",
        "system-python",
        "no-workdir",
        "root",
        "path-reset",
        "own-venv",
    ],
)
def test_refusals_say_why(change: tuple[str, str], reason: str) -> None:
    text = PIP.replace(*change)
    assert text != PIP
    assert actions(text) == []
    assert reason in reasons(text)[0], reasons(text)


def test_uv_pip_system_is_refused() -> None:
    text = UV.replace("uv sync --frozen --no-install-project", "uv pip install --system -r r.txt")
    assert actions(text) == []
    assert "--system" in reasons(text)[0]


def test_dev_requirements_are_refused() -> None:
    text = PIP.replace("-r requirements.txt", "-r requirements-dev.txt")
    assert actions(text) == []
    assert "development dependencies" in reasons(text)[0]


def test_no_install_is_a_reason() -> None:
    text = """\
FROM python:3.12
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
"""
    assert actions(text) == []
    assert "No Python dependency install" in reasons(text)[0]


SAMPLES = {"pip": PIP, "poetry": POETRY, "uv": UV, "pipenv-alpine": PIPENV_ALPINE}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_variants_are_split_correctly_or_refused(name: str) -> None:
    check_variants(SAMPLES[name])
