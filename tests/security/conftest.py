"""Shared ground for the hostile-input suite: a complete data graph, every URL of the app with
the ids of real records, who may GET and POST each one, a valid submission for each write, and
a fingerprint of the whole database to tell whether a request changed anything.
"""

import datetime
import hashlib
import logging
import types
import uuid
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from api import tokens as api_tokens
from contracts import queries as contract_queries
from contracts import services as contract_services
from contracts import tasks as contract_tasks
from contracts.models import Document
from core import files
from core.models import AuditEntry
from core.roles import PROCUREMENT
from diligence import services as diligence_services
from diligence.models import Checklist
from documentation import services as documentation_services
from tests.factories import (
    MINIMAL_PDF,
    SIGNATORY_LIST,
    AssessmentFactory,
    DecisionFactory,
    GPAIModelFactory,
    SupplierFactory,
    UserFactory,
)
from vendors.models import RegisterMatch
from vendors.register import services as register_services

TODAY = datetime.date.today()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)
NEXT_YEAR = TODAY + datetime.timedelta(days=365)
PDF = MINIMAL_PDF
MISSING_ID = 987_654_321
MISSING_UUID = "00000000-0000-4000-8000-000000000000"

# Signed-in roles, as the fixtures of tests/conftest.py name their users; "anonymous" is apart.
ROLES = ("procurement", "legal", "checklist_admin", "viewer", "outsider")
STAFF = ROLES[:-1]

# Audit entries that reading writes on purpose: downloads and exports are on record (README,
# "Every change is kept"). They are the only rows a GET may add.
READ_AUDIT_ACTIONS = (
    "evidence_downloaded",
    "document_downloaded",
    "mdf_source_downloaded",
    "training_summary_source_downloaded",
    "suppliers_exported",
    "assessments_exported",
)

# URL names under these prefixes are not the app's own pages. The REST API (api/) has its own
# role matrix in tests/api/test_endpoints.py.
SKIPPED_PREFIXES = ("admin/", "static/", "media/", "api/")


# Every URL of the app ---------------------------------------------------------------------


def url_patterns():
    """{qualified url name: route} for every named URL in the URLconf, admin and files left out."""
    found = {}

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"The URL {route} has no name, so no test can reverse it."
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                assert name not in found, f"Two URLs are named {name}."
                found[name] = route

    walk(get_resolver().url_patterns, "", "")
    return found


# Who may do what -------------------------------------------------------------------------

OK = "ok"  # 200, or a redirect that is not to the sign-in page
SIGNED_OUT = "signed out"  # a redirect to the sign-in page


def _everyone(status=OK):
    return dict.fromkeys(ROLES, status)


def _readers(status=OK):
    """Every role reads (with `status`); a user without a role learns nothing (404)."""
    return {**dict.fromkeys(STAFF, status), "outsider": 404}


def _only(*roles):
    """The roles named may; the other roles can read but not change (403); outsiders get 404."""
    assert set(roles) <= set(STAFF)
    return {
        **{role: OK if role in roles else 403 for role in STAFF},
        "outsider": 404,
    }


POST_ONLY = _everyone(405)  # the GET column of a URL that only takes POST
READ_ONLY = _everyone(405)  # the POST column of a page that only reads


@dataclass(frozen=True)
class Access:
    get: dict
    post: dict
    public: bool = False  # answers a visitor who is not signed in
    anonymous: dict = None  # what a public URL answers that visitor, by method (200 if None)


# The expectation table: every URL name of the app, and what each role gets for GET and POST.
# A URL that is not in this table fails test_every_url_of_the_app_is_in_the_access_table.
ACCESS = {
    "home": Access(get=_everyone(), post=READ_ONLY),
    "follow_ups": Access(get=_everyone(), post=READ_ONLY),
    "gaps": Access(get=_readers(), post=_readers(405)),
    "login": Access(get=_everyone(), post=_everyone(), public=True),
    # Single sign-on, off in the tests unless a test configures a provider: not found.
    "oidc_authentication_init": Access(
        get=_everyone(404), post=_everyone(405), public=True, anonymous={"get": 404, "post": 405}
    ),
    "oidc_authentication_callback": Access(
        get=_everyone(404), post=_everyone(405), public=True, anonymous={"get": 404, "post": 405}
    ),
    "logout": Access(get=POST_ONLY, post=_everyone(SIGNED_OUT)),
    # Everyone keeps their own API tokens; someone else's token is not found.
    "api_tokens": Access(get=_everyone(), post=_everyone()),
    # Everyone manages their own second factor. Verify and set-up send a user whose sign-in is
    # complete on to the page they asked for.
    "identity:manage": Access(get=_everyone(), post=READ_ONLY),
    "identity:verify": Access(get=_everyone(), post=_everyone()),
    "identity:enrol": Access(get=_everyone(), post=_everyone()),
    "identity:enrol_qr": Access(get=_everyone(), post=READ_ONLY),
    "identity:recovery_codes": Access(get=POST_ONLY, post=_everyone()),
    "identity:remove": Access(get=POST_ONLY, post=_everyone()),
    "api_token_revoke": Access(get=POST_ONLY, post={**_everyone(404), "procurement": OK}),
    # Suppliers, models and signatures: Procurement keeps the register.
    "vendors:supplier_list": Access(get=_readers(), post=_readers(405)),
    "vendors:supplier_create": Access(get=_only("procurement"), post=_only("procurement")),
    "vendors:supplier_export": Access(get=_readers(), post=READ_ONLY),
    "vendors:supplier_detail": Access(get=_readers(), post=_readers(405)),
    "vendors:supplier_update": Access(get=_only("procurement"), post=_only("procurement")),
    "vendors:supplier_archive": Access(get=POST_ONLY, post=_only("procurement")),
    "vendors:signatures_edit": Access(get=_only("procurement"), post=_only("procurement")),
    "vendors:model_create": Access(get=_only("procurement"), post=_only("procurement")),
    "vendors:model_detail": Access(get=_readers(), post=_readers(405)),
    "vendors:model_update": Access(get=_only("procurement"), post=_only("procurement")),
    "vendors:model_archive": Access(get=POST_ONLY, post=_only("procurement")),
    # Signatory register: Checklist admins import; they and Procurement apply.
    "vendors:register_list": Access(get=_readers(), post=_readers(405)),
    "vendors:register_import": Access(get=_only("checklist_admin"), post=_only("checklist_admin")),
    "vendors:register_detail": Access(get=_readers(), post=READ_ONLY),
    "vendors:register_apply": Access(get=POST_ONLY, post=_only("procurement", "checklist_admin")),
    "vendors:register_apply_all": Access(
        get=_only("procurement", "checklist_admin"), post=_only("procurement", "checklist_admin")
    ),
    "vendors:register_undo": Access(get=POST_ONLY, post=_only("procurement", "checklist_admin")),
    "vendors:register_match": Access(get=POST_ONLY, post=_only("procurement", "checklist_admin")),
    "vendors:register_supplier_create": Access(
        get=_only("procurement", "checklist_admin"), post=_only("procurement", "checklist_admin")
    ),
    # Assessments: Procurement works and decides them.
    "diligence:assessment_list": Access(get=_readers(), post=_readers(405)),
    "diligence:assessment_start": Access(get=_only("procurement"), post=_only("procurement")),
    "diligence:assessment_export": Access(get=_readers(), post=READ_ONLY),
    "diligence:assessment_detail": Access(get=_readers(), post=READ_ONLY),
    "diligence:assessment_submit": Access(get=POST_ONLY, post=_only("procurement")),
    "diligence:assessment_return": Access(get=POST_ONLY, post=_only("procurement")),
    "diligence:assessment_decide": Access(get=_only("procurement"), post=_only("procurement")),
    "diligence:assessment_reopen": Access(get=POST_ONLY, post=_only("procurement")),
    "diligence:assessment_move": Access(get=POST_ONLY, post=_only("procurement")),
    "diligence:item_detail": Access(get=_readers(), post=_only("procurement")),
    "diligence:item_quick_status": Access(get=POST_ONLY, post=_only("procurement")),
    "diligence:items_bulk_status": Access(get=POST_ONLY, post=_only("procurement")),
    "diligence:evidence_download": Access(get=_readers(), post=READ_ONLY),
    "diligence:decision_attachment_download": Access(get=_readers(), post=READ_ONLY),
    # Clause packs: Legal changes them; Legal and Procurement make and download documents.
    "contracts:clause_pack": Access(get=_readers(), post=READ_ONLY),
    # What if: a form sent by GET that saves nothing, for everyone who may see the model.
    "contracts:model_what_if": Access(get=_readers(), post=READ_ONLY),
    "contracts:clause_remove": Access(get=POST_ONLY, post=_only("legal")),
    "contracts:clause_add": Access(get=POST_ONLY, post=_only("legal")),
    "contracts:document_generate": Access(get=POST_ONLY, post=_only("legal", "procurement")),
    "contracts:document_download": Access(get=_only("legal", "procurement"), post=READ_ONLY),
    # The supplier's documentation: Procurement records it; every role reads it.
    "documentation:model_documentation": Access(get=_readers(), post=READ_ONLY),
    "documentation:mdf_create": Access(get=_only("procurement"), post=_only("procurement")),
    "documentation:mdf_import": Access(get=_only("procurement"), post=_only("procurement")),
    "documentation:mdf_detail": Access(get=_readers(), post=READ_ONLY),
    "documentation:mdf_edit": Access(get=_only("procurement"), post=_only("procurement")),
    "documentation:mdf_confirm": Access(get=POST_ONLY, post=_only("procurement")),
    "documentation:mdf_source_download": Access(get=_readers(), post=READ_ONLY),
    "documentation:mdf_new_version": Access(get=POST_ONLY, post=_only("procurement")),
    "documentation:summary_create": Access(get=_only("procurement"), post=_only("procurement")),
    "documentation:summary_import": Access(get=_only("procurement"), post=_only("procurement")),
    "documentation:summary_detail": Access(get=_readers(), post=READ_ONLY),
    "documentation:summary_edit": Access(get=_only("procurement"), post=_only("procurement")),
    "documentation:summary_confirm": Access(get=POST_ONLY, post=_only("procurement")),
    "documentation:summary_source_download": Access(get=_readers(), post=READ_ONLY),
    "documentation:epoch_import": Access(get=_only("procurement"), post=_only("procurement")),
    "documentation:estimate_decide": Access(get=POST_ONLY, post=_only("procurement")),
    # Where a document being made stands: for those who make documents.
    "contracts:document_job": Access(get=_only("legal", "procurement"), post=READ_ONLY),
    # Supplier requests: Procurement asks the supplier and reviews the answers; every role
    # reads them, and the supplier's files, as evidence.
    "portal:request_create": Access(get=_only("procurement"), post=_only("procurement")),
    "portal:request_detail": Access(get=_readers(), post=READ_ONLY),
    "portal:request_resend": Access(get=POST_ONLY, post=_only("procurement")),
    "portal:request_revoke": Access(get=POST_ONLY, post=_only("procurement")),
    "portal:documentation_record": Access(get=POST_ONLY, post=_only("procurement")),
    "portal:answer_accept": Access(get=POST_ONLY, post=_only("procurement")),
    "portal:answer_ask_again": Access(get=POST_ONLY, post=_only("procurement")),
    "portal:supplier_file_download": Access(get=_readers(), post=READ_ONLY),
    # The supplier's pages need the session a valid link gives (tests/portal); without it,
    # signed in or not, they answer the same neutral "this link cannot be used" page.
    **{
        name: Access(
            get=_everyone(get),
            post=_everyone(post),
            public=True,
            anonymous={"get": get, "post": post},
        )
        for name, get, post in (
            ("portal:link", 404, 405),
            ("portal:answers", 404, 404),
            ("portal:file_remove", 405, 404),
            ("portal:mdf", 404, 404),
            ("portal:summary", 404, 404),
            ("portal:submitted", 404, 405),
            ("portal:reminders_stop", 404, 404),
        )
    },
}

# The supplier's pages: no signed-in role may use them (see above).
SUPPLIER_PAGES = {name for name in ACCESS if name.startswith("portal:") and ACCESS[name].public}


def first_allowed(name):
    """(role, method) of a request that `ACCESS` allows for this URL, GET preferred."""
    for method in ("get", "post"):
        for role in STAFF:
            if getattr(ACCESS[name], method)[role] in (OK, SIGNED_OUT):
                return role, method
    raise AssertionError(f"No role may use {name}.")


# Valid submissions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file to post; a new file object is made for each request, so it can be sent twice."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


def encode(data):
    """`data` with every Upload turned into a fresh uploaded file for the test client."""
    return {
        key: SimpleUploadedFile(value.name, value.content, value.content_type)
        if isinstance(value, Upload)
        else value
        for key, value in data.items()
    }


REGISTER_CSV = (
    "provider,chapters,date,source_url\n"
    f"Mistral AI SAS,all,2025-08-01,{SIGNATORY_LIST}\n"
    f"Mistral,transparency,2025-08-01,{SIGNATORY_LIST}\n"
    f"Aleph Alpha GmbH,all,2025-08-01,{SIGNATORY_LIST}\n"
).encode()
OLDER_REGISTER_CSV = (
    f"provider,chapters,date,source_url\nCohere Inc.,all,2025-08-01,{SIGNATORY_LIST}\n"
).encode()
NEWER_REGISTER_CSV = (
    f"provider,chapters,date,source_url\nMistral AI,all,2025-08-01,{SIGNATORY_LIST}\n"
).encode()


MDF_JSON = (
    b'{"document_version": "1", "last_updated": "2026-01-31", "fields": {"architecture": "x"}}'
)
SUMMARY_MD = (
    b"## 1.1 Provider identification\nMistral AI SAS\n## 3.1 Opt-outs\nrobots.txt honoured\n"
)
EPOCH_CSV = b"Model,Organization,Training compute (FLOP),Confidence\nMistral Medium 3,Mistral AI,2.0e24,Likely\n"


@dataclass(frozen=True)
class Action:
    """A write somebody may do: the URL, who, a valid submission and the state it needs."""

    url_name: str
    role: str  # a key of the `users` fixture
    data: object  # world -> dict
    prepare: object = None  # world -> None: puts the records where the write can succeed


def _submitted(world):
    diligence_services.assessment_submit(assessment=world.assessment, by=world.users["procurement"])


def _decided(world):
    _submitted(world)
    diligence_services.assessment_decide(
        assessment=world.assessment,
        outcome="rejected",
        conditions="",
        valid_until=NEXT_YEAR,
        by=world.users["reviewer"],
    )


def _item_version(item):
    """ "id:version" of the item as stored now, as the assessment page's tick box posts it."""
    item.refresh_from_db(fields=["version"])
    return f"{item.pk}:{item.version}"


def _fingerprint(world):
    """The fingerprint of the changes the apply-all preview shows now."""
    from vendors.register import queries

    snapshot = world.snapshot
    _, found = queries.register_review(snapshot)
    return queries.changes_fingerprint(found)


def _signatures(world):
    data = {}
    for chapter in ("transparency", "copyright", "safety_security"):
        data.update(
            {
                f"{chapter}-status": "signed",
                f"{chapter}-signed_on": "2025-08-01",
                f"{chapter}-source_url": SIGNATORY_LIST,
                f"{chapter}-verified_on": TODAY.isoformat(),
                f"{chapter}-note": "Checked on the Commission's list.",
            }
        )
    return data


def _model(name, version):
    return {
        "name": name,
        "version": version,
        "modalities": ["text"],
        "systemic_risk_status": "unknown",
        "licence": "Apache-2.0",
    }


ACTIONS = {
    "login": Action(
        "login", "anonymous", lambda w: {"username": "procurement", "password": w.password}
    ),
    "logout": Action("logout", "procurement", lambda w: {}),
    "supplier_create": Action(
        "vendors:supplier_create",
        "procurement",
        lambda w: {"name": "Cohere", "country": "CA", "website": "https://cohere.com"},
    ),
    "supplier_update": Action(
        "vendors:supplier_update",
        "procurement",
        lambda w: {"name": "Mistral AI", "legal_name": "Mistral AI SAS", "country": "FR"},
    ),
    "supplier_archive": Action("vendors:supplier_archive", "procurement", lambda w: {}),
    "signatures_edit": Action("vendors:signatures_edit", "procurement", _signatures),
    "model_create": Action(
        "vendors:model_create", "procurement", lambda w: _model("Codestral", "2")
    ),
    "model_update": Action(
        "vendors:model_update", "procurement", lambda w: _model("Mistral Medium", "3.1")
    ),
    "model_archive": Action("vendors:model_archive", "procurement", lambda w: {}),
    "register_import": Action(
        "vendors:register_import",
        "checklist_admin",
        lambda w: {
            "file": Upload("register-2026.csv", NEWER_REGISTER_CSV, "text/csv"),
            "taken_on": TODAY.isoformat(),
            "source_url": SIGNATORY_LIST,
        },
    ),
    "register_apply": Action(
        "vendors:register_apply",
        "procurement",
        lambda w: {"supplier": w.supplier.pk, "chapter": "copyright", "confirm": "1"},
    ),
    "register_apply_all": Action(
        "vendors:register_apply_all", "procurement", lambda w: {"fingerprint": _fingerprint(w)}
    ),
    "register_undo": Action("vendors:register_undo", "procurement", lambda w: {}),
    "register_match": Action(
        "vendors:register_match", "procurement", lambda w: {"decision": "reject"}
    ),
    "register_supplier_create": Action(
        "vendors:register_supplier_create",
        "procurement",
        lambda w: {"name": "Aleph Alpha", "legal_name": "Aleph Alpha GmbH", "country": "DE"},
    ),
    "assessment_start": Action(
        "diligence:assessment_start",
        "procurement",
        lambda w: {
            "model": w.model.pk,
            "reference": "TENDER-2026-002",
            "purpose": "Code completion for the IT department.",
            "owner": w.users["procurement"].pk,
            "due_date": NEXT_MONTH.isoformat(),
            "request_token": str(uuid.uuid4()),
        },
    ),
    "assessment_submit": Action(
        "diligence:assessment_submit",
        "procurement",
        lambda w: {"reviewer": w.users["reviewer"].pk, "confirm": "1"},
    ),
    "assessment_return": Action(
        "diligence:assessment_return",
        "reviewer",
        lambda w: {"reason": "DOC-12 is missing."},
        prepare=_submitted,
    ),
    "assessment_decide": Action(
        "diligence:assessment_decide",
        "reviewer",
        lambda w: {"outcome": "rejected", "conditions": "", "valid_until": NEXT_YEAR.isoformat()},
        prepare=_submitted,
    ),
    "assessment_reopen": Action(
        "diligence:assessment_reopen",
        "procurement",
        lambda w: {"reason": "A new model version was released."},
        prepare=_decided,
    ),
    "assessment_move": Action(
        "diligence:assessment_move",
        "procurement",
        lambda w: {"checklist": w.newer_checklist.pk},
    ),
    "item_save": Action(
        "diligence:item_detail",
        "procurement",
        lambda w: {
            "save_item": "1",
            "status": "requested",
            "justification": "",
            "notes": "Asked the supplier on Monday.",
            "version": w.item.version,
        },
    ),
    "evidence_add": Action(
        "diligence:item_detail",
        "procurement",
        lambda w: {
            "add_evidence": "1",
            "file": Upload("model-card-v2.pdf", PDF, "application/pdf"),
            "description": "Model card, second edition",
            "issuer": "Mistral AI",
            "request_token": str(uuid.uuid4()),
        },
    ),
    "item_quick_status": Action(
        "diligence:item_quick_status",
        "procurement",
        lambda w: {"status": "received", "version": w.item.version},
    ),
    "items_bulk_status": Action(
        "diligence:items_bulk_status",
        "procurement",
        lambda w: {"status": "requested", "items": [_item_version(w.other_item)]},
    ),
    "clause_remove": Action(
        "contracts:clause_remove",
        "legal",
        lambda w: {"clause": w.included_clause, "reason": "Covered by the framework agreement."},
    ),
    "clause_add": Action(
        "contracts:clause_add",
        "legal",
        lambda w: {"clause": w.removed_clause, "reason": "The framework agreement lapsed."},
    ),
    "document_generate": Action(
        "contracts:document_generate",
        "legal",
        lambda w: {"format": "docx"},
        # Without a change since the stored document, generating returns that document.
        prepare=lambda w: contract_services.clause_pack_add(
            assessment=w.assessment,
            clause_key=w.removed_clause,
            reason="The framework agreement lapsed.",
            by=w.users["legal"],
        ),
    ),
    "mdf_create": Action(
        "documentation:mdf_create",
        "procurement",
        lambda w: {
            "document_version": "2.0",
            "last_updated": "2026-05-04",
            "value__provider-legal-name": "Mistral AI SAS",
            "na__model-dependencies": "on",
        },
    ),
    "mdf_import": Action(
        "documentation:mdf_import",
        "procurement",
        lambda w: {"file": Upload("mdf.json", MDF_JSON, "application/json")},
    ),
    "mdf_edit": Action(
        "documentation:mdf_edit",
        "procurement",
        lambda w: {
            "document_version": "1.1",
            "last_updated": "2026-05-04",
            "value__architecture": "Decoder-only transformer",
        },
    ),
    "mdf_confirm": Action("documentation:mdf_confirm", "procurement", lambda w: {}),
    "mdf_new_version": Action("documentation:mdf_new_version", "procurement", lambda w: {}),
    "summary_create": Action(
        "documentation:summary_create",
        "procurement",
        lambda w: {"last_updated": "2026-05-04", "section__1.1": "Mistral AI SAS"},
    ),
    "summary_import": Action(
        "documentation:summary_import",
        "procurement",
        lambda w: {"file": Upload("summary.md", SUMMARY_MD, "text/markdown")},
    ),
    "summary_edit": Action(
        "documentation:summary_edit",
        "procurement",
        lambda w: {"last_updated": "2026-05-04", "crawlers": "ExampleBot"},
    ),
    "summary_confirm": Action("documentation:summary_confirm", "procurement", lambda w: {}),
    "epoch_import": Action(
        "documentation:epoch_import",
        "procurement",
        lambda w: {"file": Upload("notable_ai_models.csv", EPOCH_CSV, "text/csv")},
    ),
    "estimate_decide": Action(
        "documentation:estimate_decide", "procurement", lambda w: {"decision": "accept"}
    ),
    "supplier_request_create": Action(
        "portal:request_create",
        "procurement",
        lambda w: {
            "recipient_name": "Sam Supplier",
            "recipient_email": "sam@mistral.example",
            "due_date": NEXT_MONTH.isoformat(),
            "items": [str(w.other_item.pk)],
            "asks_mdf": "on",
        },
    ),
    "supplier_request_resend": Action("portal:request_resend", "procurement", lambda w: {}),
    "supplier_request_revoke": Action("portal:request_revoke", "procurement", lambda w: {}),
    "supplier_documentation_record": Action(
        "portal:documentation_record", "procurement", lambda w: {}
    ),
    "supplier_answer_accept": Action("portal:answer_accept", "procurement", lambda w: {}),
    "supplier_answer_ask_again": Action(
        "portal:answer_ask_again",
        "procurement",
        lambda w: {"comment": "The model card does not give the training cut-off."},
    ),
}

# The submission the access test posts to each URL: valid, so a missing check would write.
POST_FOR_URL = {}
for _key, _action in ACTIONS.items():
    POST_FOR_URL.setdefault(_action.url_name, _key)


# The data graph ---------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def users(procurement_user, legal_user, checklist_admin_user, viewer_user, outsider_user):
    """One user per role; "reviewer" is a second Procurement user, who may decide on the
    assessments the first one owns (four eyes)."""
    return {
        "procurement": procurement_user,
        "legal": legal_user,
        "checklist_admin": checklist_admin_user,
        "viewer": viewer_user,
        "outsider": outsider_user,
        "reviewer": UserFactory(username="reviewer", role=PROCUREMENT),
    }


_HANDLERS = {}


def new_client(*, enforce_csrf_checks=False):
    """A test client that shares its request handler with the other clients of the suite.

    Each handler builds the middleware chain once, and whitenoise then indexes every static
    file: a quarter of a second per client, which hundreds of clients would add up.
    """
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.handler = _HANDLERS.setdefault(enforce_csrf_checks, client.handler)
    return client


def signed_in(user, *, enforce_csrf_checks=False):
    client = new_client(enforce_csrf_checks=enforce_csrf_checks)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def clients(users):
    return {
        "anonymous": new_client(),
        **{role: signed_in(user) for role, user in users.items()},
    }


@pytest.fixture
def quiet_request_log():
    """403s and 404s are what these tests expect by the hundred; do not log each traceback."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def url_kwargs_for(world):
    a = world.assessment
    supplier, model = world.supplier.pk, world.model.pk
    return {
        "api_token_revoke": {"pk": world.api_token.pk},
        "vendors:supplier_detail": {"pk": supplier},
        "vendors:supplier_update": {"pk": supplier},
        "vendors:supplier_archive": {"pk": supplier},
        "vendors:signatures_edit": {"pk": supplier},
        "vendors:model_create": {"supplier_pk": supplier},
        "vendors:model_detail": {"pk": model},
        "vendors:model_update": {"pk": model},
        "contracts:model_what_if": {"pk": model},
        "vendors:model_archive": {"pk": model},
        "vendors:register_detail": {"pk": world.snapshot.pk},
        "vendors:register_apply": {"pk": world.snapshot.pk},
        "vendors:register_apply_all": {"pk": world.snapshot.pk},
        "vendors:register_undo": {"pk": world.snapshot.pk, "change_pk": world.applied_change.pk},
        "vendors:register_match": {"pk": world.snapshot.pk, "entry_pk": world.uncertain_entry.pk},
        "vendors:register_supplier_create": {
            "pk": world.snapshot.pk,
            "entry_pk": world.new_entry.pk,
        },
        **{
            f"diligence:{name}": {"pk": a.pk}
            for name in (
                "assessment_detail",
                "assessment_submit",
                "assessment_return",
                "assessment_decide",
                "assessment_reopen",
                "assessment_move",
            )
        },
        "diligence:item_detail": {"pk": a.pk, "item_pk": world.item.pk},
        "diligence:item_quick_status": {"pk": a.pk, "item_pk": world.item.pk},
        "diligence:items_bulk_status": {"pk": a.pk},
        "diligence:decision_attachment_download": {
            "pk": world.decision.assessment_id,
            "decision_pk": world.decision.pk,
        },
        "diligence:evidence_download": {
            "pk": a.pk,
            "item_pk": world.item.pk,
            "evidence_pk": world.evidence.pk,
        },
        **{
            f"contracts:{name}": {"pk": a.pk}
            for name in ("clause_pack", "clause_remove", "clause_add", "document_generate")
        },
        "contracts:document_download": {"pk": a.pk, "document_pk": world.document.pk},
        **{
            f"documentation:{name}": {"pk": model}
            for name in (
                "model_documentation",
                "mdf_create",
                "mdf_import",
                "summary_create",
                "summary_import",
                "epoch_import",
            )
        },
        **{
            f"documentation:{name}": {"pk": world.mdf.pk}
            for name in (
                "mdf_detail",
                "mdf_edit",
                "mdf_confirm",
                "mdf_source_download",
                "mdf_new_version",
            )
        },
        **{
            f"documentation:{name}": {"pk": world.training_summary.pk}
            for name in (
                "summary_detail",
                "summary_edit",
                "summary_confirm",
                "summary_source_download",
            )
        },
        "documentation:estimate_decide": {"pk": world.estimate.pk},
        "contracts:document_job": {"pk": a.pk, "job_id": world.document_job.pk},
        **{
            f"portal:{name}": {"pk": a.pk, "request_pk": world.supplier_request.pk}
            for name in ("request_detail", "request_resend", "request_revoke")
        },
        "portal:request_create": {"pk": a.pk},
        "portal:documentation_record": {"pk": a.pk, "request_pk": world.answered_request.pk},
        **{
            f"portal:{name}": {
                "pk": a.pk,
                "request_pk": world.answered_request.pk,
                "row_pk": world.answered_row.pk,
            }
            for name in ("answer_accept", "answer_ask_again")
        },
        "portal:supplier_file_download": {
            "pk": a.pk,
            "request_pk": world.answered_request.pk,
            "file_pk": world.supplier_file.pk,
        },
        # The supplier's pages: a token and a key that open nothing, a file of a request.
        "portal:link": {"token": "not-a-link"},
        "portal:reminders_stop": {"key": "not-a-key"},
        "portal:file_remove": {"file_pk": world.supplier_file.pk},
    }


def supplier_requests(assessment, *, by):
    """Two supplier requests on `assessment`: one awaiting the supplier, and one answered (two
    items with text, a link and a file, and an MDF entry) that waits for the owner's review."""
    from portal import services as portal_services

    items = list(assessment.items.filter(checklist_item__code__in=["DOC-10", "DOC-11"]))
    data = {
        "recipient_name": "Sam Supplier",
        "recipient_email": "sam@mistral.example",
        "due_date": NEXT_MONTH,
    }
    open_request = portal_services.supplier_request_create(
        assessment=assessment, data=data, items=items[:1], by=by, base_url="http://testserver/"
    )
    answered = portal_services.supplier_request_create(
        assessment=assessment,
        data={**data, "asks_mdf": True},
        items=items,
        by=by,
        base_url="http://testserver/",
    )
    rows = list(answered.items.order_by("pk"))
    portal_services.supplier_answers_save(
        request=answered,
        answers={
            row.pk: {"answer_text": "See the model card.", "answer_links": "https://mistral.ai/"}
            for row in rows
        },
    )
    supplier_file = portal_services.supplier_file_add(
        request=answered,
        request_item=rows[0],
        uploaded_file=SimpleUploadedFile("usage-policy.pdf", PDF),
    )
    portal_services.supplier_documentation_save(
        request=answered,
        kind="mdf",
        cleaned_data={"document_version": "2.0", "last_updated": "2026-01-31"},
    )
    portal_services.supplier_request_submit(request=answered)
    return open_request, answered, rows[0], supplier_file


def document_job(assessment, *, format="docx", by, **fields):
    """A job row (django-tasks-db) of `document_generate`, waiting unless `fields` say more."""
    return DBTaskResult.objects.create(
        args_kwargs={"args": [assessment.pk, format, by.pk], "kwargs": {}},
        task_path=contract_tasks.document_generate.module_path,
        queue_name="documents",
        backend_name="default",
        run_after=get_date_max(),
        **fields,
    )


def finished_document_job(document):
    """The job row that made `document`, as a worker leaves it."""
    return document_job(
        document.assessment,
        format=document.format,
        by=document.created_by,
        status=TaskResultStatus.SUCCESSFUL,
        return_value={"document": document.pk, "created": True},
    )


def stored_document(assessment, *, by):
    """A document row as `document_generate` stores it, with the real content hash, but with
    placeholder bytes: rendering a Word file costs a third of a second and the access tests
    only need a stored file to download."""
    snapshot, content_hash = contract_services.document_snapshot(
        contract_queries.assessment_for_pack().get(pk=assessment.pk)
    )
    document_id = uuid.uuid4()
    data = b"PK\x03\x04 placeholder for a Word file"
    name = default_storage.save(
        f"clause-packs/{document_id.hex[:2]}/{document_id.hex}.docx", ContentFile(data)
    )
    return Document.objects.create(
        assessment=assessment,
        format="docx",
        version=1,
        document_id=document_id,
        snapshot=snapshot,
        content_sha256=content_hash,
        file_sha256=hashlib.sha256(data).hexdigest(),
        storage_name=name,
        size=len(data),
        created_by=by,
    )


PASSWORD = "correct horse battery staple"


def build_world(users, password=PASSWORD):
    """A complete data graph: a supplier with signatures and a model; an assessment with its
    items, a file and a link as evidence, a clause pack changed by Legal and a generated
    document; a second, decided assessment with a decision and a document of its own; two
    register snapshots, the newest with a matched, an uncertain and a new provider."""
    procurement = users["procurement"]
    procurement.set_password(password)
    procurement.save(update_fields=["password"])
    supplier = SupplierFactory(
        name="Mistral AI",
        legal_name="Mistral AI SAS",
        country="FR",
        signatures={"transparency": "signed", "copyright": "not_signed"},
    )
    model = GPAIModelFactory(supplier=supplier, name="Mistral Medium", version="3")
    assessment = diligence_services.assessment_start(
        model=model,
        reference="TENDER-2026-001",
        purpose="Drafting replies to customer enquiries.",
        owner=procurement,
        due_date=NEXT_MONTH,
        by=procurement,
    )
    item = assessment.items.get(checklist_item__code="DOC-10")
    evidence = diligence_services.evidence_add(
        item=item,
        data={"description": "Model card", "issuer": "Mistral AI"},
        uploaded_file=SimpleUploadedFile("model-card.pdf", PDF),
        by=procurement,
    )
    link = diligence_services.evidence_add(
        item=item,
        data={"description": "Usage policy", "url": "https://mistral.ai/terms"},
        by=procurement,
    )
    included = [e.clause.key for e in contract_queries.clause_pack_state(assessment).pack.included]
    override = contract_services.clause_pack_remove(
        assessment=assessment,
        clause_key=included[-1],
        reason="Covered by the framework agreement.",
        by=users["legal"],
    )
    document = stored_document(assessment, by=users["legal"])
    document_job = finished_document_job(document)
    api_token, _ = api_tokens.api_token_create(
        user=procurement, name="ERP sync", scope="read", expires_in_days=30, by=procurement
    )

    supplier_request, answered_request, answered_row, supplier_file = supplier_requests(
        assessment, by=procurement
    )

    other = AssessmentFactory(owner=procurement, with_items=True, reference="TENDER-2025-099")
    minutes = files.store_evidence_file(SimpleUploadedFile("minutes.pdf", PDF))
    decision = DecisionFactory(
        assessment=other,
        decided_by=users["reviewer"],
        storage_name=minutes.storage_name,
        original_name=minutes.original_name,
        content_type=minutes.content_type,
        size=minutes.size,
        sha256=minutes.sha256,
    )
    other_document = stored_document(other, by=users["legal"])

    admin = users["checklist_admin"]
    older = register_services.register_import(
        data=OLDER_REGISTER_CSV,
        filename="register-2025-11.csv",
        taken_on=datetime.date(2025, 11, 30),
        source_url=SIGNATORY_LIST,
        by=admin,
    )
    snapshot = register_services.register_import(
        data=REGISTER_CSV,
        filename="register-2025-12.csv",
        taken_on=datetime.date(2025, 12, 31),
        source_url=SIGNATORY_LIST,
        by=admin,
    )
    # A newer checklist version, published after the assessment started: it may move to it.
    newer_checklist = diligence_services.checklist_publish(
        checklist=diligence_services.checklist_new_draft(source=assessment.checklist, by=admin),
        by=admin,
    )
    mdf = documentation_services.mdf_create(
        model=model,
        meta={"document_version": "1.0", "last_updated": datetime.date(2026, 1, 31)},
        values={"architecture": ("Transformer", False), "model-dependencies": ("", True)},
        by=procurement,
        source_file=SimpleUploadedFile("mdf.pdf", PDF),
    )
    training_summary = documentation_services.summary_create(
        model=model,
        data={"last_updated": datetime.date(2026, 1, 31), "sections": {"1.1": "Mistral AI SAS"}},
        by=procurement,
        source_file=SimpleUploadedFile("summary.md", b"# 1.1 Provider\n\nMistral AI SAS\n"),
    )
    estimate = documentation_services.estimate_suggest(
        model=model,
        row={"source_name": "Mistral Medium 3", "attribution": "Data by Epoch AI, CC BY 4.0"},
        by=procurement,
    )
    entries = {entry.provider: entry for entry in snapshot.entries.all()}
    assert entries["Mistral AI SAS"].match == RegisterMatch.MATCHED
    # One change applied from the list, which can be undone: a supplier the list does not name.
    register_services.register_change_apply(
        snapshot=snapshot,
        supplier=SupplierFactory(name="Inflection AI", country="US"),
        chapter="transparency",
        by=procurement,
    )
    applied_change = snapshot.applied_changes.get()
    assert entries["Mistral"].match == RegisterMatch.UNCERTAIN
    assert entries["Aleph Alpha GmbH"].match == RegisterMatch.NONE

    world = types.SimpleNamespace(
        users=users,
        password=password,
        supplier=supplier,
        model=model,
        assessment=assessment,
        item=item,
        other_item=assessment.items.get(checklist_item__code="DOC-11"),
        evidence=evidence,
        link=link,
        override=override,
        included_clause=included[0],
        removed_clause=included[-1],
        document=document,
        document_job=document_job,
        api_token=api_token,
        other_assessment=other,
        other_item_of_other=other.items.first(),
        decision=decision,
        other_document=other_document,
        snapshot=snapshot,
        applied_change=applied_change,
        older_snapshot=older,
        matched_entry=entries["Mistral AI SAS"],
        uncertain_entry=entries["Mistral"],
        new_entry=entries["Aleph Alpha GmbH"],
        older_entry=older.entries.get(),
        checklist=Checklist.objects.get(pk=assessment.checklist_id),
        newer_checklist=newer_checklist,
        mdf=mdf,
        training_summary=training_summary,
        estimate=estimate,
        supplier_request=supplier_request,
        answered_request=answered_request,
        answered_row=answered_row,
        supplier_file=supplier_file,
    )
    kwargs = url_kwargs_for(world)
    world.url_kwargs = kwargs
    world.url = lambda name, **changes: reverse(name, kwargs={**kwargs.get(name, {}), **changes})
    return world


@pytest.fixture
def world(db, users, media_root):
    return build_world(users)


# Telling whether a request changed anything ---------------------------------------------


def _tables():
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def db_state(*, allow_read_audit=False):
    """A fingerprint of every row of every table, by table.

    With `allow_read_audit`, the audit entries that reading writes on purpose (downloads and
    exports) are left out, so that only other changes show. Raw SQL, so that no field
    converters run: it is called around hundreds of requests.
    """
    audit_table = AuditEntry._meta.db_table
    state = {}
    with connection.cursor() as cursor:
        for table in _tables():
            # Table names come from the database's own catalogue, quoted.
            sql, params = f"SELECT * FROM {connection.ops.quote_name(table)}", []  # noqa: S608
            if allow_read_audit and table == audit_table:
                sql += f" WHERE action NOT IN ({', '.join(['%s'] * len(READ_AUDIT_ACTIONS))})"
                params = list(READ_AUDIT_ACTIONS)
            cursor.execute(sql, params)
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return state


def writes_so_far():
    """How many rows the statements of this connection inserted, updated or deleted so far.

    A cheap and exact way to tell whether a request wrote anything, updates that change no
    value included; None where the database cannot say (then compare `db_state`).
    """
    queries = {
        "sqlite": "SELECT total_changes()",
        # Counts the current transaction, which each test runs in.
        "postgresql": "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
        "FROM pg_stat_xact_all_tables",
    }
    if connection.vendor not in queries:
        return None
    with connection.cursor() as cursor:
        cursor.execute(queries[connection.vendor])
        return cursor.fetchone()[0]


class WriteCheck:
    """Whether anything was written between `start()` and `changes()`, as a list of what:
    tables by name where only a fingerprint can tell, else the number of rows written."""

    def __init__(self):
        self.counter = writes_so_far()
        self.state = db_state() if self.counter is None else None

    def changes(self):
        if self.counter is None:
            return changed_tables(self.state, db_state())
        written = writes_so_far() - self.counter
        return [f"{written} row(s) written"] if written else []


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after.get(label))


class Rollback(Exception):
    """Raised to leave a savepoint without keeping what happened inside it."""


@dataclass
class Undone:
    """What a request did before it was undone: its response and what it wrote."""

    response: object = None
    changed: list = field(default_factory=list)


def request_undone(client, method, url, data=None, *, check_state=False, **extra):
    """Make the request inside a savepoint that is rolled back, so the next one finds the same
    records. With `check_state`, what the request wrote is recorded."""
    outcome = Undone()
    try:
        with transaction.atomic():
            check = WriteCheck() if check_state else None
            outcome.response = getattr(client, method)(url, data or {}, **extra)
            if check_state:
                outcome.changed = check.changes()
            raise Rollback
    except Rollback:
        pass
    finally:
        if outcome.response is not None:
            finish(outcome.response)
    return outcome


def finish(response):
    """Read a streamed response to its end, as a browser would, so its file is closed.

    Not `response.close()`: the test client closed the response already, and closing it
    again sends `request_finished`, which closes the database connection (PostgreSQL).
    """
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def is_login_redirect(response):
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def matches(response, expected):
    if expected == SIGNED_OUT:
        return is_login_redirect(response)
    if expected == OK:
        return response.status_code == 200 or (
            response.status_code == 302 and not is_login_redirect(response)
        )
    return response.status_code == expected
