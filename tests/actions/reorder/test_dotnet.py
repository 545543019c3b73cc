"""The reorder for .NET: project files and ``dotnet restore``."""

from __future__ import annotations

from tests.actions.reorder.guarantees import context, rewrite


def test_dotnet_with_project_files_from_the_context() -> None:
    rewrite(
        "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /source\nCOPY . .\n"
        "RUN dotnet publish -c Release -o /app\n",
        context("Shop.sln nuget.config src/Shop.Api.csproj", "src"),
        expected="FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /source\n"
        "COPY Shop.sln nuget.config ./\nCOPY src/Shop.Api.csproj ./src/\nRUN dotnet restore\n"
        "COPY . .\nRUN dotnet publish -c Release -o /app\n",
        instructions=7,
    )


def test_dotnet_restore_of_a_named_project_moves() -> None:
    action = rewrite(
        "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /app\nCOPY . .\n"
        "RUN dotnet restore Api.csproj -r linux-x64\nRUN dotnet publish Api.csproj -c Release\n",
        expected="FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /app\nCOPY Api.csproj ./\n"
        "RUN dotnet restore Api.csproj -r linux-x64\nCOPY . .\n"
        "RUN dotnet publish Api.csproj -c Release\n",
        instructions=6,
    )
    assert action.unsafe_reason is not None  # no context: referenced projects are unknown
