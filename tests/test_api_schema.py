"""
The OpenAPI document matches what the API really answers: schemathesis generates
requests for every operation from the live schema and checks each answer against it.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from articles.models import ApiToken
from articles.roles import WRITERS
from tests.factories import make_staff

pytestmark = pytest.mark.django_db(transaction=False)

CHECKS = [not_a_server_error, response_schema_conformance]
PATHS = [
    "/api/articles/",
    "/api/articles/{article_id}/",
    "/api/articles/{article_id}/ninjs/",
    "/api/articles/{article_id}/updates/",
    "/api/tags/",
    "/api/events/",
    "/api/people/",
    "/api/ingest/",
]


@pytest.fixture
def wsgi_app():
    """
    The project's WSGI application, called directly. Like Django's test client, keep it
    from closing the test's database connection at the end of each request (on
    PostgreSQL that would end the test's transaction).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(demo_article, wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)


@pytest.fixture
def token(settings):
    settings.API_INGEST_PER_MINUTE = 10_000
    return ApiToken.issue(make_staff("wendy", WRITERS), "schema tests")[1]


def operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def test_the_schema_documents_every_endpoint(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert sorted(document["paths"]) == sorted(PATHS)
    ingest = document["paths"]["/api/ingest/"]["post"]
    assert set(ingest["requestBody"]["content"]) == {"text/plain", "application/json"}
    assert ingest["security"] and {"201", "400", "401", "413", "429"} <= set(ingest["responses"])


def check_generated_requests(operation, headers):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


def test_generated_requests_find_no_server_error_and_no_answer_off_schema(api_schema, token):
    """Bounded: 30 generated requests per operation, the same ones every run."""
    for operation in operations(api_schema):
        headers = {"Authorization": f"Bearer {token}"} if "ingest" in operation.path else {}
        check_generated_requests(operation, headers)


def test_real_answers_match_the_schema(api_schema, demo_article, token):
    """The seed article, its vocabularies and a real ingest, each checked against the schema."""
    by_path = {(op.method.upper(), op.path): op for op in operations(api_schema)}
    one = {"article_id": demo_article.pk}
    cases = [
        by_path["GET", "/api/articles/"].Case(query={"tag": ["ukraine"], "q": "Lammy"}),
        by_path["GET", "/api/articles/{article_id}/"].Case(path_parameters=one),
        by_path["GET", "/api/articles/{article_id}/ninjs/"].Case(path_parameters=one),
        by_path["GET", "/api/tags/"].Case(),
        by_path["GET", "/api/events/"].Case(),
        by_path["GET", "/api/people/"].Case(),
        by_path["POST", "/api/ingest/"].Case(
            body="Talks in London\n\nMinisters met.", media_type="text/plain"
        ),
    ]
    for case in cases:
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
        )
        assert response.status_code in (200, 201), (case.path, response.text[:300])
