"""Serializers: list rows and request parameters. A single enterprise is returned as its
facts-format object (registry/interchange/export_facts.py), not through a serializer, so the
API and the file exports can never disagree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from smeladder.registry.interchange.coerce import INT_MAX, MONEY_LIMIT, YEAR_MAX, YEAR_MIN
from smeladder.registry.interchange.schema import ANNUAL_FACTS, Fact
from smeladder.registry.models import Enterprise, Pool, PoolMembership, Title
from smeladder.registry.models.titles import TitleCode, TitleLevel, TitleStatus
from smeladder.screening.models import Engine, Outcome, ScreeningResult, ScreeningRun


def _digits(value: str, lengths: tuple[int, ...], what: str) -> str:
    value = value.strip()
    if value and not (value.isascii() and value.isdigit() and len(value) in lengths):
        raise serializers.ValidationError(
            f"{what}须为 {'、'.join(map(str, lengths))} 位数字 / "
            f"must be {', '.join(map(str, lengths))} digits"
        )
    return value


class EnterpriseListRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["uscc", "name", "division_code", "industry_code", "founded_on", "updated_at"]
        read_only_fields = fields


class EnterpriseFilterSerializer(serializers.Serializer):
    division = serializers.CharField(required=False, allow_blank=True, max_length=6)
    industry = serializers.CharField(required=False, allow_blank=True, max_length=5)
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate_division(self, value: str) -> str:
        return _digits(value, (2, 4, 6), "区划代码前缀")

    def validate_industry(self, value: str) -> str:
        value = value.strip().upper()
        if value and not (
            value[0].isascii() and value[0].isalpha() and value[1:].isdigit() and len(value) <= 5
        ):
            raise serializers.ValidationError(
                "行业代码须如 C 或 C3484 / industry must look like C or C3484"
            )
        return value


class AssessParamsSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True)
    standards = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    gaps = serializers.BooleanField(required=False, default=True)


class OnSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True)


class ScreeningRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScreeningRun
        fields = [
            "id",
            "on",
            "standards",
            "division_prefix",
            "engine",
            "rulebooks",
            "status",
            "started_at",
            "finished_at",
            "enterprises",
            "evaluations",
            "error",
        ]
        read_only_fields = fields


class ScreeningStartSerializer(serializers.Serializer):
    on = serializers.DateField()
    standards = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, allow_empty=True
    )
    division_prefix = serializers.CharField(required=False, allow_blank=True, max_length=6)
    engine = serializers.ChoiceField(choices=Engine.values, required=False, default=Engine.SQL)

    def validate_division_prefix(self, value: str) -> str:
        return _digits(value, (2, 4, 6), "区划代码前缀")


class ScreeningResultFilterSerializer(serializers.Serializer):
    standard = serializers.CharField(required=False, allow_blank=True, max_length=64)
    outcome = serializers.ChoiceField(choices=Outcome.values, required=False, allow_blank=True)


class ScreeningResultSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)
    division_code = serializers.CharField(source="enterprise.division_code", read_only=True)
    score_range = serializers.SerializerMethodField()

    class Meta:
        model = ScreeningResult
        fields = [
            "uscc",
            "name",
            "division_code",
            "standard",
            "rulebook",
            "outcome",
            "score",
            "score_range",
            "route",
            "missing",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # facts-format.md calls it "class", a Python keyword: the field is added here
        fields["class"] = serializers.CharField(
            source="size_class", read_only=True, allow_null=True
        )
        return fields

    @extend_schema_field(
        {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
            "nullable": True,
        }
    )
    def get_score_range(self, obj: ScreeningResult) -> list[float] | None:
        if obj.score_lo is None or obj.score_hi is None:
            return None
        return [obj.score_lo, obj.score_hi]


# -- yearly figures --------------------------------------------------------------------------


def _figure_field(fact: Fact) -> serializers.Field:
    """One annual fact as a serializer field, with the import's own bounds."""
    common: dict[str, Any] = {
        "required": False,
        "allow_null": True,
        "help_text": f"{fact.zh} / {fact.en}" + ("（元 / yuan）" if fact.kind == "money" else ""),
    }
    if fact.kind == "money":
        limit = MONEY_LIMIT - Decimal("0.01")
        return serializers.DecimalField(
            max_digits=16,
            decimal_places=2,
            coerce_to_string=False,
            min_value=Decimal(0) if fact.min == 0 else -limit,
            max_value=limit,
            **common,
        )
    return serializers.IntegerField(min_value=0, max_value=INT_MAX, **common)


class FiguresValuesSerializer(serializers.Serializer):
    """The figures of one year (facts-format.md `annual.<year>`); null = not known."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields.update((fact.path, _figure_field(fact)) for fact in ANNUAL_FACTS)
        return fields


class FiguresSerializer(FiguresValuesSerializer):
    """年度经营数据: one year of an enterprise (money in yuan)."""

    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        return {"year": data.pop("year"), **data}


# -- titles ----------------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "string",
        "pattern": f"^({'|'.join(TitleStatus.values)})$",
        "description": "active 有效 · expired 已过期 · revoked 已撤销 · under_review 复核中",
    }
)
class TitleStatusField(serializers.ChoiceField):
    """Documented by a pattern, not an enum: a screening run's "status" has other values and
    drf-spectacular would give the two enums clashing component names."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=TitleStatus.choices, **kwargs)


class TitleSerializer(serializers.ModelSerializer):
    """称号: one award of a title (history kept: expired and revoked titles stay)."""

    track = serializers.SerializerMethodField(help_text="所属梯度 / ladder: miit, most or local")
    status = TitleStatusField(read_only=True)

    class Meta:
        model = Title
        fields = [
            "id",
            "code",
            "level",
            "batch",
            "valid_from",
            "valid_to",
            "status",
            "source_document",
            "track",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "pattern": "^(miit|most|local)$"})
    def get_track(self, obj: Title) -> str:
        # a pattern, not an enum: a pool's "track" has other values (both)
        return obj.track


class TitleCreateSerializer(serializers.Serializer):
    """A new title (request body; checked by the import's own validation)."""

    code = serializers.ChoiceField(choices=TitleCode.choices)
    level = serializers.ChoiceField(choices=TitleLevel.choices)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)
    batch = serializers.CharField(required=False, allow_null=True, max_length=64)
    status = TitleStatusField(
        required=False, allow_null=True, help_text="默认按有效期止判断 / default from valid_to"
    )
    source_document = serializers.CharField(required=False, allow_null=True, max_length=300)


class TitlePatchSerializer(serializers.Serializer):
    """A change to a stored title. code, level and valid_from identify it and cannot change;
    a change of status (e.g. revoked) needs a reason, kept in the audit log."""

    valid_to = serializers.DateField(required=False, allow_null=True)
    batch = serializers.CharField(required=False, allow_null=True, max_length=64)
    status = TitleStatusField(required=False)
    source_document = serializers.CharField(required=False, allow_null=True, max_length=300)
    reason = serializers.CharField(
        required=False, max_length=200, help_text="变更原因（改状态时必填）/ reason"
    )


# -- pools -----------------------------------------------------------------------------------


class PoolSerializer(serializers.ModelSerializer):
    """培育库: a named list of firms; `members` counts its current members within your scope."""

    members = serializers.IntegerField(
        read_only=True, help_text="您范围内的在库企业数 / current members within your scope"
    )

    class Meta:
        model = Pool
        fields = ["code", "name", "track", "division_prefix", "description", "members"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    """One stay of a firm in a pool (入库 … 出库), kept after it leaves."""

    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)
    division_code = serializers.CharField(source="enterprise.division_code", read_only=True)
    pool = serializers.CharField(source="pool.code", read_only=True)
    current = serializers.BooleanField(source="is_current", read_only=True)

    class Meta:
        model = PoolMembership
        fields = [
            "id",
            "pool",
            "uscc",
            "name",
            "division_code",
            "joined_on",
            "reason",
            "left_on",
            "exit_reason",
            "current",
        ]
        read_only_fields = fields


class MembersPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MembershipSerializer(many=True)


class PoolDetailSerializer(PoolSerializer):
    """A pool with one page of its current members within your scope (`?page=`)."""

    member_page = MembersPageSerializer(read_only=True)

    class Meta(PoolSerializer.Meta):
        fields = [*PoolSerializer.Meta.fields, "member_page"]
        read_only_fields = fields


class StrictSerializer(serializers.Serializer):
    """A request body that refuses keys it does not know (400 naming them)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({k: ["未知的键 / unknown key"] for k in unknown})
        return attrs


class PoolAddSerializer(StrictSerializer):
    uscc = serializers.CharField(max_length=18, help_text="统一社会信用代码 / USCC")
    joined_on = serializers.DateField(
        required=False, help_text="入库日期，默认今天 / default today"
    )
    reason = serializers.CharField(max_length=300, help_text="入库理由 / reason")


class PoolRemoveSerializer(StrictSerializer):
    left_on = serializers.DateField(required=False, help_text="出库日期，默认今天 / default today")
    reason = serializers.CharField(max_length=300, help_text="出库原因 / reason")


# -- assessment results (documentation: the engine's own dicts are returned as they are) ------


class CheckResultSerializer(serializers.Serializer):
    """One check of an assessment: the firm's value, band, points, rule and source."""

    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(allow_null=True, help_text="null = unknown")
    band = serializers.CharField(allow_null=True)
    points = serializers.FloatField(allow_null=True)
    points_range = serializers.ListField(child=serializers.FloatField(), required=False)
    max_points = serializers.FloatField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True, help_text="null = undetermined")
    rule = serializers.CharField()
    source = serializers.DictField(child=serializers.CharField())
    confidence = serializers.CharField(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField(), required=False)


class AssessmentResultSerializer(serializers.Serializer):
    """One (enterprise, standard) result, as facts-format.md "Assessment results"."""

    uscc = serializers.CharField(allow_null=True)
    standard = serializers.CharField()
    rulebook = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.values)
    score = serializers.FloatField(allow_null=True)
    score_range = serializers.ListField(child=serializers.FloatField(), required=False)
    route = serializers.CharField(allow_null=True)
    checks = CheckResultSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())
    gaps = serializers.ListField(child=serializers.DictField(child=serializers.JSONField()))

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # "class" is a Python keyword, so the member of that name is added here
        fields["class"] = serializers.CharField(
            allow_null=True, help_text="sme_size: large | medium | small | micro"
        )
        return fields
