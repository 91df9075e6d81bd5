"""The benchmarks behind `manage.py bench_consensus`, `bench_exports` and `bench_votes`: they build
their own data and print measured figures. May import everything in deliberation.
"""
