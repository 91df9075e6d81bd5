"""The bottom layer every app shares: domain errors and the API error envelope (`errors`, `api`),
base API classes, parsers and throttles (`api_classes`, `api_schema`), Redis breakers
(`degraded`), the deadlock retry (`transactions`), input guards (`middleware`), `/healthz`,
JSON logging, CSV cells, environment helpers and the admin site.

It imports Django, DRF and the standard library only: no app of the project (not even `config`).
"""
