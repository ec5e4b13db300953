"""Back office for the policy library: read-only lists, scoped like the pages.

Documents change only through the workflow actions (policies/actions/workflow.py), so every
change has a revision, an audit event and four eyes; the admin shows what is there — documents
with their items and revisions, match sets (counts), sweep runs, pushes and applications — and
writes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import (
    Application,
    CategoryMute,
    Delivery,
    ItemMatchSet,
    Notification,
    PolicyDocument,
    PolicyRevision,
    SupportItem,
    SweepRun,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages only: writes go through the actions."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedByEnterprise(ReadOnlyAdmin):
    """Rows of a firm: only the firms the user sees (EnterpriseChildQuerySet.for_user)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).for_user(request.user)  # type: ignore[attr-defined]


class SupportItemInline(admin.StackedInline):
    model = SupportItem
    extra = 0
    can_delete = False
    fields = (
        "seq",
        "name",
        "summary",
        "conditions_text",
        "eligibility",
        "manual_conditions",
        "benefit",
        "auto_grant",
        "categories",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PolicyRevisionInline(admin.TabularInline):
    model = PolicyRevision
    extra = 0
    can_delete = False
    fields = ("version", "status", "actor", "note", "at")
    readonly_fields = fields
    ordering = ("-id",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "issuer", "level", "status", "version", "apply_to", "demo")
    list_filter = ("level", "status", "demo")
    search_fields = ("title", "doc_number", "issuer")
    date_hierarchy = "published_on"
    inlines = (SupportItemInline, PolicyRevisionInline)
    readonly_fields = ("created_by", "reviewed_by", "created_at", "updated_at", "published_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6 default

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # the same rule as the pages: published ones, plus those the user maintains
        return super().get_queryset(request).for_user(request.user)  # type: ignore[attr-defined]


@admin.register(SupportItem)
class SupportItemAdmin(ReadOnlyAdmin):
    list_display = ("name", "document", "seq", "auto_grant")
    list_filter = ("auto_grant", "document__level", "document__status")
    search_fields = ("name", "document__title")
    list_select_related = ("document",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        visible = PolicyDocument.objects.for_user(request.user)
        return super().get_queryset(request).filter(document__in=visible)


@admin.register(PolicyRevision)
class PolicyRevisionAdmin(ReadOnlyAdmin):
    list_display = ("document", "version", "status", "actor", "at")
    list_filter = ("status",)
    list_select_related = ("document", "actor")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        maintained = PolicyDocument.objects.managed_by(request.user)
        return super().get_queryset(request).filter(document__in=maintained)


@admin.register(ItemMatchSet)
class ItemMatchSetAdmin(ReadOnlyAdmin):
    """An item's stored sweep result: counts and versions (the encoded firm lists are read
    through the 免申即享 page, which scopes them to the official's area)."""

    list_display = ("item", "n_pass", "n_undetermined", "policy_version", "computed_on")
    list_select_related = ("item",)
    fields = (
        "item",
        "policy_version",
        "rulebook",
        "computed_on",
        "computed_at",
        "n_pass",
        "n_undetermined",
        "missing_sets",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        visible = PolicyDocument.objects.for_user(request.user)
        return admin.ModelAdmin.get_queryset(self, request).filter(item__document__in=visible)


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ("scope", "on", "state", "items", "enterprises", "passed", "seconds")
    list_filter = ("state",)


@admin.register(Notification)
class NotificationAdmin(ScopedByEnterprise):
    list_display = ("title", "enterprise", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    list_select_related = ("enterprise",)
    raw_id_fields = ("enterprise", "item")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("notification", "channel", "recipient", "state", "at")
    list_filter = ("channel", "state")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        visible = Notification.objects.for_user(request.user)  # type: ignore[attr-defined]
        return super().get_queryset(request).filter(notification__in=visible)


@admin.register(CategoryMute)
class CategoryMuteAdmin(ScopedByEnterprise):
    list_display = ("enterprise", "category")


@admin.register(Application)
class ApplicationAdmin(ScopedByEnterprise):
    list_display = ("enterprise", "item", "status", "applied_on", "granted_amount", "decided_on")
    list_filter = ("status",)
    list_select_related = ("enterprise", "item")
    raw_id_fields = ("enterprise", "item")
