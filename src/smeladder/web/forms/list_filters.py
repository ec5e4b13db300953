"""企业库 filters: the query string → a scoped queryset. The page and its Excel export read the
same object, so an export holds exactly the rows the page lists (all pages of them).

Latest outcomes come from the newest finished screening run the user may see (preferring a
run that covers the user's whole area, so a city official is not shown one district's run),
read through `ScreeningResult.objects.for_user`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from smeladder.accounts.roles import is_admin
from smeladder.reference.lookups import division_name
from smeladder.registry.models import Enterprise, Pool, PoolMembership, Title
from smeladder.registry.models.titles import TitleCode, TitleStatus
from smeladder.screening.models import Outcome, ScreeningResult, ScreeningRun, Status
from smeladder.standards.rulebook import load_rulebooks

from ..views.common import district_choices

SORTS = {
    "name": "name",
    "-name": "-name",
    "uscc": "uscc",
    "-uscc": "-uscc",
    "division": "division_code",
    "-division": "-division_code",
}
SIZE_CLASSES = (
    ("micro", _("微型")),
    ("small", _("小型")),
    ("medium", _("中型")),
    ("large", _("大型")),
)
SIZE_ZH = dict(SIZE_CLASSES)
#: short column headers for the outcome of each standard
STANDARD_SHORT = {
    "innovative_sme": _("创新型"),
    "tech_innovative_sme": _("科技和创新型"),
    "specialized_sme": _("专精特新"),
    "little_giant": _("小巨人"),
    "single_champion": _("单项冠军"),
    "tech_sme": _("科技型"),
    "hnte": _("高企"),
    "gazelle": _("瞪羚"),
    "unicorn": _("独角兽"),
    "eaglet": _("雏鹰"),
}
#: column order: the MIIT ladder, then the MOST ladder
LADDER_ORDER = tuple(STANDARD_SHORT)
OUTCOMES = tuple(Outcome.choices)
OUTCOME_ZH = dict(OUTCOMES)
SIZE_STANDARD = "sme_size"


def _wider(prefix: str) -> list[str]:
    return [prefix[:n] for n in (0, 2, 4, 6) if n <= len(prefix)]


def latest_run(user: Any) -> ScreeningRun | None:
    """The newest finished run visible to the user, one covering their whole area first."""
    runs = ScreeningRun.objects.for_user(user).filter(status=Status.DONE)
    runs = runs.order_by("-finished_at", "-id")
    admin = is_admin(user)
    prefix = "" if admin else (user.division_prefix or "")
    covering = runs.filter(division_prefix__in=_wider(prefix)).first()
    return covering or runs.first()


def visible_pools(user: Any) -> QuerySet[Pool]:
    """Pools of the user's area: city-wide ones and those built inside the area."""
    pools = Pool.objects.order_by("code")
    if is_admin(user):
        return pools
    prefix = user.division_prefix or ""
    if not prefix:
        return pools.none()
    return pools.filter(
        Q(division_prefix__in=_wider(prefix)) | Q(division_prefix__startswith=prefix)
    )


@dataclass
class ListFilter:
    user: Any
    district: str = ""
    industry: str = ""
    title: str = ""
    pool: str = ""
    size: str = ""
    standard: str = ""
    outcome: str = ""
    q: str = ""
    sort: str = "name"
    run: ScreeningRun | None = None
    pools: list[Pool] = field(default_factory=list)

    @classmethod
    def from_query(cls, user: Any, params: QueryDict) -> ListFilter:
        get = lambda name: params.get(name, "").strip()  # noqa: E731
        run = latest_run(user)
        pools = list(visible_pools(user))
        f = cls(
            user=user,
            district=get("district"),
            industry=get("industry").upper(),
            title=get("title") if get("title") in TitleCode.values else "",
            pool=get("pool") if get("pool") in {p.code for p in pools} else "",
            size=get("size") if get("size") in SIZE_ZH else "",
            standard=get("std"),
            outcome=get("outcome") if get("outcome") in OUTCOME_ZH else "",
            q=get("q"),
            sort=get("sort") if get("sort") in SORTS else "name",
            run=run,
            pools=pools,
        )
        if f.standard not in f.standards:
            f.standard = ""
        return f

    @cached_property
    def standards(self) -> list[str]:
        """The standards with an outcome column: those of the run, size class apart, less
        regional rulebooks for another region (辽宁's gazelle in 淄博), in ladder order."""
        if self.run is None:
            return []
        books = {b.code: b for b in load_rulebooks()}
        admin = is_admin(self.user)
        prefix = "" if admin else (self.user.division_prefix or "")

        def applies(standard: str) -> bool:
            codes = (self.run.rulebooks or {}).get(standard, "").split(",")
            regions = [books[c].region if c in books else () for c in codes if c]
            if not regions or any(not region for region in regions):
                return True  # a nationwide rulebook
            return any(
                r.startswith(prefix) or prefix.startswith(r) for region in regions for r in region
            )

        chosen = [s for s in self.run.standards if s != SIZE_STANDARD and applies(s)]
        rank = {s: i for i, s in enumerate(LADDER_ORDER)}
        return sorted(chosen, key=lambda s: (rank.get(s, len(rank)), s))

    def results(self) -> QuerySet[ScreeningResult]:
        if self.run is None:
            return ScreeningResult.objects.none()
        return ScreeningResult.objects.for_user(self.user).filter(run=self.run)

    def queryset(self) -> QuerySet[Enterprise]:
        qs = Enterprise.objects.for_user(self.user)
        if self.district:
            # inside for_user, so a prefix outside the user's scope simply finds nothing
            qs = qs.filter(division_code__startswith=self.district)
        if self.industry:
            qs = qs.filter(industry_code__startswith=self.industry)
        if self.title:
            held = Title.objects.filter(
                enterprise=OuterRef("pk"), code=self.title, status=TitleStatus.ACTIVE
            )
            qs = qs.filter(Exists(held))
        if self.pool:
            member = PoolMembership.objects.filter(
                enterprise=OuterRef("pk"), pool__code=self.pool, left_on__isnull=True
            )
            qs = qs.filter(Exists(member))
        if self.size:
            sized = self.results().filter(
                enterprise=OuterRef("pk"), standard=SIZE_STANDARD, size_class=self.size
            )
            qs = qs.filter(Exists(sized))
        if self.standard and self.outcome:
            judged = self.results().filter(
                enterprise=OuterRef("pk"), standard=self.standard, outcome=self.outcome
            )
            qs = qs.filter(Exists(judged))
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(uscc__startswith=self.q.upper()))
        return qs.order_by(SORTS[self.sort], "uscc")

    def described(self) -> list[tuple[Any, str]]:
        """(label, value) of every filter in use, in words, for the export's 说明 sheet."""
        pools = {p.code: p.name for p in self.pools}
        out: list[tuple[Any, str]] = []
        if self.district:
            out.append((_("区县"), f"{division_name(self.district) or ''}（{self.district}）"))
        if self.industry:
            out.append((_("行业代码"), self.industry))
        if self.title:
            out.append((_("有效称号"), str(TitleCode(self.title).label)))
        if self.pool:
            out.append((_("培育库"), pools.get(self.pool, self.pool)))
        if self.size:
            out.append((_("企业规模"), str(SIZE_ZH[self.size])))
        if self.standard and self.outcome:
            label = STANDARD_SHORT.get(self.standard, self.standard)
            out.append((_("最新评价结论"), f"{label}：{OUTCOME_ZH[self.outcome]}"))
        if self.q:
            out.append((_("搜索"), self.q))
        return out

    def choices(self) -> dict[str, Any]:
        return {
            "districts": district_choices(self.user),
            "titles": TitleCode.choices,
            "pool_choices": [(p.code, p.name) for p in self.pools],
            "sizes": SIZE_CLASSES,
            "standard_choices": [(s, STANDARD_SHORT.get(s, s)) for s in self.standards],
            "outcomes": OUTCOMES,
        }
