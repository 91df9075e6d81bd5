"""The demonstration process `manage.py seed_demo` builds: `data` is the script, `seed` plays it
through the services. May import everything in accounts, definition and deliberation.
"""
