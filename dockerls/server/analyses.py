"""When documents are analysed and their diagnostics published.

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
late), so a user never sees findings with the wrong severities flash by. A big document
(``SYNTAX_FIRST_LINES``) just opened gets the parser's problems first, then, from the same
parse, every finding: a first analysis of 10,000 lines takes about a second, its parse a
fifth of that.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from dockerls import convert
from dockerls.server.documents import DocumentNotOpen
from dockerls.server.inputs import InputsLayer
from dockerls.server.workers import in_thread

if TYPE_CHECKING:
    from dockerls.analysis import Analysis, Analyzer

log = logging.getLogger("dockerls.server")  # the server's one logger, whichever module logs

# How many documents are analysed at once (each on a thread of its own).
MAX_ANALYSES = 3

# From this many lines, a document's first diagnostics are the parser's problems alone,
# published as soon as it is parsed; the full set replaces them when the rules are done.
SYNTAX_FIRST_LINES = 1_000


@dataclass(frozen=True)
class Snapshot:
    """One analysis and what it was made from: the document's stamp and version."""

    uri: str
    stamp: int
    version: int | None
    analysis: Analysis


# The analysis a request runs with, set before its handler runs (see ``prepare_request``).
_PINNED: ContextVar[Snapshot | None] = ContextVar("dockerls_pinned", default=None)


class AnalysesLayer(InputsLayer):
    """The layer of ``DockerLanguageServer`` that schedules analyses and publishes them."""

    def __init__(self) -> None:
        super().__init__()
        self.rpc.prepare = self.prepare_request
        self._analyses: dict[str, Snapshot] = {}  # the newest analysis of each document
        self._analyzers: dict[str, Analyzer] = {}  # one per open document
        self._stamps: dict[str, int] = {}  # each open document's latest stamp
        self._clock = itertools.count(1)
        self._jobs: dict[str, asyncio.Future[Snapshot]] = {}  # at most one per document
        self._publishers: dict[str, asyncio.Task[None]] = {}  # at most one per document
        self._slots = asyncio.Semaphore(MAX_ANALYSES)
        self._ready = False

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
                return await in_thread(
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
            await self._publish_syntax_first(uri)
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

    async def _publish_syntax_first(self, uri: str) -> None:
        """For a big document not analysed yet: publish the parser's problems alone.
        Called by the document's one publisher before the full analysis, so these are
        never published after (and always replaced by) the full set of the same text."""
        if uri in self._analyzers:
            return  # analysed, or being analysed, already: no edit pays for this
        try:
            async with self._slots:
                document = self.document(uri)
                stamp, version, text = self._stamps.get(uri, 0), document.version, document.source
                if text.count("\n") < SYNTAX_FIRST_LINES:
                    return
                settings, context = self.inputs(uri)
                analyzer = self.analyzer(uri)
                first = await in_thread(lambda: analyzer.syntax_first(text, settings, context))
            if first is not None and stamp == self._stamps.get(uri):
                self._send_diagnostics(uri, convert.diagnostics(first, uri, self.encoding), version)
        except DocumentNotOpen:
            return  # closed meanwhile: the publisher stops too
        except Exception:  # the full analysis that follows reports what is wrong
            log.exception("the syntax-first analysis of %s failed", uri)

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
