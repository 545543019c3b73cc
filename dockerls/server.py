"""The language server: thin pygls glue between the protocol and ``analyze``.

Each handler fetches the document, asks the core, converts with ``dockerls.convert``
and returns. The state kept here is the settings, the last analysis of each open
document and whether the first configuration has arrived. ``dockerls.rpc`` reads the
messages and answers what is malformed or out of turn.

Analysis runs off the event loop, on threads (one per document at a time, at most
``MAX_ANALYSES`` at once), so a huge document never stops the server from answering
about the others. Every open and change stamps the
document (a counter that only grows); the latest stamp wins:

- diagnostics: a change asks for a publish; one task per document analyses the
  newest text and publishes only if no change came meanwhile, otherwise it goes again.
  A burst of changes is analysed once (at most one analysis per document runs at a
  time) and an older version is never published after a newer one;
- requests about a document first wait (without blocking the loop) for an analysis at
  least as new as the text when they arrived, then run with that analysis pinned.

Diagnostics are published only once the client's configuration is known (or it is
late), so a user never sees findings with the wrong severities flash by.

A request about a document that is not open is refused (``RequestFailed``): the
server never reads a document's text from disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import queue
import re
import sys
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import FeatureRequestError, JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument, Workspace

from dockerls import __version__, convert
from dockerls.config import Settings
from dockerls.features.semantic import TOKEN_MODIFIERS, TOKEN_TYPES
from dockerls.rpc import RpcProtocol, Wire, serve

if TYPE_CHECKING:
    from dockerls.actions.offers import Action, Surroundings
    from dockerls.analysis import Analysis, Analyzer
    from dockerls.context import BuildContext
    from dockerls.features.formatting import FormatOptions
    from dockerls.findings import TextEdit
    from dockerls.size import ContextFiles
    from dockerls.syntax.model import Position

log = logging.getLogger(__name__)

SECTION = "dockerls"
# How long to wait for the client's configuration before publishing with what we have.
_CONFIGURATION_TIMEOUT = 5.0
# How many documents are analysed at once (each on a thread of its own).
MAX_ANALYSES = 3
# The largest .dockerignore read to append entries to it.
MAX_BESIDE_BYTES = 1 << 20


_LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")

_T = TypeVar("_T")


class DocumentNotOpen(JsonRpcException):
    """A request about a document the client has not opened (LSP's RequestFailed)."""

    CODE = -32803
    MESSAGE = "Request failed"


@dataclass(frozen=True)
class Snapshot:
    """One analysis and what it was made from: the document's stamp and version."""

    uri: str
    stamp: int
    version: int | None
    analysis: Analysis


# The analysis a request runs with, set before its handler runs (see ``prepare_request``).
_PINNED: ContextVar[Snapshot | None] = ContextVar("dockerls_pinned", default=None)


class _Workers:
    """Daemon threads that run analyses, started when first needed and then kept.

    A thread per analysis would cost a keystroke more than the analysis itself:
    ``Thread.start`` waits until the new thread runs, and that thread then holds the
    GIL for up to the switch interval. Kept threads wait on a queue instead. Daemon
    threads, not an executor: an analysis still running must not hold up the process
    when the client says ``exit``. At most as many threads as analyses ever ran at
    once (``MAX_ANALYSES``).
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.idle = threading.Condition()  # notified when a thread becomes idle
        self._idle = 0  # threads waiting for work that no job has claimed yet
        self.threads = 0

    def submit(self, job: Callable[[], None]) -> None:
        with self.idle:
            claimed = self._idle > 0
            if claimed:
                self._idle -= 1
            else:
                self.threads += 1
        self._queue.put(job)
        if not claimed:
            threading.Thread(target=self._work, name="dockerls-analysis", daemon=True).start()

    def idle_threads(self) -> int:
        return self._idle

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                job()
            except Exception:  # jobs report their own failures; this one did not
                log.exception("an analysis job failed")
            del job  # waiting for the next, it must not keep this one's analysis alive
            with self.idle:
                self._idle += 1
                self.idle.notify_all()


_WORKERS = _Workers()


def _in_thread(work: Callable[[], _T]) -> asyncio.Future[_T]:
    """Run ``work`` on a worker thread; its outcome arrives on the loop."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def settle(outcome: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(outcome)

    def run() -> None:
        outcome: Any = None
        error: BaseException | None = None
        try:
            outcome = work()
        except Exception as caught:
            error = caught
        with contextlib.suppress(RuntimeError):  # the loop is closed: the server has exited
            loop.call_soon_threadsafe(settle, outcome, error)

    _WORKERS.submit(run)
    return future


class LspTextDocument(TextDocument):
    """A document whose lines break where LSP says: at \\r\\n, \\n and \\r only.

    pygls splits with ``str.splitlines``, which also breaks at U+2028, U+2029,
    U+0085, form feeds and vertical tabs; an incremental edit after such a
    character would land on the wrong line and the server's copy would drift.
    """

    # The lines of ``_source`` (with their breaks) while it is the text they were split
    # from: an edit replaces the lines it touches instead of splitting the text again.
    _split: tuple[str, list[str]] | None = None

    def _lines(self) -> list[str]:
        source = self.source
        if self._split is None or self._split[0] is not source:
            self._split = (source, _LSP_LINE.findall(source))
        return self._split[1]

    @property
    def lines(self) -> Sequence[str]:
        return tuple(self._lines())

    def apply_change(self, change: types.TextDocumentContentChangeEvent) -> None:
        """Apply a change; an inverted range (end before start) is normalised, as
        editors do, instead of duplicating the text between the two positions."""
        if isinstance(change, types.TextDocumentContentChangePartial):
            start, end = change.range.start, change.range.end
            if (end.line, end.character) < (start.line, start.character):
                change = types.TextDocumentContentChangePartial(
                    range=types.Range(start=end, end=start),
                    text=change.text,
                    range_length=change.range_length,
                )
        super().apply_change(change)

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        """pygls' edit, on the lines it touches: the same text, without walking every line."""
        lines = self._lines()
        edited = self._position_codec.range_from_client_units(lines, change.range)
        first, last = edited.start.line, edited.end.line
        if first >= len(lines):  # at the very end
            self._source = self.source + change.text
            return
        middle = lines[first][: edited.start.character] + change.text
        if last < len(lines):
            middle += lines[last][edited.end.character :]
        pieces = _LSP_LINE.findall(middle)
        joins = (first > 0 and lines[first - 1].endswith("\r") and middle.startswith("\n")) or (
            last + 1 < len(lines)
            and (not pieces or not pieces[-1].endswith(("\r", "\n")) or middle.endswith("\r"))
        )
        lines[first : last + 1] = pieces
        source = self._source = "".join(lines)
        # Where the edit's ends meet the lines around it a break may be made or undone
        # (an \r before an \n, a line without its break): those lines are split again.
        self._split = None if joins else (source, lines)

    @property
    def source(self) -> str:
        """The text the client sent; never the file on disk (pygls reads it when a
        document was not opened)."""
        return self._source or ""


def _use_lsp_lines(workspace: Workspace) -> None:
    """Make the workspace create ``LspTextDocument``s (pygls has no public hook)."""

    def create(
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=workspace._sync_kind,
            position_codec=workspace.position_codec,
        )

    workspace._create_text_document = create  # type: ignore[method-assign]


def _merge(base: Mapping[str, Any], override: object) -> object:
    """Workspace settings layered over the initialization options, key by key: a table
    (``severity``) is merged too, so a key the workspace does not send keeps its value."""
    if override is None:
        return base
    if isinstance(override, Mapping):
        merged = dict(base)
        for key, value in override.items():
            below = merged.get(key)
            if isinstance(below, Mapping) and isinstance(value, Mapping):
                merged[key] = _merge(below, value)
            else:
                merged[key] = value
        return merged
    return override  # not an object: Settings.from_mapping explains what is wrong


class DockerLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "dockerls",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=RpcProtocol,
        )
        assert isinstance(self.protocol, RpcProtocol)
        self.rpc: RpcProtocol = self.protocol
        self.rpc.prepare = self.prepare_request
        self.settings = Settings()
        self._editor_settings: object = None  # as the client sent them, layered over files
        self._surroundings: dict[str, tuple[BuildContext, Settings]] = {}
        self._context_files: dict[str, ContextFiles | None] = {}
        self.shutdown_requested = False
        self._initialization_options: Mapping[str, Any] = {}
        self._complaints: frozenset[str] = frozenset()
        self._analyses: dict[str, Snapshot] = {}  # the newest analysis of each document
        self._analyzers: dict[str, Analyzer] = {}  # one per open document
        self._stamps: dict[str, int] = {}  # each open document's latest stamp
        self._clock = itertools.count(1)
        self._jobs: dict[str, asyncio.Future[Snapshot]] = {}  # at most one per document
        self._publishers: dict[str, asyncio.Task[None]] = {}  # at most one per document
        self._slots = asyncio.Semaphore(MAX_ANALYSES)
        self._ready = False
        self._first_pull: asyncio.Future[None] | None = None  # held so it is not collected

    # --- what the client supports ----------------------------------------------------

    @property
    def encoding(self) -> str:
        """The negotiated position encoding (pygls chooses it during ``initialize``)."""
        encoding = self.workspace.position_encoding or convert.UTF16
        return encoding.value if isinstance(encoding, types.PositionEncodingKind) else encoding

    def supports(self, field: Any) -> bool:
        return bool(get_capability(self.client_capabilities, field, False))

    def reads_markdown(self, formats_field: str) -> bool:
        """Whether the client's preferred format at ``formats_field`` (a list of
        ``MarkupKind``, most preferred first) is Markdown; a client that says nothing does."""
        formats = get_capability(self.client_capabilities, formats_field, None)
        return not formats or formats[0] == types.MarkupKind.Markdown

    # --- analysis --------------------------------------------------------------------

    def document(self, uri: str) -> TextDocument:
        """The open document at ``uri``; refused (never read from disk) when not open."""
        found: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        if found is None:
            raise DocumentNotOpen(f"{uri} is not open")
        return found

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents

    def analysis(self, uri: str) -> Analysis:
        """The analysis a handler works on (see ``analysed``)."""
        return self.analysed(uri).analysis

    def analysed(self, uri: str) -> Snapshot:
        """The request's pinned analysis, else the current one.

        Computed here, on the event loop, only when a caller did not go through
        ``prepare_request`` and nothing current is cached.
        """
        pinned = _PINNED.get()
        if pinned is not None and pinned.uri == uri:
            return pinned
        document = self.document(uri)
        cached = self._analyses.get(uri)
        if cached is not None and cached.stamp >= self._stamps.get(uri, 0):
            return cached
        settings, context = self.inputs(uri)
        found = Snapshot(
            uri,
            self._stamps.get(uri, 0),
            document.version,
            self.analyzer(uri).analyze(document.source, settings, context),
        )
        self._keep(found)
        return found

    def prepare_request(self, params: object) -> Awaitable[None] | None:
        """What a request about an open document waits for before its handler runs:
        an analysis at least as new as the text now (None: nothing to wait for)."""
        uri = convert.request_uri(params)
        if uri is None or not self.is_open(uri):
            return None
        cached = self._analyses.get(uri)
        if cached is not None and cached.stamp >= self._stamps.get(uri, 0):
            return None
        return self._pin(uri)

    async def _pin(self, uri: str) -> None:
        _PINNED.set(await self.snapshot(uri))

    async def snapshot(self, uri: str) -> Snapshot:
        """An analysis of the document at least as new as its text now, made off the loop."""
        wanted = self._stamps.get(uri, 0)
        while True:
            self.document(uri)  # still open
            cached = self._analyses.get(uri)
            if cached is not None and cached.stamp >= wanted:
                return cached
            done = await asyncio.shield(self._job(uri))
            if done.stamp >= wanted:
                return done

    def _job(self, uri: str) -> asyncio.Future[Snapshot]:
        """The analysis of ``uri`` under way, else a new one of its text as it is when
        one of the ``MAX_ANALYSES`` threads is free."""
        running = self._jobs.get(uri)
        if running is not None and not running.done():
            return running
        # A finished job may still be listed (its callback has not run yet): it must not be
        # handed out again, or a caller wanting a newer text would loop on it forever.

        async def analysed_in_thread() -> Snapshot:
            async with self._slots:
                document = self.document(uri)
                stamp, version, text = self._stamps.get(uri, 0), document.version, document.source
                settings, context = self.inputs(uri)
                analyzer = self.analyzer(uri)
                return await _in_thread(
                    lambda: Snapshot(uri, stamp, version, analyzer.analyze(text, settings, context))
                )

        job = asyncio.ensure_future(analysed_in_thread())
        self._jobs[uri] = job

        def finished(job: asyncio.Future[Snapshot]) -> None:
            if self._jobs.get(uri) is job:
                del self._jobs[uri]
            if not job.cancelled() and job.exception() is None:
                self._keep(job.result())

        job.add_done_callback(finished)
        return job

    def analyzer(self, uri: str) -> Analyzer:
        """The document's analyzer: it reuses what an edit did not change (thread-safe)."""
        found = self._analyzers.get(uri)
        if found is None:
            from dockerls.analysis import Analyzer

            found = self._analyzers[uri] = Analyzer()
        return found

    def _keep(self, found: Snapshot) -> None:
        """Cache an analysis unless the document closed or a newer one is cached."""
        cached = self._analyses.get(found.uri)
        if self.is_open(found.uri) and (cached is None or cached.stamp < found.stamp):
            self._analyses[found.uri] = found

    def inputs(self, uri: str) -> tuple[Settings, BuildContext]:
        """The settings (editor over configuration files) and build context of a document."""
        context, file_settings = self.surroundings(uri)
        settings = self.settings
        if file_settings != Settings():
            settings, _ = Settings.from_mapping(self._editor_settings, file_settings)
        return settings, context

    def surroundings(self, uri: str) -> tuple[BuildContext, Settings]:
        """The build context and configuration-file settings next to a document.

        Read once per document from disk (inside its workspace folder only, see
        ``workspace_root_of``), and again when a document is saved. An unsaved or
        non-file document has neither.
        """
        found = self._surroundings.get(uri)
        if found is None:
            from dockerls.config_io import find_config
            from dockerls.context import CONTEXT_EMPTY
            from dockerls.context_io import read_build_context

            found = (CONTEXT_EMPTY, Settings())
            path = to_fs_path(uri) if uri.startswith("file:") else None
            root = self.workspace_root_of(path) if path is not None else None
            if path is not None and root is not None:
                config = find_config(Path(path), root)
                for complaint in config.complaints:
                    self.tell(types.MessageType.Warning, complaint)
                found = (read_build_context(Path(path), workspace_root=root), config.settings)
            self._surroundings[uri] = found
        return found

    def context_files(self, uri: str) -> ContextFiles | None:
        """The build context's files with their sizes, for the size estimates only: read on
        the first inlay or hover request that needs them, again after a save."""
        if uri not in self._context_files:
            from dockerls.context_io import read_context_files

            context, _ = self.surroundings(uri)
            path = to_fs_path(uri) if uri.startswith("file:") else None
            # on the event loop: a smaller bound than the CLI's (more files make a lower bound)
            found = read_context_files(context, Path(path).parent, 5_000) if path else None
            self._context_files[uri] = found
        return self._context_files[uri]

    def saved(self) -> None:
        """A save may have changed a .dockerignore, a lockfile or a config file."""
        self._surroundings.clear()
        self._context_files.clear()
        self._analyses.clear()
        self.publish_all()

    def closed(self, uri: str) -> None:
        self._analyses.pop(uri, None)
        self._analyzers.pop(uri, None)
        self._surroundings.pop(uri, None)
        self._context_files.pop(uri, None)
        if self._stamps.pop(uri, None) is None:
            return  # never opened: nothing was published
        self._send_diagnostics(uri, [], None)

    def publish(self, uri: str) -> None:
        """Stamp the document's text as new and publish its diagnostics soon."""
        if not self.is_open(uri):
            return
        self._stamps[uri] = next(self._clock)
        if not self._ready:
            return  # published for every open document once the configuration arrives
        if uri not in self._publishers:
            self._publishers[uri] = asyncio.ensure_future(self._publish_newest(uri))

    async def _publish_newest(self, uri: str) -> None:
        """Analyse the newest text until no change came meanwhile, then publish it."""
        try:
            while self.is_open(uri):
                try:
                    found = await self.snapshot(uri)
                    if found.stamp != self._stamps.get(uri):
                        continue  # changed meanwhile: this version is never published
                    diagnostics = convert.diagnostics(found.analysis, uri, self.encoding)
                except DocumentNotOpen:
                    return
                except Exception as error:  # a bug in a rule must not pop up on every keystroke
                    log.exception("analysis of %s failed", uri)
                    self.window_log_message(
                        types.LogMessageParams(
                            type=types.MessageType.Error,
                            message=f"could not analyse {uri}: {error!r}",
                        )
                    )
                    return
                self._send_diagnostics(uri, diagnostics, found.version)
                return
        finally:
            self._publishers.pop(uri, None)

    def _send_diagnostics(
        self, uri: str, diagnostics: list[convert.WireDiagnostic], version: int | None
    ) -> None:
        params: dict[str, Any] = {"uri": uri, "diagnostics": diagnostics}
        if version is not None:
            params["version"] = version
        self.rpc.notify_json(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def publish_all(self) -> None:
        for document in list(self.workspace.text_documents.values()):
            self.publish(document.uri)

    # --- code actions ----------------------------------------------------------------

    @property
    def resolves_edits(self) -> bool:
        """Whether the client resolves a code action's ``edit`` lazily."""
        properties = get_capability(
            self.client_capabilities, "text_document.code_action.resolve_support.properties", []
        )
        return "edit" in (properties or []) and self.supports(
            "text_document.code_action.data_support"
        )

    @property
    def document_changes(self) -> bool:
        return self.supports("workspace.workspace_edit.document_changes")

    @property
    def creates_files(self) -> bool:
        operations = get_capability(
            self.client_capabilities, "workspace.workspace_edit.resource_operations", []
        )
        return self.document_changes and types.ResourceOperationKind.Create in (operations or [])

    def action_surroundings(self, uri: str, analysis: Analysis, indices: list[int]) -> Surroundings:
        """The build context, plus the ignore file's text when a finding needs it."""
        from dockerls.actions.offers import DIRECTORY_SENT, DOCKERIGNORE_MISSING, Surroundings

        _, context = self.inputs(uri)
        path = to_fs_path(uri) if uri.startswith("file:") else None
        directory = str(Path(path).parent) if path else None
        ignore_text = None
        codes = {analysis.findings[i].code for i in indices}
        if context.dockerignore_path is not None and codes & {DOCKERIGNORE_MISSING, DIRECTORY_SENT}:
            ignore_text = self.read_beside(context.dockerignore_path)
        return Surroundings(context, directory, ignore_text, self.creates_files)

    def read_beside(self, path: str) -> str | None:
        """A small file next to a document: the editor's copy if open, else from disk.

        Only inside the workspace (or the file's own directory without one), at most
        ``MAX_BESIDE_BYTES``, regular files only; None when it cannot be read.
        """
        from dockerls.context_io import NotReadable, read_regular_file

        open_document = self.workspace.text_documents.get(unquote(from_fs_path(path) or ""))
        if open_document is not None:
            return str(open_document.source)
        root = self.workspace_root_of(path)
        if root is None:
            return None
        try:
            real = Path(path).resolve(strict=True)
            if not real.is_relative_to(root.resolve(strict=True)):
                return None
            data = read_regular_file(real, MAX_BESIDE_BYTES, follow_symlinks=False)
        except (OSError, RuntimeError, ValueError, NotReadable):
            return None
        return data.decode("utf-8", errors="replace")

    def workspace_root_of(self, path: str) -> Path | None:
        """Where files may be read for the document at ``path``: the innermost workspace
        folder holding it; without any workspace, the file's own directory; None (read
        nothing) for a file outside the workspace."""
        target = Path(os.path.abspath(path))
        folders = [to_fs_path(folder.uri) for folder in self.workspace.folders.values()]
        roots = [Path(os.path.abspath(f)) for f in (*folders, self.workspace.root_path) if f]
        if not roots:
            return target.parent
        holding = [root for root in roots if target.is_relative_to(root)]
        return max(holding, key=lambda root: len(root.parts), default=None)

    def _changes(self, uri: str, version: int | None, analysis: Analysis, action: Action) -> Any:
        positions = convert.PositionMap.of(analysis.document, self.encoding)
        changes = (
            [convert.FileChange(uri, version, positions, action.edits)] if action.edits else []
        )
        for other in action.files:
            other_uri = from_fs_path(other.path) or other.path
            open_document = self.workspace.text_documents.get(other_uri)
            other_version = open_document.version if open_document is not None else None
            changes.append(
                convert.FileChange(
                    other_uri,
                    None if other.create else other_version,
                    convert.PositionMap(other.lines, self.encoding),
                    other.edits,
                    create=other.create,
                )
            )
        return convert.workspace_edit(changes, document_changes=self.document_changes)

    def fix_all_edits(self, uri: str, analysis: Analysis) -> tuple[TextEdit, ...]:
        from dockerls.actions.fixall import fix_all, text_edits

        settings, context = self.inputs(uri)
        text = analysis.document.text
        return tuple(text_edits(text, fix_all(text, settings, context).text))

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        from dockerls.actions.offers import ActionKind, findings_at, offers

        uri = params.text_document.uri
        document = self.analysed(uri)
        analysis = document.analysis
        positions = convert.PositionMap.of(analysis.document, self.encoding)
        span = positions.to_model_span(params.range)
        # The diagnostics the client sent, by what identifies them, to attach as they came.
        sent = {
            (d.code, convert.range_key(d.range)): d
            for d in params.context.diagnostics
            if d.source == convert.SOURCE
        }
        ours = [convert.diagnostic(f, positions, uri) for f in analysis.findings]
        keys = [convert.wire_key(d) for d in ours]
        extra = [i for i, key in enumerate(keys) if key in sent]
        indices = list(dict.fromkeys([*findings_at(analysis, span.start, span.end), *extra]))
        around = self.action_surroundings(uri, analysis, indices)
        lazy = self.resolves_edits
        shows_disabled = self.supports("text_document.code_action.disabled_support")
        result = []
        for offered in offers(
            analysis, span.start, span.end, params.context.only, extra=extra, around=around
        ):
            action = offered
            if action.disabled is not None:
                if shows_disabled:
                    result.append(convert.code_action(action, [], None))
                continue
            diagnostics = []
            if action.finding is not None:
                index = action.ref.finding
                diagnostics = [sent.get(keys[index]) or convert.structured(ours[index])]
            if action.kind in (ActionKind.FIX_ALL, ActionKind.REFACTOR) and lazy:
                data = convert.action_data(action.ref, uri, document.version)
                result.append(convert.code_action(action, diagnostics, None, data))
                continue
            if action.kind == ActionKind.FIX_ALL:
                action = replace(action, edits=self.fix_all_edits(uri, analysis))
            edit = self._changes(uri, document.version, analysis, action)
            result.append(convert.code_action(action, diagnostics, edit))
        return result

    def resolve_code_action(self, action: types.CodeAction) -> types.CodeAction:
        """Fill in ``edit``; a stale or unknown action comes back as it was, without one."""
        from dockerls.actions.offers import What, recall

        found = convert.action_ref(action.data)
        if found is None or action.edit is not None:
            return action
        uri, version, ref = found
        if not self.is_open(uri):
            return action
        document = self.analysed(uri)
        if document.version != version:
            return action
        analysis = document.analysis
        around = self.action_surroundings(uri, analysis, [])
        recalled = recall(analysis, ref, around)
        if recalled is None:
            return action
        if ref.what == What.FIX_ALL:
            recalled = replace(recalled, edits=self.fix_all_edits(uri, analysis))
        action.edit = self._changes(uri, version, analysis, recalled)
        return action

    # --- settings --------------------------------------------------------------------

    def initialize_settings(self, options: object) -> None:
        """Take settings from ``initializationOptions``: the object, or its ``dockerls`` key."""
        if isinstance(options, Mapping) and SECTION in options:
            options = options[SECTION]
        if isinstance(options, Mapping):
            self._initialization_options = options
        self.apply_settings(options)
        if not self.supports("workspace.configuration"):
            self._ready = True

    def apply_settings(self, data: object) -> None:
        """Use ``data`` as the settings; complain once about each invalid value."""
        if data == []:
            data = {}  # an empty Lua or Lisp table arrives as a JSON array
        self._editor_settings = data
        settings, complaints = Settings.from_mapping(data)
        for complaint in complaints:
            if complaint not in self._complaints:
                log.warning("%s", complaint)
                self.window_show_message(
                    types.ShowMessageParams(
                        type=types.MessageType.Warning, message=f"{complaint} (using the default)"
                    )
                )
        self._complaints = frozenset(complaints)
        if settings != self.settings:
            self.settings = settings
            self._analyses.clear()
            self.publish_all()

    async def pull_configuration(self) -> None:
        """Ask the client for the ``dockerls`` section and apply it over the options."""
        try:
            result = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
            )
        except Exception as error:
            self.tell(types.MessageType.Warning, f"could not read the configuration: {error!r}")
            return
        self.apply_settings(_merge(self._initialization_options, result[0] if result else None))

    async def settings_changed(self, settings: object) -> None:
        """A client that answers workspace/configuration is asked again: what it pushes
        may include every default, which must not override project configuration files."""
        if self.supports("workspace.configuration"):
            await self.pull_configuration()
        elif isinstance(settings, Mapping) and SECTION in settings:
            self.apply_settings(_merge(self._initialization_options, settings[SECTION]))

    async def start_serving(self) -> None:
        """After ``initialized``: read the configuration, then publish what is open."""
        if not self._ready:
            # A slow client gets diagnostics with the settings known so far; its answer is
            # still applied (and everything re-published) whenever it comes.
            self._first_pull = asyncio.ensure_future(self.pull_configuration())
            await asyncio.wait({self._first_pull}, timeout=_CONFIGURATION_TIMEOUT)
            self._ready = True
            self.publish_all()
        self.tell(types.MessageType.Info, f"dockerls {__version__} ready ({self.encoding})")
        if self.supports("workspace.did_change_configuration.dynamic_registration"):
            registration = types.Registration(
                id="dockerls-configuration", method=types.WORKSPACE_DID_CHANGE_CONFIGURATION
            )
            try:
                await self.client_register_capability_async(
                    types.RegistrationParams(registrations=[registration])
                )
            except Exception as error:
                self.tell(types.MessageType.Warning, f"settings changes not watched: {error!r}")

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A failure outside a request (a request's failure is its answer): logged, and
        told to the client's log rather than popped up (pygls' default)."""
        if source is FeatureRequestError:
            return
        self.tell(types.MessageType.Error, f"internal error: {error!r}")

    def tell(self, kind: types.MessageType, message: str) -> None:
        """An important event: to the log on stderr and to the client's log."""
        level = {types.MessageType.Error: logging.ERROR, types.MessageType.Warning: logging.WARNING}
        log.log(level.get(kind, logging.INFO), "%s", message)
        self.window_log_message(types.LogMessageParams(type=kind, message=message))


# --- handlers ------------------------------------------------------------------------


def initialize(ls: DockerLanguageServer, params: types.InitializeParams) -> None:
    _use_lsp_lines(ls.workspace)
    ls.initialize_settings(params.initialization_options)


async def initialized(ls: DockerLanguageServer, params: types.InitializedParams) -> None:
    await ls.start_serving()


async def did_change_configuration(
    ls: DockerLanguageServer, params: types.DidChangeConfigurationParams
) -> None:
    await ls.settings_changed(params.settings)


def did_open(ls: DockerLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


def did_change(ls: DockerLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


def did_save(ls: DockerLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.saved()


def did_close(ls: DockerLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.closed(params.text_document.uri)


def document_symbol(ls: DockerLanguageServer, params: types.DocumentSymbolParams) -> Wire:
    uri = params.text_document.uri
    document = ls.analysis(uri).document
    if ls.supports("text_document.document_symbol.hierarchical_document_symbol_support"):
        return Wire(convert.document_symbols(document, ls.encoding))
    return Wire(convert.symbol_information(document, uri, ls.encoding))


def folding_range(
    ls: DockerLanguageServer, params: types.FoldingRangeParams
) -> list[types.FoldingRange]:
    limit = get_capability(ls.client_capabilities, "text_document.folding_range.range_limit")
    return convert.folding_ranges(ls.analysis(params.text_document.uri).document, limit)


def hover(ls: DockerLanguageServer, params: types.HoverParams) -> types.Hover | None:
    from dockerls.hover import hover as hover_at

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    markdown = ls.reads_markdown("text_document.hover.content_format")
    at = positions.to_model(params.position)
    files = ls.context_files(params.text_document.uri)
    found = hover_at(analysis, at, markdown, sizes=True, files=files)
    return convert.hover(found, positions) if found is not None else None


def _at(
    ls: DockerLanguageServer, uri: str, position: types.Position
) -> tuple[Analysis, convert.PositionMap, Position]:
    """The document's analysis, its position map and the model position of ``position``."""
    analysis = ls.analysis(uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    return analysis, positions, positions.to_model(position)


def definition(ls: DockerLanguageServer, params: types.DefinitionParams) -> list[types.Location]:
    from dockerls.features.navigation import definition as find

    uri = params.text_document.uri
    analysis, positions, pos = _at(ls, uri, params.position)
    return convert.locations(uri, find(analysis.document, pos), positions)


def references(ls: DockerLanguageServer, params: types.ReferenceParams) -> list[types.Location]:
    from dockerls.features.navigation import references as find

    uri = params.text_document.uri
    analysis, positions, pos = _at(ls, uri, params.position)
    found = find(analysis.document, pos, params.context.include_declaration)
    return convert.locations(uri, found, positions)


def document_highlight(
    ls: DockerLanguageServer, params: types.DocumentHighlightParams
) -> list[types.DocumentHighlight]:
    from dockerls.features.navigation import highlights

    analysis, positions, pos = _at(ls, params.text_document.uri, params.position)
    return convert.highlights(highlights(analysis.document, pos), positions)


def prepare_rename(
    ls: DockerLanguageServer, params: types.PrepareRenameParams
) -> types.Range | None:
    from dockerls.features.navigation import prepare_rename as prepare

    analysis, positions, pos = _at(ls, params.text_document.uri, params.position)
    span = prepare(analysis.document, pos)
    return positions.range(span) if span is not None else None


def rename(ls: DockerLanguageServer, params: types.RenameParams) -> types.WorkspaceEdit:
    from dockerls.features.navigation import RenameError
    from dockerls.features.navigation import rename as plan

    uri = params.text_document.uri
    analysis, positions, pos = _at(ls, uri, params.position)
    edits = plan(analysis.document, pos, params.new_name)
    if isinstance(edits, RenameError):
        raise JsonRpcInvalidParams(edits.message)  # the client shows the reason
    change = convert.FileChange(uri, ls.analysed(uri).version, positions, edits)
    return convert.workspace_edit(
        [change], document_changes=ls.supports("workspace.workspace_edit.document_changes")
    )


def document_link(
    ls: DockerLanguageServer, params: types.DocumentLinkParams
) -> list[types.DocumentLink]:
    from dockerls.features.links import document_links

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    return convert.document_links(document_links(analysis.document), positions)


def inlay_hint(ls: DockerLanguageServer, params: types.InlayHintParams) -> list[types.InlayHint]:
    from dockerls.features.inlay import inlay_hints

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    files = ls.context_files(params.text_document.uri)
    found = inlay_hints(analysis, positions.to_model_span(params.range), sizes=True, files=files)
    return convert.inlay_hints(found, positions)


def completion(ls: DockerLanguageServer, params: types.CompletionParams) -> types.CompletionList:
    from dockerls.features.completion import complete

    analysis, positions, pos = _at(ls, params.text_document.uri, params.position)
    snippets = ls.supports("text_document.completion.completion_item.snippet_support")
    items = complete(analysis.document, pos, snippets)
    markdown = ls.reads_markdown("text_document.completion.completion_item.documentation_format")
    return types.CompletionList(
        is_incomplete=False, items=convert.completion_items(items, positions, markdown)
    )


def signature_help(
    ls: DockerLanguageServer, params: types.SignatureHelpParams
) -> types.SignatureHelp | None:
    from dockerls.features.signature import signature_help as find

    analysis, _, pos = _at(ls, params.text_document.uri, params.position)
    found = find(analysis.document, pos)
    if found is None:
        return None
    formats = "text_document.signature_help.signature_information.documentation_format"
    return convert.signature_help(found, ls.reads_markdown(formats))


def semantic_tokens_full(
    ls: DockerLanguageServer, params: types.SemanticTokensParams
) -> types.SemanticTokens:
    from dockerls.features.semantic import semantic_tokens

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    return convert.semantic_tokens(semantic_tokens(analysis.document), positions)


def semantic_tokens_range(
    ls: DockerLanguageServer, params: types.SemanticTokensRangeParams
) -> types.SemanticTokens:
    from dockerls.features.semantic import semantic_tokens, tokens_in

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    found = tokens_in(semantic_tokens(analysis.document), positions.to_model_span(params.range))
    return convert.semantic_tokens(found, positions)


def _format_options(options: types.FormattingOptions) -> FormatOptions:
    from dockerls.features.formatting import FormatOptions

    return FormatOptions(tab_size=options.tab_size, insert_spaces=options.insert_spaces)


def formatting(
    ls: DockerLanguageServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit]:
    from dockerls.features.formatting import format_document

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    edits = format_document(analysis.document, _format_options(params.options))
    return convert.text_edits(edits, positions)


def range_formatting(
    ls: DockerLanguageServer, params: types.DocumentRangeFormattingParams
) -> list[types.TextEdit]:
    from dockerls.features.formatting import format_range

    analysis = ls.analysis(params.text_document.uri)
    positions = convert.PositionMap.of(analysis.document, ls.encoding)
    span = positions.to_model_span(params.range)
    edits = format_range(analysis.document, span, _format_options(params.options))
    return convert.text_edits(edits, positions)


def on_type_formatting(
    ls: DockerLanguageServer, params: types.DocumentOnTypeFormattingParams
) -> list[types.TextEdit]:
    from dockerls.features.formatting import format_on_type

    analysis, positions, pos = _at(ls, params.text_document.uri, params.position)
    edits = format_on_type(analysis.document, pos, params.ch, _format_options(params.options))
    return convert.text_edits(edits, positions)


def code_action(ls: DockerLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    return ls.code_actions(params)


def code_action_resolve(ls: DockerLanguageServer, params: types.CodeAction) -> types.CodeAction:
    return ls.resolve_code_action(params)


def show_notes(ls: DockerLanguageServer, *arguments: Any) -> None:
    """``dockerls.showNotes``: run by the client after a refactoring that has notes."""
    message = convert.notes_message(arguments)
    if message is not None:
        ls.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Info, message=message)
        )


def shutdown(ls: DockerLanguageServer, params: None) -> None:
    ls.shutdown_requested = True


def create_server() -> DockerLanguageServer:
    server = DockerLanguageServer()
    for method, handler in (
        (types.INITIALIZE, initialize),
        (types.INITIALIZED, initialized),
        (types.WORKSPACE_DID_CHANGE_CONFIGURATION, did_change_configuration),
        (types.TEXT_DOCUMENT_DID_OPEN, did_open),
        (types.TEXT_DOCUMENT_DID_CHANGE, did_change),
        (types.TEXT_DOCUMENT_DID_SAVE, did_save),
        (types.TEXT_DOCUMENT_DID_CLOSE, did_close),
        (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, document_symbol),
        (types.TEXT_DOCUMENT_FOLDING_RANGE, folding_range),
        (types.TEXT_DOCUMENT_HOVER, hover),
        (types.TEXT_DOCUMENT_DEFINITION, definition),
        (types.TEXT_DOCUMENT_REFERENCES, references),
        (types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, document_highlight),
        (types.TEXT_DOCUMENT_PREPARE_RENAME, prepare_rename),
        (types.TEXT_DOCUMENT_DOCUMENT_LINK, document_link),
        (types.TEXT_DOCUMENT_INLAY_HINT, inlay_hint),
        (types.TEXT_DOCUMENT_FORMATTING, formatting),
        (types.TEXT_DOCUMENT_RANGE_FORMATTING, range_formatting),
        (types.SHUTDOWN, shutdown),
    ):
        server.feature(method)(handler)
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=convert.CODE_ACTION_KINDS, resolve_provider=True),
    )(code_action)
    server.feature(types.CODE_ACTION_RESOLVE)(code_action_resolve)
    server.command(convert.SHOW_NOTES)(show_notes)
    server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))(rename)
    server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["-", "=", "$", "{", ":", " "]),
    )(completion)
    server.feature(
        types.TEXT_DOCUMENT_SIGNATURE_HELP,
        types.SignatureHelpOptions(trigger_characters=[" "]),
    )(signature_help)
    legend = types.SemanticTokensLegend(
        token_types=list(TOKEN_TYPES), token_modifiers=list(TOKEN_MODIFIERS)
    )
    server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, legend)(semantic_tokens_full)
    server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, legend)(semantic_tokens_range)
    server.feature(
        types.TEXT_DOCUMENT_ON_TYPE_FORMATTING,
        types.DocumentOnTypeFormattingOptions(
            first_trigger_character="\\", more_trigger_character=["`"]
        ),
    )(on_type_formatting)
    return server


def main() -> None:
    """Serve LSP on stdin/stdout until the client says ``exit``."""
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("dockerls").setLevel(logging.INFO)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must never corrupt the protocol stream
    server = create_server()
    assert isinstance(server.protocol, RpcProtocol)
    serve(server.protocol, stdin, stdout)
    if not server.shutdown_requested:
        raise SystemExit(1)  # the protocol's answer to an exit without shutdown
