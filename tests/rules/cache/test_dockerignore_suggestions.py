"""dockerignore_entries: the lines for a new .dockerignore (the editor action on DKL351)."""

from __future__ import annotations

from dockerls.rules.cache.dockerignore_suggestions import dockerignore_entries
from tests.rules.cache.rule_contexts import rule_context
from tests.test_context import ctx as context


def test_dockerignore_entries_fit_the_dockerfile() -> None:
    node = rule_context(
        "FROM node:22 AS build\nCOPY . .\nRUN npm ci && npm run build\n"
        "FROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\n",
        context("package.json", "node_modules dist"),
    )
    entries = dockerignore_entries(node)
    assert entries[:4] == [".git", ".env", "Dockerfile*", ".dockerignore"]
    assert "**/node_modules" in entries and "dist" in entries and "build" in entries
    assert ".venv" not in entries

    python = rule_context("FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n")
    assert {".venv", "**/__pycache__", "**/*.py[cod]"} <= set(dockerignore_entries(python))

    dotnet = rule_context(
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . .\nRUN dotnet publish -c Release\n"
    )
    assert {"**/bin", "**/obj"} <= set(dockerignore_entries(dotnet))


def test_dockerignore_entries_never_hide_what_a_copy_names() -> None:
    ctx = rule_context(
        "FROM node:22\nCOPY . .\nRUN npm ci && npm run build\nCOPY .env /app/.env\n"
        "COPY dist/index.html /srv/\nRUN git describe --tags > /version\n"
    )
    entries = dockerignore_entries(ctx)
    assert "dist" not in entries and ".env" not in entries and ".git" not in entries
    assert "build" in entries
