"""Enterprise requests (企业诉求, `case`) and one-to-one liaison work (包联): routing to the
responsible department, working-day deadlines computed from each case's event log, the escalation
ladder 自办 → 专办 → 工作专班 → 领导小组, follow-up, notifications and precomputed metrics.

Writes go through `actions/`; pages and the API call those, never the models directly."""
