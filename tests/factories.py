from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from definition.models import (
    DEFAULT_GROUPS,
    Clause,
    Definition,
    Draft,
    Membership,
    StakeholderGroup,
)
from deliberation.models import Comment, Vote


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class DefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Definition
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"definition-{n}")
    title = factory.Sequence(lambda n: f"Definition {n}")
    summary = "A definition drafted together."

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create:
            return
        for position, (slug, name, description) in enumerate(DEFAULT_GROUPS):
            StakeholderGroup.objects.create(definition=self, slug=slug, name=name,
                                            description=description, position=position)


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Draft

    definition = factory.SubFactory(DefinitionFactory)
    version = factory.Sequence(lambda n: f"0.0.{n}")
    status = Draft.Status.EDITING


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    draft = factory.SubFactory(DraftFactory)
    key = factory.Sequence(lambda n: f"clause-{n}")
    body = factory.Sequence(lambda n: f"The text of clause {n}.")
    position = factory.Sequence(lambda n: n)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    definition = factory.SubFactory(DefinitionFactory)
    group = factory.LazyAttribute(lambda m: m.definition.groups.get(slug="developers"))
    status = Membership.Status.VERIFIED
    affiliation = "Example Org"


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    clause = factory.SubFactory(ClauseFactory)
    membership = factory.SubFactory(MembershipFactory,
                                    definition=factory.SelfAttribute("..clause.draft.definition"))
    voter = factory.SelfAttribute("membership.user")
    group = factory.SelfAttribute("membership.group")
    position = "support"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    clause = factory.SubFactory(ClauseFactory)
    author = factory.SubFactory(UserFactory)
    body = "I have a point."


def open_draft(draft: Draft, *, days: int = 14) -> Draft:
    """Put a draft with its clauses already created into the open state, bypassing services."""
    Draft.objects.filter(pk=draft.pk).update(
        status=Draft.Status.OPEN, published_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=days))
    draft.refresh_from_db()
    return draft
