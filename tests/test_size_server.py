"""Size estimates through a real LSP client: inlay hints and hover read the build context."""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types

from tests.lsp_helpers import CLIENTS, capabilities, open_document, start

TEXT = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"


async def test_inlay_and_hover_estimate_from_the_context(tmp_path: Path) -> None:
    (tmp_path / "big.bin").write_bytes(b"\0" * 6_000_000)
    lock = {"packages": {"": {}, "node_modules/typescript": {"version": "5.9.3"}}}
    (tmp_path / "package-lock.json").write_text(json.dumps(lock))
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(TEXT)
    uri = dockerfile.as_uri()
    client, _ = await start(capabilities(CLIENTS[0]), root_uri=tmp_path.as_uri())
    try:
        await open_document(client, TEXT, uri=uri)
        doc = types.TextDocumentIdentifier(uri=uri)
        whole = types.Range(start=types.Position(0, 0), end=types.Position(4, 0))
        hints = await client.text_document_inlay_hint_async(
            types.InlayHintParams(text_document=doc, range=whole)
        )
        assert hints is not None
        by_line = {h.position.line: h.label for h in hints if "≈" in str(h.label)}
        assert by_line[2] == "≈ +6 MB"  # COPY . . — big.bin, from the disk
        assert str(by_line[3]).startswith("≈ +")  # npm ci, from the lockfile
        assert str(by_line[0]).endswith("MB stage")
        found = await client.text_document_hover_async(
            types.HoverParams(text_document=doc, position=types.Position(3, 1))
        )
        assert found is not None
        assert isinstance(found.contents, types.MarkupContent)
        assert "typescript (npm)" in found.contents.value
    finally:
        await client.shutdown_session()
        await client.stop()
