"""The enterprise facts object (facts-format.md) as serializers, for the OpenAPI schema only:
requests are checked by the importer's own validation and responses are the exporter's own
dicts, so this is generated from the one table of facts (registry/interchange/schema.py) and
cannot drift from either. Enumerations are documented by patterns (several facts share names
such as "level" and "status" with other resources' enums)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from smeladder.registry.interchange.schema import (
    ANNUAL_FACTS,
    AWARD_FACTS,
    ENTERPRISE_FACTS,
    EQUITY_FACT,
    GROUPS,
    MAKER_CHINA_FACTS,
    PLATFORM_SCORE_FACT,
    TITLE_FACTS,
    Fact,
)

#: the facts every object names (the rest may be absent: absent = unchanged / unknown)
IDENTITY = ("uscc", "name", "division_code")


def _field(fact: Fact, *, required: bool = False) -> serializers.Field:
    common: dict[str, Any] = {
        "required": required,
        "allow_null": not required,
        "help_text": f"{fact.zh} / {fact.en}",
    }
    kind = fact.kind
    if kind == "enum":
        pattern = f"^({'|'.join(fact.choices)})$"
        cls = extend_schema_field({"type": "string", "pattern": pattern, "nullable": True})(
            type("EnumText", (serializers.CharField,), {})
        )
        return cls(**common)
    if kind == "str":
        return serializers.CharField(**common)
    if kind == "date":
        return serializers.DateField(**common)
    if kind == "bool":
        return serializers.BooleanField(**common)
    if kind in ("int", "year"):
        return serializers.IntegerField(**common)
    return serializers.FloatField(**common)  # money, ratio, decimal: JSON numbers


def _object(name: str, facts: tuple[Fact, ...], required: tuple[str, ...] = ()) -> type:
    fields = {f.key: _field(f, required=f.key in required) for f in facts}
    return type(name, (serializers.Serializer,), fields)


def _per_year(fact: Fact) -> serializers.Field:
    return serializers.DictField(
        child=_field(fact),
        required=False,
        allow_null=True,
        help_text=f'{fact.zh}，按年度 / {fact.en} per year, e.g. {{"2025": …}}',
    )


AwardSerializer = _object("FactsAward", AWARD_FACTS, ("level", "year"))
MakerChinaSerializer = _object("FactsMakerChina", MAKER_CHINA_FACTS, ("year", "group"))
TitleFactSerializer = _object("FactsTitle", TITLE_FACTS, ("code", "level", "valid_from"))
AnnualSerializer = _object("FactsAnnualYear", ANNUAL_FACTS)
#: flags, main_product, quality, ip: made once (a component per class)
GROUP_SERIALIZERS = {
    group: _object(f"Facts_{group}", tuple(f for f in ENTERPRISE_FACTS if f.group == group))
    for group in GROUPS
}


class FactsSerializer(serializers.Serializer):
    """One enterprise as facts-format.md: money in yuan, null = not known."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = {}
        for fact in ENTERPRISE_FACTS:
            if fact.group is None:
                fields[fact.path] = _field(fact, required=fact.path in IDENTITY)
        for group, nested in GROUP_SERIALIZERS.items():
            fields[group] = nested(required=False, allow_null=True)
        fields["awards"] = AwardSerializer(many=True, required=False, allow_null=True)
        fields["maker_china"] = MakerChinaSerializer(many=True, required=False, allow_null=True)
        fields["titles"] = TitleFactSerializer(many=True, required=False, allow_null=True)
        fields["equity_financing"] = _per_year(EQUITY_FACT)
        fields["platform_score"] = _per_year(PLATFORM_SCORE_FACT)
        fields["annual"] = serializers.DictField(
            child=AnnualSerializer(allow_null=True),
            required=False,
            allow_null=True,
            help_text='年度经营数据，按年度 / yearly figures, e.g. {"2025": {...}}',
        )
        fields["extra"] = serializers.DictField(
            required=False, allow_null=True, help_text="扩展信息 / free-form"
        )
        return fields


class FactsPatchSerializer(FactsSerializer):
    """Part of a facts object: the keys sent change, the rest stay (null clears a fact)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in IDENTITY:
            fields[name].required = False
        return fields
