"""The protocol's edge, byte for byte, through ``tests.raw_lsp``: malformed JSON,
messages out of turn, broken framing, documents never opened, cancellation and bursts
of changes. Each test ends by checking that the server still answers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.generate import dockerfile
from dockerls.rpc import FdReader, read_frames
from tests.raw_lsp import URI, Message, Server, encode, frame


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    started = Server(tmp_path)
    try:
        yield started
    finally:
        started.close()


@pytest.fixture
def running(server: Server) -> Server:
    server.initialize()
    return server


HOVER = {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 1}}


def test_malformed_json_is_a_parse_error(running: Server) -> None:
    running.open("FROM alpine\n")
    bodies = [
        b'{"jsonrpc":"2.0","id":77,"method":"textDocument/hover","params":{',
        b"not json at all",
        b'{"jsonrpc":"2.0","method":"x","params":\xff\xfe}',  # not UTF-8, and not JSON
    ]
    running.write(b"".join(frame(body) for body in bodies))
    for _ in bodies:
        error = running.wait(lambda m: m.get("error", {}).get("code") == -32700)
        running.received.remove(error)
        assert error["id"] is None
    running.still_answers()


NOT_JSON_RPC = [
    (b"[]", None),
    (b'[{"jsonrpc":"2.0","id":5,"method":"shutdown"}]', None),  # LSP has no batches
    (b'"a string"', None),
    (b"null", None),
    (b"42", None),
    (b'{"jsonrpc":"2.0"}', None),
    (b'{"id":7,"method":"textDocument/hover"}', 7),  # no "jsonrpc"
    (b'{"jsonrpc":"1.0","id":8,"method":"textDocument/hover"}', 8),
    (b'{"jsonrpc":"2.0","id":9,"method":42}', 9),
    (b'{"jsonrpc":"2.0","id":[1],"method":"textDocument/hover"}', None),
    (b'{"jsonrpc":"2.0","id":true,"method":"textDocument/hover"}', None),
]


def test_a_message_that_is_not_json_rpc_is_an_invalid_request(running: Server) -> None:
    for body, msg_id in NOT_JSON_RPC:
        running.write(frame(body))
        error = running.next(lambda m: "error" in m)
        assert (error["error"]["code"], error["id"]) == (-32600, msg_id), body
    running.still_answers()
    assert len([m for m in running.responses() if "error" in m]) == len(NOT_JSON_RPC)


def test_a_request_before_initialize(server: Server) -> None:
    asked = server.ask("textDocument/hover", HOVER)
    assert server.error_code(asked) == -32002
    # a notification before initialize is dropped: this document is never opened
    item = {"uri": URI, "languageId": "dockerfile", "version": 1, "text": "FROM early\n"}
    server.notify("textDocument/didOpen", {"textDocument": item})
    server.initialize()
    assert server.error_code(server.ask("textDocument/documentSymbol", HOVER)) == -32803
    assert server.error_code(server.ask("initialize", {"capabilities": {}})) == -32600
    server.still_answers()


def test_requests_after_shutdown(running: Server) -> None:
    running.open("FROM alpine\n")
    assert running.request("shutdown")["result"] is None
    assert running.error_code(running.ask("textDocument/hover", HOVER)) == -32600
    running.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}})
    assert running.error_code(running.ask("textDocument/documentSymbol", HOVER)) == -32600
    running.notify("exit")
    assert running.exit_code() == 0


def test_exit_without_shutdown(running: Server) -> None:
    running.notify("exit")
    assert running.exit_code() == 1


def test_exit_while_a_huge_document_is_analysed(running: Server) -> None:
    text = dockerfile(200) * 100  # seconds of analysis: exit must not wait for it
    item = {"uri": URI, "languageId": "dockerfile", "version": 1, "text": text}
    running.notify("textDocument/didOpen", {"textDocument": item})
    assert running.request("shutdown")["result"] is None
    running.notify("exit")
    assert running.exit_code() == 0


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("textDocument/hover", {"textDocument": 5, "position": "x"}),
        ("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": -1}}),
        ("textDocument/hover", {"position": {"line": 0, "character": 0}}),
        ("textDocument/documentSymbol", None),
        ("textDocument/completion", {"textDocument": {"uri": URI}}),
        ("textDocument/codeAction", {"textDocument": {"uri": URI}, "range": [], "context": {}}),
    ],
    ids=["wrong-types", "negative", "no-document", "no-params", "no-position", "bad-range"],
)
def test_params_that_do_not_fit_are_invalid_params(
    running: Server, method: str, params: Any
) -> None:
    running.open("FROM alpine\n")
    asked = running.ask(method, params)
    assert running.error_code(asked) == -32602
    running.still_answers()


def test_notifications_that_do_not_fit_are_dropped(running: Server) -> None:
    running.open("FROM alpine\n")
    no_text = {"uri": "file:///project/no-text/Dockerfile", "languageId": "x", "version": 1}
    running.notify("textDocument/didOpen", {"textDocument": no_text})
    running.notify("textDocument/didOpen", {"textDocument": {"uri": 17, "text": ["FROM"]}})
    running.notify("textDocument/didChange", {"textDocument": {"uri": URI}})
    running.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": URI, "version": 4},
            "contentChanges": [{"range": {"start": {"line": 0}}, "text": 5}],
        },
    )
    running.still_answers()
    assert [s["name"] for s in running.symbols()["result"]] == ["FROM alpine"]  # unchanged
    assert all("error" not in m for m in running.responses())
    no_text_published = [
        m for m in running.received if m.get("params", {}).get("uri") == no_text["uri"]
    ]
    assert no_text_published == []


def test_unknown_methods(running: Server) -> None:
    assert running.error_code(running.ask("x/y", {})) == -32601
    assert running.error_code(running.ask("$/x", {})) == -32601
    running.notify("x/y", {})
    running.notify("$/x", {})
    running.still_answers()
    assert [m["error"]["code"] for m in running.responses() if "error" in m] == [-32601, -32601]


def test_an_unopened_document_is_never_read_from_disk(server: Server, tmp_path: Path) -> None:
    on_disk = tmp_path / "Dockerfile"
    on_disk.write_text("FROM disk-only-image AS secret\n")
    uri = on_disk.as_uri()
    server.initialize(root=tmp_path)
    position = {"line": 0, "character": 7}
    for method, params in [
        ("textDocument/hover", {"textDocument": {"uri": uri}, "position": position}),
        ("textDocument/documentSymbol", {"textDocument": {"uri": uri}}),
        ("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}}),
    ]:
        assert server.error_code(server.ask(method, params)) == -32803
    # a change to it is dropped and creates no document; closing it publishes nothing
    change = {"range": {"start": position, "end": position}, "text": "x"}
    server.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]},
    )
    assert (
        server.error_code(server.ask("textDocument/documentSymbol", {"textDocument": {"uri": uri}}))
        == -32803
    )
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    server.still_answers()
    assert "disk-only-image" not in json.dumps(server.received)
    assert not [m for m in server.received if m.get("params", {}).get("uri") == uri]


def test_framing(running: Server) -> None:
    running.open("FROM alpine AS one\n")
    symbols = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": "split",
            "method": "textDocument/documentSymbol",
            "params": {"textDocument": {"uri": URI}},
        }
    ).encode()
    # a header block in another case, with a Content-Type, split into 7-byte writes
    data = (
        b"content-length: " + str(len(symbols)).encode() + b"\r\n"
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + symbols
    )
    for start in range(0, len(data), 7):
        running.write(data[start : start + 7])
    assert running.reply("split")["result"][0]["name"] == "FROM alpine AS one"
    # three messages in one write; a header block without a length is skipped
    three = [
        {
            "jsonrpc": "2.0",
            "id": f"joined-{n}",
            "method": "textDocument/documentSymbol",
            "params": {"textDocument": {"uri": URI}},
        }
        for n in range(3)
    ]
    running.write(b"X-Nonsense: 1\r\n\r\n" + b"".join(encode(m) for m in three))
    for n in range(3):
        assert "result" in running.reply(f"joined-{n}")
    running.still_answers()


def test_bytes_that_are_not_utf8_are_read_as_replacement_characters(running: Server) -> None:
    item = b'{"uri":"' + URI.encode() + b'","languageId":"dockerfile","version":1,'
    item += b'"text":"FROM alpine AS \xff\xfeone\\nRUN echo \xc3\x28\\n"}'
    opening = b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":'
    running.write(frame(opening + item + b"}}"))
    running.published(URI, 1)
    names = [s["name"] for s in running.symbols()["result"]]
    assert names[0] == "FROM alpine AS \ufffd\ufffdone"
    hover = b'{"jsonrpc":"2.0","id":"bad-byte","method":"textDocument/hover","params":'
    hover += (
        b'{"textDocument":{"uri":"' + URI.encode() + b'"},"position":{"line":0,"character":1}},'
    )
    hover += b'"x":"\xc0\xaf"}'
    running.write(frame(hover))
    assert "result" in running.reply("bad-byte")
    running.still_answers()


def test_lone_surrogates_in_text_and_in_a_request_id(running: Server) -> None:
    item = (
        '{"uri":"' + URI + '","languageId":"dockerfile","version":1,'
        '"text":"FROM alp\\ud800ine AS st\\udfffage\\nRUN echo \\udc00\\ud800 \\ud83d\\n"}'
    )
    running.write(
        frame(
            (
                '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":'
                '{"textDocument":' + item + "}}"
            ).encode()
        )
    )
    running.published(URI, 1)
    running.write(
        frame(
            (
                '{"jsonrpc":"2.0","id":"\\ud800-id","method":"textDocument/hover",'
                '"params":{"textDocument":{"uri":"' + URI + '"},'
                '"position":{"line":0,"character":1}}}'
            ).encode()
        )
    )
    answer = running.reply("\ud800-id")
    assert "result" in answer
    running.still_answers()


def test_a_cancelled_request_waiting_for_analysis(running: Server) -> None:
    # The hover waits for the analysis of a 2,000-line file; the cancel, in the same
    # write, reaches the server long before that analysis is done.
    item = {"uri": URI, "languageId": "dockerfile", "version": 1, "text": dockerfile(2000)}
    hover = {"jsonrpc": "2.0", "id": "slow", "method": "textDocument/hover", "params": HOVER}
    running.write(
        encode(
            {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}}
        )
        + encode(hover)
        + encode({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": "slow"}})
    )
    assert running.error_code("slow") == -32800
    running.published(URI, 1)
    running.still_answers()


def test_a_burst_of_changes_is_analysed_once(running: Server) -> None:
    """Changes sent together are coalesced: the newest version is published, older ones
    are dropped, and versions only grow."""
    text = dockerfile(2000)
    running.open(text)
    middle = text.count("\n") // 2
    changes = []
    for version in range(2, 52):
        at = {"line": middle, "character": 0}
        end = at if version % 2 == 0 else {"line": middle, "character": 1}
        change = {"range": {"start": at, "end": end}, "text": "x" if version % 2 == 0 else ""}
        changes.append(
            encode(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didChange",
                    "params": {
                        "textDocument": {"uri": URI, "version": version},
                        "contentChanges": [change],
                    },
                }
            )
        )
    running.write(b"".join(changes))
    last = running.published(URI, 51)
    versions = [
        m["params"]["version"]
        for m in running.received
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == URI
    ]
    assert versions == sorted(set(versions))
    assert versions[-1] == 51
    assert len(versions) < 25  # 1 for the open, then far fewer than the 50 changes
    # the newest version's diagnostics are those of its text (the original: 50 edits
    # insert and delete one character in turn, ending with a delete)
    fresh = running.open(text, uri="file:///project/fresh/Dockerfile")
    assert found(fresh) == found(last)
    running.still_answers()


def found(published: Message) -> list[tuple[str, Any, str]]:
    return [(d["code"], d["range"], d["message"]) for d in published["params"]["diagnostics"]]


def test_many_documents_opened_at_once_are_all_published(running: Server) -> None:
    uris = [f"file:///project/many/{n}/Dockerfile" for n in range(12)]
    running.write(
        b"".join(
            encode(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didOpen",
                    "params": {
                        "textDocument": {
                            "uri": uri,
                            "languageId": "dockerfile",
                            "version": 1,
                            "text": f"FROM alpine AS s{n}\nADD x /x\n",
                        }
                    },
                }
            )
            for n, uri in enumerate(uris)
        )
    )
    for n, uri in enumerate(uris):
        assert "DKL405" in {d["code"] for d in running.published(uri, 1)["params"]["diagnostics"]}
        assert running.symbols(uri)["result"][0]["name"] == f"FROM alpine AS s{n}"
    running.still_answers()


def test_read_frames_stops_at_a_truncated_body(tmp_path: Path) -> None:
    source = tmp_path / "frames"
    source.write_bytes(frame(b'{"a":1}') + b"Content-Length: 99\r\n\r\n{}")
    got: list[bytes] = []
    with source.open("rb") as stream:
        read_frames(FdReader(stream.fileno()), got.append)
    assert got == [b'{"a":1}']


LSPBENCH = Path(__file__).resolve().parents[2] / "shared" / "tools" / "lspbench" / "lspbench.py"


@pytest.mark.skipif(not LSPBENCH.is_file(), reason=f"lspbench is not present at {LSPBENCH}")
def test_lspbench_probes(tmp_path: Path) -> None:
    """lspbench's robustness probes and sync check, in their quick form (a 1 MB file,
    200 edits); ``make bench`` runs the full ones."""
    out = tmp_path / "probes.json"
    command = [
        *("--server", f"{sys.executable} -m dockerls serve", "--name", "dockerls"),
        *("--phases", "none", "--fuzz", "--sync-check", "--quick", "--quiet"),
        # Whether the server survives, not how fast: room for a machine busy with other tests.
        *("--probe-timeout", "30"),
        *("--json", str(out)),
    ]
    run = subprocess.run(
        [sys.executable, str(LSPBENCH), *command],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    [result] = json.loads(out.read_text())["results"]
    assert result["errors"] == []
    failed = [p for p in result["fuzz"]["probes"] if not p.get("survived", True)]
    assert failed == [], json.dumps(failed, indent=1)
    assert result["sync_check"]["result"] == "match"
    conformance = result["conformance"]
    # answered before the cancel arrived, or cancelled
    assert conformance.pop("cancelled_request") in ("result", "error -32800")
    assert conformance == {
        "exit_without_shutdown": {"exit_code": 1, "expected": 1},
        "request_before_initialize": "error -32002",
        "parse_error_replies": 3,
        "unknown_method": -32601,
    }
    assert result["shutdown"]["request_after_shutdown"] == "error -32600"
