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
        indexes = [models.Index(fields=["term", "item"])]

    def __str__(self) -> str:
        return self.term
