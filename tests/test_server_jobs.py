"""The server's analysis jobs, in process: what a request waiting for a newer text gets."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from dockerls.analysis import analyze
from dockerls.server import DockerLanguageServer, create_server
from dockerls.server.analyses import Snapshot

URI = "file:///project/Dockerfile"
TEXT = "FROM alpine\nRUN apk add curl\n"


def opened() -> DockerLanguageServer:
    server = create_server()
    initialize = server.protocol.lsp_initialize(
        types.InitializeParams(capabilities=types.ClientCapabilities())
    )
    next(initialize)  # pygls makes the workspace before it calls our handler
    item = types.TextDocumentItem(uri=URI, language_id="dockerfile", version=2, text=TEXT)
    server.workspace.put_text_document(item)
    return server


async def test_a_finished_job_still_listed_is_not_handed_out_again() -> None:
    """A job's done-callback (which unlists it) runs on a later turn of the loop. A caller
    wanting a newer text than that job's got it back meanwhile, awaited it without
    yielding and asked again: an endless loop that froze the server (lspbench's
    out-of-range didChange probe found it)."""
    server = opened()
    server._stamps[URI] = 2  # the text changed after the finished job read it
    finished: asyncio.Future[Snapshot] = asyncio.get_running_loop().create_future()
    finished.set_result(Snapshot(URI, 1, 1, analyze("FROM alpine\n")))
    server._jobs[URI] = finished
    job = server._job(URI)
    assert job is not finished
    newer = await asyncio.wait_for(server.snapshot(URI), timeout=30)
    assert newer.stamp == 2
    assert newer.analysis.document.text == TEXT
