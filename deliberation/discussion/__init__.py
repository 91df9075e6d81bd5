"""Discussion: comments, questions, suggestions, objections, endorsements, flags, dispositions
and their acknowledgements (models, services, selectors, api, serializers, notifications).

`similarity` is pure (no Django): it groups alike comments on one clause. The rest may import core,
definition and deliberation's votes (an objection is a vote's rationale).
"""
