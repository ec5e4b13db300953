"""POST /api/v1/assess: facts in, facts-format results out; nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

from smeladder.registry.models import Enterprise
from smeladder.screening.models import ScreeningRun

URL = "/api/v1/assess"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs/examples/standards-worked-examples.jsonl"


def e1() -> dict:
    return json.loads(EXAMPLES.read_text(encoding="utf-8").splitlines()[0])


def post(client, body, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"{URL}?{query}" if query else URL, body, format="json")


def test_section_9_firm_passes_innovative_sme_with_90(users, client_for):
    stored = Enterprise.objects.count()
    response = post(client_for("partner"), e1(), on="2026-05-01", standards="innovative_sme")
    assert response.status_code == 200, response.content
    [result] = response.json()
    assert (result["uscc"], result["standard"], result["outcome"], result["score"]) == (
        "E1-EdgeParts",
        "innovative_sme",
        "pass",
        90,
    )
    assert (
        list(result)
        == [
            "uscc",
            "standard",
            "rulebook",
            "outcome",
            "score",
            "route",
            "class",
            "checks",
            "missing",
            "gaps",
        ]
        or "score_range" in result
    )
    assert Enterprise.objects.count() == stored and not ScreeningRun.objects.exists()


def test_array_and_wrapper_with_body_params(users, client_for):
    client = client_for("firm")
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines()[:2]
    firms = [json.loads(line) for line in lines]
    body = {"facts": firms, "on": "2026-05-01", "standards": ["innovative_sme"], "gaps": False}
    response = client.post(URL, body, format="json")
    assert response.status_code == 200, response.content
    results = response.json()
    assert [r["uscc"] for r in results] == [f["uscc"] for f in firms]
    assert all(r["gaps"] == [] for r in results)
    # without standards: every standard in force that day
    everything = post(client, firms[0], on="2026-05-01", gaps="false").json()
    assert {"sme_size", "innovative_sme"} <= {r["standard"] for r in everything}
    # JSON Lines works too
    response = client.post(
        URL + "?on=2026-05-01&standards=innovative_sme&gaps=false",
        "\n".join(lines),
        content_type="application/x-ndjson",
    )
    assert response.status_code == 200 and len(response.json()) == 2


def test_malformed_facts_is_400_naming_firm_and_field(users, client_for):
    facts = e1()
    facts["annual"]["2025"]["revenue"] = "1,000万"
    response = post(client_for("city"), facts, on="2026-05-01")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed_facts"
    assert "annual.2025.revenue" in error["fields"]
    [problem] = error["problems"]
    assert problem["enterprise"] == "E1-EdgeParts" and problem["path"] == "annual.2025.revenue"
    assert problem["message"]


def test_bad_parameters_are_400(users, client_for):
    client = client_for("city")
    response = post(client, e1(), on="yesterday")
    assert response.status_code == 400 and "on" in response.json()["error"]["fields"]
    response = post(client, e1(), standards="no_such_standard")
    assert response.status_code == 400 and "standards" in response.json()["error"]["fields"]
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "parse_error"
    response = client.post(URL, "", content_type="application/json")
    assert response.status_code == 400
    response = client.post(URL, {"facts": e1(), "when": "x"}, format="json")
    assert response.status_code == 400 and "when" in response.json()["error"]["fields"]


def test_anonymous_is_refused_as_json(db, client_for):
    response = client_for(None).post(URL, e1(), format="json")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_plain_json_is_what_the_renderer_writes(users, client_for):
    """The results are written to JSON once; the bytes are those DRF's JSONRenderer gives for the
    same data (compact, UTF-8, decimals and dates as strings)."""
    from rest_framework.renderers import JSONRenderer

    lines = [line for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = {"facts": [json.loads(line) for line in lines], "on": "2026-05-01", "gaps": False}
    response = client_for("partner").post(URL, body, format="json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert len(data) >= 6 * 5
    assert response.content == JSONRenderer().render(data)
    indented = client_for("partner").post(
        URL, body, format="json", HTTP_ACCEPT="application/json; indent=2"
    )
    assert indented.status_code == 200 and json.loads(indented.content) == data
