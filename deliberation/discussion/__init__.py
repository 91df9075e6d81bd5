"""Discussion: comments, suggestions, objections, dispositions and what helps answer them.

For now it holds `similarity`, the pure text-similarity module that groups alike comments on one
clause (no Django). It may import nothing of Concord's; the facilitators' desk imports it.
"""
