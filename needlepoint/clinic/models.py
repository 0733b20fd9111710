"""Clinic setup: where, with what, which services, and when staff work."""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from needlepoint.accounts.roles import Role
from needlepoint.core.labels import clock_words


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone (e.g. America/New_York)")


class Location(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    # In words as patients read them ("Monday to Friday, 9 am to 6 pm"); blank: the pages
    # and messages say the hours derived from staff working hours (docs/decisions/0711).
    opening_hours = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def map_url(self) -> str:
        """An OpenStreetMap search for the address: built here, nothing fetched."""
        if not self.address.strip():
            return ""
        query = ", ".join(line.strip() for line in self.address.splitlines() if line.strip())
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    @property
    def address_line(self) -> str:
        """The address on one line (a calendar entry's LOCATION, an SMS)."""
        return ", ".join(line.strip() for line in self.address.splitlines() if line.strip())


class RoomKind(models.TextChoices):
    TREATMENT = "treatment", "Treatment room"
    CONSULTATION = "consultation", "Consultation room"


class Room(models.Model):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="rooms")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=RoomKind.choices)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Device(models.Model):
    class Status(models.TextChoices):
        IN_SERVICE = "in_service", "In service"
        MAINTENANCE = "maintenance", "Maintenance"
        RETIRED = "retired", "Retired"

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="devices")
    slug = models.SlugField(unique=True)
    model_name = models.CharField("model", max_length=120)
    serial_number = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_SERVICE)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"{self.model_name} ({self.slug}, SN {self.serial_number})"


class CartridgeLot(models.Model):
    """A received lot of single-use sterile needle cartridges."""

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="cartridge_lots")
    product = models.CharField(max_length=120)
    ref = models.CharField("REF", max_length=64)
    lot = models.CharField(max_length=64)
    expiry = models.DateField()
    quantity_received = models.PositiveIntegerField()
    received_on = models.DateField()

    class Meta:
        ordering = ["expiry", "lot"]
        constraints = [
            models.UniqueConstraint(fields=["location", "ref", "lot"], name="cartridge_lot_unique"),
            models.CheckConstraint(
                condition=Q(quantity_received__gt=0), name="cartridge_qty_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} lot {self.lot} (exp. {self.expiry:%Y-%m-%d})"


def default_performer_roles() -> list[str]:
    return [Role.AESTHETICIAN, Role.PHYSICIAN]


class Service(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField()
    buffer_after_minutes = models.PositiveIntegerField(default=0)
    room_kind = models.CharField(max_length=16, choices=RoomKind.choices)
    needs_device = models.BooleanField("needs a pen", default=False)
    performer_roles = models.JSONField(default=default_performer_roles)
    online_booking = models.BooleanField(default=False)
    # What the clinic charges; empty means "not priced" (asked at the desk).
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    # A treatment needs a current candidate determination and an active plan to be booked.
    is_treatment = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="service_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        allowed = {choice.value for choice in Role} - {Role.PATIENT}
        roles = self.performer_roles if isinstance(self.performer_roles, list) else None
        if not roles or not set(roles) <= allowed:
            raise ValidationError(
                {"performer_roles": f"must be a non-empty list of staff roles: {sorted(allowed)}"}
            )


class ServiceOffering(models.Model):
    """Whether a service is offered at a location, and its duration and price there.

    No row means offered on the service's own terms; an override left empty means the
    service's own duration or price (docs/decisions/0710)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="offerings")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="offerings")
    offered = models.BooleanField(default=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["location", "service"]
        constraints = [
            models.UniqueConstraint(fields=["location", "service"], name="offering_unique"),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gt=0),
                name="offering_duration_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class WorkingHours(models.Model):
    """One weekly, local wall-clock working block for a staff member at a location."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0
        TUESDAY = 1
        WEDNESDAY = 2
        THURSDAY = 3
        FRIDAY = 4
        SATURDAY = 5
        SUNDAY = 6

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_hours"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["staff", "weekday", "start_time"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="hours_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        hours = f"{clock_words(self.start_time)}–{clock_words(self.end_time)}"
        return f"{self.staff} {self.get_weekday_display()} {hours}"


class ScheduleException(models.Model):
    """A dated change to one staff member's pattern: time off, or extra hours."""

    class Kind(models.TextChoices):
        TIME_OFF = "time_off", "Time off"
        EXTRA_HOURS = "extra_hours", "Extra hours"

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_exceptions"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="schedule_exceptions"
    )
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Both empty on time off means the whole day.
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(start_time__isnull=True, end_time__isnull=True, kind="time_off"))
                | Q(start_time__isnull=False, end_time__isnull=False, end_time__gt=F("start_time")),
                name="exception_times_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_kind_display()} {self.date}"


class Closure(models.Model):
    """A whole day the location is closed (holiday, training)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["location", "date"], name="closure_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.location} closed {self.date}"


class ConsentText(models.Model):
    """A consent text version published from the setup pages. Written once: a change is a
    new version (patients who signed an older one keep its version and hash). The newest
    published version is the one patients sign; the data file's versions stay the history
    before it."""

    version = models.CharField(max_length=64, unique=True)
    effective = models.DateField()
    # [{"key": ..., "title": ..., "text": ...}] in the order the patient reads them.
    sections = models.JSONField()
    text_hash = models.CharField(max_length=64)
    note = models.CharField("what changed", max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"Consent text {self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("consent text versions are never edited; publish a new version")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("consent text versions are never deleted")


class ClinicProfile(models.Model):
    """The clinic as its public pages show it: its name and the picture at the top.

    One row (the clinic admin's "Public pages" setup); until it exists the pages use the
    deployment's NEEDLEPOINT_CLINIC_NAME and the picture shipped with Needlepoint
    (docs/decisions/0511). The picture lives in the default storage, re-encoded on upload.
    """

    name = models.CharField(max_length=120)
    hero_image = models.FileField(upload_to="public-pages/", blank=True)
    hero_alt = models.CharField("picture description", max_length=250, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="clinic_profile_one_row"),
        ]

    def __str__(self) -> str:
        return self.name


class LocationAccess(models.Model):
    """Where a staff member may act (docs/decisions/0700-roles-granted-per-location.md).

    One row per location granted; a row with no location grants every location, today's and
    tomorrow's (the group). A staff member with no row acts nowhere: the check fails closed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="location_grants"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_grants"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "location"], name="location_access_once"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(location__isnull=True),
                name="location_access_group_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.location or 'every location'}"
