"""The web benchmark's load generator and server helpers against a tiny local HTTP server: what
counts as an error, keep-alive reuse, the CPU reading from /proc."""

from __future__ import annotations

import os
import resource
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bench.web_load.driver import drive
from bench.web_load.server import Gunicorn


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread workers answer

    def do_GET(self) -> None:
        status, body = {
            "/ok": (200, b"hello htmx"),
            "/wrong-body": (200, b"a login page"),
            "/missing": (404, b"not found"),
        }[self.path]
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        answer = b'{"standard": "x"}' if "示例".encode() in body else b"{}"
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def job(port: int, requests: list[dict], clients: int = 3) -> dict:
    return {
        "host": "127.0.0.1",
        "port": port,
        "clients": clients,
        "warmup": 0.0,
        "seconds": 0.3,
        "timeout": 10.0,
        "requests": requests,
    }


def get(path: str, expect: str | None = "htmx") -> dict:
    return {"method": "GET", "path": path, "headers": {}, "expect": expect}


def test_good_answers_count_and_connections_are_kept_alive(port: int) -> None:
    result = drive(job(port, [get("/ok")]))
    assert result["errors"] == 0 and result["error_kinds"] == {}
    assert result["requests"] > 0 and result["completed"] > 0
    assert result["p50_ms"] is not None and result["p99_ms"] >= result["p50_ms"]
    assert result["reconnects"] == 0
    assert result["all_requests"] >= result["requests"]


def test_non_2xx_and_unexpected_bodies_are_errors(port: int) -> None:
    result = drive(job(port, [get("/ok"), get("/missing"), get("/wrong-body")]))
    kinds = result["error_kinds"]
    assert set(kinds) == {"HTTP 404", "unexpected body"}
    assert result["errors"] == sum(kinds.values()) > 0
    # requests rotate through the list, so about a third of them succeed
    assert 0 < result["completed"] < result["requests"]


def test_a_refused_connection_is_an_error_not_a_crash() -> None:
    with socket.socket() as bound:  # bound, never listening: connections are refused
        bound.bind(("127.0.0.1", 0))
        result = drive(job(bound.getsockname()[1], [get("/ok")], clients=1))
    assert result["errors"] > 0 and result["completed"] == 0
    assert set(result["error_kinds"]) == {"ConnectionRefusedError"}
    assert result["p50_ms"] is None


def test_utf8_bodies_are_posted(port: int) -> None:
    post = {
        "method": "POST",
        "path": "/assess",
        "headers": {"Content-Type": "application/json"},
        "body": '{"name": "示例企业"}',
        "expect": '"standard"',
    }
    result = drive(job(port, [post]))
    assert result["errors"] == 0 and result["completed"] > 0


def test_cpu_seconds_reads_this_process_from_proc(tmp_path: Path) -> None:
    sum(i * i for i in range(300_000))  # some CPU of our own
    me = Gunicorn(os.getpid(), 0, 1, 1, [], tmp_path / "log")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    assert me.cpu_seconds() >= usage.ru_utime + usage.ru_stime - 0.05  # clock-tick rounding


def test_log_tail_leaves_out_info_lines(tmp_path: Path) -> None:
    log = tmp_path / "gunicorn.log"
    log.write_text(
        "[2026] [1] [INFO] Booting worker\n[2026] [1] [WARNING] slow\n[2026] [1] [INFO] x\n"
    )
    assert Gunicorn(1, 0, 1, 1, [], log).log_tail() == "[2026] [1] [WARNING] slow"
