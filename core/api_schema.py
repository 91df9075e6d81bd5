"""Post-processing of the OpenAPI document (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

- Query parameters: the API refuses an empty value (`?page=`) with a 400 naming the parameter
  (core.middleware); the schema says so too (`minLength: 1`, no empty default).
- Links: the main flow, create or import a draft -> publish it -> vote on its clauses -> read the
  consensus, as OpenAPI links that stateful tools (schemathesis) and readers can follow.
"""

D, V, K = "$request.path.d", "$request.path.v", "$request.path.k"

# (source operationId, response code, link name, target operationId, parameters, description)
LINKS = [
    ("definitions_drafts_create", "201", "PublishDraft", "definitions_drafts_publish_create",
     {"d": D, "v": "$response.body#/version"}, "Publish the new draft (facilitator)."),
    ("definitions_drafts_create", "201", "ReadDraft", "definitions_drafts_retrieve",
     {"d": D, "v": "$response.body#/version"}, "Read the new draft."),
    ("definitions_drafts_import_create", "201", "PublishDraft",
     "definitions_drafts_publish_create", {"d": D, "v": "$response.body#/version"},
     "Publish the imported draft (facilitator)."),
    ("definitions_drafts_publish_create", "200", "VoteOnFirstClause",
     "definitions_drafts_clauses_vote_update",
     {"d": D, "v": V, "k": "$response.body#/clauses/0/key"},
     "Vote on the first clause of the published draft (member)."),
    ("definitions_drafts_publish_create", "200", "DraftConsensus",
     "definitions_drafts_consensus_retrieve", {"d": D, "v": V},
     "The consensus of every clause of the draft."),
    ("definitions_drafts_retrieve", "200", "VoteOnFirstClause",
     "definitions_drafts_clauses_vote_update",
     {"d": D, "v": V, "k": "$response.body#/clauses/0/key"}, "Vote on the first clause (member)."),
    ("definitions_drafts_clauses_vote_update", "200", "ClauseConsensus",
     "definitions_drafts_clauses_consensus_retrieve", {"d": D, "v": V, "k": K},
     "The consensus of the clause just voted on."),
    ("definitions_drafts_clauses_vote_update", "200", "DraftConsensus",
     "definitions_drafts_consensus_retrieve", {"d": D, "v": V},
     "The consensus of every clause of the draft."),
    ("definitions_drafts_clauses_vote_update", "200", "Ballot",
     "definitions_drafts_clauses_votes_list", {"d": D, "v": V, "k": K},
     "The clause's ballot (public votes, or facilitators)."),
]


def refine_schema(result, generator, request, public):
    operations = {op.get("operationId"): op for item in result.get("paths", {}).values()
                  for op in item.values() if isinstance(op, dict)}
    for operation in operations.values():
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query":
                _no_empty_value(parameter["schema"])
    for source, code, name, target, parameters, description in LINKS:
        if source in operations and target in operations:
            response = operations[source]["responses"].get(code)
            if response is not None:
                response.setdefault("links", {})[name] = {
                    "operationId": target, "parameters": parameters, "description": description}
    return result


def _no_empty_value(rule: dict) -> None:
    if rule.get("type") == "string":
        if rule.get("default") == "":
            del rule["default"]
        rule["minLength"] = max(rule.get("minLength", 0), 1)
