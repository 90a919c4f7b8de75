"""Atom feed of the latest published changes (the same entries as /api/v1/changes/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twinning import changes

FEED_LENGTH = 100

ACTION_LABELS = {
    changes.CREATED: gettext_lazy("Published"),
    changes.CHANGED: gettext_lazy("Changed"),
    changes.DELETED: gettext_lazy("Withdrawn"),
}
TYPE_LABELS = {
    "city": gettext_lazy("city"),
    "organisation": gettext_lazy("organisation"),
    "person": gettext_lazy("person"),
    "twinning": gettext_lazy("twinning"),
    "agreement": gettext_lazy("agreement"),
    "delegation": gettext_lazy("delegation"),
    "event": gettext_lazy("joint event"),
    "status_change": gettext_lazy("status of twinning"),
}


class ChangesAtomFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Twinning Registry: latest changes")
    subtitle = gettext_lazy("Published creations, changes and withdrawals of twinnings, agreements, visits and events.")

    def link(self):
        return reverse("lifecycle_api:changes")

    def items(self):
        return list(changes.changes(limit=FEED_LENGTH, newest_first=True))

    def item_title(self, row):
        return _("%(action)s: %(type)s %(title)s") % {
            "action": ACTION_LABELS[row["action"]],
            "type": TYPE_LABELS[row["record_type"]],
            "title": row["label"] or "",
        }

    def item_description(self, row):
        return self.item_title(row)

    def item_link(self, row):
        return changes.public_url(row) or reverse("lifecycle_api:changes")

    def item_guid(self, row):
        return f"urn:twinning-registry:change:{row['record_type']}:{row['history_id']}"

    item_guid_is_permalink = False

    def item_updateddate(self, row):
        return row["history_date"]

    def item_pubdate(self, row):
        return row["history_date"]
