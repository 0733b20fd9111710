from django.http import HttpRequest
from ninja import Query, Router

from needlepoint.accounts.permissions import require
from needlepoint.core.errors import FieldProblem, InvalidInput
from needlepoint.core.idempotency import idempotent
from needlepoint.core.inputs import Page
from needlepoint.domain.protocols import GradedConcern, InvalidRequest, recommend
from needlepoint.patients.selectors import patient_to_act_on
from needlepoint.screening import clinic_data
from needlepoint.screening.selectors import consultation_in_field

from . import selectors, services
from .schemas import PlanIn, PlanList, PlanOut, RecommendationOut, RecommendIn

router = Router(tags=["treatments"])


@router.post(
    "/protocols/recommend",
    response=RecommendationOut,
    summary="The protocol table's recommendation (aesthetician, physician)",
)
def recommend_protocol(request: HttpRequest, body: RecommendIn) -> object:
    require(request, "protocol.recommend")
    table = clinic_data.current_protocols()
    concerns = [GradedConcern(c.concern, c.grade) for c in body.concerns]
    try:
        rec = recommend(concerns, body.fitzpatrick, body.zones, table)
    except InvalidRequest as exc:
        raise InvalidInput(
            [FieldProblem(field, message) for field, message in exc.problems],
            "The request names what the protocol table does not know.",
        ) from None
    return rec


@router.post(
    "/plans",
    response={201: PlanOut},
    summary="Create a treatment plan from a consultation (aesthetician, physician)",
)
@idempotent
def create_plan(request: HttpRequest, body: PlanIn) -> tuple[int, object]:
    actor = require(request, "plan.create", audit_action="plan.create")
    consultation = consultation_in_field(body.consultation)
    plan = services.plan_create(actor=actor, consultation=consultation, overrides=body.overrides)
    return 201, PlanOut.from_orm(plan)


@router.get("/plans/{int:plan_id}", response=PlanOut, summary="A treatment plan (staff)")
def get_plan(request: HttpRequest, plan_id: int) -> object:
    actor = require(request, "plan.read", audit_action="plan.read")
    return selectors.plan_for_staff(actor=actor, plan_id=plan_id)


@router.get(
    "/patients/{int:patient_id}/plans",
    response=PlanList,
    summary="A patient's treatment plans (staff)",
)
def list_patient_plans(request: HttpRequest, patient_id: int, page: Query[Page]) -> object:
    actor = require(request, "plan.read", audit_action="plan.read", patient_id=patient_id)
    patient_to_act_on(patient_id)
    items, count = selectors.patient_plans(
        actor=actor, patient_id=patient_id, limit=page.limit, offset=page.offset
    )
    return {"items": items, "count": count}
