"""Pushes to firms: one Notification per firm × item × kind, delivered over the configured
channels (channels.py) with one Delivery row per channel.

- ``notify_new_matches(pairs)`` — the sweep calls it with the (item, firm) pairs that newly
  pass; a pair already notified is left alone, so re-runs never nag;
- ``notify_closing_windows(on)`` — items whose application window closes within 7 days of
  ``on``, to the firms their stored match set says pass that have not applied;
- ``notify_granted(application)`` — the firm hears that an amount was granted.

A firm that muted one of an item's categories still gets the Notification row (so the event is
recorded once and not pushed again later), but every channel is logged as ``skipped`` and the
inbox does not show it (``inbox_of``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from smeladder.zh_labels import zh_label

from .channels import Sent, configured_channels
from .match_sets import amounts_of, pass_pairs
from .models import (
    Application,
    Category,
    CategoryMute,
    Delivery,
    Notification,
    NotificationKind,
    Status,
    SupportItem,
)

CHUNK = 500
CLOSING_DAYS = 7


@dataclass
class PushReport:
    created: int = 0  # new Notification rows
    already: int = 0  # pairs notified before (left alone)
    muted: int = 0  # new rows whose deliveries were all skipped (category muted)
    deliveries: dict[str, int] = field(default_factory=dict)  # Delivery.State → count

    def add(self, other: PushReport) -> None:
        self.created += other.created
        self.already += other.already
        self.muted += other.muted
        for state, n in other.deliveries.items():
            self.deliveries[state] = self.deliveries.get(state, 0) + n


def batched(rows: list[Any], n: int) -> Iterable[list[Any]]:
    """itertools.batched arrived in Python 3.12."""
    for start in range(0, len(rows), n):
        yield rows[start : start + n]


def item_categories(item: SupportItem) -> list[str]:
    """An item's categories; an item without its own takes its document's."""
    return list(item.categories or item.document.categories or [])


def _wan(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{Decimal(amount) / Decimal(10000):,.2f} 万元"


def _deadline(item: SupportItem) -> str:
    end = item.document.apply_to
    return f"申报截止：{end.isoformat()}。" if end else "常年可申报。"


#: (item, the firm's stored amount or None) → (title, body)
Texts = Callable[[SupportItem, Any], tuple[str, str]]


def _push(
    kind: str, pairs: Iterable[tuple[int, int]], texts: Texts, *, mutable: bool
) -> PushReport:
    """Notify each (item id, enterprise id) pair once for ``kind`` over every channel."""
    report = PushReport()
    channels = configured_channels()
    for chunk in batched(sorted(set(pairs)), CHUNK):
        item_ids = {i for i, _ in chunk}
        firm_ids = {e for _, e in chunk}
        existing = set(
            Notification.objects.filter(
                kind=kind, item_id__in=item_ids, enterprise_id__in=firm_ids
            ).values_list("item_id", "enterprise_id")
        )
        todo = [p for p in chunk if p not in existing]
        report.already += len(chunk) - len(todo)
        if not todo:
            continue
        items = SupportItem.objects.select_related("document").in_bulk(item_ids)
        amounts = amounts_of(todo)  # from the items' stored match sets
        mutes: dict[int, set[str]] = defaultdict(set)
        if mutable:
            for firm_id, category in CategoryMute.objects.filter(
                enterprise_id__in=firm_ids
            ).values_list("enterprise_id", "category"):
                mutes[firm_id].add(category)
        wanted = set(todo)
        with transaction.atomic():
            rows = []
            for item_id, firm_id in todo:
                title, body = texts(items[item_id], amounts.get((item_id, firm_id)))
                rows.append(
                    Notification(
                        enterprise_id=firm_id,
                        item_id=item_id,
                        kind=kind,
                        title=title[:300],
                        body=body,
                    )
                )
            # a concurrent push of the same event loses quietly (unique per firm, item, kind)
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            fresh = Notification.objects.filter(
                kind=kind,
                item_id__in=item_ids,
                enterprise_id__in=firm_ids,
                deliveries__isnull=True,
            ).select_related("item")
            deliveries = []
            for n in fresh:
                if (n.item_id, n.enterprise_id) not in wanted:
                    continue
                report.created += 1
                muted = sorted(mutes[n.enterprise_id] & set(item_categories(items[n.item_id])))
                report.muted += bool(muted)
                for channel in channels:
                    if muted:
                        labels = "、".join(zh_label(Category, c) for c in muted)  # stored
                        sent = Sent(Delivery.State.SKIPPED, detail=f"企业已设免打扰：{labels}")
                    else:
                        sent = channel.send(n)
                    deliveries.append(
                        Delivery(
                            notification=n,
                            channel=channel.name,
                            recipient=sent.recipient[:200],
                            state=sent.state,
                            detail=sent.detail[:500],
                        )
                    )
                    report.deliveries[sent.state] = report.deliveries.get(sent.state, 0) + 1
            Delivery.objects.bulk_create(deliveries)
    return report


def _new_item_texts(item: SupportItem, value: Decimal | None) -> tuple[str, str]:
    doc = item.document
    number = f"（{doc.doc_number}）" if doc.doc_number else ""
    amount = f"预计金额：{_wan(value)}。" if value is not None else ""
    return (
        f"新的可享政策：{item.name}",
        f"贵企业符合《{doc.title}》{number}“{item.name}”的条件。{amount}{_deadline(item)}",
    )


def _closing_texts(item: SupportItem, value: Decimal | None) -> tuple[str, str]:
    doc = item.document
    amount = f"预计金额：{_wan(value)}。" if value is not None else ""
    return (
        f"申报即将截止：{item.name}",
        f"《{doc.title}》“{item.name}”将于 {doc.apply_to} 截止申报，贵企业符合条件且尚未申报。"
        f"{amount}",
    )


def notify_new_matches(pairs: Iterable[tuple[int, int]]) -> PushReport:
    """Notify firms of items they newly pass: pairs of (item id, enterprise id). Items of
    documents that are not published are never pushed."""
    pairs = list(pairs)
    if not pairs:
        return PushReport()
    report = PushReport()
    for chunk in batched(pairs, CHUNK * 10):
        published = set(
            SupportItem.objects.filter(
                pk__in={i for i, _ in chunk}, document__status=Status.PUBLISHED
            ).values_list("pk", flat=True)
        )
        ok = [(i, e) for i, e in chunk if i in published]
        report.add(_push(NotificationKind.NEW_ITEM, ok, _new_item_texts, mutable=True))
    return report


def closing_pairs(on: dt.date) -> list[tuple[int, int]]:
    """(item id, enterprise id) of stored passes whose item's window is open on ``on`` and
    closes within 7 days (``on`` ≤ 截止 ≤ ``on`` + 7), without an application."""
    closing = (
        SupportItem.objects.filter(
            document__status=Status.PUBLISHED,
            document__apply_to__gte=on,
            document__apply_to__lte=on + dt.timedelta(days=CLOSING_DAYS),
        )
        .filter(Q(document__apply_from__isnull=True) | Q(document__apply_from__lte=on))
        .values_list("pk", flat=True)
    )
    pairs = pass_pairs(list(closing))
    applied = set(
        Application.objects.filter(item_id__in={i for i, _ in pairs}).values_list(
            "item_id", "enterprise_id"
        )
    )
    return [p for p in pairs if p not in applied]


def notify_closing_windows(on: dt.date) -> PushReport:
    return _push(NotificationKind.WINDOW_CLOSING, closing_pairs(on), _closing_texts, mutable=True)


def notify_granted(application: Application) -> PushReport:
    def texts(item: SupportItem, _match: Any) -> tuple[str, str]:
        return (
            f"政策已兑现：{item.name}",
            f"《{item.document.title}》“{item.name}”已为贵企业兑现 "
            f"{_wan(application.granted_amount)}（{application.decided_on}）。",
        )

    pair = [(application.item_id, application.enterprise_id)]
    return _push(NotificationKind.GRANTED, pair, texts, mutable=False)


def pending_new_matches() -> list[tuple[int, int]]:
    """Stored passes of published items that were never notified (for the command)."""
    published = SupportItem.objects.filter(document__status=Status.PUBLISHED)
    pairs = pass_pairs(list(published.values_list("pk", flat=True)))
    notified = set(
        Notification.objects.filter(kind=NotificationKind.NEW_ITEM).values_list(
            "item_id", "enterprise_id"
        )
    )
    return [p for p in pairs if p not in notified]


def inbox_of(enterprise_id: int) -> QuerySet:
    """A firm's inbox: its notifications the inbox channel delivered, newest first."""
    shown = Delivery.objects.filter(
        notification=OuterRef("pk"), channel="inbox", state=Delivery.State.SENT
    )
    return Notification.objects.filter(enterprise_id=enterprise_id).filter(Exists(shown))
