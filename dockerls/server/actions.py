"""Code actions: the quick fixes, refactorings and fix-all offered at a range, with their
edits made at once or when the client resolves them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.uris import from_fs_path, to_fs_path

from dockerls import convert
from dockerls.server.analyses import AnalysesLayer

if TYPE_CHECKING:
    from dockerls.actions.offers import Action, Surroundings
    from dockerls.analysis import Analysis
    from dockerls.findings import TextEdit

# The largest .dockerignore read to append entries to it.
MAX_BESIDE_BYTES = 1 << 20


class ActionsLayer(AnalysesLayer):
    """The layer of ``DockerLanguageServer`` that offers code actions and resolves them."""

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
