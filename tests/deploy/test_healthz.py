"""/healthz: JSON database and broker status for probes, 200 or 503, no secrets, no redirect."""

import pytest
from django.db import OperationalError
from django.test import Client

from core import health

pytestmark = pytest.mark.django_db
DEAD_BROKER = "redis://:hunter2-secret@127.0.0.1:6359/0"  # nothing listens on 6359


def test_healthz_answers_200_with_the_database_and_an_in_process_broker(settings):
    settings.REDIS_URL = ""
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_broker_and_never_its_address(settings):
    settings.REDIS_URL = DEAD_BROKER
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}
    assert b"hunter2" not in response.content and b"6359" not in response.content


def test_healthz_answers_503_when_the_database_does_not_answer(settings, monkeypatch):
    settings.REDIS_URL = ""

    class DeadConnection:
        def cursor(self):
            raise OperationalError("connection to server at 10.0.0.7 failed: password=secret")

    monkeypatch.setattr(health, "connection", DeadConnection())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "broker": "in-process"}
    assert b"secret" not in response.content and b"10.0.0.7" not in response.content


def test_healthz_gives_up_on_a_dead_broker_within_its_timeout(settings):
    import time

    settings.REDIS_URL = "redis://10.255.255.1:6379/0"  # unroutable: the connect times out
    started = time.monotonic()
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert time.monotonic() - started < health.BROKER_TIMEOUT + 1.5


def test_healthz_is_exempt_from_the_https_redirect_that_every_page_gets(settings):
    settings.REDIS_URL = ""
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_healthz_needs_no_sign_in_and_is_not_throttled(settings):
    settings.REDIS_URL = ""
    client = Client()
    assert [client.get("/healthz").status_code for _ in range(100)] == [200] * 100


def test_healthz_only_answers_get():
    assert Client().post("/healthz").status_code == 405


def test_a_probe_that_asks_for_an_address_not_in_allowed_hosts_still_gets_its_answer(settings):
    settings.REDIS_URL = ""
    client = Client()
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_a_head_request_answers_without_a_body(settings):
    settings.REDIS_URL = ""
    response = Client().head("/healthz")
    assert response.status_code == 200 and response.content == b""


def test_healthz_reports_the_real_broker_when_there_is_one(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs a real Redis broker: set REDIS_URL")
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
