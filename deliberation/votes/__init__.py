"""Votes (positions) on clauses: the model, casting and retracting through one-statement SQL paths
on PostgreSQL, the ballot. May import core and definition; marks clauses changed for consensus.
"""
