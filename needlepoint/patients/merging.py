"""What merging two records of one person moves, found from the models themselves.

Every row of every app that points at the duplicate record is re-pointed to the kept one.
The apps above patients are never imported here: the relations come from
``Patient._meta`` (hidden ones too, e.g. ``related_name="+"``), so an app added later is
merged without a change here. History tables (django-simple-history) are left as they
were: like the audit trail, they are a record of the past.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalChanges

from .models import Patient

EXPRESSIONS = "(expressions)"


@dataclass(frozen=True)
class Move:
    """The rows of one kind that move to the kept record."""

    label: str  # "appointments", in words
    model: str  # "scheduling.Appointment", for the audit event
    count: int


@dataclass(frozen=True)
class MergePlan:
    kept: Patient
    duplicate: Patient
    moves: list[Move] = field(default_factory=list)
    login_moves: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(m.count for m in self.moves)


def patient_relations() -> Iterator[Any]:
    """The foreign keys (and one-to-one keys) of other rows that point at a patient."""
    for relation in Patient._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.many_to_many:
            continue
        model = relation.related_model
        if not isinstance(model, type) or issubclass(model, HistoricalChanges):
            continue
        # Patient.merged_into is one of them: records merged earlier into the duplicate then
        # point at the kept record, so an old address is always one hop from the live one.
        yield relation.field  # type: ignore[union-attr]  # a reverse relation has one


def _unique_groups(fk: Any) -> Iterator[tuple[list[str], Q]]:
    """Each rule that lets a row exist only once per patient (with the other fields it
    names and the rows it covers)."""
    model = fk.model
    if fk.unique:
        yield [], Q()
    for together in model._meta.unique_together:
        if fk.name in together:
            yield [f for f in together if f != fk.name], Q()
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names = list(constraint.fields)
            if fk.name in names or fk.attname in names:
                others = [f for f in names if f not in (fk.name, fk.attname)]
                yield others, constraint.condition or Q()
            elif constraint.expressions:
                # An expression may involve the patient: never guess; when both records
                # have such rows, the merge stops and says so.
                yield [EXPRESSIONS], Q()


def _collides(fk: Any, kept: Patient, duplicate: Patient) -> bool:
    model = fk.model
    manager = model._base_manager
    for others, condition in _unique_groups(fk):
        theirs = manager.filter(condition, **{fk.name: duplicate})
        ours = manager.filter(condition, **{fk.name: kept})
        if not others or others == [EXPRESSIONS]:
            if theirs.exists() and ours.exists():
                return True
            continue
        kept_values = set(ours.values_list(*others))
        if kept_values and any(v in kept_values for v in theirs.values_list(*others)):
            return True
    return False


def merge_plan(kept: Patient, duplicate: Patient) -> MergePlan:
    """What a merge would move and what, if anything, stops it (in words)."""
    moves: list[Move] = []
    problems: list[str] = []
    if kept.pk == duplicate.pk:
        problems.append("Choose two different records: a record cannot be merged into itself.")
    for record, role in ((kept, "kept"), (duplicate, "duplicate")):
        if record.merged_into_id is not None:
            problems.append(
                f"The {role} record was already merged into another; "
                "open that record and merge from there."
            )
    if kept.user_id and duplicate.user_id and kept.user_id != duplicate.user_id:
        problems.append(
            "Both records have their own portal login. Ask the patient which login they use, "
            "and have the other login closed before merging."
        )
    if problems:
        return MergePlan(kept, duplicate, [], False, problems)
    for fk in patient_relations():
        model = fk.model
        count = model._base_manager.filter(**{fk.name: duplicate}).count()
        if not count:
            continue
        label = str(model._meta.verbose_name_plural)
        if fk.model is Patient:
            label = "records merged earlier into the duplicate"
        if _collides(fk, kept, duplicate):
            problems.append(
                f"Both records have {label} that a patient may have only once; "
                f"remove or correct the duplicate's {label} first, then merge."
            )
        moves.append(Move(label=label, model=model._meta.label, count=count))
    login_moves = bool(duplicate.user_id and not kept.user_id)
    return MergePlan(kept, duplicate, moves, login_moves, problems)


def move_rows(kept: Patient, duplicate: Patient) -> dict[str, int]:
    """Re-point every row at the duplicate to the kept record (inside the caller's
    transaction); how many rows of each kind moved."""
    moved: dict[str, int] = {}
    for fk in patient_relations():
        count = fk.model._base_manager.filter(**{fk.name: duplicate}).update(**{fk.name: kept})
        if count:
            moved[fk.model._meta.label] = moved.get(fk.model._meta.label, 0) + count
    return moved
