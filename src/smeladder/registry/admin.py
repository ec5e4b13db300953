"""Back office for the registry. Every list is scoped through `for_user`, so a district official
with staff rights sees only their district here too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from smeladder.accounts.audit import record

from .models import (
    AnnualFigures,
    Award,
    Enterprise,
    EquityFinancing,
    ImportRun,
    MakerChinaResult,
    PlatformScore,
    Pool,
    PoolMembership,
    Title,
)


def _jsonable(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str) else str(value)


class ScopedAdminMixin:
    """Limit admin lists and lookups to what the user's role and division allow, and write every
    change made here to the audit log (old → new), as actions do."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).for_user(request.user)  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "enterprise":
            # A raw id typed by hand is validated against this queryset: no cross-district link.
            kwargs["queryset"] = Enterprise.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool):
        changes = {}
        for name in form.changed_data:
            before, after = (
                _jsonable(form.initial.get(name)),
                _jsonable(form.cleaned_data.get(name)),
            )
            if before != after:  # JSON widgets report {} → "{}" as a change; it is not one
                changes[name] = [before, after]
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        record(
            "registry.admin_change" if change else "registry.admin_add",
            actor=request.user,
            object_type=obj._meta.label,
            object_id=str(obj.pk),
            changes=changes,
        )


class EnterpriseAdminForm(forms.ModelForm):
    division_prefix = ""  # set per request in EnterpriseAdmin.get_form

    class Meta:
        model = Enterprise
        fields = "__all__"  # noqa: DJ007 — the admin's fieldsets choose the fields

    def clean_division_code(self) -> str:
        code = self.cleaned_data["division_code"]
        if self.division_prefix and not code.startswith(self.division_prefix):
            raise forms.ValidationError(
                f"只能登记本辖区（{self.division_prefix}）的企业 / "
                f"only enterprises within division {self.division_prefix}"
            )
        return code


class AnnualFiguresInline(admin.TabularInline):
    model = AnnualFigures
    extra = 0
    fields = (
        "year",
        "revenue",
        "main_revenue",
        "rd_expense",
        "net_profit",
        "total_assets",
        "total_liabilities",
        "employees",
        "rd_staff",
    )


class TitleInline(admin.TabularInline):
    model = Title
    extra = 0
    fields = ("code", "level", "batch", "valid_from", "valid_to", "status", "source_document")


class PoolMembershipInline(admin.TabularInline):
    model = PoolMembership
    extra = 0
    fields = ("pool", "joined_on", "reason", "left_on", "exit_reason")


class EquityFinancingInline(admin.TabularInline):
    model = EquityFinancing
    extra = 0


class PlatformScoreInline(admin.TabularInline):
    model = PlatformScore
    extra = 0


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0


class MakerChinaInline(admin.TabularInline):
    model = MakerChinaResult
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "uscc", "division_code", "industry_code", "founded_on", "listed")
    list_filter = ("listed", "rd_institution", "digital_level", "uscc_checksum_ok")
    search_fields = ("name", "=uscc", "^uscc")
    show_full_result_count = False  # a COUNT(*) over a province-sized table on every page is waste
    list_per_page = 50
    readonly_fields = ("created_at", "updated_at")
    form = EnterpriseAdminForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user
        prefix = "" if user.is_superuser else getattr(user, "division_prefix", "")
        return type(form.__name__, (form,), {"division_prefix": prefix})

    fieldsets = (
        (
            "基本信息",
            {
                "fields": (
                    ("uscc", "uscc_checksum_ok"),
                    "name",
                    ("division_code", "industry_code"),
                    ("founded_on", "listed"),
                    ("created_at", "updated_at"),
                )
            },
        ),
        (
            "否决性情形",
            {
                "fields": (
                    "flag_abnormal_operations_list",
                    "flag_serious_dishonesty_list",
                    "flag_major_incident_3y",
                    "flag_restricted_products",
                    "flag_excluded_industry_rd_deduction",
                )
            },
        ),
        (
            "主导产品与市场",
            {
                "fields": (
                    "niche_since",
                    "product_strategic_emerging",
                    "product_key_field",
                    "product_six_basics_or_key_sector",
                    "product_chain_key_link",
                    "product_hightech_domain",
                    ("product_market_share", "product_domestic_rank", "product_global_rank"),
                    "product_leading_position",
                )
            },
        ),
        (
            "质量、品牌与数字化",
            {
                "fields": (
                    "quality_provincial_quality_award",
                    "quality_quality_certification",
                    "quality_foreign_product_certification",
                    "quality_own_brand",
                    "quality_standards_participation",
                    "quality_core_business_information_system",
                    "digital_level",
                )
            },
        ),
        (
            "创新能力",
            {
                "fields": (
                    "rd_institution",
                    (
                        "ip_class1",
                        "ip_class1_high_value",
                        "ip_class1_self_developed",
                        "ip_class1_applied",
                        "ip_class2",
                    ),
                    "led_standards_since",
                    "local_feature_points",
                    "extra",
                )
            },
        ),
    )
    inlines = (
        AnnualFiguresInline,
        TitleInline,
        PoolMembershipInline,
        EquityFinancingInline,
        PlatformScoreInline,
        AwardInline,
        MakerChinaInline,
    )


class EnterpriseChildAdmin(ScopedAdminMixin, admin.ModelAdmin):
    search_fields = ("enterprise__name", "=enterprise__uscc")
    raw_id_fields = ("enterprise",)
    list_select_related = ("enterprise",)
    show_full_result_count = False


@admin.register(AnnualFigures)
class AnnualFiguresAdmin(EnterpriseChildAdmin):
    list_display = ("enterprise", "year", "revenue", "rd_expense", "employees")
    list_filter = ("year",)


@admin.register(Title)
class TitleAdmin(EnterpriseChildAdmin):
    list_display = ("enterprise", "code", "level", "batch", "valid_from", "valid_to", "status")
    list_filter = ("code", "level", "status")


@admin.register(EquityFinancing)
class EquityFinancingAdmin(EnterpriseChildAdmin):
    list_display = ("enterprise", "year", "amount")


@admin.register(PlatformScore)
class PlatformScoreAdmin(EnterpriseChildAdmin):
    list_display = ("enterprise", "year", "score")


@admin.register(Award)
class AwardAdmin(EnterpriseChildAdmin):
    list_display = ("enterprise", "level", "year", "rank")
    list_filter = ("level",)


@admin.register(MakerChinaResult)
class MakerChinaResultAdmin(EnterpriseChildAdmin):
    list_display = ("enterprise", "year", "group")


@admin.register(PoolMembership)
class PoolMembershipAdmin(EnterpriseChildAdmin):
    list_display = ("enterprise", "pool", "joined_on", "left_on", "reason")
    list_filter = ("pool",)


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "track", "division_prefix")
    search_fields = ("name", "code")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "file_name",
        "format",
        "enterprises_created",
        "enterprises_updated",
        "enterprises_unchanged",
    )
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
