"""The language server: thin pygls glue between the protocol and ``analyze``.

Each handler fetches the document, asks the core, converts with ``dockerls.convert``
and returns. The state kept here is the settings, the last analysis of each open
document (per version) and whether the first configuration has arrived.

Diagnostics are published only once the client's configuration is known (or it is
late), so a user never sees findings with the wrong severities flash by. They are
always published for the version pygls holds at that moment, and notifications are
handled in order, so an older version is never published after a newer one.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument, Workspace

from dockerls import __version__, convert
from dockerls.config import Settings

if TYPE_CHECKING:
    from dockerls.analysis import Analysis
    from dockerls.context import BuildContext

log = logging.getLogger(__name__)

SECTION = "dockerls"
# How long to wait for the client's configuration before publishing with what we have.
_CONFIGURATION_TIMEOUT = 5.0


_LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class LspTextDocument(TextDocument):
    """A document whose lines break where LSP says: at \\r\\n, \\n and \\r only.

    pygls splits with ``str.splitlines``, which also breaks at U+2028, U+2029,
    U+0085, form feeds and vertical tabs; an incremental edit after such a
    character would land on the wrong line and the server's copy would drift.
    """

    @property
    def lines(self) -> Sequence[str]:
        return tuple(_LSP_LINE.findall(self.source))


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
    """Workspace settings layered over the initialization options."""
    if override is None:
        return base
    if isinstance(override, Mapping):
        return {**base, **override}
    return override  # not an object: Settings.from_mapping explains what is wrong


class DockerLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "dockerls", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.settings = Settings()
        self._editor_settings: object = None  # as the client sent them, layered over files
        self._surroundings: dict[str, tuple[BuildContext, Settings]] = {}
        self.shutdown_requested = False
        self._initialization_options: Mapping[str, Any] = {}
        self._complaints: frozenset[str] = frozenset()
        self._analyses: dict[str, tuple[int, Analysis]] = {}
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

    # --- analysis --------------------------------------------------------------------

    def analysis(self, uri: str) -> Analysis:
        """The analysis of the document as the client last sent it (cached per version)."""
        return self._analyze(self.workspace.get_text_document(uri))

    def _analyze(self, document: TextDocument) -> Analysis:
        cached = self._analyses.get(document.uri)
        if cached is not None and cached[0] == document.version:
            return cached[1]
        from dockerls.analysis import analyze

        context, file_settings = self.surroundings(document.uri)
        settings = self.settings
        if file_settings != Settings():
            settings, _ = Settings.from_mapping(self._editor_settings, file_settings)
        result = analyze(document.source, settings, context)
        if document.version is not None:
            self._analyses[document.uri] = (document.version, result)
        return result

    def surroundings(self, uri: str) -> tuple[BuildContext, Settings]:
        """The build context and configuration-file settings next to a document.

        Read once per document from disk (inside the workspace only), and again
        when a document is saved. An unsaved or non-file document has neither.
        """
        found = self._surroundings.get(uri)
        if found is None:
            from dockerls.config_io import find_config
            from dockerls.context import CONTEXT_EMPTY
            from dockerls.context_io import read_build_context

            found = (CONTEXT_EMPTY, Settings())
            path = to_fs_path(uri) if uri.startswith("file:") else None
            if path is not None:
                root_path = self.workspace.root_path
                root = Path(root_path) if root_path else None
                config = find_config(Path(path), root)
                for complaint in config.complaints:
                    self.tell(types.MessageType.Warning, complaint)
                found = (read_build_context(Path(path), workspace_root=root), config.settings)
            self._surroundings[uri] = found
        return found

    def saved(self) -> None:
        """A save may have changed a .dockerignore, a lockfile or a config file."""
        self._surroundings.clear()
        self._analyses.clear()
        self.publish_all()

    def closed(self, uri: str) -> None:
        self._analyses.pop(uri, None)
        self._surroundings.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    def publish(self, uri: str) -> None:
        if not self._ready:
            return  # published for every open document once the configuration arrives
        document = self.workspace.get_text_document(uri)
        try:
            found = convert.diagnostics(self._analyze(document), uri, self.encoding)
        except Exception as error:  # a bug in a rule must not pop up on every keystroke
            log.exception("analysis of %s failed", uri)
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error, message=f"could not analyse {uri}: {error!r}"
                )
            )
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
        )

    def publish_all(self) -> None:
        for document in list(self.workspace.text_documents.values()):
            self.publish(document.uri)

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
        if isinstance(settings, Mapping) and SECTION in settings:
            self.apply_settings(_merge(self._initialization_options, settings[SECTION]))
        elif self.supports("workspace.configuration"):
            await self.pull_configuration()

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

    def tell(self, kind: types.MessageType, message: str) -> None:
        """An important event: to the log on stderr and to the client's log."""
        log.log(
            logging.WARNING if kind == types.MessageType.Warning else logging.INFO, "%s", message
        )
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


def document_symbol(
    ls: DockerLanguageServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol] | list[types.SymbolInformation]:
    uri = params.text_document.uri
    document = ls.analysis(uri).document
    if ls.supports("text_document.document_symbol.hierarchical_document_symbol_support"):
        return convert.document_symbols(document, ls.encoding)
    return convert.symbol_information(document, uri, ls.encoding)


def folding_range(
    ls: DockerLanguageServer, params: types.FoldingRangeParams
) -> list[types.FoldingRange]:
    limit = get_capability(ls.client_capabilities, "text_document.folding_range.range_limit")
    return convert.folding_ranges(ls.analysis(params.text_document.uri).document, limit)


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
        (types.SHUTDOWN, shutdown),
    ):
        server.feature(method)(handler)
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
    server.start_io(stdin, stdout)
    if not server.shutdown_requested:
        raise SystemExit(1)  # the protocol's answer to an exit without shutdown
