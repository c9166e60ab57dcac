"""A TCP proxy between township and county that misbehaves on purpose, one HTTP request
per connection (the client under test sends `Connection: close`).

Faults, drawn per request from a seeded RNG: drop the connection before forwarding, delay,
cut the response half-way (the county has acted, the township never hears), duplicate the
request (a second copy reaches the county too), and send a delayed duplicate later, after
newer requests (reordering).
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

FAULTS = ("pass", "drop", "delay", "cut", "duplicate", "late_duplicate")


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


def _forward(request: bytes, port: int, timeout: float = 30) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as upstream:
        upstream.sendall(request)
        response = b""
        while True:
            chunk = upstream.recv(65536)
            if not chunk:
                return response
            response += chunk


@dataclass
class FaultProxy:
    upstream_port: int
    seed: int
    fault_rate: float = 0.5
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.enabled = True
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _pick(self) -> tuple[str, float]:
        with self._lock:
            if not self.enabled or self._rng.random() >= self.fault_rate:
                return "pass", 0.0
            return self._rng.choice(FAULTS[1:]), self._rng.uniform(0.1, 1.5)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = _read_request(conn)
                if request is None:
                    return
                fault, delay = self._pick()
                self.counts[fault] += 1
                if fault == "drop":
                    return
                if fault == "delay":
                    time.sleep(delay)
                if fault == "duplicate":
                    _forward(request, self.upstream_port)
                if fault == "late_duplicate":
                    threading.Timer(delay, self._quietly, args=(request,)).start()
                response = _forward(request, self.upstream_port)
                if fault == "cut":
                    conn.sendall(response[: max(1, len(response) // 2)])
                    return
                conn.sendall(response)
            except OSError:
                return  # the county is down or the client gave up: the client sees a cut

    def _quietly(self, request: bytes) -> None:
        with contextlib.suppress(OSError):
            _forward(request, self.upstream_port)

    def close(self) -> None:
        self._server.close()
