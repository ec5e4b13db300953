"""schemathesis against the API's own OpenAPI schema, in-process (Django's WSGI app), as a city
official with a token, over a small demo city: a bounded, derandomized run in the normal suite.

Each operation gets a few generated requests per mode — positive (schema-valid input) and
negative (schema-invalid input) — twice: with path parameters naming a real firm, year, title,
pool, membership and screening run of the city (so reads find data and writes really happen),
and with free path parameters (unknown or malformed USCCs, years, ids). Every response must be
no 5xx and must conform to the schema (documented status code, content type and body shape);
schema-invalid input must be refused with a 4xx.

(schemathesis' own pytest loader needs pytest < 9, so the operations are parametrized here and
each runs as a plain Hypothesis test over `APIOperation.as_strategy`.)"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode

from smeladder.accounts.models import Role
from smeladder.casework.models import Case
from smeladder.registry.models import AnnualFigures, Pool, PoolMembership, Title
from smeladder.screening.actions import start_screening

#: generated requests per operation, mode and pass: bounded so the suite stays quick
EXAMPLES = 5

#: ignored_auth: the token sent with every request makes a request with a generated, invalid
#: session cookie succeed, as it should (tests/api/test_auth.py covers authentication);
#: positive_data_acceptance: a schema cannot say "a valid GB 32100 check digit" or "a GB/T 2260
#: division", so schema-valid bodies are rightly refused with 400 — not_a_server_error and
#: the conformance checks still run on them.
EXCLUDED = [checks.ignored_auth, checks.positive_data_acceptance]

OPENAPI = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [
    (path, method.upper())
    for path, item in OPENAPI["paths"].items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete")
]


@pytest.fixture
def demo_city(db, make_user) -> dict[str, Any]:
    """60 demo firms of 淄博 with titles and pools, a city official, one screening run."""
    call_command("demo", enterprises=60, seed=2026, verbosity=0)
    official = make_user("st_city", Role.CITY_OFFICIAL, division_prefix="3703")
    figures = AnnualFigures.objects.select_related("enterprise").order_by("id").first()
    title = Title.objects.select_related("enterprise").order_by("id").first()
    membership = PoolMembership.objects.filter(left_on__isnull=True).order_by("id").first()
    run = start_screening("2026-05-01", ["innovative_sme"], "3703", user=official)
    case = Case.objects.order_by("id").first()  # the demo's casework
    assert figures and title and membership and case and Pool.objects.exists()
    return {
        "token": Token.objects.create(user=official).key,
        "uscc": figures.enterprise.uscc,
        "year": figures.year,
        "title": (title.enterprise.uscc, title.pk),
        "pool": (membership.pool.code, membership.pk),
        "run": run.pk,
        "case": case.pk,
    }


def real_path_parameters(path: str, city: dict[str, Any]) -> dict[str, Any]:
    if "/titles/{id}/" in path:
        uscc, title_id = city["title"]
        return {"uscc": uscc, "id": title_id}
    if path.startswith("/api/v1/pools/"):
        code, membership_id = city["pool"]
        return {"code": code, "id": membership_id}
    if path.startswith("/api/v1/screenings/"):
        return {"id": city["run"]}
    if path.startswith("/api/v1/cases/"):
        return {"id": city["case"]}
    return {"uscc": city["uscc"], "year": city["year"]}


#: the engine's gap search over every standard takes seconds per request: one example each
SLOW = {"/api/v1/assess", "/api/v1/enterprises/{uscc}/assessments/"}


def _has_input(path: str, method: str) -> bool:
    """Whether anything besides the path can be made schema-invalid (a body, a query)."""
    operation = OPENAPI["paths"][path][method.lower()]
    query = any(p["in"] == "query" for p in operation.get("parameters", []))
    return query or "requestBody" in operation


def _run(schema: Any, city: dict[str, Any], path: str, method: str, fixed: bool) -> None:
    auth = {"Authorization": f"Token {city['token']}"}
    operation = schema[path][method]
    wanted = {
        name: value
        for name, value in real_path_parameters(path, city).items()
        if "{" + name + "}" in path
    }
    modes = [GenerationMode.POSITIVE]
    if not fixed or _has_input(path, method):  # otherwise nothing can be made invalid
        modes.append(GenerationMode.NEGATIVE)
    for mode in modes:
        strategy = operation.as_strategy(
            mode, path_parameters=wanted if fixed else None, headers=auth
        )

        @given(case=strategy)
        @settings(
            max_examples=1 if path in SLOW else EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=auth, excluded_checks=EXCLUDED)

        check()


@pytest.fixture
def keep_connection():
    """Django's WSGI handler closes the database connection after each response (the
    request_started/finished signals); the test's transaction lives on it, so — as Django's own
    test client does — those signals are disconnected while the in-process requests run."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_conforms(demo_city, keep_connection):
    """One demo city for all operations (built once: the run stays short on every backend);
    each operation's failure is collected, and all of them are reported together."""
    config = SchemathesisConfig.from_dict({"headers": {"Authorization": "Token x"}})
    schema = schemathesis.openapi.from_dict(OPENAPI, config=config)
    schema.app = get_wsgi_application()
    failures: list[str] = []
    for path, method in OPERATIONS:
        for fixed in (True, False) if "{" in path else (False,):
            try:
                _run(schema, demo_city, path, method, fixed)
            except Exception as err:
                where = f"{method} {path}{' (real records)' if fixed else ''}"
                failures.append(f"{where}: {type(err).__name__}: {err}")
    assert not failures, "\n\n".join(failures)
