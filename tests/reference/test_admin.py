"""Admin for the reference tables: browsable, searchable, filterable, never editable."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smeladder.reference.models import Division, IndustryCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(make_user) -> Client:
    user = make_user("ref-admin", "admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["division", "industrycode", "hightechfield"])
def test_changelist_renders(staff_client: Client, model: str) -> None:
    response = staff_client.get(reverse(f"admin:reference_{model}_changelist"))
    assert response.status_code == 200


def test_division_search_and_filters(staff_client: Client) -> None:
    url = reverse("admin:reference_division_changelist")
    response = staff_client.get(url, {"q": "张店"})
    assert response.status_code == 200
    assert "370303" in response.content.decode()
    response = staff_client.get(url, {"status__exact": "retired", "level__exact": "prefecture"})
    assert response.status_code == 200
    statuses = set(response.context["cl"].queryset.values_list("status", "level"))
    assert statuses == {("retired", "prefecture")}


def test_industry_search_accepts_section_letter(staff_client: Client) -> None:
    url = reverse("admin:reference_industrycode_changelist")
    response = staff_client.get(url, {"q": "C3484"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("code", flat=True)) == ["3484"]
    response = staff_client.get(url, {"strategic_emerging__exact": "1", "section__exact": "C"})
    assert response.status_code == 200
    assert (
        response.context["cl"].result_count
        == IndustryCode.objects.filter(strategic_emerging=True, section="C").count()
    )


def test_admin_is_read_only(staff_client: Client) -> None:
    assert staff_client.get(reverse("admin:reference_division_add")).status_code == 403
    row = Division.objects.get(code="370303")
    change_url = reverse("admin:reference_division_change", args=[row.pk])
    assert staff_client.get(change_url).status_code == 200  # view-only page
    response = staff_client.post(change_url, {"name": "改名"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.name == "张店区"
    delete_url = reverse("admin:reference_division_delete", args=[row.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Division.objects.filter(pk=row.pk).exists()
