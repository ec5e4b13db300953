"""The demo city: identifiers, codes, internal consistency and the command's behaviour.

One 2,000-firm city is built per module (fast on every backend) and removed afterwards; the
statistical checks against the documented calibration run on the generator alone
(test_demo_calibration.py)."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q
from stdnum.cn import uscc as stdnum_uscc

from smeladder.reference import lookups
from smeladder.registry.demo import calibration as cal
from smeladder.registry.demo import delete_registry
from smeladder.registry.demo.names import DEMO_MARKER
from smeladder.registry.models import (
    AnnualFigures,
    Enterprise,
    Pool,
    PoolMembership,
    Title,
)

from .fixtures import FIXTURES

N = 2_000
SEED = 7
REAL_NAMES_CSV = FIXTURES / "zj_little_giant_review_passed_publicity_2022_2023.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def city(module_transaction, django_db_blocker):
    """Built once; rolled back after the module (module_transaction), so nothing the demo
    command writes — the policy library, casework, audit events — is left for later modules."""
    with django_db_blocker.unblock():
        delete_registry()
        call_command("demo", enterprises=N, seed=SEED, stdout=StringIO())


def real_names() -> list[str]:
    with REAL_NAMES_CSV.open(encoding="utf-8") as fh:
        return [row["enterprise_name"] for row in csv.DictReader(fh)]


def test_count_and_every_annual_year(city):
    assert Enterprise.objects.count() == N
    years = set(AnnualFigures.objects.values_list("year", flat=True).distinct())
    assert years == set(cal.YEARS)


def test_usccs_pass_gb32100_are_unique_and_carry_the_county(city):
    rows = list(Enterprise.objects.values_list("uscc", "division_code"))
    usccs = [u for u, _ in rows]
    assert len(set(usccs)) == len(usccs)
    for uscc, division in rows:
        assert stdnum_uscc.is_valid(uscc), uscc
        assert uscc[2:8] == division


def test_counties_are_the_current_counties_of_zibo(city):
    zibo = {code for code, _ in lookups.counties_of("370300")}
    used = set(Enterprise.objects.values_list("division_code", flat=True).distinct())
    assert used <= zibo
    assert all(code.startswith("3703") for code in used)
    assert len(used) == len(zibo)  # 2,000 firms reach every county


def test_industry_codes_are_valid_classes(city):
    codes = set(Enterprise.objects.values_list("industry_code", flat=True).distinct())
    for code in codes:
        assert lookups.normalize_industry_code(code) == code
    assert {code[0] for code in codes} <= set(cal.SECTION_WEIGHTS)


def test_names_are_unique_marked_and_never_real(city):
    names = list(Enterprise.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    real = set(real_names())
    assert len(real) == 79
    for name in names:
        assert name.endswith(DEMO_MARKER)
        assert name not in real
        assert name.removesuffix(DEMO_MARKER) not in real
    # the marker itself is what a registered name cannot contain: Latin letters
    assert not any(ch.isascii() and ch.isalpha() for name in real for ch in name)


def test_ip_counts_are_consistent(city):
    known = Enterprise.objects.filter(ip_class1__isnull=False)
    assert known.exists()
    assert not known.filter(ip_class1__lt=F("ip_class1_self_developed")).exists()
    assert not known.filter(ip_class1__lt=F("ip_class1_applied")).exists()
    assert not known.filter(
        ip_class1_high_value__isnull=False, ip_class1__lt=F("ip_class1_high_value")
    ).exists()
    # an unknown block is unknown as a whole
    unknown = Enterprise.objects.filter(ip_class1__isnull=True)
    assert unknown.exists()
    assert not unknown.filter(Q(ip_class2__isnull=False) | Q(ip_class1_applied__isnull=False))


def test_title_dates_and_statuses(city):
    titles = Title.objects.all()
    assert titles.exists()
    assert not titles.filter(valid_to__lte=F("valid_from")).exists()
    assert not titles.filter(valid_from__gt=cal.AS_OF).exists()
    assert not titles.filter(status="active", valid_to__lt=cal.AS_OF).exists()
    assert not titles.filter(status="expired", valid_to__gte=cal.AS_OF).exists()
    statuses = set(titles.values_list("status", flat=True).distinct())
    assert {"active", "expired"} <= statuses
    # 科技和创新型 replaces 创新型 from 2026-04-01
    assert not titles.filter(code="innovative_sme", valid_from__gte=cal.TECH_INNOVATIVE_FROM)
    assert not titles.filter(code="tech_innovative_sme", valid_from__lt=cal.TECH_INNOVATIVE_FROM)
    assert set(titles.filter(code="little_giant").values_list("level", flat=True).distinct()) == {
        "national"
    }
    # 科技型中小企业 is registered for one calendar year
    for vf, vt in titles.filter(code="tech_sme").values_list("valid_from", "valid_to"):
        assert vt == dt.date(vf.year, 12, 31)


def test_higher_titles_sit_on_plausible_firms(city):
    giants = Title.objects.filter(code="little_giant", status="active").values("enterprise_id")
    figures = AnnualFigures.objects.filter(enterprise_id__in=giants, year=cal.YEARS[-1])
    for revenue, rd, employees in figures.values_list("revenue", "rd_expense", "employees"):
        if revenue and rd is not None:
            assert rd / revenue >= 0.01
        if employees is not None:
            assert employees >= 3


def test_unknown_facts_are_null_not_zero(city):
    rows = AnnualFigures.objects
    total = rows.count()
    null_rd = rows.filter(rd_expense__isnull=True).count()
    zero_rd = rows.filter(rd_expense=0).count()
    assert 0.01 < null_rd / total < 0.15  # ≈ 10% of untitled rows, ≈ 1% of titled
    assert zero_rd > 0  # firms without R&D report 0, which is a different fact
    assert Enterprise.objects.filter(digital_level__isnull=True).count() > N * 0.2
    assert not Enterprise.objects.filter(digital_level=0).exists()
    # no annual row before the firm was founded
    for year, founded in AnnualFigures.objects.filter(
        enterprise__founded_on__isnull=False
    ).values_list("year", "enterprise__founded_on"):
        assert founded.year <= year


def test_pools_and_memberships(city):
    assert set(Pool.objects.values_list("code", flat=True)) >= {c for c, *_ in cal.POOLS}
    memberships = PoolMembership.objects.all()
    assert memberships.exists()
    assert not memberships.filter(joined_on__gt=cal.AS_OF).exists()
    assert not memberships.filter(left_on__isnull=False, left_on__lte=F("joined_on")).exists()
    left = memberships.filter(left_on__isnull=False)
    assert left.exists() and not left.filter(exit_reason="").exists()


def test_if_empty_skips_and_refuses_without_replace(city):
    out = StringIO()
    call_command("demo", enterprises=10, if_empty=True, stdout=out)
    assert "skipped" in out.getvalue()
    assert Enterprise.objects.count() == N
    with pytest.raises(CommandError, match="--replace"):
        call_command("demo", enterprises=10, stdout=StringIO())
    assert Enterprise.objects.count() == N


def test_replace_deletes_the_registry_first(city, make_user):
    firm = Enterprise.objects.first()
    user = make_user("linked", "enterprise", enterprise=firm)
    call_command("demo", enterprises=50, seed=1, replace=True, stdout=StringIO())
    assert Enterprise.objects.count() == 50
    user.refresh_from_db()
    assert user.enterprise_id is None  # SET_NULL links are cleared, not broken
    # new rows can still be added with the ORM after explicit ids (sequences are reset)
    Enterprise.objects.create(uscc="91370303MA0000001X", name="手工录入", division_code="370303")


def _dump() -> str:
    parts = []
    for model in (Enterprise, AnnualFigures, Title, PoolMembership):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "pool_id"]
        parts.append(repr(list(model.objects.order_by("id").values_list(*fields))))
    return "\n".join(parts)


def test_same_seed_gives_identical_data_whatever_the_chunk_size(city, monkeypatch):
    from smeladder.registry.demo import build

    # small blocks so that 1,500 firms span several blocks and several chunks
    monkeypatch.setattr(cal, "BLOCK", 500)
    delete_registry()
    build(1_500, seed=11, chunk_size=500)
    first = _dump()
    delete_registry()
    build(1_500, seed=11, chunk_size=1_500)
    assert _dump() == first
    delete_registry()
    build(1_500, seed=12, chunk_size=500)
    assert _dump() != first


def test_another_prefecture_uses_its_own_counties(city):
    call_command("demo", enterprises=200, prefecture="370200", replace=True, stdout=StringIO())
    qingdao = {code for code, _ in lookups.counties_of("370200")}
    assert set(Enterprise.objects.values_list("division_code", flat=True)) <= qingdao
    assert all(
        name.startswith(("青岛", "山东"))
        for name in Enterprise.objects.values_list("name", flat=True)
    )


def test_unknown_prefecture_is_refused(city):
    with pytest.raises(CommandError, match="prefecture"):
        call_command("demo", enterprises=10, prefecture="379900", replace=True, stdout=StringIO())
    assert Enterprise.objects.count() == N  # nothing deleted
