"""``DockerLanguageServer``: the layers put together, one object holding their state."""

from dockerls.server.actions import ActionsLayer
from dockerls.server.settings import SettingsLayer


class DockerLanguageServer(ActionsLayer, SettingsLayer):
    """The dockerls language server. Each layer adds one concern to the ones below it
    (``ClientLayer``, ``DocumentLayer``, ``InputsLayer``, ``AnalysesLayer``; then code
    actions and settings, side by side), keeping their state on this one object."""
