"""Persistence for mentiondesk: SQLAlchemy 2 models, engine/session set-up and queries.

This package imports nothing from ``bot``, ``handlers`` or ``escalation``: dependencies
point inward, so every other layer can use it and it can be tested on its own.
"""
