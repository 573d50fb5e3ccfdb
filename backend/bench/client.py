"""A GraphQL client over one keep-alive HTTP/1.1 connection (standard library only, no Django)."""

import http.client
import json
import time

RETRIED = (http.client.RemoteDisconnected, http.client.CannotSendRequest, ConnectionError)


class GraphQLConnection:
    """Posts to /graphql/ with a bearer token on one persistent connection.

    The server closes a connection left idle longer than its keep-alive; the next request then
    opens a new one (once) instead of failing.
    """

    def __init__(self, host: str, port: int, token: str, timeout: float = 600.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.last_headers: http.client.HTTPMessage | None = None  # of the last answer (Retry-After)
        self.reconnects = 0  # connections found closed (idle too long, or the server process gone)

    def post(self, body: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):
            try:
                self.conn.request("POST", "/graphql/", body=body, headers=self.headers)
                response = self.conn.getresponse()
                self.last_headers = response.headers
                return response.status, response.read()
            except RETRIED:
                self.reconnects += 1
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def timed(self, body: bytes) -> tuple[float, int, bytes]:
        """(milliseconds from sending to the last byte of the body, status, body)."""
        started = time.perf_counter()
        status, data = self.post(body)
        return (time.perf_counter() - started) * 1000, status, data

    def close(self) -> None:
        self.conn.close()


def request_body(query: str, variables: dict) -> bytes:
    return json.dumps({"query": query, "variables": variables}).encode()


def get(host: str, port: int, path: str, timeout: float = 2.0) -> int:
    """The status of a GET, on a connection of its own."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()
