"""Routing: which team and which agent get a new case, and why (see ``config.py`` and ``engine.py``)."""
