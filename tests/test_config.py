"""Config validation: the example is valid; every kind of mistake names file, line and problem."""

import pytest
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.core.config import ConfigError, load_config

from tests.conftest import SAMPLES


def write(tmp_path, body: str):
    path = tmp_path / "c.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def problems_of(tmp_path, body: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, body))
    return str(info.value)


def test_bundled_example_is_valid():
    config = load_config(SAMPLES / "config.example.yaml")
    assert config.brands[0].handles == ["@SkylarkAir", "@SkylarkHelp"]
    assert config.default_team().name == "care"
    assert config.team_for_topic("lost_luggage").name == "baggage"
    assert config.team_for_topic("unknown-topic").name == "care"


def test_handles_and_hashtags_are_normalized(tmp_path):
    config = load_config(write(tmp_path, "brands:\n  - name: A\n    handles: [acme]\n    hashtags: [acme]\n"))
    assert config.brands[0].handles == ["@acme"]
    assert config.brands[0].hashtags == ["#acme"]


def test_field_error_names_file_and_line(tmp_path):
    message = problems_of(tmp_path, "brands:\n  - name: A\n    handles: ['@bad handle']\n")
    assert "c.yaml:3:" in message
    assert "brands[0].handles" in message and "not a valid handle" in message


def test_secret_in_file_is_refused_with_line(tmp_path):
    message = problems_of(tmp_path, "brands:\n  - name: A\n    keywords: [a]\nslack_token: xoxb-1\n")
    assert "c.yaml:4:" in message and "slack_token" in message and "environment variables" in message
    assert "xoxb-1" not in message  # the secret itself is never echoed


def test_cross_reference_errors_point_at_the_reference(tmp_path):
    body = (
        "brands:\n  - name: A\n    keywords: [a]\n"
        "triage:\n  topics:\n    billing: [invoice]\n"
        "teams:\n  - name: care\n    topics: [billing, shipping]\n"
        "agents:\n  - name: Bo\n    teams:\n      - care\n      - nope\n"
    )
    message = problems_of(tmp_path, body)
    assert "c.yaml:9: teams[0].topics[1]: unknown topic 'shipping'" in message
    assert "c.yaml:14: agents[0].teams[1]: unknown team 'nope'" in message


def test_invalid_yaml_and_duplicate_keys(tmp_path):
    assert "c.yaml:3: invalid YAML" in problems_of(tmp_path, "brands:\n  - name: A\n    handles: [@a\n")
    message = problems_of(tmp_path, "brands:\n  - name: A\n    keywords: [a]\nbrands: []\n")
    assert "c.yaml:4:" in message and "duplicate key 'brands' (first at line 1)" in message


def test_missing_brands_and_wrong_types(tmp_path):
    assert "brands: Field required" in problems_of(tmp_path, "teams: []\n")
    message = problems_of(tmp_path, "brands:\n  - name: A\n    keywords: [a]\npriority:\n  weights:\n    intent: lots\n")
    assert "c.yaml:6: priority.weights.intent" in message
    assert "must be a mapping" in problems_of(tmp_path, "- just a list\n")


def test_bad_channel_ids_and_duplicate_user_ids(tmp_path):
    body = (
        "brands:\n  - name: A\n    keywords: [a]\n"
        "teams:\n  - name: care\n    channels: {slack: general}\n"
    )
    message = problems_of(tmp_path, body)
    assert "c.yaml:6: teams[0].channels.slack: 'general' is not a Slack channel id" in message
    body = (
        "brands:\n  - name: A\n    keywords: [a]\n"
        "teams:\n  - name: care\n    channels: {slack: C0CARE01}\n"
        "agents:\n  - {name: A1, slack_user_id: U1}\n  - {name: A2, slack_user_id: U1}\n"
    )
    message = problems_of(tmp_path, body)
    assert "c.yaml:9: agents[1].slack_user_id: slack_user_id 'U1' already belongs to 'A1'" in message


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml")


def test_config_check_command(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["config", "check", str(SAMPLES / "config.example.yaml")], env={"COLUMNS": "200"})
    assert ok.exit_code == 0, ok.output
    assert "is valid" in ok.output and "Skylark Airways" in ok.output
    # The shipped example routes, has shifts and a crisis team, and the summary says so.
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in ok.output.splitlines()
            if line.count("│") == 3}
    assert rows["crisis team"] == "pr" and "pr auto" in rows["routing"] and "Ana Ortiz (1)" in rows["shifts"]
    bad = runner.invoke(app, ["config", "check", str(write(tmp_path, "brands:\n  - name: ''\n"))])
    assert bad.exit_code == 2
    assert "c.yaml:2: brands[0].name" in bad.output


CRM_BASE = "brands:\n  - name: A\n    keywords: [a]\ncrm:\n  timeout_seconds: 1\n  lookup_url: "


@pytest.mark.parametrize("url, secret", [
    ("https://bob:hunter2pass@crm.example.com/l?h={handle}", "hunter2pass"),
    ("https://crm.example.com/l?h={handle}&api_key=k3yk3yk3y", "k3yk3yk3y"),
    ("https://crm.example.com/l?h={handle}&apiKey=abc", "abc"),
    ("https://crm.example.com/l?access_token=zzz9&h={handle}", "zzz9"),
    ("https://crm.example.com/l?h={handle}&client_secret=s3", "s3"),
    ("https://crm.example.com/l?h={handle}&k=9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
])
def test_credentials_in_the_crm_url_are_refused_with_line_and_never_echoed(tmp_path, url, secret):
    message = problems_of(tmp_path, CRM_BASE + f"'{url}'\n")
    assert "c.yaml:6:" in message and "crm.lookup_url" in message
    assert "MENTIONDESK_CRM_TOKEN" in message and "environment" in message
    assert secret not in message


def test_a_crm_url_without_credentials_is_accepted(tmp_path):
    config = load_config(write(tmp_path, CRM_BASE + "'https://crm.example.com/lookup?platform={platform}"
                                                    "&handle={handle}&region=eu'\n"))
    assert config.crm.lookup_url.endswith("&region=eu")
