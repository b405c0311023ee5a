from django.core.management.base import BaseCommand

from articles.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = "Create or update the Writers and Editors groups (migrate does this too)."

    def handle(self, *args, **options):
        ensure_roles()
        self.stdout.write("Roles ready: " + ", ".join(ROLES))
