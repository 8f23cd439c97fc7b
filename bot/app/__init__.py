"""The application: the one package that composes the others (runtime, server, leader, CLI, demo)."""
