"""``serve`` stays up when Discord refuses the bot token at start-up (issue 17, item 4): /ingest
keeps working, /readyz says why Discord is down, and the adapter logs in once Discord accepts."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.settings import Settings
from handlers.discord.app import DiscordAdapter
from tests.conftest import mention
from tests.discord_helpers import BAGS_D, discord_config, reset_api_base, start_fake, wait_until
from tests.discord_helpers import no_errors_logged  # noqa: F401  (autouse: swallowed errors fail the test)


def test_discord_refusing_the_token_at_start_up_does_not_stop_the_server(config, database_url):
    runtime = Runtime.build(discord_config(config), database=database_url,
                            settings=Settings(database_url=database_url, slack_bot_token=None, webhook_token=None))
    fake, server = start_fake()
    good = fake.token
    fake.token = "rotated-by-someone-else"  # Discord now refuses the token the replica has
    adapter = DiscordAdapter(runtime, token=good, api_url=server.url + "/api/v10", gateway=False, retry_every=0.2)
    app = create_app(runtime, discord=adapter, adapter_retry=(0.3, 0.6))
    try:
        with TestClient(app) as client:
            ready = client.get("/readyz")
            assert ready.status_code == 200
            state = ready.json()["adapters"]["discord"]
            assert state["state"] == "retrying"
            assert state["detail"] == "Discord refused the bot token (login: 401 Unauthorized)"
            assert good not in ready.text
            ingested = client.post("/ingest", json=[mention("d1", "@SkylarkAir my bag never arrived in Madrid")])
            assert ingested.status_code == 200, ingested.text
            case_id = ingested.json()["results"][0]["case_id"]

            fake.token = good  # the operator fixed it on Discord's side: the next attempt logs in
            assert app.state.adapters["discord"].wait_up(10)
            assert client.get("/readyz").json()["adapters"]["discord"]["state"] == "up"
            wait_until(lambda: any(f"#{case_id}" in str(m) for m in fake.channel(BAGS_D)),
                       what="the card of the case that came in while Discord was down")
    finally:
        server.__exit__()
        runtime.close()
        reset_api_base()
