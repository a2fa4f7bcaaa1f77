"""The OpenAPI document: valid, complete, and in step with the code.

Also home of ``CheckedApi``, the API client the other API tests use: it validates every
response it gets against the documented schema for its route and status, so each API test
checks the document too.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import ApiClient, login
from webapp.api.openapi import openapi_document

DOCUMENT_URI = "urn:rapport:openapi"
RULE_ARGUMENT = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def openapi_path(rule: str) -> str:
    """A Flask rule written the OpenAPI way: ``<int:contact_id>`` becomes ``{contact_id}``."""
    return RULE_ARGUMENT.sub(r"{\1}", rule)


def api_routes(app) -> set[tuple[str, str]]:
    """Every (path, method) the app routes under /api/v1."""
    return {
        (openapi_path(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - IGNORED_METHODS
    }


def documented_routes(document: dict) -> set[tuple[str, str]]:
    """Every (path, method) the document describes."""
    return {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    }


class ContractChecker:
    """Validates API responses against the document the app serves."""

    def __init__(self, app, document: dict):
        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(DOCUMENT_URI, resource)
        self.urls = app.url_map.bind("localhost")

    def operation(self, method: str, url: str) -> tuple[str, dict]:
        """The documented path and operation that ``method url`` reaches."""
        rule, _ = self.urls.match(urlsplit(url).path, method=method, return_rule=True)
        path = openapi_path(rule.rule)
        operations = self.document["paths"].get(path, {})
        assert method.lower() in operations, f"{method} {path} is not documented"
        return path, operations[method.lower()]

    def check(self, method: str, url: str, response) -> None:
        """Fail unless the response's status and body are the documented ones."""
        path, operation = self.operation(method, url)
        status = str(response.status_code)
        documented = operation["responses"]
        assert status in documented, (
            f"{method} {path} answered {status}, documented: {sorted(documented)}: "
            f"{response.get_data(as_text=True)[:300]}"
        )
        content = documented[status].get("content")
        if content is None:
            assert response.get_data() == b"", f"{method} {path} {status} should have no body"
            return
        assert response.mimetype == "application/json"
        schema = content["application/json"]["schema"]
        validator = Draft202012Validator(
            {"$ref": DOCUMENT_URI + schema["$ref"]},
            registry=self.registry,
            format_checker=FormatChecker(),
        )
        validator.validate(response.get_json())


@cache
def checker_for(app) -> ContractChecker:
    """The contract checker of the app under test, built once per session."""
    with app.test_client() as client:
        document = client.get("/api/openapi.json").get_json()
    return ContractChecker(app, document)


class CheckedApi(ApiClient):
    """The conftest API client, checking every response against the OpenAPI document."""

    def __init__(self, client, checker: ContractChecker):
        super().__init__(client)
        self.checker = checker

    def _checked(self, method: str, url: str, response):
        self.checker.check(method, url, response)
        return response

    def get(self, url, **kwargs):
        """GET ``url`` and check the answer."""
        return self._checked("GET", url, super().get(url, **kwargs))

    def post(self, url, json=None, **kwargs):
        """POST JSON to ``url`` and check the answer."""
        return self._checked("POST", url, super().post(url, json=json, **kwargs))

    def patch(self, url, json=None, **kwargs):
        """PATCH JSON to ``url`` and check the answer."""
        return self._checked("PATCH", url, super().patch(url, json=json, **kwargs))

    def delete(self, url, **kwargs):
        """DELETE ``url`` and check the answer."""
        return self._checked("DELETE", url, super().delete(url, **kwargs))


# --- the document itself ---------------------------------------------------------------------


def test_the_document_is_valid_openapi(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate_openapi(document)


def test_every_api_route_is_documented_and_every_documented_route_exists(app, client):
    document = client.get("/api/openapi.json").get_json()
    undocumented = sorted(api_routes(app) - documented_routes(document))
    assert not undocumented, (
        f"API routes missing from the OpenAPI document: {undocumented}. Describe them in "
        "webapp/api/openapi.py, or in the ``openapi`` attribute of their blueprint."
    )
    assert documented_routes(document) == api_routes(app), "documented routes that do not exist"


def test_documented_path_parameters_match_the_routes(client):
    document = client.get("/api/openapi.json").get_json()
    for path, operations in document["paths"].items():
        in_path = set(re.findall(r"{([a-z_]+)}", path))
        for method, operation in operations.items():
            documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert documented == in_path, f"{method.upper()} {path}"


def test_every_private_operation_documents_401_and_every_write_400(client):
    document = client.get("/api/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if operation.get("security") == []:
                continue
            assert "401" in operation["responses"], f"{method.upper()} {path}"
            if method != "get":
                assert "400" in operation["responses"], f"{method.upper()} {path}"
                assert {"session": [], "csrf": []} in operation["security"]


def test_every_error_response_uses_the_error_shape(client):
    document = client.get("/api/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (
                        f"{method.upper()} {path} {status}"
                    )


def test_the_served_document_is_the_one_in_the_code(app, client):
    with app.test_request_context():
        assert client.get("/api/openapi.json").get_json() == openapi_document()


# --- the checker really checks ---------------------------------------------------------------


class FakeResponse:
    """Just enough of a response for the checker."""

    def __init__(self, status_code: int, body: dict | None):
        self.status_code = status_code
        self.body = body
        self.mimetype = "application/json"

    def get_json(self):
        return self.body

    def get_data(self, as_text=False):
        return "" if as_text else b""


def test_the_checker_rejects_an_undocumented_field(app):
    checker = checker_for(app)
    with pytest.raises(Exception, match="Additional properties"):
        checker.check("GET", "/api/v1/csrf-token", FakeResponse(200, {"csrf_token": "x", "y": 1}))


def test_the_checker_rejects_an_undocumented_status(app):
    checker = checker_for(app)
    with pytest.raises(AssertionError, match="answered 418"):
        checker.check("GET", "/api/v1/csrf-token", FakeResponse(418, {}))


def test_the_checker_rejects_a_wrong_type_deep_in_a_response(app):
    checker = checker_for(app)
    bad = {"items": [{"id": "12"}], "next": None}
    with pytest.raises(Exception, match="is not of type 'integer'|required property"):
        checker.check("GET", "/api/v1/contacts", FakeResponse(200, bad))


def test_the_checker_checks_formats(app):
    checker = checker_for(app)
    note = {
        "id": 1,
        "client_id": None,
        "kind": "note",
        "body": "",
        "happened_at": "2026-01-01T10:00:00",  # no offset: not RFC 3339
        "updated_at": "2026-01-01T10:00:00+00:00",
        "editable": True,
        "contact_id": 1,
        "follow_up": None,
    }
    with pytest.raises(Exception, match="is not a 'date-time'"):
        checker.check("PATCH", "/api/v1/notes/1", FakeResponse(200, {"note": note}))


def test_real_responses_match_the_document(app, client, factories):
    """A smoke run through the main flow, every answer checked against the document."""
    api = CheckedApi(client, checker_for(app))
    ada, bob = factories.user("Ada Lovelace"), factories.user("Bob Babbage", company="Engines")
    login(client, ada)
    scan = api.post(
        "/api/v1/scans",
        json={
            "id": "6f1d1c1e-2a57-4d58-9a7e-1b2c3d4e5f60",
            "code": bob.badge_token,
            "scanned_at": "2026-01-01T10:00:00Z",
        },
    )
    assert scan.status_code == 201
    contact_id = scan.get_json()["contact"]["id"]
    note = api.post(
        f"/api/v1/contacts/{contact_id}/notes",
        json={
            "id": "0b7e0a4e-9a8f-4a59-8d69-5a1e8b0f2c11",
            "body": "Talked about engines.",
            "follow_up": {"what": "Send the paper", "due_on": "2030-01-31"},
        },
    )
    assert note.status_code == 201
    assert api.get("/api/v1/me").status_code == 200
    assert api.get("/api/v1/contacts").status_code == 200
    assert api.get(f"/api/v1/contacts/{contact_id}").status_code == 200
    assert api.get("/api/v1/follow-ups").status_code == 200
    assert api.post("/api/v1/scans", json={"id": "nope"}).status_code == 422
