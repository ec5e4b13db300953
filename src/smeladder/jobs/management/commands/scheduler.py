"""smeladder scheduler [--once] [--interval 30] — enqueue the daily jobs at their times
(jobs/schedule.py, SMELADDER_SCHEDULE) for `smeladder db_worker` to run; no cron needed.
--once checks once and exits (cron-style use, tests); otherwise it loops until SIGTERM / SIGINT,
which end it cleanly between two checks."""

from __future__ import annotations

import signal
import threading
import traceback
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from smeladder.jobs.actions import enqueue_due
from smeladder.jobs.schedule import Job, current_schedule


def _interval(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise CommandError(f"--interval 须为正数（秒）/ must be positive seconds: {value!r}")
    return seconds


class Command(BaseCommand):
    help = "定时任务：按每日时间表把到时的任务放入后台队列 / enqueue the daily jobs on schedule"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="检查一次后退出 / check once and exit"
        )
        parser.add_argument(
            "--interval",
            default="30",
            help="检查间隔秒数（默认 30）/ seconds between checks (default 30)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = _interval(str(options["interval"]))
        try:
            jobs = current_schedule()
        except ImproperlyConfigured as err:
            raise CommandError(str(err)) from None
        self._say(self._plan(jobs))
        if options["once"]:
            self._tick()
            return
        stop = threading.Event()

        def _stop(signum: int, frame: Any) -> None:
            stop.set()

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not stop.is_set():
                try:
                    self._tick()
                except Exception:  # one bad check (e.g. a locked database) must not end the loop
                    self.stderr.write(traceback.format_exc())
                stop.wait(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self._say("定时任务已停止 / scheduler stopped")

    def _plan(self, jobs: list[Job]) -> str:
        times = "，".join(f"{j.at:%H:%M} {j.name}" for j in jobs) or "无 / none"
        return f"定时任务（{timezone.get_current_timezone_name()}）/ schedule: {times}"

    def _tick(self) -> None:
        # a long-lived process: drop connections the server closed or that grew old (as the
        # db_worker does) — never inside a caller's transaction (tests, an embedding caller)
        if not connection.in_atomic_block:
            close_old_connections()
        now = timezone.now()
        for run in enqueue_due(now):
            self._say(
                f"{timezone.localtime(now):%Y-%m-%d %H:%M:%S} 已放入队列 / enqueued: "
                f"{run.job}（{run.day.isoformat()}，{run.task_result_id}）"
            )

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()  # the log is a file under make run: lines should appear as they happen
