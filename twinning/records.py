"""What every record a press officer writes has in common: publication state, a version for
refusing conflicting edits, timestamps, cited sources and a change history."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class RecordQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication=Publication.PUBLISHED)

    def drafts(self):
        return self.filter(publication=Publication.DRAFT)

    def editable_by(self, user):
        """The records `user` may change; the rule lives in twinning.permissions."""
        from twinning.permissions import editable

        return editable(user, self)


class Record(models.Model):
    publication = models.CharField(
        _("publication"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
        db_index=True,
        help_text=_("Drafts are visible only to press officers. Publish to show the record on the site and in the API."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Grows with every save; a save based on an older version is refused."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sources = models.ManyToManyField(
        "twinning.Source",
        blank=True,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("sources"),
        help_text=_("Where the facts come from. A record without sources is shown as unsourced."),
    )
    history = HistoricalRecords(inherit=True, m2m_fields=["sources"])

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_published(self):
        return self.publication == Publication.PUBLISHED

    def save(self, *args, **kwargs):
        if self.publication == Publication.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
