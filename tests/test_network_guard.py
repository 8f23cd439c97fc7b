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
