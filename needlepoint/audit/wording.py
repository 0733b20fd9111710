"""The audit trail in words: every action code the code base records, its label and its kind.

The one table of labels (docs/decisions/0450-audit-page-in-words.md). A test
(tests/site/test_audit_page_labels.py) reads every ``action=`` and ``audit_action=`` in
needlepoint/ and fails when a code has no label here, so a new audited action cannot reach
the audit page as a code. Pure data and string helpers: the audit app imports no other app.
"""

from __future__ import annotations

from dataclasses import dataclass

PATIENTS = "patients"
APPOINTMENTS = "appointments"
CHARTS = "charts"
PHOTOS = "photos"
SECURITY = "security"
STAFF = "staff"
SETUP = "setup"

# The kinds of action, in the order the filter lists them.
KINDS: dict[str, str] = {
    PATIENTS: "Patient records",
    APPOINTMENTS: "Appointments",
    CHARTS: "Charts",
    PHOTOS: "Photos",
    SECURITY: "Sign-in and security",
    STAFF: "Staff",
    SETUP: "Setup",
}


@dataclass(frozen=True)
class ActionLabel:
    label: str
    kind: str


def _table(kind: str, labels: dict[str, str]) -> dict[str, ActionLabel]:
    return {code: ActionLabel(label, kind) for code, label in labels.items()}


ACTIONS: dict[str, ActionLabel] = {
    **_table(
        PATIENTS,
        {
            "patient.read": "Opened a patient's record",
            "patient.create": "Registered a patient",
            "patient.change": "Changed a patient's contact details",
            "patient.merge": "Merged two records of one patient",
            "patient.imported": "Imported a patient from another system",
            "patient.erase": "Erased a patient's personal data (clinical records kept)",
            "erasure_request.create": "A patient asked for their personal data to be erased",
            "patient.link_login": "Linked a patient's online account",
            "portal.read": "A patient opened their own record online",
            "data.export": "Exported a patient's data",
            "fhir.read": "Exported a patient's record as FHIR",
            "fhir.bulk_export": "Exported every patient's record as FHIR",
            "timeline.read": "Opened a patient's history",
            "screening.create": "Recorded a screening",
            "screening.read": "Opened a screening",
            "screening.link_patient": "Linked a screening to a patient",
            "consultation.create": "Recorded a consultation",
            "consultation.read": "Opened a consultation",
            "consultation.amend": "Amended a consultation",
            "consultation.record": "Tried to record a consultation",
            "consultation.clear": "Recorded a medical clearance",
            "plan.create": "Created a treatment plan",
            "plan.read": "Opened a treatment plan",
            "plan.session_mark": "Marked a session of a treatment plan",
            "assessment.record": "Recorded an assessment",
            "assessment.read": "Opened assessments",
            "outcome.report": "Opened the outcomes report",
            "report.read": "Opened a clinic report",
            "report.download": "Downloaded a clinic report",
            "rating.submit": "A patient rated their result",
            "notification.send": "Sent a patient a message",
        },
    ),
    **_table(
        APPOINTMENTS,
        {
            "appointment.book": "Booked an appointment",
            "appointment.read": "Opened an appointment",
            "appointment.reschedule": "Moved an appointment",
            "appointment.cancel": "Cancelled an appointment",
            "appointment.complete": "Completed an appointment",
            "appointment.no_show": "Marked an appointment as a no-show",
            "appointment.check_in": "Checked a patient in",
            "appointment.status": "Changed an appointment's status from the calendar",
            "appointment.record_past": "Recorded a past appointment",
            "appointment.imported": "Imported an appointment from another system",
            "followup.propose": "Proposed a follow-up",
            "followup.book": "Booked a follow-up",
            "followup.link": "Linked a follow-up to an appointment",
            "followup.read": "Opened follow-ups",
            "followup.recall_raise": "Raised a recall for a follow-up",
            "waitlist.join": "Added a patient to the waiting list",
            "waitlist.read": "Opened the waiting list",
            "waitlist.offer": "Offered a waiting-list patient a time",
            "waitlist.accept": "A waiting-list offer was accepted",
            "waitlist.withdraw": "Took a patient off the waiting list",
            "waitlist.close": "Closed a waiting-list entry",
            "calendar_feed.read": "A calendar feed was read",
        },
    ),
    **_table(
        CHARTS,
        {
            "chart.create": "Started a session chart",
            "chart.update": "Updated a session chart",
            "chart.read": "Opened a session chart",
            "chart.queue_read": "Opened the charts waiting for a co-signature",
            "chart.sign": "Signed a session chart",
            "chart.cosign": "Co-signed a session chart",
            "chart.amend": "Amended a signed session chart",
            "consent.sign": "A consent was signed",
            "day_of_check.record": "Recorded the day-of check",
            "treatment_day.read": "Opened a treatment day",
            "adverse_event.record": "Recorded an adverse event",
            "adverse_event.report": "Opened the adverse events report",
            "recall.read": "Looked up the sessions of a cartridge lot",
            "kiosk.start": "Handed the tablet to a patient for consent",
            "kiosk.end": "Took the tablet back from the patient",
            "kiosk.signed_out": "The consent tablet signed out after wrong passwords",
        },
    ),
    **_table(
        PHOTOS,
        {
            "photo.upload": "Took a photo",
            "photo.view": "Viewed a photo",
            "photo.measure": "Measured a photo",
            "photo.measures_view": "Opened a photo's measures",
            "photo.regions_save": "Drew the measured regions of a view",
            "photo.regions_detect": "Placed a view's measured regions from the face",
            "photo.regions_view": "Opened a view's measured regions",
            "patient.measures_view": "Opened a patient's photo measures over time",
            "photo.read": "Opened a photo's record",
            "photo.list": "Opened a patient's photos",
            "photo.compare": "Compared photos",
            "photo.export": "Exported photos",
            "photo.share": "Shared a photo with the patient",
            "photo.unshare": "Stopped sharing a photo with the patient",
            "photo.delete": "Deleted a photo",
            "photo_release.record": "Recorded a photo release",
            "photo_release.read": "Checked a photo release",
        },
    ),
    **_table(
        SECURITY,
        {
            "api_token.create": "Issued an API token",
            "api_token.revoke": "Revoked an API token",
            "api_token.use": "Tried to use an API token",
            "calendar_feed.create": "Created a calendar feed link",
            "calendar_feed.revoke": "Revoked a calendar feed link",
            "audit.read": "Read the audit trail",
            "audit.export": "Downloaded the audit trail",
        },
    ),
    **_table(
        STAFF,
        {
            "user.create": "Created an account",
            "staff.invite": "Invited a staff member",
            "staff.invite_resend": "Sent a staff member a new invitation",
            "staff.deactivate": "Deactivated a staff member",
            "staff.reactivate": "Reactivated a staff member",
            "staff.second_factor_reset": "Reset a staff member's second factor",
            "staff.role_change": "Changed a staff member's role",
            "staff.locations": "Changed where a staff member works",
        },
    ),
    **_table(
        SETUP,
        {
            "data_override.create": "Changed a clinic data table",
            "data_override.activate": "Switched on a clinic data table",
            "data_override.deactivate": "Switched off a clinic data table",
            "inventory.receive": "Received cartridges into stock",
            "setup.open": "Opened clinic setup",
            "location.create": "Added a location",
            "location.update": "Changed a location",
            "location.services": "Changed the services a location offers",
            "clinic.public_pages_update": "Changed the public pages (name or picture)",
            "room.create": "Added a room",
            "room.update": "Changed a room",
            "room.deactivate": "Took a room out of use",
            "room.reactivate": "Put a room back in use",
            "pen.create": "Added a pen",
            "pen.status": "Changed whether a pen is in service",
            "service.create": "Added a service",
            "service.update": "Changed a service",
            "service.withdraw": "Withdrew a service",
            "service.reactivate": "Offered a service again",
            "working_hours.set": "Changed a staff member's working hours",
            "closure.add": "Closed the clinic for a day",
            "closure.remove": "Removed a closure",
            "schedule_exception.add": "Added time off or extra hours",
            "schedule_exception.remove": "Removed time off or extra hours",
            "consent_text.publish": "Published a new consent text",
            "backup.create": "Took a backup of the clinic's data",
            "backup.restore": "Restored the clinic's data from a backup",
        },
    ),
}


def words(code: str) -> str:
    """A code no one labelled, as words: `test.late_thing` → "Test: late thing"."""
    text = str(code).replace("_", " ").replace("-", " ").strip()
    head, _, rest = text.partition(".")
    head = head.capitalize()
    return f"{head}: {rest.replace('.', ' ')}" if rest else head


def action_label(code: str) -> str:
    """The action in words; a code recorded before it had a label still reads as words."""
    known = ACTIONS.get(str(code))
    return known.label if known is not None else words(code)


def kind_codes(kind: str) -> list[str]:
    return [code for code, entry in ACTIONS.items() if entry.kind == kind]


# The "detail" keys events carry, in words (docs/decisions/0450); unknown keys read as words.
DETAIL_LABELS: dict[str, str] = {
    "via": "Where in Needlepoint",
    "reason": "Reason",
    "service": "Service",
    "late": "Late",
    "status": "Status",
    "from": "From",
    "to": "To",
    "amendment": "Amendment number",
    "cleared": "Cleared",
    "clearance": "Clearance number",
    "kind": "Kind",
    "version": "Version",
    "active": "Switched on",
    "slot": "Time offered (number)",
    "rank": "Place in the queue",
    "appointment": "Appointment number",
    "appointment_status": "Appointment status",
    "appointments": "Appointments",
    "channel": "Sent by",
    "session": "Session",
    "plan_status": "Plan status",
    "severity": "Severity",
    "chart": "Chart number",
    "needs_cosign": "Needs a co-signature",
    "fields": "Fields changed",
    "lot": "Cartridge lot",
    "quantity": "Quantity",
    "device": "Pen",
    "sessions": "Sessions",
    "view": "Photo view",
    "granted": "Granted",
    "concern": "Concern",
    "page": "Page",
    "role": "Role",
    "removed": "Removed",
    "plan": "Plan number",
    "last_session": "Last session",
    "size": "Size",
    "verdict": "Result",
    "reasons": "Reasons",
    "policy_version": "Screening rules version",
    "protocol_version": "Protocol version",
    "determination": "Determination",
    "screening": "Screening",
    "screening_linked": "Screening linked",
    "blocked": "Blocked",
    "zones": "Zones",
    "rules": "Rules",
    "photo_release": "Photo release",
    "source": "Signed on",
    "consultation": "Consultation number",
    "overridden": "Overridden",
    "count": "Attempts",
    "window_seconds": "Within (seconds)",
    "spacing_override": "Booked sooner than the plan's interval",
    "earliest_allowed": "Earliest allowed",
    "too_close_to_session": "Too close to session",
    "rows": "Rows",
    "person": "Person chosen",
    "patients": "Patients chosen",
    "actions": "Kinds of action chosen",
    "outcome": "Allowed or refused",
    "kept": "Kept",
    "retention_years": "Clinical records kept for (years)",
    "contact_details": "Contact details",
    "portal_login": "Portal login",
    "api_tokens": "Access tokens",
    "photos_without_clinical_purpose": "Photos without clinical purpose",
    "photo_release_withdrawn": "Photo release withdrawn",
    "messages_unsent": "Unsent messages cancelled",
    "message_texts": "Message addresses and texts",
    "waitlist_requests": "Waitlist requests withdrawn",
    "name_and_birth_date": "Name and date of birth",
    "day_of_checks": "Day-of checks",
    "adverse_events": "Adverse events",
    "follow_ups": "Follow-ups",
    "clinical_photos": "Photos with clinical purpose",
    "resources": "FHIR resources",
    "fhir_resources": "FHIR resources",
    "files": "Files written",
}

REASON_WORDS: dict[str, str] = {
    "role": "their role does not allow it",
    "object": "not their patient or not theirs to see",
    "not_found": "no such record",
    "revoked": "the token was revoked",
    "unknown_token": "unknown token",
    "too_many_failures": "too many failed attempts",
    "no_photo_release": "no photo release",
}

CHANNEL_WORDS: dict[str, str] = {
    "web": "Web page",
    "api": "API",
    "command": "Command line",
    "system": "Needlepoint itself",
}


def detail_label(key: str) -> str:
    return DETAIL_LABELS.get(str(key), str(key).replace("_", " ").capitalize())
