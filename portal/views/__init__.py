"""Pages of the supplier link: the buyer's (`requests`) and the supplier's (`supplier`)."""

from portal.views.requests import (
    answer_accept,
    answer_ask_again,
    documentation_record,
    request_create,
    request_detail,
    request_resend,
    request_revoke,
    supplier_file_download,
)
from portal.views.supplier import (
    answers,
    file_remove,
    link,
    mdf,
    reminders_stop,
    submitted,
    summary,
)

__all__ = [
    "answer_accept",
    "answer_ask_again",
    "answers",
    "documentation_record",
    "file_remove",
    "link",
    "mdf",
    "reminders_stop",
    "request_create",
    "request_detail",
    "request_resend",
    "request_revoke",
    "submitted",
    "summary",
    "supplier_file_download",
]
