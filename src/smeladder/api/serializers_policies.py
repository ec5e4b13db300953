"""Serializers of the policy library's API: documents with their items (the rule data as
stored), a firm's matches, an item's eligible firms, notifications, applications, and the
request bodies of the writes."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from smeladder.policies.interchange.format import DOCUMENT_FIELDS
from smeladder.policies.models import (
    Application,
    Category,
    Level,
    MatchOutcome,
    Notification,
    PolicyDocument,
    Status,
    SupportItem,
)

AMOUNT = {"max_digits": 15, "decimal_places": 2, "coerce_to_string": False}


class PolicyFilterSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)


class SupportItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportItem
        fields = [
            "id",
            "seq",
            "name",
            "summary",
            "conditions_text",
            "eligibility",
            "manual_conditions",
            "benefit",
            "auto_grant",
            "categories",
        ]
        read_only_fields = fields


class _DocumentFieldsSerializer(serializers.ModelSerializer):
    """Declared fields shared by the library's row and the whole document."""

    level = serializers.CharField(help_text="national | provincial | city | district")
    status = serializers.CharField(help_text="draft | review | published | expired | withdrawn")
    # a plain string: many documents have no link ("" is not a URI, so format: uri would lie)
    source_url = serializers.CharField(read_only=True, help_text="原文链接（可为空）")


class PolicyRowSerializer(_DocumentFieldsSerializer):
    items = serializers.IntegerField(source="n_items", read_only=True, help_text="事项数")

    class Meta:
        model = PolicyDocument
        # the policy format's document keys (one list for import, export and the API), with
        # the read-only workflow fields before ``demo`` as exports write them
        fields = [
            "id",
            *(key for key in DOCUMENT_FIELDS if key != "demo"),
            "status",
            "version",
            "demo",
            "items",
        ]
        read_only_fields = fields


class PolicyDocumentSerializer(_DocumentFieldsSerializer):
    items = SupportItemSerializer(many=True, read_only=True)

    class Meta:
        model = PolicyDocument
        fields = [
            "id",
            "title",
            "issuer",
            "level",
            "doc_number",
            "published_on",
            "apply_from",
            "apply_to",
            "expires_on",
            "regions",
            "categories",
            "source_url",
            "full_text",
            "materials",
            "channel",
            "contact_department",
            "contact_phone",
            "payout_days",
            "owner_prefix",
            "status",
            "version",
            "demo",
            "items",
        ]
        read_only_fields = fields


class PolicyMatchRowSerializer(serializers.Serializer):
    """One item a firm passes or may pass, with the estimated amount (yuan; a range when the
    data leaves it open; null = non-monetary or unknown)."""

    item = serializers.IntegerField()
    item_name = serializers.CharField()
    document = serializers.IntegerField()
    document_title = serializers.CharField()
    outcome = serializers.CharField(help_text="pass | undetermined")
    amount_lo = serializers.DecimalField(allow_null=True, **AMOUNT)
    amount_hi = serializers.DecimalField(allow_null=True, **AMOUNT)
    apply_to = serializers.DateField(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField())
    application = serializers.CharField(allow_blank=True, help_text="申报状态 / '' if none")


class EligibleFirmSerializer(serializers.Serializer):
    """One firm of an item's stored match set (policies/match_sets.py FirmRow)."""

    uscc = serializers.CharField(source="enterprise.uscc")
    name = serializers.CharField(source="enterprise.name")
    division_code = serializers.CharField(source="enterprise.division_code")
    outcome = serializers.CharField(help_text="pass | undetermined")
    amount = serializers.DecimalField(allow_null=True, **AMOUNT)
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="待补充信息 / facts and conditions waited on"
    )
    policy_version = serializers.IntegerField()
    computed_on = serializers.DateField()


class EligibleFilterSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=MatchOutcome.choices, required=False)
    district = serializers.RegexField(
        r"^[0-9]{1,12}$",
        required=False,
        help_text="行政区划代码前缀 / division-code prefix (within the official's area)",
    )


class NotificationSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc")

    class Meta:
        model = Notification
        fields = ["id", "uscc", "kind", "item", "title", "body", "created_at", "read_at"]
        read_only_fields = fields


class NotificationReadSerializer(serializers.Serializer):
    """Marks the message read; the body may be an empty object."""

    read = serializers.BooleanField(required=False, default=True, help_text="always true")


class ApplicationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="applied | granted | refused")
    uscc = serializers.CharField(source="enterprise.uscc")
    granted_amount = serializers.DecimalField(allow_null=True, **AMOUNT)

    class Meta:
        model = Application
        fields = [
            "id",
            "uscc",
            "item",
            "status",
            "applied_on",
            "granted_amount",
            "decided_on",
            "note",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    uscc = serializers.CharField(
        required=False, max_length=18, help_text="officials: the firm; enterprise users: omit"
    )
    applied_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class GrantSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=15,
        decimal_places=2,
        min_value=Decimal(0),
        help_text="兑现金额（元）；0 = 未获支持",
    )
    decided_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
