"""`manage.py seed_demo [--reset]`: the Open Source AI Definition drafts 0.0.8, 0.0.9 and 1.0-RC1
deliberated over twelve weeks by about seventy invented members in four groups."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from deliberation.demo import data
from deliberation.demo import seed as demo

ACCOUNTS = (
    ("admin", "site administrator"),
    ("facilitator", "facilitator"),
    ("facilitator2", "facilitator"),
    ("member", "verified member (developers)"),
)


class Command(BaseCommand):
    help = "Build the demo definition through the services (does nothing if it exists)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="Delete the demo definition and the demo accounts, then rebuild.")

    def handle(self, *args, reset: bool = False, **options):
        if reset:
            demo.delete_demo()
        elif demo.demo_exists():
            self.stdout.write(f"The demo definition {data.SLUG!r} exists already; nothing to do. "
                              "Use --reset to rebuild it.")
            return
        started = time.monotonic()
        try:
            # The script replies, dispositions and publishes like people do; nobody is there to
            # read the hundreds of e-mails that would cause.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                definition = demo.build_demo()
        except ValueError as error:
            raise CommandError(f"{error} Use --reset to replace them.") from error
        self._report(definition, time.monotonic() - started)

    def _report(self, definition, seconds: float) -> None:
        counts = demo.demo_counts(definition)
        self.stdout.write(self.style.SUCCESS(
            f"Built “{definition.title}” ({definition.slug}) in {seconds:.1f} s."))
        self.stdout.write(", ".join(f"{n} {what}" for what, n in counts.items()))
        self.stdout.write(f"Sign in with password {data.PASSWORD!r} as:")
        for username, role in ACCOUNTS:
            self.stdout.write(f"  {username:<13} {role}")
        for group in ("lawyers", "legislators", "companies"):
            self.stdout.write(f"  {demo.demo_username(f'{group}:0'):<13} verified member ({group})")
        self.stdout.write("Every other demo account has the same password.")
