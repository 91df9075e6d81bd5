"""The facilitators' desk as queues: what a facilitator has to act on, one queue at a time.

Queues: undisposed comments (every kind), objections and sustained blocks, suggestions, pending
members, flags, appeals and hidden comments. Each has a count; the one shown is filtered (draft,
default the open one; clause; kind; stakeholder group; age), sorted (oldest first, or by support:
how many groups raise it, then endorsements) and paginated. Comments on the same clause with
similar text (`deliberation.discussion.similarity`) are one item with its members, so one answer
can serve them all. Every read is a fixed number of queries whatever the data size: the light rows
of the queue are read once, grouped and paginated in Python, then the page's comments in full.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from definition.models import Draft, Membership, StakeholderGroup
from deliberation.discussion import similarity
from deliberation.discussion.selectors import endorsement_count, list_appeals
from deliberation.discussion.services import MAX_BULK
from deliberation.models import Appeal, ClauseSummary, Comment, Flag

PER_PAGE = 25
QUEUE_LABELS = {
    "comments": _("without disposition"), "objections": _("objections and sustained blocks"),
    "suggestions": _("suggestions"), "members": _("pending members"), "flags": _("flagged"),
    "appeals": _("open appeals"), "hidden": _("hidden"),
}
QUEUES = tuple(QUEUE_LABELS)
COMMENT_QUEUES = ("comments", "objections", "suggestions")
AGES = (0, 3, 7, 14, 30)
SORTS = ("age", "support")
ALL_DRAFTS = "all"
ENDS_BLOCK = ("resolved", "overruled")


@dataclass(frozen=True)
class DeskQuery:
    """What the facilitator asked to see (see `parse_desk_query`)."""

    queue: str = "comments"
    draft: str = ""  # a version, ALL_DRAFTS, or "" for the open draft
    clause: str = ""
    kind: str = ""
    group: str = ""
    age: int = 0
    sort: str = "age"
    page: int = 1


def parse_desk_query(params) -> DeskQuery:
    """The desk query from GET parameters; anything unknown falls back to its default."""
    def pick(name, allowed, default):
        value = params.get(name, default)
        return value if value in allowed else default

    age = params.get("age", "0")
    page = params.get("page", "1")
    return DeskQuery(
        queue=pick("queue", QUEUES, "comments"), draft=params.get("draft", "")[:40],
        clause=params.get("clause", "")[:80], kind=pick("kind", Comment.Kind.values, ""),
        group=params.get("group", "")[:80],
        age=int(age) if age.isdigit() and int(age) in AGES else 0,
        sort=pick("sort", SORTS, "age"),
        page=min(int(page), 10**6) if page.isdigit() and int(page) > 0 else 1)


MEMBERS_SHOWN = 5  # of a group of similar comments, shown in full; the others are counted


@dataclass
class DeskItem:
    """One row of a comment queue: a comment, or similar comments on one clause (`members`:
    the first MEMBERS_SHOWN of them read in full, the first shown whole; `ids`: all of them);
    `groups` counts the stakeholder groups raising it."""

    members: list
    ids: list = field(default_factory=list)
    groups: int = 0
    support: int = 0
    created_at: object = None

    def __post_init__(self):
        self.ids = self.ids or [c.pk for c in self.members]

    @property
    def lead(self):
        return self.members[0]

    @property
    def others(self):
        return self.members[1:]

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def not_shown(self) -> int:
        return len(self.ids) - len(self.members)

    @property
    def answerable(self) -> list[int]:
        """The ids one answer may cover (a bulk answer takes at most MAX_BULK comments)."""
        return self.ids[:MAX_BULK]

    @property
    def answerable_ids(self) -> str:
        return ",".join(map(str, self.answerable))


@dataclass
class Pager:
    number: int
    pages: int
    count: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


@dataclass
class DeskPage:
    """The desk: the open draft, the queue counts, and one page of the queue asked for."""

    query: DeskQuery
    open_draft: Draft | None
    scope: Draft | None  # the draft the comment queues are filtered by (None: every draft)
    drafts: list
    groups: list
    days_left: int | None
    counts: dict
    items: list
    pager: Pager
    clause_options: list = field(default_factory=list)
    levels: dict = field(default_factory=dict)

    @property
    def queues(self) -> list[tuple[str, str, int]]:
        """Each queue's name, label and count, in the order of the tabs."""
        return [(name, label, self.counts[name]) for name, label in QUEUE_LABELS.items()]

    @property
    def comment_queue(self) -> bool:
        return self.query.queue in COMMENT_QUEUES


def _days_left(draft: Draft | None, now) -> int | None:
    if draft is None or draft.closes_at is None:
        return None
    return max(0, math.ceil((draft.closes_at - now).total_seconds() / 86400))


def _scope(query: DeskQuery, drafts: list, open_draft: Draft | None) -> Draft | None:
    if query.draft == ALL_DRAFTS:
        return None
    if query.draft:
        return next((d for d in drafts if d.version == query.draft), open_draft)
    return open_draft


def _in_scope(definition, scope: Draft | None):
    comments = Comment.objects.filter(clause__draft__definition=definition, parent=None)
    return comments.filter(clause__draft=scope) if scope is not None else comments


def _sustained() -> Q:
    return (Q(kind=Comment.Kind.OBJECTION, vote__position="block",
              vote__membership__status=Membership.Status.VERIFIED)
            & ~Q(disposition__status__in=ENDS_BLOCK))


QUEUE_FILTERS = {
    "comments": lambda: Q(hidden=False, disposition__isnull=True),
    "objections": lambda: Q(hidden=False, kind=Comment.Kind.OBJECTION)
    & (Q(disposition__isnull=True) | _sustained()),
    "suggestions": lambda: Q(hidden=False, kind=Comment.Kind.SUGGESTION,
                             disposition__isnull=True),
}


def _counts(definition, scope: Draft | None) -> dict:
    comments = _in_scope(definition, scope)
    counts = comments.aggregate(
        **{name: Count("pk", filter=condition()) for name, condition in QUEUE_FILTERS.items()},
        hidden=Count("pk", filter=Q(hidden=True)))
    counts["flags"] = (Comment.objects.filter(clause__draft__definition=definition,
                                              flags__resolved=False).values("pk").distinct()
                       .count())
    counts["members"] = Membership.objects.filter(definition=definition,
                                                  status=Membership.Status.PENDING).count()
    counts["appeals"] = Appeal.objects.filter(comment__clause__draft__definition=definition,
                                              status=Appeal.Status.OPEN).count()
    return counts


def _author_group(definition):
    verified = Membership.objects.filter(user=OuterRef("author"), definition=definition,
                                         status=Membership.Status.VERIFIED)
    return Subquery(verified.values("group__slug")[:1])


def _light_rows(definition, scope, query: DeskQuery, now) -> list[dict]:
    rows = (_in_scope(definition, scope).filter(QUEUE_FILTERS[query.queue]())
            .annotate(author_group=_author_group(definition),
                      endorsements_n=Count("endorsements", distinct=True))
            .values("pk", "clause_id", "clause__key", "clause__heading", "clause__position",
                    "kind", "body", "proposed_text", "created_at", "vote__group__slug",
                    "author_group", "endorsements_n", "disposition__id"))
    if query.kind:
        rows = rows.filter(kind=query.kind)
    if query.age:
        rows = rows.filter(created_at__lte=now - timedelta(days=query.age))
    rows = list(rows.order_by("created_at", "pk"))
    for row in rows:
        row["group"] = row["vote__group__slug"] or row["author_group"]
    if query.group:
        rows = [row for row in rows if row["group"] == query.group]
    return rows


def _clause_options(rows: list[dict]) -> list[tuple[str, str]]:
    seen = {}
    for row in sorted(rows, key=lambda r: (r["clause__position"], r["clause_id"])):
        seen.setdefault(row["clause__key"], row["clause__heading"] or row["clause__key"])
    return list(seen.items())


def _group_rows(rows: list[dict]) -> list[list[dict]]:
    """Similar undisposed comments on one clause together; the rest one by one, in order."""
    texts = [similarity.Text(id=row["pk"], clause=row["clause_id"],
                             body=f"{row['body']}\n{row['proposed_text']}")
             for row in rows if row["disposition__id"] is None]
    by_id = {row["pk"]: row for row in rows}
    grouped = similarity.group_similar(texts)
    in_group = {pk for ids in grouped for pk in ids}
    items = [[by_id[pk] for pk in ids] for ids in grouped]
    items += [[row] for row in rows if row["pk"] not in in_group]
    return items


def _sort(items: list[list[dict]], sort: str) -> list[list[dict]]:
    def oldest(item):
        return min((row["created_at"], row["pk"]) for row in item)

    if sort == "support":
        return sorted(items, key=lambda item: (
            -len({row["group"] for row in item if row["group"]}),
            -sum(row["endorsements_n"] for row in item), -len(item), oldest(item)))
    return sorted(items, key=oldest)


def _page(items: list, number: int) -> tuple[list, Pager]:
    pages = max(1, math.ceil(len(items) / PER_PAGE))
    number = min(number, pages)
    return items[(number - 1) * PER_PAGE:number * PER_PAGE], Pager(number, pages, len(items))


def _full_comments(ids: list[int]) -> dict[int, Comment]:
    comments = (Comment.objects.filter(pk__in=ids)
                .select_related("author", "clause__draft", "vote", "disposition")
                .annotate(endorsement_count=endorsement_count()))
    return {c.pk: c for c in comments}


def _comment_queue(definition, scope, query: DeskQuery, now) -> tuple[list, Pager, list]:
    rows = _light_rows(definition, scope, query, now)
    options = _clause_options(rows)
    if query.clause:
        rows = [row for row in rows if row["clause__key"] == query.clause]
    page, pager = _page(_sort(_group_rows(rows), query.sort), query.page)
    full = _full_comments([row["pk"] for item in page for row in item[:MEMBERS_SHOWN]])
    items = [DeskItem(members=[full[row["pk"]] for row in item[:MEMBERS_SHOWN]],
                      ids=[row["pk"] for row in item],
                      groups=len({row["group"] for row in item if row["group"]}),
                      support=sum(row["endorsements_n"] for row in item),
                      created_at=min(row["created_at"] for row in item)) for item in page]
    return items, pager, options


def _members_queue(definition, query: DeskQuery, now) -> tuple[list, Pager]:
    pending = (Membership.objects.filter(definition=definition, status=Membership.Status.PENDING)
               .select_related("user", "group").order_by("created_at", "id"))
    if query.group:
        pending = pending.filter(group__slug=query.group)
    if query.age:
        pending = pending.filter(created_at__lte=now - timedelta(days=query.age))
    return _sliced(pending, query.page)


def _sliced(queryset, number: int) -> tuple[list, Pager]:
    count = queryset.count()
    pages = max(1, math.ceil(count / PER_PAGE))
    number = min(number, pages)
    return list(queryset[(number - 1) * PER_PAGE:number * PER_PAGE]), Pager(number, pages, count)


def _comments_of(definition, scope):
    return (_in_scope(definition, scope)
            .select_related("author", "clause__draft", "vote", "hidden_by")
            .order_by("created_at", "id"))


def _flags_queue(definition, query: DeskQuery) -> tuple[list, Pager]:
    open_flags = Flag.objects.filter(resolved=False).select_related("user").order_by("created_at")
    flagged = (Comment.objects.filter(clause__draft__definition=definition,
                                      flags__resolved=False).distinct()
               .select_related("author", "clause__draft", "vote").order_by("created_at", "id")
               .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags")))
    return _sliced(flagged, query.page)


def _other_queue(definition, scope, query: DeskQuery, now) -> tuple[list, Pager]:
    if query.queue == "members":
        return _members_queue(definition, query, now)
    if query.queue == "flags":
        return _flags_queue(definition, query)
    if query.queue == "appeals":
        return _sliced(list_appeals(definition=definition, status=Appeal.Status.OPEN),
                       query.page)
    return _sliced(_comments_of(definition, scope).filter(hidden=True)
                   .order_by("-created_at", "-id"), query.page)


def _levels(draft: Draft | None) -> dict[str, int]:
    if draft is None:
        return {}
    rows = (ClauseSummary.objects.filter(draft=draft).values("level")
            .annotate(n=Count("pk")).order_by())
    return {row["level"]: row["n"] for row in rows}


def get_desk(*, definition, query: DeskQuery, now=None) -> DeskPage:
    """The desk of a definition for `query`, in a fixed number of queries."""
    now = now or timezone.now()
    drafts = list(Draft.objects.filter(definition=definition).order_by("-created_at", "-id"))
    open_draft = next((d for d in drafts if d.status == Draft.Status.OPEN), None)
    scope = _scope(query, drafts, open_draft)
    options = []
    if query.queue in COMMENT_QUEUES:
        items, pager, options = _comment_queue(definition, scope, query, now)
    else:
        items, pager = _other_queue(definition, scope, query, now)
    return DeskPage(
        query=query, open_draft=open_draft, scope=scope, drafts=drafts,
        groups=list(StakeholderGroup.objects.filter(definition=definition)
                    .order_by("position", "id")),
        days_left=_days_left(open_draft, now), counts=_counts(definition, scope), items=items,
        pager=pager, clause_options=options, levels=_levels(open_draft))
