"""The admin page "New from a press release": paste, review the proposals, confirm.

The page is a plain admin view, not a ModelAdmin (there is no model to list). It is added to the
default admin site by wrapping the site's get_urls and get_app_list, which keeps whatever other
apps have added and needs no custom AdminSite.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from press_releases.extraction import extract
from press_releases.forms import ExtractForm, sign_payload, unsign_payload
from press_releases.review import Review
from press_releases.services import confirm_proposals, may_use_assistant
from twinning.permissions import city_ids_of

URL_NAME = "press_releases_new"


def new_from_press_release(request):
    if not may_use_assistant(request.user):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("New from a press release")}
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "confirm":
        return _confirm(request, context)
    form = ExtractForm(request.POST if step == "extract" else None)
    if step == "extract" and form.is_valid():
        return _review(request, context, form.cleaned_data)
    return TemplateResponse(request, "admin/press_releases/new.html", {**context, "form": form})


def _review(request, context, data):
    own = city_ids_of(request.user)
    proposals = extract(
        data["text"], published_on=data["published_on"], home_city=next(iter(own)) if len(own) == 1 else None
    )
    payload = {
        "source": {
            "url": data["url"],
            "publisher": data["publisher"],
            "published_on": data["published_on"].isoformat() if data["published_on"] else None,
        },
        "proposals": proposals.as_dict(),
    }
    review = Review(payload, request.user)
    return _render_review(request, context, review)


def _render_review(request, context, review, error=None):
    return TemplateResponse(
        request,
        "admin/press_releases/review.html",
        {
            **context,
            "review": review,
            "token": sign_payload(review.payload),
            "error": error,
            "nothing_proposed": not any(review.sections[name] for name in ("twinning", "agreements", "delegations", "events")),
        },
    )


def _confirm(request, context):
    payload = unsign_payload(request.POST.get("payload", ""))
    if payload is None:
        messages.error(request, _("The proposals expired or were altered. Paste the press release again."))
        return TemplateResponse(request, "admin/press_releases/new.html", {**context, "form": ExtractForm()}, status=400)
    review = Review(payload, request.user, data=request.POST)
    if not review.is_valid():
        return _render_review(request, context, review)
    try:
        result = confirm_proposals(request.user, **review.service_arguments())
    except PermissionDenied as error:
        return _render_review(request, context, review, error=str(error) or _("You may not change these records."))
    except ValidationError as error:
        return _render_review(request, context, review, error=" ".join(error.messages))
    return TemplateResponse(
        request,
        "admin/press_releases/done.html",
        {**context, "title": _("Drafts created from the press release"), "result": result, "rows": _result_rows(result)},
    )


def _result_rows(result):
    rows = []
    for status, objects in ((_("created"), result.created), (_("reused"), result.reused)):
        for obj in objects:
            opts = obj._meta
            rows.append(
                {
                    "status": status,
                    "model": opts.verbose_name,
                    "name": str(obj),
                    "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
                }
            )
    return rows


def _install(site):
    """Add the page's URL and an entry on the admin index to `site`."""
    original_get_urls = site.get_urls
    original_get_app_list = site.get_app_list

    def get_urls():
        return [path("press-release/new/", site.admin_view(new_from_press_release), name=URL_NAME), *original_get_urls()]

    def get_app_list(request, app_label=None):
        app_list = original_get_app_list(request, app_label)
        if app_label in (None, "press_releases") and may_use_assistant(request.user):
            url = reverse(f"admin:{URL_NAME}")
            app_list.insert(
                0,
                {
                    "name": gettext_lazy("Press-release assistant"),
                    "app_label": "press_releases",
                    "app_url": url,
                    "has_module_perms": True,
                    "models": [
                        {
                            "name": gettext_lazy("New from a press release"),
                            "object_name": "PressRelease",
                            "perms": {"add": True, "change": False, "delete": False, "view": True},
                            "admin_url": url,
                            "add_url": url,
                            "view_only": False,
                        }
                    ],
                },
            )
        return app_list

    site.get_urls = get_urls
    site.get_app_list = get_app_list


_install(admin.site)
