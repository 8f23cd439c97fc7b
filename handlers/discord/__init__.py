"""Discord adapter: case embeds, persistent buttons, modals, approval in the thread (discord.py 2.x).

Modules, each with one job:

* ``ids``        — the ``custom_id`` of every button and modal (action + case, parsed back after a restart)
* ``render``     — a case (``bot.desk.case_view.CardView``) as an embed; escaping untrusted text; status lines
* ``components`` — the persistent buttons (``DynamicItem``) and the views that hold them
* ``modals``     — the Reply, Escalate, Edit and Reject dialogs and reading their submissions
* ``roles``      — Discord roles → mentiondesk roles (``config.discord.roles``)
* ``cards``      — post each case once per team channel (with a thread), edit it, approval messages
* ``pings``      — escalation-map pings and SLA notices in the card's thread
* ``app``        — the discord.py client on its own loop: presses and submissions → ``bot.desk.actions``
"""
