"""The diligence app's pages, one module per page or workflow step.

`assessments` has the list, export, start and detail pages, `items` the checklist item page and
evidence downloads, `workflow` the actions that move an assessment along. `diligence/urls.py`
reaches them all as `views.<name>`.
"""

from diligence.views.assessments import (
    AssessmentListView,
    assessment_detail,
    assessment_export,
    assessment_start,
)
from diligence.views.items import (
    decision_attachment,
    evidence_download,
    item_detail,
    item_quick_status,
    items_bulk_status,
)
from diligence.views.workflow import (
    assessment_decide,
    assessment_move,
    assessment_reopen,
    assessment_return,
    assessment_submit,
)

__all__ = [
    "AssessmentListView",
    "assessment_decide",
    "assessment_detail",
    "assessment_export",
    "assessment_move",
    "assessment_reopen",
    "assessment_return",
    "assessment_start",
    "assessment_submit",
    "decision_attachment",
    "evidence_download",
    "item_detail",
    "item_quick_status",
    "items_bulk_status",
]
