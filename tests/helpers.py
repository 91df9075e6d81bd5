"""Helpers the tests share: clients signed in as someone, page URLs, corpus imports."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from definition import services
from definition.models import Draft
from tests.factories import ClauseFactory, DraftFactory, open_draft


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def url(name: str, draft, key: str | None = None) -> str:
    from django.urls import reverse

    args = [draft.definition.slug, draft.version] + ([key] if key else [])
    return reverse(f"deliberation:{name}", args=args)


def import_corpus_file(*, actor, definition, path, based_on=None, version=None) -> Draft:
    text = path.read_text(encoding="utf-8")
    version = version or path.stem.removeprefix("osaid-")
    draft, _ = services.import_draft(actor=actor, definition=definition, version=version,
                                     markdown=text, based_on=based_on,
                                     changelog=f"Imported from `{path.name}`.")
    return draft


def big_draft(definition, *, clauses: int, version: str = "9.9") -> Draft:
    draft = DraftFactory(definition=definition, version=version)
    sections = 10
    per = max(clauses // sections - 1, 1)
    for s in range(sections):
        section = ClauseFactory(draft=draft, key=f"section-{s}", heading=f"Section {s + 1}",
                                body="", kind="section", position=s)
        for c in range(per):
            ClauseFactory(draft=draft, key=f"s{s}-clause-{c}", parent=section, position=c,
                          body=f"Clause {c} of section {s}: the system may be used for any "
                               f"purpose and without having to ask for permission.[^{s}-{c}]"
                               f"\n\n[^{s}-{c}]: A footnote of clause {c}.")
    Draft.objects.filter(pk=draft.pk).update(
        status=Draft.Status.OPEN, published_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=7))
    return open_draft(draft)


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
