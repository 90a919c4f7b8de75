from django.core.management.base import BaseCommand

from twinning.demo import DEMO_MODELS, load_demo


class Command(BaseCommand):
    help = "Load the three demo press releases as published records. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        load_demo()
        counts = "; ".join(f"{model.__name__}: {model.objects.count()}" for model in DEMO_MODELS)
        self.stdout.write(self.style.SUCCESS("Demo data loaded.") + " " + counts)
