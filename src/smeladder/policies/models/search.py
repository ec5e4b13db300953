"""The Chinese search index: jieba's words of each item's text, weighted by field, in a plain
table, so the same query runs on SQLite, PostgreSQL and MariaDB (policies/search.py)."""

from __future__ import annotations

from django.db import models

from .documents import SupportItem


class SearchTerm(models.Model):
    item = models.ForeignKey(SupportItem, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=32)
    #: field weight × occurrences (title words count more than body words)
    weight = models.FloatField()

    class Meta:
        verbose_name = "检索词"
        verbose_name_plural = "检索词"
        indexes = [
            # covering: a query reads (term → item, weight) from the index alone; with the
            # weight in the table, each of a common word's ~16,000 rows cost a random page
            # read (SUM over one word at 20,000 items: 32 ms → 2 ms on SQLite)
            models.Index(fields=["term", "item", "weight"], name="searchterm_term_item_weight"),
        ]

    def __str__(self) -> str:
        return self.term
