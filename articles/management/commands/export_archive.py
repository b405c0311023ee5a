from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.archive import ArchiveError, export_archive


class Command(BaseCommand):
    help = (
        "Write every article with its quotes, people, tags, events, corrections and "
        "pictures into one portable archive (a zip file), for backups and moves."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. newsroom-2025-06-01.zip")
        parser.add_argument(
            "--overwrite", action="store_true", help="replace the file if it exists"
        )

    def handle(self, *args, path, overwrite, **options):
        target = Path(path)
        if target.exists() and not overwrite:
            raise CommandError(f"{path} already exists; use --overwrite to replace it.")
        if not target.parent.is_dir():
            raise CommandError(f"There is no folder {target.parent} to write {target.name} in.")
        try:
            counts = export_archive(target)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Wrote {path}: " + ", ".join(f"{n} {what}" for what, n in counts.items())
        )
