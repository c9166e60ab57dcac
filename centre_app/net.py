"""Loopback ports for the local helper servers (demo county, camera simulator)."""

from __future__ import annotations

import socket


def loopback_port_free(port: int) -> bool:
    """Whether a server could listen on the port now.

    Asks the way our servers bind (SO_REUSEADDR): a port whose last server just closed
    still has connections in TIME_WAIT for a minute, and without the flag it would look
    taken although a new server can listen there.
    """
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_loopback_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
