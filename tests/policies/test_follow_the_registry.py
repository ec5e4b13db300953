"""The issue's end-to-end promise: a change of a firm's figures, made the way officials make it
(the profile's year form, i.e. the audited import action), updates both the firm's own policy
list and the item's stored 免申即享 list — through the patch job queued after the commit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from smeladder.accounts.models import Role, User
from smeladder.policies import match_sets
from smeladder.policies.matching import match_enterprise
from smeladder.policies.sweep import sweep
from smeladder.registry.actions.edits import edit_year

from .library_fixtures import build_library


def test_a_figure_edit_updates_the_firms_list_and_the_items_list(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()  # the patch job computes as of today
    lib = build_library(on=today)
    sweep(today, notify=False)  # the stored sets as the nightly sweep leaves them
    firm, rd = lib["zd2"], lib["rd"]
    year = today.year - 1  # 上年度

    stored = match_sets.firm_matches([rd.pk], firm.pk)[rd.pk]
    assert stored.amount is None and f"annual.{year}.rd_expense" in stored.missing
    (mine,) = [m for m in match_enterprise(firm, today) if m.item_id == rd.pk]
    assert mine.amount_lo is None

    official = User.objects.create_user(
        "follow_city", password="x", role=Role.CITY_OFFICIAL, division_prefix="3703"
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = edit_year(official, firm.uscc, year, {"rd_expense": 2_500_000}, adding=True)
    assert outcome.ok, outcome.errors

    # the item's list: the firm is still 待核实 (a person must judge the expert review) but no
    # longer waits on its R&D expense, and its amount is 10 % of it
    stored = match_sets.firm_matches([rd.pk], firm.pk)[rd.pk]
    assert stored.missing == ["项目通过专家评审"]
    assert stored.amount == Decimal("250000")
    # the firm's own list says the same
    (mine,) = [m for m in match_enterprise(firm, today) if m.item_id == rd.pk]
    assert (mine.amount_lo, mine.amount_hi) == (250_000, 250_000)
    assert f"annual.{year}.rd_expense" not in mine.missing
