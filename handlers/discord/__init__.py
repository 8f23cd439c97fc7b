"""Discord adapter: case embeds, persistent buttons, modals, approval in the thread (discord.py 2.x).

Modules, each with one job:

* ``ids``     — the ``custom_id`` of every button and modal (action + case, parsed back after a restart)
* ``render``  — a case (``bot.case_view.CardView``) as an embed + buttons; escaping untrusted text
* ``roles``   — Discord roles → mentiondesk roles (``config.discord.roles``)
* ``cards``   — post each case once per team channel (with a thread), edit it, say things in the thread
* ``app``     — the discord.py client: buttons and modals → ``bot.actions`` through ``CaseDesk``
"""
