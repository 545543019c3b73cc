"""JSON-RPC over stdio: framing, message checks and the lifecycle rules pygls leaves out.

pygls answers well-formed requests. What it leaves unanswered or half-answered is the
protocol's edge, and that lives here:

- a body that is not JSON gets ``ParseError`` (id null; bytes that are not UTF-8 are
  read as U+FFFD, not refused); a message that is not a
  JSON-RPC object gets ``InvalidRequest``; a request whose params do not fit the
  method's type gets ``InvalidParams``; the reader then goes on with the next frame;
- a request before ``initialize`` gets ``ServerNotInitialized`` and a notification is
  dropped (``exit`` excepted); a request after ``shutdown`` gets ``InvalidRequest``;
- a ``didChange`` for a document never opened is dropped with a log line.

Frames are read on a thread of their own (blocking reads; one hand-off to the event
loop per message), so a handler that awaits work on another thread does not stop
the reading, and a burst of changes queues up to be coalesced.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Generator
from typing import Any, BinaryIO, Protocol
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcRequestCancelled
from pygls.io_ import StdoutWriter
from pygls.protocol import LanguageServerProtocol, lsp_method

log = logging.getLogger(__name__)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002
# The largest body read; a longer one is skipped (no client sends that much).
MAX_BODY_BYTES = 1 << 28
# The longest header line looked at.
_MAX_HEADER_LINE = 1 << 12
_CHUNK = 1 << 20


class Wire:
    """A handler's result already in its JSON form: sent as it is, without lsprotocol's
    converter (which takes several times longer on a big result such as an outline)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


class RpcProtocol(LanguageServerProtocol):
    """pygls' language server protocol with the protocol's edges answered."""

    # The state of the session: before initialize, running, or shut down (pygls'
    # ``_shutdown``).
    _initialized = False
    # What a request waits for before its handler runs (set by the server): given the
    # request's params, an awaitable, or None to run the handler at once.
    prepare: Callable[[Any], Awaitable[None] | None] | None = None

    def receive(self, body: bytes) -> None:
        """Handle one frame's body; bytes that are not UTF-8 become U+FFFD (a document
        with a stray byte is still opened, and a request with one still answered)."""
        try:
            data = json.loads(body.decode("utf-8", errors="replace"))
        except (ValueError, RecursionError) as error:
            log.warning("unreadable message (%s): %.80r", error, body)
            self.reply_error(None, PARSE_ERROR, f"Parse error: {error}")
            return
        self.dispatch(data)

    def dispatch(self, data: object) -> None:
        """Check a decoded message and hand it to pygls, or answer what is wrong."""
        if not isinstance(data, dict) or data.get("jsonrpc") != self.VERSION:
            msg_id = _valid_id(data.get("id")) if isinstance(data, dict) else None
            log.warning("not a JSON-RPC 2.0 message: %.80r", data)
            self.reply_error(msg_id, INVALID_REQUEST, "Invalid request: not a JSON-RPC 2.0 object")
            return
        method = data.get("method")
        if method is None and ("result" in data or "error" in data):
            if _valid_id(data.get("id")) is not None:
                self.take_response(data)
            return
        has_id = "id" in data
        msg_id = _valid_id(data.get("id"))
        if not isinstance(method, str) or (has_id and msg_id is None):
            log.warning("invalid JSON-RPC message: %.80r", data)
            self.reply_error(msg_id, INVALID_REQUEST, "Invalid request: bad method or id")
            return
        if method != types.EXIT and not self.admits(method, msg_id if has_id else None):
            return
        try:
            message = self.structure_message(data)
        except JsonRpcException as error:
            log.warning("%s with params that do not fit: %.200r", method, data.get("params"))
            if has_id:
                self.reply_error(msg_id, INVALID_PARAMS, f"Invalid params for {method}: {error}")
            return
        if method == types.INITIALIZE:
            self._initialized = True
        # pygls' handle_message tells requests from notifications with isinstance checks
        # against typing Protocols, which cost more than the rest of a keystroke; the
        # message's own fields have already told us.
        run = contextvars.copy_context().run
        if has_id:
            run(self._handle_request, msg_id, method, message.params)
        else:
            run(self._handle_notification, method, message.params)

    def admits(self, method: str, msg_id: int | str | None) -> bool:
        """Whether the session's state lets ``method`` in; answers a request it refuses."""
        if self._shutdown:
            refusal = (INVALID_REQUEST, "Invalid request: the server is shutting down")
        elif not self._initialized and method != types.INITIALIZE:
            refusal = (SERVER_NOT_INITIALIZED, "Server not initialized")
        elif self._initialized and method == types.INITIALIZE:
            refusal = (INVALID_REQUEST, "Invalid request: initialize was already sent")
        else:
            return True
        if msg_id is not None:
            self.reply_error(msg_id, *refusal)
        else:
            log.info("notification %s ignored: %s", method, refusal[1])
        return False

    def take_response(self, data: dict[str, Any]) -> None:
        """A client's answer to one of our requests; one that does not fit its type
        fails the request instead of leaving it pending forever."""
        try:
            message = self.structure_message(data)
        except JsonRpcException as error:
            error_data = types.ResponseError(
                code=INVALID_PARAMS, message=f"the client's answer does not fit: {error}"
            )
            self._handle_response(data["id"], None, error_data)
            return
        self.handle_message(message)

    def notify_json(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification whose params are JSON already (lsprotocol's converter is
        the costliest step of publishing diagnostics on every keystroke)."""
        self._send_data({"jsonrpc": self.VERSION, "method": method, "params": params})

    def _send_response(
        self, msg_id: Any, result: Any | None = None, error: types.ResponseError | None = None
    ) -> None:
        if error is None and isinstance(result, Wire):
            self._result_types.pop(msg_id, None)
            self._send_data({"jsonrpc": self.VERSION, "id": msg_id, "result": result.value})
            return
        super()._send_response(msg_id, result, error)

    def reply_error(self, msg_id: int | str | None, code: int, message: str) -> None:
        self._send_data(
            {"jsonrpc": self.VERSION, "id": msg_id, "error": {"code": code, "message": message}}
        )

    def _handle_request(self, msg_id: Any, method_name: str, params: Any) -> None:
        """Run the handler, after what ``prepare`` says to wait for (off the loop).

        The wait is a request future like any other: ``$/cancelRequest`` cancels it
        and the client gets ``RequestCancelled``.
        """
        waiting = self.prepare(params) if self.prepare is not None else None
        if waiting is None:
            super()._handle_request(msg_id, method_name, params)
            return
        handle = super()._handle_request

        async def when_ready() -> None:
            try:
                await waiting
            except JsonRpcException as error:
                self._send_response(msg_id, error=error.to_response_error())
                return
            except Exception:
                # The handler meets the same failure and answers it as pygls does.
                log.exception("preparing request %r failed", msg_id)
            if futures.get(msg_id) is task:
                del futures[msg_id]
            handle(msg_id, method_name, params)

        def cancelled(task: asyncio.Future[None]) -> None:
            if task.cancelled():
                if asyncio.iscoroutine(waiting):
                    waiting.close()  # cancelled before it started
                error = JsonRpcRequestCancelled(f"request {msg_id!r} was cancelled")
                self._send_response(msg_id, error=error.to_response_error())

        futures: dict[Any, Any] = self._request_futures  # pygls keeps asyncio futures too
        task = asyncio.ensure_future(when_ready())
        task.add_done_callback(cancelled)
        futures[msg_id] = task

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        """Apply the changes to an open document; a change to any other is dropped."""
        uri = params.text_document.uri
        if self.workspace.text_documents.get(unquote(uri)) is None:
            log.warning("didChange for %s, which is not open: ignored", uri)
            return
        yield from super().lsp_text_document__did_change(params)


def _valid_id(value: object) -> int | str | None:
    """A request id as LSP allows it (an integer or a string), else None."""
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return None


# --- framing ---------------------------------------------------------------------------


class Stream(Protocol):
    def readline(self, limit: int, /) -> bytes: ...

    def read(self, size: int, /) -> bytes: ...


class FdReader:
    """Blocking reads straight from a file descriptor.

    Not ``sys.stdin.buffer``: a daemon thread blocked inside a buffered reader holds
    its lock, and the interpreter aborts at exit when it cannot take that lock.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.pending = bytearray()

    def _fill(self) -> bool:
        chunk = os.read(self.fd, _CHUNK)
        self.pending += chunk
        return bool(chunk)

    def _take(self, size: int) -> bytes:
        taken = bytes(self.pending[:size])
        del self.pending[:size]
        return taken

    def readline(self, limit: int, /) -> bytes:
        start = 0
        while True:
            end = self.pending.find(b"\n", start, limit)
            if end >= 0:
                return self._take(end + 1)
            start = len(self.pending)
            if start >= limit or not self._fill():
                return self._take(limit)

    def read(self, size: int, /) -> bytes:
        while len(self.pending) < size and self._fill():
            pass
        return self._take(size)


def read_frames(stream: Stream, deliver: Callable[[bytes], object]) -> None:
    """Read ``Content-Length``-framed bodies from ``stream`` until it ends.

    Header names are compared without case and other headers (``Content-Type``) are
    skipped; a header block without a usable length is skipped with a log line; a
    body longer than ``MAX_BODY_BYTES`` is read and thrown away.
    """
    while True:
        length = _read_header_block(stream)
        if length is None:
            return
        if length > MAX_BODY_BYTES:
            log.warning("a %d-byte message is too long: skipped", length)
            if not _discard(stream, length):
                return
            continue
        body = stream.read(length)
        if len(body) < length:
            return
        deliver(body)


def _read_header_block(stream: Stream) -> int | None:
    """The content length of the next header block; None at the end of the stream."""
    length: int | None = None
    seen = False
    while True:
        line = stream.readline(_MAX_HEADER_LINE)
        if not line:
            return None
        if not line.strip():
            if length is not None:
                return length
            if seen:
                log.warning("a header block without a valid Content-Length: skipped")
            seen = False
            continue
        seen = True
        name, colon, value = line.partition(b":")
        if colon and name.strip().lower() == b"content-length":
            text = value.strip()
            length = int(text) if text.isdigit() else None


def _discard(stream: Stream, length: int) -> bool:
    while length > 0:
        chunk = stream.read(min(length, _CHUNK))
        if not chunk:
            return False
        length -= len(chunk)
    return True


def serve(protocol: RpcProtocol, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Serve on stdin/stdout until the input ends or the client says ``exit``."""
    protocol.set_writer(StdoutWriter(stdout))
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt, SystemExit):
        asyncio.run(_serve(protocol, stdin))


async def _serve(protocol: RpcProtocol, stdin: BinaryIO) -> None:
    source = FdReader(stdin.fileno())
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[None] = loop.create_future()

    def end() -> None:
        if not ended.done():
            ended.set_result(None)

    def read() -> None:
        try:
            read_frames(source, lambda body: loop.call_soon_threadsafe(protocol.receive, body))
        except RuntimeError:  # the loop is closed: the server has exited
            return
        except Exception:
            log.exception("reading the client's messages failed")
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(end)

    threading.Thread(target=read, name="dockerls-reader", daemon=True).start()
    await ended
