"""Shared set-up of the Bluesky tests: the fake (XRPC + Jetstream), a config that listens for the
brand's Bluesky account, and a runtime whose account points at the fake."""

from __future__ import annotations

import time

import pytest
from pydantic import SecretStr

from bot.core.config import BlueskySource
from bot.feeds.blueskyapi import BrandAccount
from bot.app.runtime import Runtime
from bot.core.settings import Settings
from tests.conftest import ServerThread
from tests.fakes.bluesky import APP_PASSWORD, BRAND_HANDLE, FakeBluesky, JetstreamServer

CUSTOMER = "did:plc:mariatravels0000000000000"
OTHER = "did:plc:someoneelse00000000000000"


@pytest.fixture
def fake_bsky():
    fake = FakeBluesky()
    fake.add_profile(CUSTOMER, "maria.bsky.social", "Maria", followers=840)
    fake.add_profile(OTHER, "tom.bsky.social", "Tom", followers=12)
    with ServerThread(fake.app) as server, JetstreamServer(fake) as jetstream:
        fake.url = server.url
        fake.jetstream_url = jetstream.url
        yield fake


def bluesky_settings(fake: FakeBluesky, **kwargs) -> Settings:
    return Settings(bluesky_handle=BRAND_HANDLE, bluesky_app_password=SecretStr(APP_PASSWORD), **kwargs)


def bluesky_config(config, fake: FakeBluesky, **source):
    brand = config.brands[0].model_copy(update={"bluesky_account": BRAND_HANDLE,
                                                "handles": [*config.brands[0].handles, "@" + BRAND_HANDLE]})
    return config.model_copy(update={"brands": [brand, *config.brands[1:]], "bluesky": BlueskySource(
        service_url=fake.url, jetstream_url=fake.jetstream_url, resume_overlap_seconds=2, **source)})


def bluesky_runtime(config, database_url, fake, **source) -> Runtime:
    return Runtime.build(bluesky_config(config, fake, **source), database=database_url, settings=bluesky_settings(fake))


def account(runtime: Runtime) -> BrandAccount:
    return BrandAccount(runtime.settings, runtime.config.bluesky)


def wait_for(predicate, timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
