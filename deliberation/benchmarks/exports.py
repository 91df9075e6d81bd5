"""Data for `manage.py bench_exports`: a voted, commented draft of N clauses, built in bulk."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from definition.models import DEFAULT_GROUPS, Clause, Definition, Draft, Membership
from deliberation.consensus.recompute import recompute
from deliberation.models import Comment, Disposition, Position, Vote

SECTION_SIZE = 10


def _definition(members: int):
    definition = Definition.objects.create(slug="bench-exports", title="Bench exports")
    for position, (slug, name, description) in enumerate(DEFAULT_GROUPS):
        definition.groups.create(slug=slug, name=name, description=description, position=position)
    groups = list(definition.groups.all())
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"bench-exports-{n}") for n in range(members)])
    memberships = Membership.objects.bulk_create(
        [Membership(user=u, definition=definition, group=groups[n % len(groups)],
                    status=Membership.Status.VERIFIED) for n, u in enumerate(users)])
    return definition, memberships


def _clauses(draft: Draft, count: int) -> list[Clause]:
    created, section = [], None
    for n in range(count):
        if n % SECTION_SIZE == 0:
            section = Clause.objects.create(draft=draft, key=f"section-{n // SECTION_SIZE}",
                                            heading=f"Section {n // SECTION_SIZE + 1}",
                                            kind="section", position=n)
            created.append(section)
            continue
        # A footnote on one clause in ten, as in the OSAID drafts (printed under its clause).
        note = f"[^{n}]\n\n[^{n}]: Note {n}." if n % 10 == 1 else ""
        created.append(Clause.objects.create(
            draft=draft, parent=section, key=f"clause-{n}", position=n,
            body=f"Clause {n}: the system may be used, studied, modified and shared for any "
                 f"purpose, without having to ask for permission.{note}"))
    return created


def build_draft(*, clauses: int, members: int, rng) -> Draft:
    """An open draft of `clauses` clauses, every member voting on each, a comment on every
    fifth clause with a disposition, and fresh consensus summaries."""
    definition, memberships = _definition(members)
    draft = Draft.objects.create(definition=definition, version="1.0")
    rows = _clauses(draft, clauses)
    Draft.objects.filter(pk=draft.pk).update(status=Draft.Status.OPEN, published_at=timezone.now(),
                                             closes_at=timezone.now() + timedelta(days=7))
    votes = [Vote(clause=c, voter_id=m.user_id, membership=m, group_id=m.group_id,
                  position=(position := rng.choice(Position.values)),
                  rationale="Not yet." if position in ("oppose", "block") else "")
             for c in rows for m in memberships]
    Vote.objects.bulk_create(votes, batch_size=5000)
    comments = Comment.objects.bulk_create(
        [Comment(clause=c, author_id=memberships[0].user_id, body=f"A remark on {c.key}.")
         for c in rows[::5]])
    Disposition.objects.bulk_create(
        [Disposition(comment=c, status="accepted", response="Done.", decided_at=timezone.now())
         for c in comments])
    recompute(draft_id=draft.pk)
    draft.refresh_from_db()
    return draft
