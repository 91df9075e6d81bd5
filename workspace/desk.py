"""The facilitators' desk as queues: what a facilitator has to act on, one queue at a time.

Queues: undisposed comments (every kind), objections and sustained blocks, suggestions, pending
members, flags, appeals and hidden comments. Each has a count; the one shown is filtered (draft,
default the open one; clause; kind; stakeholder group; age), sorted (oldest first, or by support:
how many groups raise it, then endorsements) and paginated. Comments on the same clause with
similar text (`deliberation.discussion.similarity`) are one item with its members, so one answer
can serve them all. That grouping is stored (`Comment.similar_lead`, kept by a job:
`deliberation.discussion.grouping`); the queues group by it, sort and paginate in SQL, then read
the page's comments. Every read is a fixed number of queries whatever the data size.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from definition.models import Clause, Definition, Draft, Membership, StakeholderGroup
from deliberation.discussion import counts as comment_counts
from deliberation.discussion.selectors import endorsement_count, list_appeals
from deliberation.discussion.services import MAX_BULK
from deliberation.models import (
    Appeal,
    ClauseSummary,
    Comment,
    CommentCount,
    CommentItemCount,
    Disposition,
    Flag,
)

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
    `groups` counts the stakeholder groups raising it, `size` all its comments."""

    members: list
    ids: list = field(default_factory=list)  # the first MAX_BULK, oldest first
    groups: int = 0
    support: int = 0
    created_at: object = None
    size: int = 0  # all of them

    def __post_init__(self):
        self.ids = self.ids or [c.pk for c in self.members]
        self.size = self.size or len(self.ids)

    @property
    def lead(self):
        return self.members[0]

    @property
    def others(self):
        return self.members[1:]

    @property
    def count(self) -> int:
        return self.size

    @property
    def not_shown(self) -> int:
        return self.size - len(self.members)

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

    @property
    def clause_choices(self) -> str:
        """The clause filter's options, rendered at once (a draft may have hundreds)."""
        return format_html_join("", '<option value="{}"{}>{}</option>', (
            (key, " selected" if key == self.query.clause else "",
             heading if len(heading) <= 50 else heading[:49] + "…")  # as `truncatechars:50`
            for key, heading in self.clause_options))


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
    if scope is not None:  # a draft of the definition: its clauses only, one join
        return Comment.objects.filter(clause__draft_id=scope.pk, parent=None)
    return Comment.objects.filter(clause__draft__definition=definition, parent=None)


def _sustained_ids():
    """The disposed objections that are still sustained blocks, read from the dispositions (few)
    instead of joining every comment to its vote."""
    return (Disposition.objects.filter(
        comment__kind=Comment.Kind.OBJECTION, comment__vote__position="block",
        comment__vote__membership__status=Membership.Status.VERIFIED)
        .exclude(status__in=ENDS_BLOCK).values("comment_id"))


QUEUE_FILTERS = {
    "comments": lambda: Q(hidden=False, disposition__isnull=True),
    "objections": lambda: Q(hidden=False, kind=Comment.Kind.OBJECTION)
    & (Q(disposition__isnull=True) | Q(pk__in=_sustained_ids())),
    "suggestions": lambda: Q(hidden=False, kind=Comment.Kind.SUGGESTION,
                             disposition__isnull=True),
}


def _scope_clauses(definition, scope: Draft | None):
    if scope is not None:
        return Clause.objects.filter(draft_id=scope.pk)
    return Clause.objects.filter(draft__definition=definition)


def _counts(definition, scope: Draft | None, kept: dict) -> dict:
    """Every queue's count: the comment queues' from `kept` (the counts the database keeps per
    clause, `discussion.counts`, summed over the scope: one row per clause, whatever the size of
    the queue), then the sustained blocks (from the few dispositions; also apart, `sustained`),
    flags, pending members and open appeals as subqueries of one row."""
    counts = {name: kept[name] for name in ("comments", "objections", "suggestions", "hidden")}
    sustained = _in_scope(definition, scope).filter(hidden=False, pk__in=_sustained_ids())
    flagged = Comment.objects.filter(clause__draft__definition=definition, flags__resolved=False)
    others = Definition.objects.filter(pk=definition.pk).values(
        sustained=_count(sustained, "pk"), flags=_count(flagged, "pk", distinct=True),
        members=_count(Membership.objects.filter(definition=definition,
                                                 status=Membership.Status.PENDING), "pk"),
        appeals=_count(Appeal.objects.filter(comment__clause__draft__definition=definition,
                                             status=Appeal.Status.OPEN), "pk"))[0]
    counts["objections"] += others["sustained"]
    return counts | others


def _count(queryset, field: str, distinct: bool = False) -> Subquery:
    """`SELECT COUNT(...)` of a queryset as a scalar subquery."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = Func(F(field), function="COUNT", template=template, output_field=IntegerField())
    return Subquery(queryset.order_by().annotate(n=counted).values("n")[:1])


def _item(queue: str):
    """The item a comment belongs to: its similarity group (keyed by the lead's id: the lead's
    own, or its members' `similar_lead`) or itself. A disposed comment (a sustained block, in
    the objections queue only) is always alone: keyed by its negated id, which no group's key can
    be, even while the grouping is behind."""
    key = Coalesce("similar_lead_id", "pk", output_field=IntegerField())
    if queue != "objections":
        return key
    return Case(When(pk__in=_sustained_ids(), then=-F("pk")), default=key,
                output_field=IntegerField())


def _group_id(groups: list, slug: str) -> int | None:
    return next((g.pk for g in groups if g.slug == slug), None)


# The one kind a queue holds; and the counts the database keeps per clause for a view of one
# kind ("": every kind): its open comments and its items.
QUEUE_KIND = {"objections": Comment.Kind.OBJECTION, "suggestions": Comment.Kind.SUGGESTION}
OPEN_COLUMN = {"": "comments", "objection": "objections", "suggestion": "suggestions"}
ITEMS_COLUMN = {"": "items", "objection": "objection_items", "suggestion": "suggestion_items"}


def _view_kind(query: DeskQuery) -> str | None:
    """The kind of the comments a view shows ("" for every kind), None where its kind filter
    and its queue exclude each other."""
    queued = QUEUE_KIND.get(query.queue, "")
    if query.kind and queued and query.kind != queued:
        return None
    return query.kind or queued


def _queue_comments(definition, scope, query: DeskQuery, now, groups: list, *, scoped=True):
    """The comments of the queue asked for, every filter applied but the clause (and not the
    scope either if not `scoped`: the members of items already in it, on their leads' clauses)."""
    comments = (_in_scope(definition, scope) if scoped else Comment.objects.filter(parent=None))
    comments = comments.filter(QUEUE_FILTERS[query.queue]())
    if query.kind:
        comments = comments.filter(kind=query.kind)
    if query.age:
        comments = comments.filter(created_at__lte=now - timedelta(days=query.age))
    if query.group:
        group = _group_id(groups, query.group)
        if group is None:
            return comments.none()
        comments = comments.filter(group_id=group)  # the group it speaks for (`Comment.group`)
    return comments


def _clause_options(definition, scope, comments, query: DeskQuery, groups: list
                    ) -> list[tuple[str, str]]:
    """The clause filter's choices: the clauses with a comment in the queue, in order (one per
    key over every draft); from the counts kept per clause where the view allows (other views,
    with an age filter or of another kind, look at the comments)."""
    clauses = _scope_clauses(definition, scope)
    name = None if query.group or query.age else OPEN_COLUMN.get(_view_kind(query))
    group = _group_id(groups, query.group)
    if (group is not None and not query.age and query.queue != "objections"
            and _view_kind(query) is not None):
        having = Q(pk__in=_kept_clauses(definition, scope, query, group))
    elif name is None:
        having = Exists(comments.filter(clause=OuterRef("pk")))
    else:
        having = Q(pk__in=CommentCount.objects.filter(clause__in=clauses).values("clause_id")
                   .annotate(n=Sum(name)).filter(n__gt=0).values("clause_id"))
        if query.queue == "objections":  # and the clauses with a sustained block
            having |= Q(pk__in=comments.filter(pk__in=_sustained_ids()).values("clause_id"))
    rows = clauses.filter(having).order_by("position", "pk").values_list("key", "heading")
    seen = {}
    for key, heading in rows:
        seen.setdefault(key, heading or key)
    return list(seen.items())


def _item_page(comments, query: DeskQuery) -> tuple[list[dict], Pager]:
    """One page of the queue's items, grouped, sorted and sliced in SQL: each item's key and
    oldest time; the total from a window count over the grouped rows (a page past the end counts
    and reads the last page)."""
    # An item's time is its lead's, the oldest of its comments: in a stakeholder group's view
    # too, where the lead may be another group's (the order of the whole queue, kept).
    since = (Coalesce("similar_lead__created_at", "created_at") if query.group
             else F("created_at"))
    items = (comments.annotate(item=_item(query.queue)).values("item")
             .annotate(oldest=Min(since), first=Min("pk")))
    if query.sort == "support":
        items = items.annotate(
            raised=Count("group", distinct=True),
            endorsed=Count("endorsements", distinct=True), size=Count("pk", distinct=True),
        ).order_by("-raised", "-endorsed", "-size", "oldest", "first")
    else:
        items = items.order_by("oldest", "first")
    items = items.annotate(total=Window(Count("*")))
    return _paged(lambda n: list(items[(n - 1) * PER_PAGE:n * PER_PAGE]), query.page,
                  lambda row: row["total"],
                  lambda: comments.annotate(item=_item(query.queue)).values("item")
                  .distinct().count())


def _paged(read, number: int, total_of, count_all) -> tuple[list, Pager]:
    """Page `number`: `read(number)`, whose rows carry the total (`total_of(row)`); a page past
    the end reads the last page, its total from `count_all()`."""
    rows = read(number)
    if rows or number == 1:
        count = total_of(rows[0]) if rows else 0
    else:
        count = count_all()
        number = max(1, math.ceil(count / PER_PAGE))
        rows = read(number) if count else []
    return rows, Pager(number, max(1, math.ceil(count / PER_PAGE)), count)


def _lead_page(comments, query: DeskQuery, count: int) -> tuple[list[dict], Pager]:
    """One page of a queue's items, oldest first, by walking their leads: every group is of one
    kind and led by its oldest comment, an undisposed visible one (`discussion.grouping`), so
    the items are the queue's undisposed comments without a `similar_lead` (and in the
    objections queue its sustained blocks, each alone), in the order of an index
    (`comment_desk_items`); `count` is how many there are, as the database keeps it. No pass
    over the queue."""
    pages = max(1, math.ceil(count / PER_PAGE))
    number = min(query.page, pages)
    items = (comments.filter(similar_lead=None, disposition__isnull=True).order_by()
             .annotate(key=F("pk")).values_list("key", "created_at", "pk"))
    if query.queue == "objections":
        blocks = (comments.filter(pk__in=_sustained_ids()).order_by().annotate(key=-F("pk"))
                  .values_list("key", "created_at", "pk"))
        items = items.union(blocks, all=True)
    page = items.order_by("created_at", "pk")[(number - 1) * PER_PAGE:number * PER_PAGE]
    return [{"item": key, "oldest": created_at} for key, created_at, _ in page], Pager(
        number, pages, count)


def _lead_count(definition, scope, query: DeskQuery, kept: dict, sustained: int) -> int | None:
    """How many items the view has if it is listed by its leads (the database keeps the count of
    its kind: `ITEMS_COLUMN`), else None."""
    name = ITEMS_COLUMN.get(_view_kind(query))
    if name is None:
        return None
    if query.clause:
        if query.queue == "objections":  # the sustained blocks are counted for the scope only
            return None
        kept = comment_counts.totals(_scope_clauses(definition, scope).filter(key=query.clause))
    return kept[name] + (sustained if query.queue == "objections" else 0)


# The items of the comments queue (or the suggestions queue), most support first, from the counts
# the triggers keep per item and stakeholder group (`CommentItemCount`): per item, how many of the
# groups have an open comment in it, its endorsements and its size; then the lead's time and id.
SUPPORT_SQL = """
WITH per AS (
  SELECT t.item_id, t.group_id, SUM(t.comments) AS n, SUM(t.endorsements) AS e
  FROM deliberation_commentitemcount t JOIN definition_clause cl ON cl.id = t.clause_id
  WHERE {where}
  GROUP BY t.item_id, t.group_id),
items AS (
  SELECT item_id, SUM(n) AS size, COUNT(CASE WHEN n > 0 THEN group_id END) AS raised,
         SUM(e) AS endorsed
  FROM per GROUP BY item_id HAVING SUM(n) > 0)
SELECT i.item_id, c.created_at, COUNT(*) OVER ()
FROM items i JOIN deliberation_comment c ON c.id = i.item_id
ORDER BY i.raised DESC, i.endorsed DESC, i.size DESC, c.created_at, i.item_id
LIMIT %s OFFSET %s
"""


def _support_page(definition, scope, query: DeskQuery, group: int | None = None
                  ) -> tuple[list[dict], Pager]:
    """One page of the items, most support first (`SUPPORT_SQL`; of `group`'s comments only, in
    its view): no pass over the queue."""
    if scope is not None:
        where, params = ["cl.draft_id = %s"], [scope.pk]
    else:
        where = ["cl.draft_id IN (SELECT id FROM definition_draft WHERE definition_id = %s)"]
        params = [definition.pk]
    kind = _view_kind(query)
    if kind:
        where.append("t.kind = %s")
        params.append(kind)
    if query.clause:
        where.append("cl.key = %s")
        params.append(query.clause)
    if group is not None:
        where.append("t.group_id = %s")
        params.append(group)
    sql = SUPPORT_SQL.format(where=" AND ".join(where))

    def read(number: int) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, PER_PAGE, (number - 1) * PER_PAGE])
            return cursor.fetchall()

    rows, pager = _paged(read, query.page, lambda row: row[2],
                         lambda: next((row[2] for row in read(1)), 0))
    return [{"item": item, "oldest": created_at} for item, created_at, _ in rows], pager


def _group_rows(definition, scope, query: DeskQuery, group: int):
    """The counts the triggers keep per item and stakeholder group (`CommentItemCount`) of
    `group` in the view's scope and kind."""
    rows = CommentItemCount.objects.filter(clause__in=_scope_clauses(definition, scope),
                                           group_id=group)
    kind = _view_kind(query)
    return rows.filter(kind=kind) if kind else rows


def _kept_clauses(definition, scope, query: DeskQuery, group: int):
    """The clauses where the view has an item `group` raises."""
    return (_group_rows(definition, scope, query, group).values("clause_id")
            .annotate(n=Sum("comments")).filter(n__gt=0).values("clause_id"))


def _group_page(definition, scope, query: DeskQuery, group: int) -> tuple[list[dict], Pager]:
    """One page of the items a stakeholder group raises, oldest first: the leads of the items
    with an open comment of the group, as the triggers count them per item and group
    (`CommentItemCount`), in time order, with their total. No pass over the queue."""
    rows = _group_rows(definition, scope, query, group)
    if query.clause:
        rows = rows.filter(clause__key=query.clause)
    raised = rows.values("item_id").annotate(n=Sum("comments")).filter(n__gt=0)
    leads = (Comment.objects.filter(pk__in=raised.values("item_id")).order_by("created_at", "pk")
             .annotate(total=Window(Count("*"))).values_list("pk", "created_at", "total"))
    page, pager = _paged(lambda n: list(leads[(n - 1) * PER_PAGE:n * PER_PAGE]), query.page,
                         lambda row: row[2], raised.count)
    return [{"item": pk, "oldest": created_at} for pk, created_at, _ in page], pager


def _stored_items(definition, scope, query: DeskQuery, comments, kept: dict, sustained: int,
                  groups: list) -> tuple[list[dict], Pager] | None:
    """The page of items from what the database keeps where the view allows (its leads, the
    counts per item for the support sort and a stakeholder group's view), else None: the view
    is grouped in SQL (an age filter; in the objections queue a group or the support sort, the
    sustained blocks being no item of the counts)."""
    if query.age or _view_kind(query) is None:
        return None
    if query.queue == "objections" and (query.group or query.sort == "support"):
        return None
    group = _group_id(groups, query.group) if query.group else None
    if query.group and group is None:
        return None
    if query.sort == "support":
        return _support_page(definition, scope, query, group)
    if group is not None:
        return _group_page(definition, scope, query, group)
    count = _lead_count(definition, scope, query, kept, sustained)
    return None if count is None else _lead_page(comments, query, count)


def _members_of(comments, queue: str, keys: list[int]
                ) -> dict[int, tuple[list[int], int, int, int]]:
    """The page's items' comments in one query: by item (a lead or lone comment by its id, a
    group's members by their lead, a disposed comment by its negated id) the first MAX_BULK ids
    oldest first, how many comments, how many stakeholder groups raise it and its endorsements.
    PostgreSQL adds them up in SQL (one row per item); SQLite reads a row per comment."""
    own = [k for k in keys if k > 0]
    members = (comments.filter(Q(pk__in=own) | Q(similar_lead__in=own)
                               | Q(pk__in=[-k for k in keys if k < 0]))
               .annotate(item=_item(queue)))
    found: dict[int, tuple[list[int], set, int]] = {}
    if connection.vendor == "postgresql":
        rows = (members.values("item").order_by().annotate(
            ids=ArrayAgg("pk", order_by=("created_at", "pk")), raised=Count("group", distinct=True),
            endorsed=Count("endorsements")))
        # A comment's id repeats once per endorsement (the join): keep the first.
        found = {row["item"]: (list(dict.fromkeys(row["ids"])), row["raised"], row["endorsed"])
                 for row in rows}
    else:
        groups: dict[int, set] = {}
        for item, pk, group, endorsed in (
                members.annotate(n=Count("endorsements")).order_by("created_at", "pk")
                .values_list("item", "pk", "group_id", "n")):
            ids, _, total = found.get(item, ([], 0, 0))
            ids.append(pk)
            groups.setdefault(item, set()).add(group)
            found[item] = (ids, 0, total + endorsed)
        found = {item: (ids, len(groups[item] - {None}), total)
                 for item, (ids, _, total) in found.items()}
    return {key: (found[key][0][:MAX_BULK], len(found[key][0]), *found[key][1:])
            for key in keys if key in found}


# PostgreSQL: the page's items of a view read from the kept rows (every comment of an item is of
# the view): per item its lead and first members in time order (`comment_similar_members`, at
# most MAX_BULK ids), then its size, groups and endorsements as the triggers keep them
# (`CommentItemCount`); a sustained block (a negated id) alone.
KEPT_MEMBERS_SQL = """
SELECT k.item,
  CASE WHEN k.item < 0 THEN ARRAY[-k.item] ELSE ARRAY[k.item] || ARRAY(
    SELECT c.id FROM deliberation_comment c
    WHERE c.similar_lead_id = k.item AND c.parent_id IS NULL AND NOT c.hidden
      AND NOT EXISTS (SELECT 1 FROM deliberation_disposition x WHERE x.comment_id = c.id)
    ORDER BY c.created_at, c.id LIMIT %s) END,
  CASE WHEN k.item < 0 THEN 1 ELSE
    (SELECT COALESCE(SUM(t.comments), 0) FROM deliberation_commentitemcount t
     WHERE t.item_id = k.item) END,
  CASE WHEN k.item < 0 THEN
    (SELECT COUNT(c.group_id) FROM deliberation_comment c WHERE c.id = -k.item)
  ELSE (SELECT COUNT(*) FROM (SELECT t.group_id FROM deliberation_commentitemcount t
        WHERE t.item_id = k.item AND t.group_id IS NOT NULL GROUP BY t.group_id
        HAVING SUM(t.comments) > 0) AS g) END,
  CASE WHEN k.item < 0 THEN
    (SELECT COUNT(*) FROM deliberation_endorsement e WHERE e.comment_id = -k.item)
  ELSE (SELECT COALESCE(SUM(t.endorsements), 0) FROM deliberation_commentitemcount t
        WHERE t.item_id = k.item) END
FROM unnest(%s::bigint[]) AS k(item)
"""


def _kept_members(keys: list[int]) -> dict[int, tuple[list[int], int, int, int]]:
    """`_members_of` for a view read from the kept rows, in one statement whatever the size of
    the items (PostgreSQL): no pass over their comments beyond the first MAX_BULK of each."""
    with connection.cursor() as cursor:
        cursor.execute(KEPT_MEMBERS_SQL, [MAX_BULK - 1, keys])
        return {item: (ids, size, raised, endorsed)
                for item, ids, size, raised, endorsed in cursor.fetchall()}


def _full_comments(ids: list[int]) -> dict[int, Comment]:
    comments = (Comment.objects.filter(pk__in=ids)
                .select_related("author", "clause__draft", "vote", "disposition")
                .annotate(endorsement_count=endorsement_count()))
    return {c.pk: c for c in comments}


def _comment_queue(definition, scope, query: DeskQuery, now, groups: list, kept: dict,
                   sustained: int) -> tuple[list, Pager, list]:
    """The page of a comment queue: its items over the stored grouping (`similar_lead`, kept by
    `deliberation.discussion.grouping`), read from what the database keeps where it can
    (`_stored_items`) and grouped in SQL otherwise, then their comments. A comment the grouping
    has not reached yet is an item of its own, so a grouping that is behind never loses or counts
    twice a comment, it only shows it apart from its group until the job has run."""
    comments = _queue_comments(definition, scope, query, now, groups)
    options = _clause_options(definition, scope, comments, query, groups)
    if query.clause:
        comments = comments.filter(clause__key=query.clause)
    stored = _stored_items(definition, scope, query, comments, kept, sustained, groups)
    rows, pager = stored if stored is not None else _item_page(comments, query)
    keys = [row["item"] for row in rows]
    if not rows:
        members = {}
    elif stored is not None and not query.group and connection.vendor == "postgresql":
        members = _kept_members(keys)
    else:
        members = _members_of(_queue_comments(definition, scope, query, now, groups,
                                              scoped=False), query.queue, keys)
    full = _full_comments([pk for ids, *_ in members.values() for pk in ids[:MEMBERS_SHOWN]])
    items = [DeskItem(members=[full[pk] for pk in ids[:MEMBERS_SHOWN]], ids=ids,
                      groups=raised, support=endorsed, created_at=row["oldest"], size=size)
             for row in rows if row["item"] in members
             for ids, size, raised, endorsed in [members[row["item"]]]]
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
    groups = list(StakeholderGroup.objects.filter(definition=definition)
                  .order_by("position", "id"))
    options, kept = [], comment_counts.totals(_scope_clauses(definition, scope))
    counts = _counts(definition, scope, kept)
    sustained = counts.pop("sustained")
    if query.queue in COMMENT_QUEUES:
        items, pager, options = _comment_queue(definition, scope, query, now, groups, kept,
                                               sustained)
    else:
        items, pager = _other_queue(definition, scope, query, now)
    return DeskPage(
        query=query, open_draft=open_draft, scope=scope, drafts=drafts, groups=groups,
        days_left=_days_left(open_draft, now), counts=counts, items=items,
        pager=pager, clause_options=options, levels=_levels(open_draft))
