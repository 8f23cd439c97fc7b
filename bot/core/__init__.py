"""The core every other part uses: configuration, settings, the mention schema, faults, logs."""
