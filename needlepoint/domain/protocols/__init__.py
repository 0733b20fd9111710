"""Graded concerns + phototype + zones + the protocol table -> a recommended plan.

The contract is the shared domain brief ``protocols.md``; the data format and the
interpretations it needed are in ``docs/decisions/0102-protocol-table.md``. Every
clinical number comes from the table (``needlepoint/data/protocols.yaml``), none from
this module. Concern, grade and zone *names* are the API contract and live here, because
stored plans and API clients refer to them; the table must use exactly these.
"""

from __future__ import annotations

from needlepoint.domain.protocols.depth import (
    DepthStatus,
    DepthVerdict,
    depth_check,
)
from needlepoint.domain.protocols.follow_up import (
    FollowUp,
    TimelineStep,
    add_months,
    follow_up_schedule,
    session_timeline,
)
from needlepoint.domain.protocols.outline import CourseOutline, course_outline
from needlepoint.domain.protocols.parsing import (
    parse_protocols,
    parse_scope_ceilings,
)
from needlepoint.domain.protocols.recommend import (
    FieldProblem,
    GradedConcern,
    InvalidRequest,
    Recommendation,
    ZoneDepth,
    recommend,
    validate_request,
)
from needlepoint.domain.protocols.table import (
    CONCERNS,
    GRADES,
    PHOTOTYPES,
    ZONES,
    Ceilings,
    Concern,
    Course,
    CourseFollowUp,
    DarkerPhototypeRule,
    DepthBand,
    DepthRange,
    FollowUpRules,
    Grade,
    KeyPath,
    Precaution,
    ProtocolTable,
    RoleCeiling,
    ScopeCeilings,
    SessionStep,
    Zone,
)

__all__ = [
    "CONCERNS",
    "GRADES",
    "PHOTOTYPES",
    "ZONES",
    "Ceilings",
    "Concern",
    "Course",
    "CourseFollowUp",
    "CourseOutline",
    "DarkerPhototypeRule",
    "DepthBand",
    "DepthRange",
    "DepthStatus",
    "DepthVerdict",
    "FieldProblem",
    "FollowUp",
    "FollowUpRules",
    "Grade",
    "GradedConcern",
    "InvalidRequest",
    "KeyPath",
    "Precaution",
    "ProtocolTable",
    "Recommendation",
    "RoleCeiling",
    "ScopeCeilings",
    "SessionStep",
    "TimelineStep",
    "Zone",
    "ZoneDepth",
    "add_months",
    "course_outline",
    "depth_check",
    "follow_up_schedule",
    "parse_protocols",
    "parse_scope_ceilings",
    "recommend",
    "session_timeline",
    "validate_request",
]
