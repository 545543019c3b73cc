"""End to end: the split refactor through pytest-lsp, as VS Code and Neovim see it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_lsp
from lsprotocol import types

from tests.lsp_helpers import (
    CLIENTS,
    CONFIG,
    TIMEOUT,
    Client,
    apply_to_document,
    capabilities,
    code_actions,
    open_document,
    resolved,
)
from tests.test_split import GO  # the single-stage Go build the split tests share

# A build no planner knows how to split: Ruby, built with make.
UNSUPPORTED = """\
FROM ruby:3.3
RUN apt-get update && apt-get install -y --no-install-recommends gcc \\
    && rm -rf /var/lib/apt/lists/*
COPY . /app
RUN make -C /app
CMD ["ruby", "/app/main.rb"]
"""

SHIPPED_BUILD = {"DKL201", "DKL202", "DKL203", "DKL204"}


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS)
async def client(lsp_client: Client, request: pytest.FixtureRequest) -> AsyncIterator[None]:
    caps = capabilities(request.param)
    await lsp_client.initialize_session(types.InitializeParams(capabilities=caps))
    yield
    await lsp_client.shutdown_session()


def _splits(actions: list[types.CodeAction]) -> list[types.CodeAction]:
    return [a for a in actions if a.title.startswith("Split into build and runtime stages")]


async def test_the_split_is_offered_resolved_and_applied(client: Client) -> None:
    published = await open_document(client, GO)
    [single] = [d for d in published.diagnostics if d.code == "DKL203"]
    actions = _splits(await code_actions(client, single.range, [single]))
    distroless, scratch = (a.title for a in actions)
    # The knowledge base has only golang's compressed pull size, not the uncompressed size
    # every figure dockerls shows is in: no estimate in the titles rather than mixed units.
    assert distroless == (
        "Split into build and runtime stages (runtime on gcr.io/distroless/static-debian13:nonroot)"
    )
    assert scratch.startswith("Split into build and runtime stages (runtime on scratch")
    assert " MB" not in scratch
    assert all(a.kind == types.CodeActionKind.RefactorRewrite for a in actions)
    assert all(not a.is_preferred for a in actions)
    action = await resolved(client, actions[0])
    assert action.edit is not None
    new, after = await apply_to_document(client, GO, action.edit, version=2)
    assert new.splitlines()[7:10] == [
        "FROM gcr.io/distroless/static-debian13:nonroot",
        "WORKDIR /src",
        "COPY --from=build /bin/server /bin/server",
    ]
    assert not {d.code for d in after.diagnostics} & SHIPPED_BUILD
    # Split once: the result is not offered a second split.
    assert _splits(await code_actions(client, types.Range(start=_at(0), end=_at(20)))) == []


async def test_the_notes_are_shown_when_the_client_runs_the_command(client: Client) -> None:
    published = await open_document(client, GO)
    [single] = [d for d in published.diagnostics if d.code == "DKL203"]
    action = _splits(await code_actions(client, single.range, [single]))[1]  # scratch
    assert action.command is not None
    assert action.command.command == "dockerls.showNotes"
    waiting = client.protocol.wait_for_notification_async(types.WINDOW_SHOW_MESSAGE)
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=action.command.command, arguments=action.command.arguments
        )
    )
    shown = await asyncio.wait_for(waiting, TIMEOUT)
    assert isinstance(shown, types.ShowMessageParams)
    assert shown.type == types.MessageType.Info
    assert shown.message.startswith(action.title + ":\n- Only the binary /bin/server reaches")


@pytest.mark.parametrize("name", CLIENTS)
async def test_an_impossible_split_is_disabled_with_its_reason(name: str) -> None:
    client = await CONFIG.start()
    assert isinstance(client, Client)
    try:
        await client.initialize_session(types.InitializeParams(capabilities=capabilities(name)))
        published = await open_document(client, UNSUPPORTED)
        assert "DKL203" in {d.code for d in published.diagnostics}
        whole = types.Range(start=_at(0), end=_at(3))
        actions = _splits(await code_actions(client, whole, only=["refactor"]))
        if name == "visual-studio-code":  # it shows disabled actions, faded, with the reason
            [action] = actions
            assert action.disabled is not None
            assert "No `bundle install` was found" in action.disabled.reason
            assert action.edit is None
            assert action.data is None
        else:  # Neovim does not: nothing is offered rather than an action that fails
            assert actions == []
        await client.shutdown_session()
    finally:
        await client.stop()


def _at(line: int) -> types.Position:
    return types.Position(line=line, character=0)
