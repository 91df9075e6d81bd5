"""`manage.py import_definition osaid.json`: restore a definition from its complete archive."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from deliberation.exports.archive_import import import_archive


class Command(BaseCommand):
    help = "Restore a definition from a complete archive made by export_definition."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as", dest="username",
                            help="the admin recorded as doing it (default: the first superuser)")

    def handle(self, *args, path, username, **options):
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            definition = import_archive(actor=self._admin(username), data=data)
        except DomainError as error:
            raise CommandError(f"{error.field or 'archive'}: {error.message}") from None
        self.stdout.write(f"restored {definition.slug} ({definition.drafts.count()} drafts)")

    def _admin(self, username):
        users = get_user_model().objects.filter(is_superuser=True).order_by("pk")
        admin = users.filter(username=username).first() if username else users.first()
        if admin is None:
            raise CommandError("No such superuser: create one (createsuperuser) or pass --as.")
        return admin
