"""Finding, registering, correcting and merging patient records (staff pages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.permissions import role_required
from needlepoint.clinic.clock import clinic_today
from needlepoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from needlepoint.core.form_errors import add_to_form
from needlepoint.core.inputs import MAX_PAGE, parse_int, parse_text, whole_number
from needlepoint.patients import selectors as patient_selectors
from needlepoint.patients import services as patient_services
from needlepoint.patients.validation import typed_date
from needlepoint.site import patient_sections as sections

PAGE_SIZE = 25


@role_required("patient.read", audit_action="patient.read")
def staff_patients(request: HttpRequest) -> HttpResponse:
    """Find a patient by name, phone or date of birth, typed as a person types them."""
    q = parse_text(request.GET.get("q"), "q", max_length=200)
    # Nonsense is page 1 (as Django's paginator does); a number beyond any list is refused.
    raw_page = whole_number(request.GET.get("page"), digits=20) or 1
    page_number = parse_int(raw_page, "page", minimum=1, maximum=MAX_PAGE)
    actor: Any = request.user
    page = patient_selectors.patient_search(
        actor=actor,
        q=q,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
        record_numbers=False,
    )
    upcoming = sections.next_appointments([p.pk for p in page.items], now=timezone.now())
    context = {
        "q": q,
        "rows": [(p, upcoming.get(p.pk)) for p in page.items],
        "count": page.count,
        "page": page_number,
        "pages": max(1, (page.count + PAGE_SIZE - 1) // PAGE_SIZE),
        "can_create": actor.may("patient.create"),
    }
    return render(request, "site/staff/patients.html", context)


class PatientForm(forms.Form):
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = forms.CharField(
        label="Date of birth",
        max_length=40,
        help_text="As you like: 14 March 1985 or 3/14/1985.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=32,
        required=False,
        help_text="A phone or an email (or both), so the clinic can reach them.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label="Email",
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            described = [f"id_{name}-help"] if field.help_text else []
            if self.is_bound and name in self.errors:
                described.append(f"id_{name}-error")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def clean_date_of_birth(self) -> date:
        text = self.cleaned_data["date_of_birth"]
        typed = typed_date(text, today=clinic_today())
        if typed is None or typed.rest:
            raise forms.ValidationError(
                "Type a date of birth, for example 14 March 1985 or 3/14/1985."
            )
        if len(typed.dates) > 1:
            first, second = (d.strftime("%-d %B %Y") for d in typed.dates)
            raise forms.ValidationError(
                f"This could be {first} or {second}: type the month in words, "
                "for example 14 March 1985."
            )
        return typed.dates[0]


class RegisterForm(PatientForm):
    allow_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)
    duplicate_reason = forms.CharField(
        label="Why is this a different person?",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@require_http_methods(["GET", "POST"])
@role_required("patient.create", audit_action="patient.create")
def patient_new(request: HttpRequest) -> HttpResponse:
    """Register a new caller; a record that may be the same person is shown first, with
    the choice to open it or to create this one anyway, giving a reason."""
    actor: Any = request.user
    form = RegisterForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "title": "Register a new patient"}
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, "site/staff/patient_form.html", context, status=status)
    data = form.cleaned_data
    anyway = bool(data["allow_duplicate"])
    try:
        patient = patient_services.patient_create(
            actor=actor,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            email=data["email"],
            phone=data["phone"],
            allow_duplicate=anyway,
            duplicate_reason=data["duplicate_reason"] if anyway else None,
        )
    except Conflict as exc:
        if exc.code != "duplicate_patient":
            raise
        context["twins"] = patient_selectors.possible_duplicates(
            actor=actor,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
        )
        # The next send means "create anyway": the reason field is now asked for.
        asked = request.POST.copy()
        asked["allow_duplicate"] = "on"
        form.data = asked
        return render(request, "site/staff/patient_form.html", context, status=409)
    except InvalidInput as exc:
        add_to_form(form, exc)
        context["twins"] = anyway and patient_selectors.possible_duplicates(
            actor=actor,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
        )
        return render(request, "site/staff/patient_form.html", context, status=422)
    messages.success(request, f"{patient.full_name} is registered.")
    return redirect("site:staff_patient", patient.pk)


@require_http_methods(["GET", "POST"])
@role_required("patient.change", audit_action="patient.change")
def patient_edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Correct a patient's name, date of birth, phone or email."""
    actor: Any = request.user
    try:
        patient = patient_selectors.patient_for_staff(actor=actor, patient_id=patient_id)
    except NotFound:
        raise Http404("No such patient.") from None
    if patient.merged_into_id is not None:
        return redirect("site:patient_edit", patient.merged_into_id)
    initial = {
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.strftime("%-d %B %Y"),
        "phone": patient.phone,
        "email": patient.email,
    }
    form = PatientForm(request.POST or None, initial=initial)
    context = {"form": form, "patient": patient, "title": f"Change {patient.full_name}'s details"}
    if request.method == "POST" and form.is_valid():
        try:
            patient_services.patient_update(actor=actor, patient_id=patient.pk, **form.cleaned_data)
        except (InvalidInput, Conflict) as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "The details are saved.")
            return redirect("site:staff_patient", patient.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "site/staff/patient_form.html", context, status=status)


@role_required("patient.merge", audit_action="patient.merge")
def patient_merge_choose(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Find the other record of the same person, to merge it into this one."""
    actor: Any = request.user
    try:
        kept = patient_selectors.patient_for_staff(actor=actor, patient_id=patient_id)
    except NotFound:
        raise Http404("No such patient.") from None
    if kept.merged_into_id is not None:
        return redirect("site:patient_merge_choose", kept.merged_into_id)
    default = f"{kept.family_name}"
    q = parse_text(request.GET.get("q", default), "q", max_length=200)
    found = patient_selectors.patient_search(actor=actor, q=q, limit=20, record_numbers=False)
    context = {"kept": kept, "q": q, "candidates": [p for p in found.items if p.pk != kept.pk]}
    return render(request, "site/staff/patient_merge_choose.html", context)


@require_http_methods(["GET", "POST"])
@role_required("patient.merge", audit_action="patient.merge")
def patient_merge(request: HttpRequest, patient_id: int, duplicate_id: int) -> HttpResponse:
    """Both records side by side and what moves; merging needs the confirming send."""
    actor: Any = request.user
    try:
        plan = patient_selectors.patient_merge_preview(
            actor=actor, kept_id=patient_id, duplicate_id=duplicate_id
        )
    except (NotFound, Forbidden):
        raise Http404("No such patient.") from None
    status, refusal = 200, ""
    if request.method == "POST":
        try:
            patient_services.patient_merge(
                actor=actor, kept_id=patient_id, duplicate_id=duplicate_id
            )
        except Conflict as exc:
            status, refusal = 409, exc.message
        else:
            messages.success(
                request,
                f"The two records are merged: {plan.kept.full_name}'s record now holds both "
                "histories.",
            )
            return redirect("site:staff_patient", patient_id)
    context = {
        "plan": plan,
        "records": [
            (plan.kept, ("kept", "Keep this record")),
            (plan.duplicate, ("duplicate", "Merge this duplicate into it")),
        ],
        "refusal": refusal,
        "swap": reverse("site:patient_merge", args=[duplicate_id, patient_id]),
    }
    return render(request, "site/staff/patient_merge.html", context, status=status)
