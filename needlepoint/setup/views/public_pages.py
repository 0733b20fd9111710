"""The clinic admin names the clinic and chooses the picture its public pages show
(decision 0511)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from needlepoint.clinic import services as clinic
from needlepoint.clinic.models import ClinicProfile
from needlepoint.clinic.public_face import public_face

from ..forms import PublicPagesForm
from .common import REFUSALS, actor, admin_only, group_changes_only, page, refuse


@admin_only
@require_http_methods(["GET", "POST"])
@group_changes_only
def public_pages(request: HttpRequest) -> HttpResponse:
    face = public_face()
    own_picture = ClinicProfile.objects.filter(pk=1).exclude(hero_image="").exists()
    form = PublicPagesForm(
        request.POST or None,
        request.FILES or None,
        initial={"name": face.name, "hero_alt": face.picture_alt},
    )
    if not own_picture:  # nothing to go back from
        del form.fields["remove_picture"]
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["hero_image"]
        try:
            clinic.public_pages_save(
                actor=actor(request),
                name=form.cleaned_data["name"],
                picture_alt=form.cleaned_data["hero_alt"],
                picture=upload.read() if upload else None,
                remove_picture=bool(form.cleaned_data.get("remove_picture")),
            )
        except REFUSALS as exc:
            refuse(form, exc)
        else:
            messages.success(request, "The public pages are saved.")
            return redirect("setup:public_pages")
    return page(
        request,
        "public_pages.html",
        {"form": form, "own_picture": own_picture},
        refused=bool(form.errors),
    )
