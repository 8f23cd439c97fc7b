"""The case desk: ingest, the platform-neutral actions behind every button, case views and card lines."""
