"""manage.py create_press_officer USERNAME --city SLUG [--password P] [--email E]"""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cities.models import City
from twinning.models import PressOffice
from twinning.permissions import PRESS_OFFICERS_GROUP
from twinning.services import sync_groups


class Command(BaseCommand):
    help = (
        "Create a press officer (or update an existing user) who edits the records of the city's "
        "press office in the admin and the API. Creates the office when the city has none."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--city", required=True, help="Slug of the city, e.g. azov.")
        parser.add_argument("--password", help="Asked for interactively when omitted.")
        parser.add_argument("--email", default="")

    def handle(self, username, city, password, email, **options):
        try:
            city_obj = City.objects.get(slug=city)
        except City.DoesNotExist:
            raise CommandError(f"No city with the slug {city!r}.") from None
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first() or user_model(username=username, email=email)
        if password is None:
            password = self._ask_password()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None

        with transaction.atomic():
            created = user.pk is None
            user.is_staff = True
            user.is_active = True
            if email:
                user.email = email
            user.set_password(password)
            user.save()
            sync_groups()
            user.groups.add(Group.objects.get(name=PRESS_OFFICERS_GROUP))
            office = PressOffice.objects.filter(city=city_obj).order_by("pk").first()
            if office is None:
                office = PressOffice(city=city_obj, name=f"Пресс-служба: {city_obj.name}")
                office.save()
            office.members.add(user)

        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} press officer {username} of {office} ({city_obj.slug})."))

    def _ask_password(self):
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password and password == getpass.getpass("Password (again): "):
                return password
            self.stderr.write("Passwords were empty or did not match.")
        raise CommandError("No password given.")
