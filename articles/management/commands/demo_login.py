import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create or reset the local demo superuser and print its login. Refused in production."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_login is for local development; use createsuperuser.")
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": "Demo", "last_name": "Editor", "email": "editor@example.com"},
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"Admin: {settings.SITE_URL}/{settings.ADMIN_URL}\n"
            f"Login: {username}\nPassword: {password}"
        )
