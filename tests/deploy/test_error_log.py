"""Errors reach stderr as one JSON line with the request's path and user id (finding 10)."""

import json

import pytest
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def explode(request):
    raise RuntimeError("the view broke")


urlpatterns = [path("boom/", explode), path("", include("config.urls"))]


def error_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()
            if line.startswith("{") and '"level": "ERROR"' in line]


def test_an_uncaught_exception_is_logged_as_one_json_line_with_path_and_user_id(
        settings, capfd, user):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/boom/?page=2")
    assert response.status_code == 500
    (line,) = error_lines(capfd.readouterr().err)
    assert line["logger"] == "django.request" and line["status"] == 500
    assert line["method"] == "GET" and line["path"] == "/boom/" and line["user_id"] == user.pk
    assert "RuntimeError: the view broke" in line["exc"]
    assert line["message"] == "Internal Server Error: /boom/"


def test_an_anonymous_request_error_is_logged_with_no_user_id(settings, capfd):
    settings.ROOT_URLCONF = __name__
    Client(raise_request_exception=False).get("/boom/")
    (line,) = error_lines(capfd.readouterr().err)
    assert line["path"] == "/boom/" and line["user_id"] is None


def test_a_404_is_not_logged_as_an_error(capfd, db):
    assert Client().get("/no-such-page/").status_code == 404
    assert error_lines(capfd.readouterr().err) == []


def test_an_api_error_is_logged_with_the_id_of_the_token_user(monkeypatch, capfd, user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from definition import selectors

    def broken():
        raise RuntimeError("the selector broke")

    monkeypatch.setattr(selectors, "list_definitions", broken)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert client.get("/api/v1/definitions/").status_code == 500
    (line,) = error_lines(capfd.readouterr().err)
    assert line["path"] == "/api/v1/definitions/" and line["user_id"] == user.pk
    assert "RuntimeError: the selector broke" in line["exc"]
