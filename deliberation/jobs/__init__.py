"""Background jobs a person waits for (a facilitator's recompute, a large export): claiming a job
with a conditional UPDATE, its heartbeat, failing it with a reason, finishing it, and the reaper
that re-queues or fails the jobs of a dead worker. May import core and definition (the Job model).
"""
