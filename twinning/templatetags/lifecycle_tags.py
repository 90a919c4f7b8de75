"""The press office's lifecycle block on the admin index."""

from django import template

from twinning import claims
from twinning.lifecycle_admin import dashboard_for

register = template.Library()


@register.inclusion_tag("admin/includes/_lifecycle_dashboard.html", takes_context=True)
def lifecycle_dashboard(context):
    return {"dashboard": dashboard_for(context["request"].user)}


@register.simple_tag
def open_claims(twinning):
    """[ClaimsAbout] of the twinning's unresolved claims (one query): see twinning/claims.py."""
    return claims.open_claims(twinning)
