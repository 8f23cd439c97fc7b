"""The web console: the live queue, case pages and the supervisor dashboard (server-rendered).

Like the Slack adapter it only adapts: every button becomes one call of a platform-neutral
action through :class:`bot.desk.actions.CaseDesk` with platform ``web``, which authorises and records it.
"""

from handlers.web.app import create_console

__all__ = ["create_console"]
