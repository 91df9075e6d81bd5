"""Static files: found in place outside production, from collectstatic's STATIC_ROOT in it."""

from django.conf import settings
from django.test import Client


def test_outside_production_static_files_are_served_without_collectstatic():
    assert settings.WHITENOISE_USE_FINDERS is True and not settings.PRODUCTION
    response = Client().get("/static/css/concord.css")
    assert response.status_code == 200
    assert b".vote-block" in b"".join(response.streaming_content)
    assert response["Content-Type"].startswith("text/css")
