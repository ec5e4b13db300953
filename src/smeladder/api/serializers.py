"""Serializers: list rows and request parameters. A single enterprise is returned as its
facts-format object (registry/interchange/export_facts.py), not through a serializer, so the
API and the file exports can never disagree."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from smeladder.registry.models import Enterprise
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
    class_ = serializers.CharField(source="size_class", read_only=True)

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
            "class_",
            "missing",
        ]
        read_only_fields = fields

    def get_score_range(self, obj: ScreeningResult) -> list[float] | None:
        if obj.score_lo is None or obj.score_hi is None:
            return None
        return [obj.score_lo, obj.score_hi]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["class"] = data.pop("class_")  # facts-format.md calls it "class"
        return data
