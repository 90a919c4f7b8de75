"""Template helpers of the public site."""

from django import template

from twinning.models import Sphere

register = template.Library()


@register.filter
def sphere_labels(values):
    """Translated labels of an agreement's spheres, skipping values no longer in the list."""
    return [Sphere(value).label for value in values or () if value in Sphere.values]
