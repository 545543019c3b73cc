"""The client's settings: from ``initializationOptions``, then pulled with
``workspace/configuration`` (and again when they change), checked and applied."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from lsprotocol import types

from dockerls import __version__
from dockerls.config import Settings
from dockerls.server.analyses import AnalysesLayer

log = logging.getLogger("dockerls.server")  # the server's one logger, whichever module logs

SECTION = "dockerls"
# How long to wait for the client's configuration before publishing with what we have.
_CONFIGURATION_TIMEOUT = 5.0


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


class SettingsLayer(AnalysesLayer):
    """The layer of ``DockerLanguageServer`` that takes the client's settings."""

    def __init__(self) -> None:
        super().__init__()
        self._initialization_options: Mapping[str, Any] = {}
        self._complaints: frozenset[str] = frozenset()
        self._first_pull: asyncio.Future[None] | None = None  # held so it is not collected

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
