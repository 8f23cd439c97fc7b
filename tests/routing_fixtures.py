"""A config with a routing section for the routing, crisis and replay tests."""

from __future__ import annotations

from bot.core.config import parse_config
from bot.core.yaml_source import load_yaml_with_lines
from tests.conftest import example_config_text

ROUTING_YAML = """
routing:
  chain: [crisis, keywords, topic, overflow, last_agent, vip_senior, most_negative, skills, least_loaded]
  teams:
    care: {mode: suggest, queue_limit: 3, overflow_to: digital}
    baggage: {mode: auto}
    digital: {mode: suggest, keywords: ["seatback screen", "wifi"]}
  agents:
    Ana Ortiz:
      max_open: 2
      satisfaction: 0.80
      timezone: Europe/London
      shifts: [{days: [mon, tue, wed, thu, fri], start: "08:00", end: "16:00"}]
    Ben Carter: {max_open: 3, satisfaction: 0.95}
    Dev Patel: {senior: true, max_open: 5, satisfaction: 0.70}
    Chloe Martin:
      max_open: 1
      timezone: Europe/Paris
      shifts: [{days: [fri], start: "22:00", end: "06:00"}]
  vip: {min_followers: 100000, crm_tiers: [platinum]}
  negative_below: -0.6
  crisis:
    team: pr
    holding_statement: "We're aware of reports and are looking into it urgently. Updates will follow here."
    holding_statements:
      safety: "The safety of everyone on board comes first. We're gathering the facts and will update here shortly."
"""


def routing_config_text() -> str:
    return example_config_text() + ROUTING_YAML


def routing_config():
    return parse_config(load_yaml_with_lines("routing-test.yaml", routing_config_text()))
