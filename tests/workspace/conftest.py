"""The workspace's cast: the usual one, plus a draft 0.0.9 being edited from the open 0.0.8."""

import pytest

from definition.services import create_draft
from tests.api.conftest import client_for


@pytest.fixture
def api():
    """`api(user)` is a client authenticated by token as that user; `api()` is a visitor."""
    return client_for


@pytest.fixture
def next_draft(facilitator, published_draft):
    """0.0.9 in `editing`, copied from the open 0.0.8 (keys preamble, why, freedoms)."""
    return create_draft(actor=facilitator, definition=published_draft.definition,
                        version="0.0.9", based_on=published_draft)


@pytest.fixture
def mailbox(settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


# The API tests' cast and world, for the permission table of the workspace endpoints.
from tests.api.conftest import cast, other_definition, world  # noqa: E402, F401
