"""Reference tables after migrations (schema 0001 + data 0002) and `load_reference`."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from smeladder.reference import datafiles, lookups
from smeladder.reference.models import Division, HightechField, IndustryCode

pytestmark = pytest.mark.django_db


def test_division_rows_after_migration() -> None:
    assert Division.objects.count() == 6823
    assert Division.objects.values("code").distinct().count() == 6450
    assert Division.objects.filter(status=Division.Status.CURRENT).count() == 3213
    zhangdian = Division.objects.get(code="370303")
    assert (zhangdian.name, zhangdian.level, zhangdian.status) == ("张店区", "county", "current")
    assert (zhangdian.province_code, zhangdian.prefecture_code) == ("370000", "370300")
    assert zhangdian.until_year is None


def test_reused_code_has_two_periods() -> None:
    periods = list(
        Division.objects.filter(code="120110").values_list("name", "status", "until_year")
    )
    assert periods == [("东郊区", "changed", 1992), ("东丽区", "current", None)]


def test_retired_division_row() -> None:
    row = Division.objects.get(code="130124")
    assert (row.name, row.status, row.until_year) == ("栾城县", "retired", 2014)
    assert row.successors == "130108[2001];130111"


def test_zibo_counties_in_table_match_lookup() -> None:
    qs = Division.objects.filter(
        prefecture_code="370300", level="county", status="current"
    ).values_list("code", "name")
    assert list(qs.order_by("code")) == lookups.counties_of("370300")


def test_industry_counts_after_migration() -> None:
    counts = Counter(IndustryCode.objects.values_list("level", flat=True))
    assert counts == {"section": 20, "division": 97, "group": 473, "class": 1382}


def test_strategic_emerging_tags_match_csv() -> None:
    sei = datafiles.read_csv(datafiles.SEI_MAP)
    tagged = IndustryCode.objects.filter(strategic_emerging=True)
    assert tagged.count() == len(sei) == 469
    assert set(tagged.values_list("code", flat=True)) == {r["nic_code"] for r in sei}
    assert IndustryCode.objects.filter(strategic_partial=True).count() == sum(
        r["partial_star"] == "Y" for r in sei
    )
    assert not tagged.exclude(level="class").exists()


def test_industry_class_row() -> None:
    row = IndustryCode.objects.get(code="3484")
    assert (row.full_code, row.name, row.section, row.parent_code) == (
        "C3484",
        "机械零部件加工",
        "C",
        "348",
    )
    assert row.strategic_emerging and row.strategic_partial
    assert str(row) == "C3484 机械零部件加工"
    assert IndustryCode.objects.get(code="C").full_code == "C"


def test_long_description_roundtrips() -> None:
    longest = max(datafiles.industry_rows(), key=lambda r: len(r["description"]))
    assert len(longest["description"]) > 5000
    stored = IndustryCode.objects.get(code=longest["code"]).description
    assert stored == longest["description"]


def test_hightech_counts_after_migration() -> None:
    counts = Counter(HightechField.objects.values_list("level", flat=True))
    assert counts == {1: 8, 2: 52, 3: 254}
    childless = [
        f.code
        for f in HightechField.objects.filter(level=2)
        if not HightechField.objects.filter(parent_code=f.code).exists()
    ]
    assert childless == ["504", "505", "706"]
    assert all(lookups.is_hightech_leaf(code) for code in childless)


def test_check_passes_after_migration(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_reference", "--check")
    out = capsys.readouterr().out
    assert "Division: OK (6823 rows)" in out
    assert "IndustryCode: OK (1972 rows)" in out
    assert "HightechField: OK (314 rows)" in out


def test_check_detects_missing_row() -> None:
    Division.objects.filter(code="370303").delete()
    with pytest.raises(CommandError):
        call_command("load_reference", "--check")


def test_check_detects_changed_value() -> None:
    IndustryCode.objects.filter(code="3484").update(strategic_emerging=False)
    with pytest.raises(CommandError):
        call_command("load_reference", "--check")


def test_check_detects_extra_row() -> None:
    HightechField.objects.create(code="99999", name="虚构", level=3, parent_code="999")
    with pytest.raises(CommandError):
        call_command("load_reference", "--check")


def test_reload_is_idempotent_and_repairs(capsys: pytest.CaptureFixture[str]) -> None:
    Division.objects.filter(code__startswith="37").delete()
    IndustryCode.objects.filter(code="3484").update(name="改坏了")
    call_command("load_reference")
    call_command("load_reference")
    assert "Division: 6823 rows loaded" in capsys.readouterr().out
    assert Division.objects.count() == 6823
    assert IndustryCode.objects.get(code="3484").name == "机械零部件加工"
    call_command("load_reference", "--check")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_data_migration_is_reversible() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("reference", "0001_reference_tables")])
    assert not Division.objects.exists()
    assert not IndustryCode.objects.exists()
    assert not HightechField.objects.exists()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("reference", "0002_load_reference_data")])
    assert Division.objects.count() == 6823
    assert IndustryCode.objects.count() == 1972
    assert HightechField.objects.count() == 314
    call_command("load_reference", "--check")
