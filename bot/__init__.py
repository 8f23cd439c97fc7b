"""The mentiondesk application: config, CLI, feeds, triage, ingest and composition."""
