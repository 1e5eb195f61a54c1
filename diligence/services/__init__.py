"""Writes that follow a rule in the diligence app, one module per aggregate.

`checklists` curates checklist versions, `assessments` runs the assessment workflow, `items`
saves answers on checklist items, `evidence` adds evidence to them and `reevaluation` keeps open
assessments in line with changed facts. Import from here
(`from diligence.services import assessment_submit`); the modules are how the code is cut.
"""

from diligence.services.assessments import (
    IN_REVIEW_MESSAGE,
    READ_ONLY_MESSAGE,
    assessment_decide,
    assessment_derived,
    assessment_move_to_version,
    assessment_reopen,
    assessment_return,
    assessment_start,
    assessment_submit,
    may_decide,
    model_facts,
)
from diligence.services.checklists import (
    checklist_new_draft,
    checklist_publish,
    checklist_retire,
    latest_published_checklist,
)
from diligence.services.evidence import evidence_add
from diligence.services.items import (
    ConflictError,
    assessment_item_update,
    assessment_items_bulk_status,
)
from diligence.services.reevaluation import assessment_reevaluate, assessments_reevaluate

__all__ = [
    "IN_REVIEW_MESSAGE",
    "READ_ONLY_MESSAGE",
    "ConflictError",
    "assessment_decide",
    "assessment_derived",
    "assessment_item_update",
    "assessment_items_bulk_status",
    "assessment_reevaluate",
    "assessments_reevaluate",
    "assessment_move_to_version",
    "assessment_reopen",
    "assessment_return",
    "assessment_start",
    "assessment_submit",
    "checklist_new_draft",
    "checklist_publish",
    "checklist_retire",
    "evidence_add",
    "latest_published_checklist",
    "may_decide",
    "model_facts",
]
