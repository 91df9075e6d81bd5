"""Property-based: schemathesis calls every operation of the served schema with generated input,
as a member and as a facilitator, and checks there is no 5xx and every answer fits the schema."""

import random

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance)
MAX_EXAMPLES = 12
# The seeded world's names; most examples use them so that they reach past the 404s.
KNOWN = {"d": ["osaid"], "v": ["0.0.8", "0.0.8", "0.0.9", "0.0.7"],
         "k": ["freedoms", "freedoms", "preamble", "why"]}
NO_THROTTLE = {"votes": None, "comments": None, "register": None, "token": None}


# Generating the schema touches no database, so it is loaded once, at collection.
schema = schemathesis.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture(params=["member", "facilitator"])
def token(request, world, cast, settings):
    from rest_framework.authtoken.models import Token

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": NO_THROTTLE}
    ids = [str(world[name].pk) for name in ("comment", "suggestion", "hidden", "pending",
                                            "membership")]
    KNOWN["id"] = ids
    return Token.objects.get_or_create(user=cast[request.param])[0].key


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go through the real WSGI handler, whose request signals would close the database
    connection holding the test's transaction; Django's own test client unhooks them likewise."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def steer(case) -> None:
    """Point most examples at objects that exist (deterministic under Hypothesis's seeding)."""
    for name in list(case.path_parameters or {}):
        if name in KNOWN and random.random() < 0.85:
            case.path_parameters[name] = random.choice(KNOWN[name])


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(case, token):
    steer(case)

    response = case.call_wsgi(headers={"Authorization": f"Token {token}"})

    case.validate_response(response, checks=CHECKS)
