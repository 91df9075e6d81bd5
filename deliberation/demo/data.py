"""The script of the demo process that `manage.py seed_demo` plays through the services.

Only data lives here; `deliberation.demo.seed` reads it. People are named `<group>:<n>` (the
n-th member of a group), `applicant:<n>`, `facilitator`, `facilitator2` or `admin`; `developers:0`
is the known account `member`. The organisations and people are fictional.
"""

PASSWORD = "concord-demo"
SLUG = "demo-definition"
TITLE = "Open Data Commons Definition"
SUMMARY = (
    "What it takes for a data set to be called open data: the freedoms its recipients need, the "
    "form in which it must be shared and the conditions its terms may impose. A demonstration "
    "process with four stakeholder groups and three drafts."
)
SEED = 2024

STAFF = (  # username, display name, superuser
    ("admin", "Site Administrator", True),
    ("facilitator", "Ines Albrecht", False),
    ("facilitator2", "Tomasz Wrona", False),
)
GROUP_SIZES = {"developers": 24, "lawyers": 14, "legislators": 8, "companies": 14}
PENDING = (("developers", 0), ("companies", 1), ("legislators", 2))  # applicant:0..2
REJECTED = ("lawyers", 3)  # applicant:3
REJECTION_REASON = "We could not confirm the affiliation; please apply again with a work address."

FIRST_NAMES = (
    "Amara", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiroshi", "Ines", "Jonas",
    "Kavya", "Lukas", "Mei", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Sanjay", "Talia",
)
LAST_NAMES = (
    "Okafor", "Lindqvist", "Moreau", "Petrova", "Yilmaz", "Haddad", "Brennan", "Tanaka", "Ruiz",
    "Keller", "Nair", "Fischer", "Chen", "Volkov", "Adeyemi", "Raman", "Dubois", "Alvarez",
    "Mehta", "Cohen", "Novak", "Santos", "Berg", "Kowalski", "Ito", "Mensah", "Larsen", "Costa",
    "Weber", "Osei", "Marsh", "Kaur", "Varga",
)
AFFILIATIONS = {
    "developers": (
        "Tessellate Labs", "Open Harbor Collective", "Quillsoft", "Meridian Data Co-op",
        "Brightwater University, Computer Science", "Independent developer", "Foxglove Analytics",
        "Lattice Commons Foundation",
    ),
    "lawyers": (
        "Halden & Vo LLP", "Northgate Legal Clinic", "Commons Licensing Institute",
        "Ardent Counsel", "Marlowe Rights Advisory", "Independent counsel",
    ),
    "legislators": (
        "Eastmark Ministry of Digital Affairs", "Valloria Data Protection Authority",
        "Port Avery City Council", "Northern Union Parliament, Committee on Innovation",
        "Arrland Federal Statistics Office",
    ),
    "companies": (
        "Cobalt Cloud Inc.", "Verdant Maps", "Solenne Health Analytics", "Kestrel Mobility",
        "Juniper Retail Group", "Polaris Satellite Imaging", "Ledgerline Insurance",
    ),
}
CONFLICTS = {
    "developers": (
        "None.",
        "I maintain an open source library that loads public data sets.",
        "My employer sells support for tools that process open data.",
        "I receive a research grant that requires publishing open data.",
    ),
    "lawyers": (
        "I advise clients who publish and license data sets.",
        "None.",
        "I drafted two of the licences this definition may be applied to.",
    ),
    "legislators": (
        "I speak in a personal capacity, not for my office.",
        "My office is preparing rules on the reuse of public-sector data.",
    ),
    "companies": (
        "My company publishes data sets and would like them to qualify.",
        "My company builds products on third-party data.",
        "None beyond my employment.",
    ),
}

# Clauses of 0.1: key, parent key, heading, body, kind. Sections hold no text of their own.
CLAUSES = (
    ("preamble", None, "Preamble", "", "section"),
    ("why", "preamble", "",
     "Data shapes how research is done, how services are built and how public decisions are "
     "made. When data can be freely used, studied, changed and passed on, more people can check "
     "claims, improve tools and build on each other's work.", "paragraph"),
    ("scope", "preamble", "",
     "This definition applies to data sets published by any person or organisation, public or "
     "private, and to collections of data sets published together.", "paragraph"),
    ("what-is-open-data", None, "What is open data", "", "section"),
    ("open-data", "what-is-open-data", "",
     "Open data is data that anyone can freely access, use, modify and share for any purpose. "
     "Its recipients have the freedom to:", "paragraph"),
    ("use", "what-is-open-data", "Use",
     "**Use** the data for any purpose, including commercial purposes, without asking for "
     "permission or reporting what they do with it.", "item"),
    ("study", "what-is-open-data", "Study",
     "**Study** the data: examine how it was collected, what it covers and what it leaves out, "
     "and check it against other sources.", "item"),
    ("modify", "what-is-open-data", "Modify",
     "**Modify** the data for any purpose: correct it, combine it with other data, enrich it or "
     "take extracts from it.", "item"),
    ("share", "what-is-open-data", "Share",
     "**Share** the data, with or without modifications, with anyone and for any purpose.",
     "item"),
    ("preferred-form", None, "Preferred form for making modifications", "", "section"),
    ("preferred-form-data", "preferred-form", "",
     "The data must be made available in the form its publisher would use to modify it: the "
     "complete data set at the finest granularity the publisher holds, including raw records, "
     "not only aggregates or samples.", "paragraph"),
    ("documentation", "preferred-form", "",
     "The data must come with documentation of its fields and units, how it was collected, its "
     "known gaps and the period it covers.", "paragraph"),
    ("conditions", None, "Conditions the terms may impose", "", "section"),
    ("attribution", "conditions", "Attribution",
     "The terms may require users to credit the publisher when they share the data or works "
     "derived from it.", "item"),
    ("share-alike", "conditions", "Share-alike",
     "The terms may require that modified versions of the data be shared under the same terms "
     "as the original.", "item"),
    ("no-discrimination", "conditions", "No discrimination",
     "The terms must not discriminate against any person or group, nor restrict the use of the "
     "data in any field of endeavour.", "item"),
    ("checklist", None, "Checklist for publishers", "", "section"),
    ("checklist-licence", "checklist", "Licence",
     "The data is released under terms that grant the four freedoms.", "item"),
    ("checklist-access", "checklist", "Access",
     "The complete data set can be downloaded in bulk over the internet, without registration "
     "and at no cost.", "item"),
)

OPEN_DATA_02 = (
    "Open data is data made available under terms that let anyone, for any purpose and without "
    "asking permission, exercise the four freedoms below, together with the information needed "
    "to exercise them. Its recipients have the freedom to:"
)
CREDIT_02 = (
    "The terms may require anyone who shares the data, or a data set derived from it, to credit "
    "the original publisher in a reasonable manner, for example in a single notice."
)
PREFERRED_03 = (
    "The data must be made available in the form its publisher would use to modify it: the "
    "complete data set at the finest granularity the publisher holds, including raw records. "
    "Records whose publication the law forbids may be withheld if the documentation says which "
    "were withheld and why."
)
SHARE_PROPOSED = (
    "**Share** the data, in its original or modified form, with anyone and for any purpose, at "
    "no cost beyond a reasonable fee for the medium."
)

# Later drafts: each is made from the one before, then edited. A changed key is a rename.
REVISIONS = (
    {
        "version": "0.2",
        "changelog": (
            "- *Open data* now speaks of terms and of the information needed to exercise the "
            "freedoms.\n- *Scope* is folded into the preamble.\n- *Attribution* is renamed "
            "*Credit*; one notice suffices.\n- New clause on provenance.\n"
        ),
        "update": {
            "why": {"body": (
                "Data shapes how research is done, how services are built and how public "
                "decisions are made. When data can be freely used, studied, changed and passed on "
                "by anyone, whoever published it, more people can check claims, improve tools "
                "and build on each other's work.")},
            "open-data": {"body": OPEN_DATA_02},
            "modify": {"body": (
                "**Modify** the data for any purpose: correct it, combine it with other data, "
                "convert it to other formats, enrich it or take extracts from it.")},
            "attribution": {"key": "credit", "heading": "Credit", "body": CREDIT_02},
        },
        "delete": ("scope",),
        "add": (
            ("provenance", "preferred-form", "",
             "The publisher must state where the data came from, including the sources it was "
             "derived from and the processing applied to it.", "paragraph"),
        ),
    },
    {
        "version": "0.3",
        "changelog": (
            "- *Preferred form*: records the law forbids publishing may be withheld, with an "
            "account in the documentation.\n- *Share-alike* is removed: requiring it is a choice "
            "of licence, not a test of openness.\n- *No discrimination* is renamed *Any purpose*."
            "\n- New checklist item on provenance.\n"
        ),
        "update": {
            "preferred-form-data": {"body": PREFERRED_03},
            "documentation": {"body": (
                "The data must come with documentation of its fields and units, how it was "
                "collected, its known gaps, the period it covers and any records withheld.")},
            "no-discrimination": {"key": "any-purpose", "heading": "Any purpose", "body": (
                "The terms must not discriminate against any person or group, nor restrict the "
                "use of the data in any field of endeavour, including research and commerce.")},
        },
        "delete": ("share-alike",),
        "add": (
            ("checklist-provenance", "checklist", "Provenance",
             "A provenance statement accompanies every release of the data.", "item"),
        ),
    },
)
FIRST_CHANGELOG = "First public draft for comment."
OPEN_DAYS = 14

# Voting profiles: group -> (chance of voting, weights of support, accept, abstain, oppose).
PROFILES = {
    # The small groups turn out more, or their figures would rarely reach the quorum of 5.
    "broad": {"*": (0.45, (55, 30, 8, 7)), "developers": (0.35, (55, 30, 8, 7)),
              "lawyers": (0.55, (50, 30, 10, 10)), "legislators": (0.8, (50, 35, 10, 5))},
    "vague": {"*": (0.45, (25, 35, 10, 30)), "developers": (0.35, (30, 35, 10, 25)),
              "lawyers": (0.65, (10, 30, 10, 50)), "legislators": (0.8, (20, 40, 10, 30))},
    "contested": {
        "developers": (0.6, (70, 18, 4, 8)),
        "lawyers": (0.75, (8, 12, 8, 72)),
        "companies": (0.6, (20, 25, 10, 45)),
        "legislators": (0.8, (30, 30, 15, 25)),
    },
    "softening": {
        "developers": (0.6, (65, 22, 5, 8)),
        "lawyers": (0.75, (15, 25, 10, 50)),
        "companies": (0.65, (30, 30, 10, 30)),
        "legislators": (0.8, (35, 35, 15, 15)),
    },
    "split": {
        "*": (0.5, (35, 25, 15, 25)),
        "companies": (0.65, (10, 20, 10, 60)),
        "developers": (0.45, (50, 25, 10, 15)),
        "legislators": (0.8, (35, 25, 15, 25)),
    },
    "weak": {"*": (0.12, (45, 35, 10, 10))},
}
CLAUSE_PROFILES = {  # clause key -> profile; any other clause with text is "broad"
    "preferred-form-data": "contested",
    "share-alike": "split",
    "checklist-licence": "weak",
    "checklist-access": "weak",
    "checklist-provenance": "weak",
}
VERSION_PROFILES = {("0.1", "open-data"): "vague", ("0.3", "preferred-form-data"): "softening"}
OPPOSE_REASONS = {
    "open-data": (
        "“Freely” is ambiguous: free of charge, or free of restrictions?",
        "This says nothing about the terms; a data set can be downloadable and still closed.",
    ),
    "preferred-form-data": (
        "Raw records often contain personal data; publishing them is unlawful in many places.",
        "Our raw records include licensed third-party data we cannot redistribute.",
        "Finest granularity makes re-identification trivial for small populations.",
    ),
    "share-alike": (
        "Share-alike terms make the data unusable next to most proprietary data.",
        "Whether to require share-alike is a licensing choice, not part of what open means.",
    ),
}
GENERIC_REASONS = (
    "The wording is too broad to be tested in practice.",
    "This duplicates what another clause already says.",
    "I would rather see this as guidance than as a requirement.",
)

# Votes cast on purpose after the others: ref, person, clause, position, rationale.
SCRIPTED_VOTES = {
    "0.2": (
        ("block-credit", "companies:1", "credit", "block",
         "A credit requirement on every derived data set is unworkable when a product combines "
         "thousands of sources; we cannot accept a definition that allows it."),
    ),
    "0.3": (
        ("block-share", "companies:4", "share", "block",
         "“For any purpose” without a word on fees would forbid charging for physical media; "
         "we cannot support that as written."),
        ("block-preferred", "lawyers:0", "preferred-form-data", "block",
         "Even with the exception, “finest granularity” still requires publishing pseudonymised "
         "records, which remain personal data under data protection law. A definition that "
         "only unlawful publishers can meet cannot be adopted."),
    ),
}
# Objections from the random votes that the dispositions below answer: ref, clause, nth.
NAMED_OBJECTIONS = {
    "0.1": (("objection-open-data", "open-data", 0),),
    "0.2": (("objection-preferred", "preferred-form-data", 0),
            ("objection-share-alike", "share-alike", 0)),
}

# Comments per draft, posted while it is open. Optional: parent, quote, proposed_text,
# endorsed_by, flagged_by (person, reason), hidden (reason, by).
COMMENTS = {
    "0.1": (
        {"ref": "q-anyone", "by": "lawyers:1", "on": "open-data", "kind": "question",
         "quote": "anyone can freely access",
         "body": "Does “anyone” include people in countries under sanctions? A publisher bound by "
                 "export rules cannot promise that."},
        {"ref": "r-anyone", "by": "developers:2", "on": "open-data", "parent": "q-anyone",
         "body": "Isn't that a restriction of the law rather than of the terms? Open source "
                 "licences have the same issue and nobody calls them closed."},
        {"by": "lawyers:1", "on": "open-data", "parent": "r-anyone",
         "body": "Fair, but then the text should say it is about the terms. Right now it reads "
                 "as a promise about the world."},
        {"ref": "s-open-data", "by": "member", "on": "open-data", "kind": "suggestion",
         "body": "Make the definition about the terms and add the information needed to use "
                 "the data, which is the part publishers tend to forget.",
         "proposed_text": OPEN_DATA_02,
         "endorsed_by": ("developers:3", "lawyers:1", "companies:0")},
        {"ref": "s-attribution", "by": "companies:0", "on": "attribution", "kind": "suggestion",
         "quote": "credit the publisher",
         "body": "Attribution stacking is a real problem when you merge hundreds of sources. "
                 "Allow one notice for all of them.",
         "proposed_text": CREDIT_02, "endorsed_by": ("companies:2", "developers:5")},
        {"ref": "c-scope", "by": "legislators:0", "on": "scope",
         "body": "This repeats the preamble. Could it be folded into it?"},
        {"ref": "c-access", "by": "developers:5", "on": "checklist-access",
         "quote": "without registration",
         "body": "Some portals need an API key only to rate-limit. Does that count as "
                 "registration?"},
    ),
    "0.2": (
        {"ref": "s-preferred", "by": "lawyers:2", "on": "preferred-form-data",
         "kind": "suggestion",
         "body": "Allow publishers to withhold what the law forbids them to publish, and ask them "
                 "to say what they withheld.",
         "proposed_text": (
             "The data must be made available in the form its publisher would use to modify "
             "it, except records whose publication the law forbids."),
         "endorsed_by": ("lawyers:4", "lawyers:5", "legislators:1", "companies:6")},
        {"ref": "c-share-alike", "by": "companies:2", "on": "share-alike",
         "body": "Share-alike is a perfectly good licence, but whether a licence requires it "
                 "says nothing about whether the data is open. It does not belong here."},
        {"ref": "c-share-alike-2", "by": "companies:5", "on": "share-alike",
         "body": "Same concern as others: this is a licensing preference, not a criterion."},
        {"ref": "q-provenance", "by": "legislators:2", "on": "provenance", "kind": "question",
         "quote": "the processing applied to it",
         "body": "How detailed must this be? A statistics office applies hundreds of steps."},
        {"ref": "r-provenance", "by": "developers:3", "on": "provenance",
         "parent": "q-provenance",
         "body": "Enough that someone could redo it, I would say. A link to the scripts "
                 "would do."},
        {"by": "facilitator", "on": "provenance", "parent": "r-provenance",
         "body": "Noted for the next draft. Reproducibility is a higher bar than the clause "
                 "sets today; we will ask the groups whether they want it."},
        {"ref": "s-provenance", "by": "legislators:3", "on": "provenance", "kind": "suggestion",
         "body": "Name the standard to use, so that statements can be compared.",
         "proposed_text": (
             "The publisher must state where the data came from in a provenance statement "
             "following the W3C PROV model.")},
    ),
    "0.3": (
        {"ref": "q-granularity", "by": "legislators:1", "on": "preferred-form-data",
         "kind": "question", "quote": "finest granularity",
         "body": "Is the finest granularity the publisher holds, or the finest it could lawfully "
                 "publish? The exception seems to answer this only half way."},
        {"ref": "r-granularity", "by": "member", "on": "preferred-form-data",
         "parent": "q-granularity",
         "body": "The one it holds; the exception then carves out what it may not publish. "
                 "Otherwise a publisher could aggregate everything and call it lawful."},
        {"ref": "r-granularity-2", "by": "lawyers:2", "on": "preferred-form-data",
         "parent": "r-granularity",
         "body": "Then the exception has to carry all the weight, and it only covers what the "
                 "law forbids, not what contracts forbid."},
        {"by": "member", "on": "preferred-form-data", "parent": "r-granularity-2",
         "body": "Contracts are a choice of the publisher. The law is not. That is the line."},
        {"ref": "s-share", "by": "developers:4", "on": "share", "kind": "suggestion",
         "body": "Say plainly that a fee for the medium is fine; the block on this clause is "
                 "about that.",
         "proposed_text": SHARE_PROPOSED,
         "endorsed_by": ("developers:1", "developers:6", "developers:8", "lawyers:5",
                         "companies:4", "companies:7", "legislators:0", "member")},
        {"ref": "s-documentation", "by": "lawyers:3", "on": "documentation",
         "kind": "suggestion",
         "body": "Ask for the licence of each source too; it is part of knowing the data.",
         "proposed_text": (
             "The data must come with documentation of its fields and units, how it was "
             "collected, the terms of each source, its known gaps, the period it covers and any "
             "records withheld."),
         "endorsed_by": ("lawyers:6", "developers:9", "companies:3")},
        {"ref": "c-provenance-dup", "by": "companies:8", "on": "checklist-provenance",
         "body": "Could provenance be one statement per data set rather than per release?"},
        {"ref": "c-provenance-dup-2", "by": "developers:11", "on": "checklist-provenance",
         "body": "Same question: one provenance statement per data set should be enough."},
        {"ref": "c-heated", "by": "companies:3", "on": "preferred-form-data",
         "body": "This clause was written by people who have never had to answer to a regulator.",
         "flagged_by": ("developers:6", "Personal tone, not about the text.")},
        {"ref": "c-ad", "by": "applicant:0", "on": "use",
         "body": "Tired of hosting costs? DataHoard stores any data set for free. Sign up today!",
         "flagged_by": ("developers:7", "Advertising."),
         "hidden": ("Advertising unrelated to the clause.", "facilitator2")},
        {"by": "applicant:1", "on": "study",
         "body": "From a company's side: studying the data is often impossible without the "
                 "collection protocol. Good that the documentation clause asks for it."},
    ),
}

# Dispositions, recorded once the next draft exists: ref, status, response, addressed in,
# acknowledgement by the author (satisfied, note) or None.
DISPOSITIONS = {
    "0.1": (
        ("s-open-data", "accepted", "Applied in 0.2.", "0.2",
         (True, "Thank you, this reads much better.")),
        ("s-attribution", "accepted", "Applied in 0.2; the clause is renamed Credit.", "0.2",
         (True, "")),
        ("c-scope", "accepted", "Folded into the preamble in 0.2.", "0.2", None),
        ("q-anyone", "out-of-scope",
         "The definition judges the terms; restrictions imposed by law apply to every "
         "publisher and are outside it. 0.2 says so explicitly.", "0.2",
         (False, "Then say it in a footnote, not only in a disposition.")),
        ("c-access", "deferred",
         "We will settle the checklist once the core text is stable.", None, None),
        ("objection-open-data", "accepted",
         "0.2 defines open data by the terms under which it is released.", "0.2", None),
    ),
    "0.2": (
        ("s-preferred", "partially-accepted",
         "0.3 lets publishers withhold records the law forbids them to publish, and asks them "
         "to account for them; it keeps the finest granularity.", "0.3",
         (False, "The granularity requirement is the problem; the exception does not fix it.")),
        ("c-share-alike", "accepted", "Share-alike is removed in 0.3.", "0.3",
         (True, "Thanks.")),
        ("c-share-alike-2", "duplicate", "Same point as the comment answered above.", None,
         None),
        ("s-provenance", "declined",
         "Naming one model would exclude publishers who document provenance well in other "
         "ways; the checklist asks for a statement instead.", None,
         (False, "Comparable statements matter more than flexibility here.")),
        ("block-credit", "overruled",
         "Three of four groups support the clause. 0.2 already lets a single notice credit "
         "every source, which answers the scale argument; the block is overruled.", None,
         (False, "We will raise it again at the final review.")),
        ("objection-preferred", "partially-accepted",
         "0.3 adds an exception for records the law forbids publishing.", "0.3", None),
        ("objection-share-alike", "accepted", "Share-alike is removed in 0.3.", "0.3", None),
    ),
    "0.3": (
        ("block-share", "resolved",
         "The suggestion on this clause allows a fee for the medium; it will be applied in the "
         "next draft, and the author of the block agreed.", None,
         (True, "Agreed, with the wording of the suggestion.")),
        ("s-documentation", "accepted", "We will apply this in the next draft.", None, None),
        ("c-provenance-dup-2", "duplicate", "Same question as the comment above.", None, None),
    ),
}
