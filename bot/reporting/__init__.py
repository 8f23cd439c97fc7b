"""Supervisor reporting: metrics from the event log, exports, the workload forecast."""
