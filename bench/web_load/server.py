"""The server side of the web benchmark: a throwaway demo city, gunicorn serving it, sign-in.

Everything runs with the production settings (``smeladder.settings.production``: DEBUG off, no
query log) on a SQLite file in a temp dir; plain HTTP, so ``SMELADDER_HTTPS=0``."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PASSWORD = "bench-web-demo-password"


def city_env(data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # the default: SQLite under SMELADDER_DATA_DIR
    env.update(
        {
            "SMELADDER_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "smeladder.settings.production",
            "SMELADDER_HTTPS": "0",  # plain HTTP on 127.0.0.1: no Secure-only cookies
            "SECRET_KEY": "bench-only-secret-key-bench-only-secret-key-0123456789",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SMELADDER_DEMO_PASSWORD": PASSWORD,
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def smeladder(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "smeladder", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"smeladder {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def build_city(env: dict[str, str]) -> None:
    """`smeladder migrate`, `collectstatic`, `demo` (its default size), `demo_accounts`."""
    smeladder(env, "migrate", "--no-input", "-v", "0")
    smeladder(env, "collectstatic", "--no-input", "-v", "0")  # as deployed: STATIC_ROOT filled
    smeladder(env, "demo")
    smeladder(env, "demo_accounts")


FIRMS_SCRIPT = """
import json, random, django
django.setup()
from smeladder.registry.models import Enterprise
usccs = sorted(Enterprise.objects.filter(division_code__startswith="3703")
               .values_list("uscc", flat=True))
random.Random({seed}).shuffle(usccs)
print("FIRMS " + json.dumps(usccs[:{count}]))
"""


def city_firms(env: dict[str, str], count: int, seed: int = 2026) -> list[str]:
    """`count` USCCs of the demo city (淄博, 3703), a seeded random pick."""
    script = textwrap.dedent(FIRMS_SCRIPT.format(seed=seed, count=count))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    for line in done.stdout.splitlines():
        if line.startswith("FIRMS "):
            return json.loads(line.removeprefix("FIRMS "))
    raise RuntimeError(f"could not list the demo firms:\n{done.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Gunicorn:
    pid: int  # the master's
    port: int
    workers: int
    threads: int
    command: list[str]
    log: Path
    worker_class: str = "sync"

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the master and its live workers, from /proc:
        what the server spent, whatever else the machine is doing."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                pid, rest = stat.read_text().split(" (", 1)
            except OSError:  # the process ended meanwhile
                continue
            fields = rest.rsplit(") ", 1)[1].split()
            if int(pid) == self.pid or int(fields[1]) == self.pid:  # fields[1]: parent pid
                total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, quiet: float = 0.05, limit: float = 600.0) -> float:
        """Wait until the server has stopped working (under `quiet` CPU seconds in a second):
        requests a client gave up on are still computed to the end, and that work must not land
        in the next run's figures. Seconds waited."""
        started = time.monotonic()
        before = self.cpu_seconds()
        while time.monotonic() - started < limit:
            time.sleep(1.0)
            now = self.cpu_seconds()
            if now - before < quiet:
                break
            before = now
        return time.monotonic() - started

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of gunicorn's log that are not routine INFO lines."""
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join([line for line in text if "[INFO]" not in line][-lines:])


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str],
    log: Path,
    workers: int,
    threads: int,
    ready_path: str,
    worker_class: str = "sync",
) -> Iterator[Gunicorn]:
    """Start gunicorn with the shipped configuration, wait until `ready_path` answers 200, stop
    it (and only it) afterwards."""
    port = free_port()
    # the shipped configuration (smeladder/gunicorn_conf.py), with the port and the number of
    # workers of this run; BENCH_WEB_WORKER_CLASS=gthread (+ threads, keep-alive) to compare
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:smeladder.gunicorn_conf",
        "smeladder.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--no-control-socket",
    ]
    if worker_class != "sync":
        command += ["--worker-class", worker_class, "--threads", str(threads)]
        command += ["--keep-alive", os.environ.get("BENCH_WEB_KEEPALIVE", "5")]
    with log.open("w") as out:
        # its own session: on the way out the whole group (master and its workers) can be
        # signalled by the master's id, even if the master died first
        proc = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_ready(proc, port, ready_path, log)
            yield Gunicorn(proc.pid, port, workers, threads, command, log, worker_class)
        finally:
            _stop(proc)


def _wait_ready(proc: subprocess.Popen[bytes], port: int, path: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            try:
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    return
            finally:
                conn.close()
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer in 60 s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # workers left behind by a crashed master
        os.killpg(proc.pid, signal.SIGKILL)


# --- signing in ---------------------------------------------------------------------------


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie()
        cookie.load(header)
        jar.update({name: morsel.value for name, morsel in cookie.items()})


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def session_login(port: int, username: str, password: str = PASSWORD) -> str:
    """Sign in through the login page as a browser does (CSRF cookie + form token); the Cookie
    header of the signed-in session."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", "/accounts/login/")
        page = conn.getresponse()
        html = page.read().decode()
        _cookies(page, jar)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if page.status != 200 or not found:
            raise RuntimeError(f"login page: HTTP {page.status}, CSRF token found: {bool(found)}")
        form = urlencode(
            {"csrfmiddlewaretoken": found.group(1), "username": username, "password": password}
        )
        conn.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": _cookie_header(jar),
            },
        )
        answer = conn.getresponse()
        answer.read()
        _cookies(answer, jar)
        if answer.status != 302 or "sessionid" not in jar:
            raise RuntimeError(f"sign-in as {username} failed: HTTP {answer.status}")
        return _cookie_header(jar)
    finally:
        conn.close()


def api_token(port: int, username: str, password: str = PASSWORD) -> str:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        body = json.dumps({"username": username, "password": password})
        conn.request("POST", "/api/v1/token", body, {"Content-Type": "application/json"})
        answer = conn.getresponse()
        data = answer.read()
        if answer.status != 200:
            raise RuntimeError(f"token for {username}: HTTP {answer.status} {data[:200]!r}")
        return json.loads(data)["token"]
    finally:
        conn.close()
