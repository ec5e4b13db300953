"""定时任务: the platform's daily jobs on a built-in schedule (no cron on an intranet box).

schedule.py (the jobs, their default times, SMELADDER_SCHEDULE), models.py (ScheduledRun: one
row per job and day), actions.py (due_jobs, enqueue_due), status.py (last_runs), and the
`smeladder scheduler` command that `make run` starts beside the db_worker."""
