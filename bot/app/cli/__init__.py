"""The mentiondesk command line: one typer sub-app a module, composed in ``main``."""
