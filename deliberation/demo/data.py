"""The script of the demo process that `manage.py seed_demo` plays through the services.

The texts are the real Open Source AI Definition drafts 0.0.8, 0.0.9 and 1.0-RC1 (copies in
`deliberation/demo/osaid/`, CC BY 4.0, (c) Open Source Initiative, opensource.org), imported one
after the other with key matching. The people, their organisations and everything they say are
invented.

Only data lives here; `deliberation.demo.seed` reads it. People are named `<group>:<n>` (the
n-th member of a group), `applicant:<n>`, `facilitator`, `facilitator2` or `admin`;
`developers:0` is the known account `member`. Clauses are named by the short aliases of `KEYS`.
Times are days since the start of the process, which began `DAYS` days before the seed runs.
"""

from pathlib import Path

PASSWORD = "concord-demo"
SLUG = "open-source-ai-definition"
TITLE = "Open Source AI Definition"
SUMMARY = (
    "What it takes for an AI system to be called open source: the four freedoms, and the "
    "preferred form in which its data information, code and parameters must be made available. "
    "The real drafts 0.0.8, 0.0.9 and 1.0-RC1 of the Open Source Initiative (CC BY 4.0, "
    "(c) Open Source Initiative, opensource.org), deliberated by invented people: a demonstration."
)
SEED = 2024
DAYS = 84  # the process started twelve weeks ago; the open draft closes three weeks from now
CLOSES_IN_DAYS = 21

_HERE = Path(__file__).resolve().parent
# This module moves to demo/data.py (issue #12): the copies are beside it then.
CORPUS = _HERE / "osaid"

STAFF = (  # username, display name, superuser
    ("admin", "Site Administrator", True),
    ("facilitator", "Ines Albrecht", False),
    ("facilitator2", "Tomasz Wrona", False),
)
GROUP_SIZES = {"developers": 22, "lawyers": 16, "legislators": 12, "companies": 18}
LATE_JOINERS = 2  # the last members of each group join while 0.0.9 is open (days 33 to 40)
PENDING = (("developers", 81), ("companies", 82), ("legislators", 83))  # applicant:0..2, day
REJECTED = ("lawyers", 12)  # applicant:3, day applied
REJECTION_REASON = "We could not confirm the affiliation; please apply again with a work address."
REVOKED = ("companies:9", 70, (
    "Did not disclose that their employer funds one of the model releases discussed here; "
    "their votes on the open draft no longer count."))

FIRST_NAMES = (
    "Amara", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiroshi", "Ines", "Jonas",
    "Kavya", "Lukas", "Mei", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Sanjay", "Talia",
    "Ulla", "Vikram", "Wen", "Yara", "Zeynep",
)
LAST_NAMES = (
    "Okafor", "Lindqvist", "Moreau", "Petrova", "Yilmaz", "Haddad", "Brennan", "Tanaka", "Ruiz",
    "Keller", "Nair", "Fischer", "Chen", "Volkov", "Adeyemi", "Raman", "Dubois", "Alvarez",
    "Mehta", "Cohen", "Novak", "Santos", "Berg", "Kowalski", "Ito", "Mensah", "Larsen", "Costa",
    "Weber", "Osei", "Marsh", "Kaur", "Varga", "Sato", "Okonkwo", "Bianchi", "Ferreira",
    "Holm", "Nakamura",
)
AFFILIATIONS = {
    "developers": (
        "Tessellate Labs", "Open Harbor Collective", "Quillsoft", "Brightwater University, "
        "Machine Learning Group", "Independent developer", "Foxglove Analytics",
        "Lattice Commons Foundation", "Northwind Open Models", "Cinder Inference Project",
    ),
    "lawyers": (
        "Halden & Vo LLP", "Northgate Legal Clinic", "Commons Licensing Institute",
        "Ardent Counsel", "Marlowe Rights Advisory", "Independent counsel",
        "University of Eastmark, Law Faculty",
    ),
    "legislators": (
        "Eastmark Ministry of Digital Affairs", "Valloria Data Protection Authority",
        "Northern Union Parliament, Committee on Innovation", "Arrland AI Office",
        "Port Avery City Council", "Valloria Standards Board",
    ),
    "companies": (
        "Cobalt Cloud Inc.", "Verdant Models", "Solenne Health Analytics", "Kestrel Robotics",
        "Juniper Search", "Polaris Vision Systems", "Ledgerline Insurance", "Aster Chips",
    ),
}
CONFLICTS = {
    "developers": (
        "None.",
        "I maintain an open source training library.",
        "My employer sells support for open models.",
        "I release fine-tuned models on a public hub.",
        "My research is funded by a grant that requires open releases.",
    ),
    "lawyers": (
        "I advise clients who release models and data sets.",
        "None.",
        "I drafted two licences this definition may be applied to.",
        "My firm represents rights holders in text-and-data-mining disputes.",
    ),
    "legislators": (
        "I speak in a personal capacity, not for my office.",
        "My office is preparing rules that refer to open source AI.",
        "None.",
    ),
    "companies": (
        "My company releases model weights and would like them to qualify.",
        "My company builds products on third-party models.",
        "None beyond my employment.",
        "My company licenses training data to model developers.",
    ),
}

# Short names of the clauses. Keys come from the importer and stay the same across versions.
_FORM = "preferred-form-make"
_WEIGHTS = "open-source-models-open"
KEYS = {
    "note": "front-1",
    "why": "need-open-source-1",
    "why-2": "need-open-source-2",
    "system": "open-source-ai-1-2",
    "what": "open-source-ai-1",
    "use": "open-source-ai-use",
    "study": "open-source-ai-study",
    "modify": "open-source-ai-modify",
    "share": "open-source-ai-share",
    "precondition": "open-source-ai-2",
    "form": f"{_FORM}-1",
    "data": f"{_FORM}-data-information",
    "code": f"{_FORM}-code",
    "model": f"{_FORM}-model",
    "terms": f"{_FORM}-2",
    "ml-systems": f"{_WEIGHTS}-1",
    "ai-model": f"{_WEIGHTS}-2",
    "ai-weights": f"{_WEIGHTS}-ai-weights",
    "weights-form": f"{_WEIGHTS}-3",
    "def-system": "definitions-1",
    "def-ml": "definitions-2",
    "checklist-note": "checklist-evaluate-1",
    "components-note": "table-default-required-15",
    **{f"row-{n}": f"table-default-required-{n}" for n in range(1, 35)},
}

# The drafts in order: file, version, day imported, day published, day the period ends (the
# last is the open draft: it ends CLOSES_IN_DAYS after today), changelog.
DRAFTS = (
    ("osaid-0.0.8.md", "0.0.8", 5, 7, 28,
     "First draft discussed here: the four freedoms, the preferred form for machine learning "
     "systems (data information, code, model), and the checklist of required and optional "
     "components from the Model Openness Framework."),
    ("osaid-0.0.9.md", "0.0.9", 29, 31, 52,
     "- The checklist moves to a separate document.\n- *Data information* and *Code* must be "
     "available under OSD-compliant or OSI-approved terms.\n- *Model* becomes *Weights*, under "
     "OSI-approved terms.\n- New: what a *system* is, and a section on Open Source models and "
     "weights."),
    ("osaid-1.0-RC1.md", "1.0-RC1", 53, 63, None,
     "- *Data Information*: a skilled person must be able to build a substantially equivalent "
     "system.\n- *Code* must be complete and specify how the data was processed.\n- *Weights* "
     "become *Parameters*.\n- New: the terms must not restrict the freedoms; definitions of AI "
     "system and machine learning."),
)

# Voting profiles: group -> (chance of voting, weights of support, accept, abstain, oppose).
# "*" is every group not named. Small groups turn out more, or they would rarely be quorate.
PROFILES = {
    "broad": {"*": (0.5, (50, 32, 8, 10)), "legislators": (0.7, (45, 38, 10, 7))},
    "freedoms": {"*": (0.6, (72, 20, 4, 4)), "legislators": (0.75, (60, 30, 6, 4))},
    "weak": {"*": (0.16, (40, 35, 15, 10)), "legislators": (0.3, (35, 40, 15, 10))},
    "row": {"*": (0.22, (45, 30, 10, 15)), "legislators": (0.35, (40, 35, 15, 10))},
    "row-data": {  # training data only "appreciated": the open-data camp objects
        "developers": (0.45, (15, 15, 5, 65)), "lawyers": (0.3, (35, 35, 15, 15)),
        "legislators": (0.45, (25, 35, 20, 20)), "companies": (0.4, (60, 30, 5, 5)),
    },
    "data-0.0.8": {
        "developers": (0.7, (15, 15, 5, 65)), "lawyers": (0.65, (25, 25, 15, 35)),
        "legislators": (0.75, (25, 30, 15, 30)), "companies": (0.65, (55, 30, 5, 10)),
    },
    "data-0.0.9": {
        "developers": (0.7, (18, 17, 5, 60)), "lawyers": (0.65, (35, 30, 10, 25)),
        "legislators": (0.75, (30, 35, 15, 20)), "companies": (0.65, (55, 35, 5, 5)),
    },
    "data-1.0-RC1": {
        "developers": (0.7, (25, 20, 5, 50)), "lawyers": (0.65, (45, 35, 10, 10)),
        "legislators": (0.75, (45, 40, 10, 5)), "companies": (0.65, (60, 32, 4, 4)),
    },
    "model-0.0.8": {
        "developers": (0.55, (35, 30, 10, 25)), "lawyers": (0.6, (15, 20, 15, 50)),
        "legislators": (0.7, (30, 35, 15, 20)), "companies": (0.55, (40, 35, 10, 15)),
    },
    "weights": {
        "developers": (0.55, (50, 35, 5, 10)), "lawyers": (0.6, (45, 35, 10, 10)),
        "legislators": (0.7, (40, 45, 10, 5)), "companies": (0.55, (35, 40, 5, 20)),
    },
    "code-thin": {"*": (0.5, (35, 40, 10, 15)), "developers": (0.6, (30, 35, 5, 30))},
    "code-complete": {"*": (0.5, (55, 33, 6, 6)), "developers": (0.65, (68, 24, 4, 4)),
                      "companies": (0.5, (40, 42, 8, 10)), "legislators": (0.7, (50, 40, 8, 2))},
    "terms": {"*": (0.45, (45, 35, 10, 10)), "lawyers": (0.75, (55, 30, 5, 10)),
              "companies": (0.5, (25, 40, 10, 25)), "legislators": (0.7, (45, 40, 10, 5))},
    "oecd": {"*": (0.4, (40, 40, 12, 8)), "legislators": (0.85, (80, 15, 5, 0))},
}
DEFAULT_PROFILE = "broad"
PLAN = {  # version -> alias -> profile (clauses not named vote "broad")
    "0.0.8": {
        **{f: "freedoms" for f in ("use", "study", "modify", "share")},
        "note": "weak", "checklist-note": "weak", "components-note": "weak",
        "data": "data-0.0.8", "code": "code-thin", "model": "model-0.0.8",
        **{f"row-{n}": "row" for n in range(1, 35)},
        **{f"row-{n}": "weak" for n in (1, 7, 12, 16, 25, 28, 32)},  # the sub-headings
        "row-17": "row-data", "row-18": "row-data",
    },
    "0.0.9": {
        **{f: "freedoms" for f in ("use", "study", "modify", "share")},
        "note": "weak", "data": "data-0.0.9", "code": "code-thin", "model": "weights",
        "system": "oecd",
    },
    "1.0-RC1": {
        **{f: "freedoms" for f in ("use", "study", "modify", "share")},
        "data": "data-1.0-RC1", "code": "code-complete", "model": "weights",
        "terms": "terms", "system": "oecd", "def-system": "oecd", "def-ml": "oecd",
    },
}
# A voter who voted on a clause before votes on it again with this chance; on an unchanged text
# they keep their position with STICK, on a changed one they weigh it afresh (the profile).
RETURN = 0.85
STICK = 0.9
OPEN_TURNOUT = 0.75  # the open draft's period is half over: fewer have voted yet

OPPOSE_REASONS = {  # by clause alias, or "alias@version" where the text changed the argument
    "data": (
        "Without the training data itself nobody can study or modify the system; information "
        "about the data is not the preferred form.",
        "“Same or similar data” lets a developer keep the data secret and still call the model "
        "open source.",
        "A skilled person cannot recreate anything from a description of data they cannot get.",
        "This wording will be read as permission to withhold data that could be shared.",
    ),
    "data@1.0-RC1": (
        "Without the training data itself nobody can study or modify the system; information "
        "about the data is not the preferred form.",
        "“Substantially equivalent” cannot be checked by anyone who cannot get the data.",
        "Unshareable data is still allowed: a model trained on it can be called open source.",
        "A listing of where data can be bought is not access to the data.",
    ),
    "model": (
        "Parameters may not be covered by copyright at all; saying nothing about the terms makes "
        "this untestable.",
        "“The model parameters” without any terms says nothing about what recipients may do.",
    ),
    "code": (
        "The code used to process and filter the data must be included, or the data "
        "information cannot be checked.",
        "“Used to train and run” is too narrow: the data pipeline is code too.",
    ),
    "terms": (
        "“OSI-approved terms” for parameters does not exist yet; we are asked to approve a "
        "reference to nothing.",
        "This lets the OSI decide later what the definition means.",
    ),
    "row-17": (
        "Training data sets cannot be optional in a definition of open source AI.",
        "Making training data optional removes the freedom to study.",
    ),
    "row-18": ("Testing data is needed to verify any claim about the model.",),
}
GENERIC_REASONS = (
    "The wording is too broad to be tested in practice.",
    "This duplicates what another clause already says.",
    "I would rather see this as guidance than as a requirement.",
    "The term is not defined anywhere in the draft.",
)

# Votes cast on purpose after the others: ref, day, person, clause, position, rationale.
SCRIPTED_VOTES = {
    "0.0.8": (
        ("block-model", 12, "lawyers:2", "model", "block",
         "“The model parameters” with no word on the terms they come under makes this clause "
         "meaningless: parameters may not be copyrightable, so a licence alone may not grant "
         "anything. We cannot accept a definition whose central component is untestable."),
    ),
    "0.0.9": (
        ("block-data-0.0.9", 36, "developers:3", "data", "block",
         "The freedom to study requires the training data. Information about the data, with "
         "“the same or similar data”, lets any developer keep the data secret and still call "
         "the system open source. This defeats the purpose of the definition."),
    ),
    "1.0-RC1": (
        ("block-data-rc1", 66, "developers:3", "data", "block",
         "RC1 drops “the same or similar data” but still does not require the data. A model "
         "trained on undisclosed data can still be called open source; my objection stands."),
        ("member-use", 65, "member", "use", "support", ""),
        ("member-study", 65, "member", "study", "support", ""),
    ),
}
# Objections from the random votes that dispositions answer: ref, clause, nth (by id).
NAMED_OBJECTIONS = {
    "0.0.8": (("objection-data-0.0.8", "data", 0), ("objection-code-0.0.8", "code", 0),
              ("objection-row-17", "row-17", 0)),
    "0.0.9": (("objection-data-0.0.9", "data", 1), ("objection-code-0.0.9", "code", 0)),
    "1.0-RC1": (("objection-terms", "terms", 0),),
}

DATA_RC1_PROPOSED = (
    "- **Data Information**: Sufficiently detailed information about the data used to train the "
    "system so that a skilled person can build a substantially equivalent system. Data "
    "Information shall be made available under OSI-approved terms."
)
CODE_RC1_PROPOSED = (
    "- **Code**: The complete source code used to train and run the system, including the code "
    "used to process and filter the data, made available with OSI-approved licenses."
)

# Comments per draft, by day: ref, day, by, on (clause alias), body; optional kind, parent,
# quote, proposed_text, endorsed_by, flagged_by (person, reason), hidden (reason, by).
COMMENTS = {
    "0.0.8": (
        {"ref": "q-similar", "day": 9, "by": "lawyers:1", "on": "data", "kind": "question",
         "quote": "using the same or similar data",
         "body": "Who decides what “similar” data is? A court will ask, and the text gives no "
                 "test."},
        {"ref": "r-similar", "day": 10, "by": "developers:5", "on": "data", "parent": "q-similar",
         "body": "Nobody, which is the problem. Without the data itself, “similar” is whatever "
                 "the developer says it is."},
        {"day": 10, "by": "companies:2", "on": "data", "parent": "r-similar",
         "body": "Much training data cannot be shared legally: medical records, licensed text. "
                 "Requiring it would leave only toy models open source."},
        {"day": 11, "by": "developers:5", "on": "data", "parent": "r-similar",
         "body": "Then those models are not open source. That is allowed; not everything has to "
                 "be."},
        {"ref": "c-checklist", "day": 13, "by": "legislators:1", "on": "checklist-note",
         "body": "Regulators will read this checklist as the definition. If it is guidance, it "
                 "should live in a separate document."},
        {"ref": "s-model", "day": 14, "by": "lawyers:4", "on": "model", "kind": "suggestion",
         "quote": "The model parameters.",
         "body": "Say under which terms the parameters must be available, as the other two "
                 "components do.",
         "proposed_text": "- **Weights:** The model weights and parameters, made available "
                          "under OSI-approved terms.",
         "endorsed_by": ("lawyers:2", "lawyers:6", "developers:7", "companies:4")},
        {"ref": "c-row-17", "day": 15, "by": "developers:8", "on": "row-17",
         "body": "Listing training data sets as “appreciated” is the whole debate in one row. "
                 "The freedom to study needs them."},
        {"ref": "q-precondition", "day": 16, "by": "legislators:4", "on": "precondition",
         "kind": "question", "quote": "preferred form",
         "body": "Is the preferred form the same for a model that is only fine-tuned? Our draft "
                 "regulation will need to say."},
        {"ref": "c-why", "day": 18, "by": "companies:6", "on": "why",
         "body": "Good preamble. It would help to say that open source AI also lowers the cost "
                 "of compliance for small companies."},
        {"ref": "c-code", "day": 20, "by": "developers:11", "on": "code",
         "body": "Data filtering scripts are code too, and they decide what the model learns. "
                 "They should be named here."},
        {"ref": "c-spam", "day": 22, "by": "applicant:3", "on": "use",
         "body": "Train your own LLM in minutes with our no-code platform — free trial!",
         "flagged_by": ("developers:9", "Advertising."),
         "hidden": ("Advertising unrelated to the clause.", "facilitator2")},
    ),
    "0.0.9": (
        {"ref": "s-data", "day": 34, "by": "lawyers:5", "on": "data", "kind": "suggestion",
         "quote": "using the same or similar data",
         "body": "Drop “the same or similar data”: ask for enough to build a substantially "
                 "equivalent system, which is testable.",
         "proposed_text": DATA_RC1_PROPOSED,
         "endorsed_by": ("lawyers:1", "lawyers:7", "legislators:2", "legislators:5",
                         "companies:2", "developers:6")},
        {"ref": "r-data", "day": 35, "by": "developers:3", "on": "data", "parent": "s-data",
         "body": "Better than today, but it still does not require the data. I will keep "
                 "objecting."},
        {"ref": "s-code", "day": 37, "by": "developers:11", "on": "code", "kind": "suggestion",
         "body": "Name the data processing code, as I asked on 0.0.8.",
         "proposed_text": CODE_RC1_PROPOSED,
         "endorsed_by": ("developers:1", "developers:4", "developers:12", "lawyers:3")},
        {"ref": "q-system", "day": 38, "by": "lawyers:8", "on": "system", "kind": "question",
         "quote": "the requirements are the same, whether applied to a system, a model, "
                  "weights and parameters, or other structural elements",
         "body": "Does this mean a single component, say the weights alone, can be open source "
                 "AI?"},
        {"day": 39, "by": "legislators:2", "on": "system", "parent": "q-system",
         "body": "I read it as: the freedoms apply to each element too. Following the OECD "
                 "wording helps us a lot; please keep it."},
        {"ref": "c-weights", "day": 41, "by": "companies:5", "on": "ai-weights",
         "body": "“Open weights” is already used in the market for releases under restrictive "
                 "licences. This section should say they are not the same thing."},
        {"ref": "c-weights-2", "day": 43, "by": "companies:11", "on": "ai-weights",
         "body": "Agree with the comment above: the difference between open weights and open "
                 "source weights must be explicit."},
        {"ref": "c-heated", "day": 45, "by": "developers:14", "on": "data",
         "body": "This clause was written for the companies that fund the process.",
         "flagged_by": ("companies:2", "Attacks people, not the text.")},
    ),
    "1.0-RC1": (
        {"ref": "q-equivalent", "day": 65, "by": "legislators:6", "on": "data",
         "kind": "question", "quote": "substantially equivalent system",
         "body": "How would an auditor check “substantially equivalent”? We need a test we can "
                 "refer to."},
        {"ref": "r-equivalent", "day": 66, "by": "member", "on": "data", "parent": "q-equivalent",
         "body": "Train it again with the information and the code, and compare on the published "
                 "evaluations. That is what the Code clause now makes possible."},
        {"day": 67, "by": "lawyers:5", "on": "data", "parent": "r-equivalent",
         "body": "Which only works when the data can be obtained. For unshareable data the "
                 "information is all there is; the FAQ should say so."},
        {"ref": "c-terms", "day": 68, "by": "companies:7", "on": "terms",
         "body": "Which terms will the OSI approve for parameters? Approving this clause means "
                 "signing a blank cheque."},
        {"ref": "s-terms", "day": 70, "by": "lawyers:10", "on": "terms", "kind": "suggestion",
         "body": "Say what the terms must not do, so that the clause stands on its own.",
         "proposed_text": "The licensing or other terms applied to these elements and to any "
                          "combination of them must not restrict any of the four freedoms.",
         "endorsed_by": ("lawyers:1", "companies:7", "companies:3", "legislators:1")},
        {"ref": "c-oecd", "day": 72, "by": "legislators:3", "on": "def-system",
         "body": "Thank you for using the OECD definition. It is the one our law refers to."},
        {"ref": "c-code", "day": 74, "by": "developers:11", "on": "code",
         "body": "This is what we asked for. Support."},
        {"day": 79, "by": "companies:14", "on": "share",
         "body": "No change here since 0.0.8, and none needed."},
    ),
}

DUPLICATE_OF = {"c-weights-2": "c-weights", "objection-row-17": "c-row-17"}

# Dispositions, recorded on the day given (after the draft closed, except for the open one):
# ref, day, status, response, addressed in, acknowledgement (day, satisfied, note) or None.
DISPOSITIONS = {
    "0.0.8": (
        ("block-model", 30, "resolved",
         "0.0.9 renames the component Weights and requires them under OSI-approved terms, as "
         "the suggestion on this clause proposed.", "0.0.9",
         (33, True, "That answers it; thank you.")),
        ("s-model", 30, "accepted", "Applied in 0.0.9.", "0.0.9", (32, True, "")),
        ("c-checklist", 29, "accepted",
         "The checklist moves to a separate document in 0.0.9.", "0.0.9", None),
        ("q-similar", 30, "deferred",
         "The working groups are still discussing how to make this testable; see the next "
         "draft.", None, None),
        ("c-row-17", 31, "declined",
         "The co-design votes did not find training data sets required by most reviewers; the "
         "definition asks for data information instead.", None,
         (32, False, "Voting on components was the wrong method for this question.")),
        ("objection-data-0.0.8", 31, "declined",
         "Requiring all training data would exclude models trained on data that cannot be "
         "shared legally. 0.0.9 requires data information under OSD-compliant terms.", "0.0.9",
         None),
        ("objection-code-0.0.8", 31, "deferred", "We will look at this with the Code clause in "
         "0.0.9.", None, None),
        ("c-why", 29, "out-of-scope",
         "A good point for the FAQ rather than the definition.", None, None),
        ("objection-row-17", 31, "duplicate", "Same point as the comment on this row.", None,
         None),
    ),
    "0.0.9": (
        ("block-data-0.0.9", 54, "overruled",
         "Three of the four groups approve the clause and the suggestion applied in 1.0-RC1 "
         "makes it testable. Requiring the data itself would exclude systems trained on data "
         "that cannot be shared; the block is overruled, with the reasons in the FAQ.",
         "1.0-RC1", (55, False, "Overruling a block is not consensus. I will object to RC1.")),
        ("s-data", 53, "accepted", "Applied in 1.0-RC1.", "1.0-RC1", (56, True, "Thank you.")),
        ("s-code", 53, "accepted", "Applied in 1.0-RC1, in slightly different words.",
         "1.0-RC1", (57, True, "The new wording is even better.")),
        ("c-weights", 54, "partially-accepted",
         "The FAQ will explain the difference; the definition itself stays short.", None,
         (58, False, "The market confusion is the reason it belongs in the text.")),
        ("c-weights-2", 54, "duplicate", "Same point as the comment above.", None, None),
        ("q-system", 55, "resolved", "Answered in the thread; the OECD wording stays.", None,
         None),
        ("objection-data-0.0.9", 55, "partially-accepted",
         "1.0-RC1 drops “the same or similar data”.", "1.0-RC1", None),
        ("objection-code-0.0.9", 55, "accepted",
         "1.0-RC1 requires the complete code, including data processing.", "1.0-RC1", None),
    ),
    "1.0-RC1": (
        ("c-oecd", 73, "resolved", "Thank you; the definition follows the OECD text.", None,
         None),
        ("objection-terms", 76, "deferred",
         "The OSI will publish the approved terms for parameters before 1.0.", None, None),
    ),
}
