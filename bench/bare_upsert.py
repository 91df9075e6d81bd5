"""The bare reference for `manage.py bench_votes`: one Django + DRF token-authenticated upsert.

A single-file Django project, served by gunicorn (`bare_upsert:application`, run from this folder)
with the same worker count, the same PostgreSQL and the same tokens as Concord: it reads Concord's
user and token tables (unmanaged, read-only) and writes its own table, `bench_bare_vote`, which the
benchmark creates. `PUT /bare/clauses/<key>/vote/ {"position": ...}` does one `update_or_create`.
"""

import os

import dj_database_url
import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["rest_framework", "rest_framework.authtoken", "bare_upsert"],
    AUTH_USER_MODEL="bare_upsert.Member",
    DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)},
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    USE_TZ=True,
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "UNAUTHENTICATED_USER": None,
    },
)
django.setup()

from django.contrib.auth.base_user import AbstractBaseUser  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import models  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


class Member(AbstractBaseUser):
    username = models.CharField(max_length=150, unique=True)
    is_active = models.BooleanField(default=True)
    USERNAME_FIELD = "username"

    class Meta:
        app_label = "bare_upsert"
        db_table = "accounts_user"
        managed = False


class BareVote(models.Model):
    member_id = models.BigIntegerField()
    clause = models.CharField(max_length=100)
    position = models.CharField(max_length=10)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "bare_upsert"
        db_table = "bench_bare_vote"
        managed = False


class VoteView(APIView):
    def put(self, request, key):
        vote, _ = BareVote.objects.update_or_create(
            member_id=request.user.pk, clause=key,
            defaults={"position": str(request.data.get("position", ""))})
        return Response({"clause": vote.clause, "position": vote.position})


urlpatterns = [path("bare/clauses/<slug:key>/vote/", VoteView.as_view())]
application = get_wsgi_application()
