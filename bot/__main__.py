"""``python -m bot``: the mentiondesk command line, as the ``mentiondesk`` script runs it."""

from bot.app.cli.main import app

app()
