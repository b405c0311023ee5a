from django.core.management.base import BaseCommand, CommandError

from articles.archive import MAX_DATA_BYTES, ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an empty database, all or "
        "nothing. Staff accounts it creates have no password until one is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="an archive written by export_archive")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the articles, tags, people and events already in the database "
            "first (in the same transaction)",
        )
        parser.add_argument(
            "--max-data-mb",
            type=int,
            default=MAX_DATA_BYTES // 1024 // 1024,
            help="the most archive.json may unpack to, in megabytes (default %(default)s); "
            "a larger one is refused unread",
        )
        parser.add_argument(
            "--max-media-mb",
            type=int,
            help="the most the pictures may unpack to together, in megabytes (default: "
            "twice the archive's size on disk, more than an export ever needs); checked "
            "before anything is written",
        )

    def handle(self, *args, path, replace, max_data_mb, max_media_mb, **options):
        try:
            counts = import_archive(
                path,
                replace=replace,
                max_data_bytes=max_data_mb * 1024 * 1024,
                max_media_bytes=None if max_media_mb is None else max_media_mb * 1024 * 1024,
            )
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {path}: " + ", ".join(f"{n} {what}" for what, n in counts.items())
        )
