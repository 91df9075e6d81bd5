"""`manage.py export_definition SLUG > osaid.json`: the whole definition as a JSON archive."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import NotFound
from definition.selectors import get_definition
from deliberation.exports.archive import build_archive
from deliberation.exports.jobs import archive_file


class Command(BaseCommand):
    help = "Write a definition's archive (JSON) to stdout or --output."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--public", action="store_true",
                            help="the open-data archive: hidden comments withheld, voters "
                                 "pseudonymous when votes are not public (cannot be restored)")
        parser.add_argument("--output", "-o", help="a file instead of stdout")

    def handle(self, *args, slug, public, output, **options):
        try:
            definition = get_definition(slug=slug)
        except NotFound as error:
            raise CommandError(error.message) from None
        content = archive_file(definition, build_archive(definition=definition,
                                                         full=not public)).content
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
        else:
            self.stdout.write(content.decode(), ending="\n")
