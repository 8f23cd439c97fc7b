"""The suite must never reach the internet: pytest-socket refuses non-loopback connections."""

import socket

import pytest
from pytest_socket import SocketConnectBlockedError


def test_non_loopback_connection_fails_loudly():
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("93.184.216.34", 443), timeout=1)


def test_loopback_is_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port), timeout=1)
    client.close()
    server.close()


def test_the_x_client_cannot_reach_the_real_x(monkeypatch):
    """tweepy aimed at the real X (the default X_API_URL) fails loudly instead of leaving the machine."""
    from pydantic import SecretStr

    # This machine has no DNS; resolve api.x.com to a public address so the connect guard is what stops it.
    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: real_getaddrinfo(
        "104.244.42.1" if host == "api.x.com" else host, *a, **k))

    from bot.core.settings import Settings
    from bot.feeds.xapi import make_client

    client = make_client(Settings(x_bearer_token=SecretStr("t"), x_api_url="https://api.x.com"))
    with pytest.raises(Exception) as raised:
        client.get_user(username="SkylarkHelp")
    chain = [raised.value]
    while chain[-1].__context__ is not None:
        chain.append(chain[-1].__context__)
    assert any(isinstance(e, SocketConnectBlockedError) or "not allowed" in str(e)
               for e in chain), chain
