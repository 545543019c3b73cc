"""What an analysis reads besides the document's text: the settings in force (the editor's,
layered over configuration files), the build context next to the document, and the
context's files for the size estimates; read from disk inside the workspace only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path

from dockerls.config import Settings
from dockerls.server.documents import DocumentLayer

if TYPE_CHECKING:
    from dockerls.context import BuildContext
    from dockerls.size import ContextFiles


class InputsLayer(DocumentLayer):
    """The layer of ``DockerLanguageServer`` that knows a document's analysis inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.settings = Settings()
        self._editor_settings: object = None  # as the client sent them, layered over files
        self._surroundings: dict[str, tuple[BuildContext, Settings]] = {}
        self._context_files: dict[str, ContextFiles | None] = {}

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
