"""`smeladder reindex_policies`: rebuild the Chinese search index of every support item
(policies/search.py). Needed after a bulk load that bypassed the workflow, or after a change of
the segmentation (user dictionary, field weights); the workflow keeps it current otherwise."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from smeladder.policies.search import reindex_all


class Command(BaseCommand):
    help = "重建政策检索索引 / rebuild the policy search index"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {done}/{total} 个政策文件")

        items, rows = reindex_all(progress=progress)
        self.stdout.write(
            f"已重建检索索引：{items} 个支持事项，{rows} 条检索词，"
            f"用时 {time.perf_counter() - started:.1f} 秒"
        )
