"""The back office lists the scheduler's runs read only: nobody adds, edits or deletes them."""

from __future__ import annotations

import datetime as dt

from smeladder.jobs.models import ScheduledRun

from .conftest import local


def test_runs_are_listed_and_read_only(admin_client) -> None:
    run = ScheduledRun.objects.create(
        job="refresh_counts",
        day=dt.date(2026, 6, 15),
        enqueued_at=local("2026-06-15", "01:00:00"),
        task_result_id="0247ebf6-8c8b-4ef0-a161-4b455e0f3353",
    )
    page = admin_client.get("/admin/jobs/scheduledrun/")
    assert page.status_code == 200
    assert "0247ebf6-8c8b-4ef0-a161-4b455e0f3353" in page.content.decode()
    assert admin_client.get("/admin/jobs/scheduledrun/add/").status_code == 403
    detail = admin_client.get(f"/admin/jobs/scheduledrun/{run.pk}/change/")
    assert detail.status_code == 200 and "保存" not in detail.content.decode()
    deleted = admin_client.post(f"/admin/jobs/scheduledrun/{run.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert ScheduledRun.objects.filter(pk=run.pk).exists()
