"""The load generator: ``python -m bench.web_load.driver`` reads one job (JSON) on stdin, drives the
server with N concurrent clients, prints ``WEB-LOAD {summary}`` on stdout.

It runs in its own process, apart from the server and from the benchmark that starts both. Each
client is a thread with one keep-alive ``http.client`` connection, closed loop (the next request
goes as soon as the answer has been read: no think time). All clients run a warm-up first (not
measured: workers import code, load rulebooks, open database files), then the measured window.
Requests are taken in turn from the job's list, shared by all clients, so many firms are asked for.

Job: {"host", "port", "clients", "warmup", "seconds", "timeout",
      "requests": [{"method", "path", "headers": {…}, "body": str | null, "expect": str | null}]}"""

from __future__ import annotations

import http.client
import itertools
import json
import resource
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict
from typing import Any

from bench.web_load.stats import Sample, summarise

# Exceptions that mean "the server closed this idle keep-alive connection before we reused it";
# a browser would reconnect and resend, so the client does too, once (counted as a reconnect).
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class Client:
    def __init__(self, job: dict[str, Any], requests: list[dict[str, Any]], turn: Any) -> None:
        self.job = job
        self.requests = requests
        self.turn = turn  # shared itertools.count: next() is atomic in CPython
        self.conn = self._connect()
        self.used = False
        self.samples: list[tuple[float, float, bool]] = []
        self.errors: Counter[str] = Counter()  # of requests started in the window
        self.warmup_errors: Counter[str] = Counter()
        self.reconnects = 0

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(
            self.job["host"], self.job["port"], timeout=self.job["timeout"]
        )

    def _send(self, req: dict[str, Any]) -> tuple[int, bytes]:
        body = req["body"].encode() if req.get("body") is not None else None
        self.conn.request(req["method"], req["path"], body=body, headers=req.get("headers", {}))
        response = self.conn.getresponse()
        data = response.read()
        self.used = not response.will_close
        return response.status, data

    def once(self) -> tuple[bool, str]:
        req = self.requests[next(self.turn) % len(self.requests)]
        try:
            try:
                status, data = self._send(req)
            except STALE:
                if not self.used:
                    raise
                self.reconnects += 1
                self.conn.close()
                self.conn = self._connect()
                status, data = self._send(req)
        except Exception as err:  # timeouts, resets after a retry, …: an error, not a crash
            self.conn.close()
            self.conn = self._connect()
            self.used = False
            return False, type(err).__name__
        if not 200 <= status < 300:
            return False, f"HTTP {status}"
        expect = req.get("expect")
        if expect and expect.encode() not in data:
            return False, "unexpected body"
        return True, ""

    def run(self, measured_from: float, until: float) -> None:
        while (started := time.perf_counter()) < until:
            ok, error = self.once()
            took = time.perf_counter() - started
            # warm-up requests too (negative start): those answered inside the window count
            # towards its throughput
            self.samples.append((started - measured_from, took, ok))
            if not ok:
                (self.errors if started >= measured_from else self.warmup_errors)[error] += 1
        self.conn.close()


def drive(job: dict[str, Any]) -> dict[str, Any]:
    turn = itertools.count()
    clients = [Client(job, job["requests"], turn) for _ in range(job["clients"])]
    begin = time.perf_counter()
    measured_from = begin + job["warmup"]
    until = measured_from + job["seconds"]
    threads = [
        threading.Thread(target=c.run, args=(measured_from, until), daemon=True) for c in clients
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    samples = [Sample(*s) for c in clients for s in c.samples]
    errors: Counter[str] = Counter()
    warmup_errors: Counter[str] = Counter()
    for c in clients:
        errors.update(c.errors)
        warmup_errors.update(c.warmup_errors)
    summary = asdict(summarise(samples, job["seconds"]))
    summary["error_kinds"] = dict(errors)
    summary["warmup_errors"] = dict(warmup_errors)
    summary["reconnects"] = sum(c.reconnects for c in clients)
    summary["drained_s"] = time.perf_counter() - until  # waiting for requests in flight at the end
    summary["all_requests"] = len(samples)  # warm-up and drained ones included
    usage = resource.getrusage(resource.RUSAGE_SELF)
    summary["driver_cpu_s"] = usage.ru_utime + usage.ru_stime
    return summary


def main() -> None:
    job = json.loads(sys.stdin.read())
    print("WEB-LOAD " + json.dumps(drive(job)), flush=True)


if __name__ == "__main__":
    main()
