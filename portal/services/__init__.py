"""The supplier-request workflow: send a link, the supplier answers and submits, the owner
accepts or asks again. Each write is one transaction with an audit entry on the assessment.

`requests` is the buyer's asking, `answers` the supplier's side of the link and `review` the
owner's review of what came back. Import from here (`from portal.services import
supplier_request_create`); the modules are how the code is cut.
"""

from portal.services.answers import (
    LOCKED_MESSAGE,
    is_usable,
    request_for_token,
    supplier_answers_save,
    supplier_documentation_save,
    supplier_file_add,
    supplier_file_remove,
    supplier_reminders_stop,
    supplier_request_submit,
)
from portal.services.requests import (
    supplier_request_create,
    supplier_request_resend,
    supplier_request_revoke,
)
from portal.services.review import (
    supplier_answer_accept,
    supplier_answer_ask_again,
    supplier_documentation_record,
)

__all__ = [
    "LOCKED_MESSAGE",
    "is_usable",
    "request_for_token",
    "supplier_answer_accept",
    "supplier_answer_ask_again",
    "supplier_answers_save",
    "supplier_documentation_record",
    "supplier_documentation_save",
    "supplier_file_add",
    "supplier_file_remove",
    "supplier_reminders_stop",
    "supplier_request_create",
    "supplier_request_resend",
    "supplier_request_revoke",
    "supplier_request_submit",
]
