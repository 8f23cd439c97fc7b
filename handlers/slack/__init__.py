"""Slack adapter: case cards (Block Kit), buttons, dialogs, thread notes and the /mentiondesk command.

Modules, each with one job:

* ``escape``   — make untrusted text inert in Slack mrkdwn
* ``cards``    — render a case (``bot.desk.case_view.CardView``) as Block Kit
* ``modals``   — the Reply and Escalate dialogs
* ``poster``   — post new cases to their team channel once, update cards, retry what failed
* ``app``      — the slack_bolt App: listeners that ack, call ``bot.desk.actions`` and refresh the card
* ``commands`` — ``/mentiondesk queue|mine|stats|reassign``
"""
