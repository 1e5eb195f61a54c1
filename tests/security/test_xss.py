"""Stored and reflected XSS: markup typed into any field is shown as text, everywhere.

Every field a person types into is filled with the same attack through the app's own forms
(supplier, model, signatures, assessment, item, evidence, decision, clause changes, the
signatory register file, and the clause library in the admin). Then every page of the app is
read, before the decision (forms show the values for editing) and after it (read-only
pages), and the generated PDF and Word files are opened. The markup must never come back as
markup: no event handler, no script, no javascript: link, on any page; the text itself must
come back unchanged where the field is shown.
"""

import csv
import datetime
import io
import re
import types
from html.parser import HTMLParser

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from contracts import queries
from contracts.documents.word import TOC_INSTRUCTION
from contracts.models import ClauseLibrary, Document
from core.roles import LEGAL
from diligence.models import Assessment, Evidence
from tests.factories import UserFactory
from tests.security.conftest import (
    ACCESS,
    NEXT_MONTH,
    NEXT_YEAR,
    OK,
    PDF,
    document_job,
    finished_document_job,
    signed_in,
    url_kwargs_for,
)
from vendors.models import GPAIModel, RegisterMatch, RegisterSnapshot, Supplier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_request_log")]

# The attack, in one string: a script, an attribute break-out with an event handler, a
# textarea break-out, template syntax, and (where the field is long enough) single quotes and
# javascript: links.
CORE = '<script>alert(1)</script>"><img src=x onerror=alert(1)></textarea><svg onload=alert(1)>{{ 7*7 }}'
MORE = ' \'><iframe src=javascript:alert(1)></iframe><a href="javascript:alert(1)">x</a>'
# What must never reach a page as markup; each appears in the attack above.
RAW = (
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<svg/onload",
    "<iframe src=javascript",
    '<a href="javascript',
)
# Valid addresses that carry markup: URL and email validators accept them.
URL_ATTACK = 'https://example.org/"><svg/onload=alert(1)>'
EMAIL_ATTACK = '"<svg/onload=alert(1)>"@example.org'
FILE_ATTACK = '"><img src=x onerror=alert(1)>'


def attack(tag, *, more=True, braces=True):
    """The attack, marked with the name of the field it goes into."""
    text = f"{tag}:{CORE}{MORE if more else ''}"
    return text if braces else text.replace("{{ 7*7 }}", "[[ 7*7 ]]")


F = {
    "supplier.name": attack("supplier"),
    "supplier.legal_name": attack("legal") + '</w:t></w:r><w:hyperlink r:id="rId1"><w:r><w:t>x',
    "supplier.contact_name": attack("contact"),
    "supplier.eu_representative_name": attack("rep"),
    "supplier.eu_representative_contact": attack("repcontact"),
    "supplier.notes": attack("snotes"),
    "model.name": attack("model"),
    "model.version": attack("ver", more=False),
    "model.licence": attack("licence"),
    "model.notes": attack("mnotes"),
    "signature.note": attack("signote"),
    "assessment.reference": attack("ref", more=False),
    "assessment.purpose": attack("purpose"),
    "item.notes": attack("inotes"),
    "item.justification": attack("justif"),
    "evidence.description": attack("file-desc"),
    "evidence.issuer": attack("issuer"),
    "link.description": attack("link-desc"),
    "override.remove": attack("removed"),
    "override.add": attack("added"),
    "return.reason": attack("returned"),
    "decision.conditions": attack("conditions"),
    "register.provider": attack("provider"),
    "register.note": attack("rnote"),
    "clause.title": attack("title", braces=False),
    "clause.body": attack("body", braces=False),
    "clause.legal_basis": attack("basis", braces=False),
    "request.recipient_name": attack("recipient", more=False),
    "request.message": attack("message"),
    "answer.answer_text": attack("answer"),
}

# Where each field must come back whole (after parsing the page: text or attribute value).
# Every other page is checked too, for markup; these show that the field is really shown.
SHOWN_ON = {
    "supplier.name": ["vendors:supplier_detail", "vendors:supplier_list", "home"],
    "supplier.legal_name": ["vendors:supplier_detail", "vendors:supplier_update"],
    "supplier.contact_name": ["vendors:supplier_detail"],
    "supplier.eu_representative_name": ["vendors:supplier_update"],
    "supplier.eu_representative_contact": ["vendors:supplier_update"],
    "supplier.notes": ["vendors:supplier_update"],
    "model.name": ["vendors:model_detail", "diligence:assessment_detail"],
    "model.version": ["vendors:model_update"],
    "model.licence": ["vendors:model_detail"],
    "model.notes": ["vendors:model_detail"],
    "signature.note": ["vendors:supplier_detail", "vendors:signatures_edit"],
    "assessment.reference": ["diligence:assessment_detail", "diligence:assessment_list"],
    "assessment.purpose": ["diligence:assessment_detail"],
    "item.notes": ["diligence:item_detail"],
    "item.justification": ["diligence:item_detail"],
    "evidence.description": ["diligence:item_detail"],
    "evidence.issuer": ["diligence:item_detail"],
    "link.description": ["diligence:item_detail"],
    "override.remove": ["contracts:clause_pack"],
    "override.add": ["contracts:clause_pack"],
    "return.reason": ["diligence:assessment_detail"],
    "decision.conditions": ["diligence:assessment_detail"],
    "register.provider": ["vendors:register_detail", "vendors:register_supplier_create"],
    "register.note": ["vendors:register_detail"],
    "clause.title": ["contracts:clause_pack"],
    "clause.body": ["contracts:clause_pack"],
    "clause.legal_basis": ["contracts:clause_pack"],
    "request.recipient_name": ["portal:request_detail"],
    "request.message": ["portal:request_detail", "supplier's answers"],
    "answer.answer_text": ["portal:request_detail", "supplier's answers"],
}

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
_IGNORED = re.compile(r"[\x00-\x20]+")


class _PageScan(HTMLParser):
    """Reads a page as a browser would and notes anything that would run."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.text, self.values = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            self.values.append(value)
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>: an event handler")
            scheme = _IGNORED.sub("", value).lower()
            if name in _URL_ATTRIBUTES and scheme.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.problems.append(f'<{tag} {name}="{value[:40]}">: a script URL')
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img src=x>: an injected image")
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._in_script = False

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_script and "alert(" in data:
            self.problems.append("<script> with the injected code")


def scan(html):
    """(problems, everything the page shows as text or attribute values)."""
    parser = _PageScan()
    parser.feed(html)
    parser.close()
    problems = parser.problems + [f"raw {raw!r}" for raw in RAW if raw in html.lower()]
    return problems, "\n".join(parser.text) + "\n" + "\n".join(parser.values)


# Entering the attack through the forms ---------------------------------------------------


def _register_file():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["provider", "chapters", "date", "source_url", "note"])
    writer.writerow([F["register.provider"], "all", "2025-08-01", URL_ATTACK, F["register.note"]])
    writer.writerow(["Aleph Alpha", "copyright", "2025-08-01", URL_ATTACK, ""])
    return out.getvalue().encode()


class Hostile:
    """The app filled through its forms with the attack; `responses` keeps every page the
    forms answered with (messages and forms shown again with errors included)."""

    def __init__(self, users, clients):
        self.users, self.clients = users, clients
        self.responses = []
        self.admin = signed_in(UserFactory(username="counsel", role=LEGAL, is_staff=True))

    def post(self, role, url, data, *, follow=False):
        """Post as a person would, expecting success; pages shown after a redirect are read."""
        client = self.admin if role == "admin" else self.clients[role]
        response = client.post(url, data, follow=follow)
        assert response.status_code == (200 if follow else 302), (url, response.status_code)
        if follow:
            self.responses.append((f"POST {url}", response))
        return response

    def enter_supplier_and_model(self):
        self.post(
            "procurement",
            reverse("vendors:supplier_create"),
            {
                "name": F["supplier.name"],
                "legal_name": F["supplier.legal_name"],
                "country": "US",
                "website": URL_ATTACK,
                "contact_name": F["supplier.contact_name"],
                "contact_email": EMAIL_ATTACK,
                "eu_representative_name": F["supplier.eu_representative_name"],
                "eu_representative_contact": F["supplier.eu_representative_contact"],
                "notes": F["supplier.notes"],
            },
            follow=True,  # the message names the supplier
        )
        self.supplier = Supplier.objects.get(name=F["supplier.name"])
        signatures = {}
        for chapter in ("transparency", "copyright", "safety_security"):
            signatures.update(
                {
                    f"{chapter}-status": "signed" if chapter == "transparency" else "not_signed",
                    f"{chapter}-signed_on": "2025-08-01" if chapter == "transparency" else "",
                    f"{chapter}-source_url": URL_ATTACK,
                    f"{chapter}-verified_on": datetime.date.today().isoformat(),
                    f"{chapter}-note": F["signature.note"],
                }
            )
        self.post(
            "procurement", reverse("vendors:signatures_edit", args=[self.supplier.pk]), signatures
        )
        self.post(
            "procurement",
            reverse("vendors:model_create", args=[self.supplier.pk]),
            {
                "name": F["model.name"],
                "version": F["model.version"],
                "modalities": ["text"],
                "systemic_risk_status": "unknown",
                "licence": F["model.licence"],
                "notes": F["model.notes"],
            },
        )
        self.model = GPAIModel.objects.get(supplier=self.supplier)

    def enter_assessment(self):
        self.post(
            "procurement",
            reverse("diligence:assessment_start"),
            {
                "model": self.model.pk,
                "reference": F["assessment.reference"],
                "purpose": F["assessment.purpose"],
                "owner": self.users["procurement"].pk,
                "due_date": NEXT_MONTH.isoformat(),
            },
        )
        self.assessment = Assessment.objects.get(reference=F["assessment.reference"])
        self.item = self.assessment.items.get(checklist_item__code="DOC-10")
        url = self.item.get_absolute_url()
        self.post(
            "procurement",
            url,
            {
                "save_item": "1",
                "status": "gap",
                "notes": F["item.notes"],
                "justification": F["item.justification"],
                "version": self.item.version,
            },
        )
        self.post(
            "procurement",
            url,
            {
                "add_evidence": "1",
                "file": SimpleUploadedFile(f"{FILE_ATTACK}.pdf", PDF, "text/html"),
                "description": F["evidence.description"],
                "issuer": F["evidence.issuer"],
            },
        )
        self.post(
            "procurement",
            url,
            {"add_evidence": "1", "url": URL_ATTACK, "description": F["link.description"]},
        )
        self.evidence = Evidence.objects.get(description=F["evidence.description"])

    def enter_clause_library_in_the_admin(self):
        published = ClauseLibrary.objects.get(status="published")
        self.post(
            "admin",
            reverse("admin:contracts_clauselibrary_changelist"),
            {"action": "new_draft", "_selected_action": [published.pk]},
        )
        draft = ClauseLibrary.objects.get(status="draft")
        clause = draft.clauses.get(key="definitions")
        url = reverse("admin:contracts_clause_change", args=[clause.pk])
        page = self.admin.get(url)
        form = page.context["adminform"].form
        data = {name: form[name].value() for name in form.fields}
        data["active"] = "on" if data["active"] else ""
        data.update(
            title=F["clause.title"],
            # A placeholder too: the supplier's name comes into the clause text.
            body=F["clause.body"] + " Supplier: {{ supplier.name }}.",
            legal_basis=F["clause.legal_basis"],
        )
        self.post("admin", url, data)
        self.post(
            "admin",
            reverse("admin:contracts_clauselibrary_changelist"),
            {"action": "publish", "_selected_action": [draft.pk], "post": "yes"},
        )
        assert ClauseLibrary.objects.get(pk=draft.pk).status == "published"
        self.clause = draft.clauses.get(key="definitions")

    def enter_clause_changes(self):
        state = queries.clause_pack_state(queries.assessment_for_pack().get(pk=self.assessment.pk))
        included = [e.clause.key for e in state.pack.included if e.clause.key != "definitions"]
        other = [e.clause.key for e in state.pack.not_selected]
        url = reverse("contracts:clause_remove", args=[self.assessment.pk])
        self.post("legal", url, {"clause": included[0], "reason": F["override.remove"]})
        url = reverse("contracts:clause_add", args=[self.assessment.pk])
        self.post("legal", url, {"clause": other[0], "reason": F["override.add"]})

    def enter_register(self):
        self.post(
            "checklist_admin",
            reverse("vendors:register_import"),
            {
                "file": SimpleUploadedFile(f"{FILE_ATTACK}.csv", _register_file(), "text/csv"),
                "taken_on": "2025-12-31",
                "source_url": URL_ATTACK,
            },
        )
        self.snapshot = RegisterSnapshot.objects.get()
        self.new_entry = self.snapshot.entries.get(row_number=2)
        if self.new_entry.match == RegisterMatch.UNCERTAIN:  # its name looks like the supplier's
            self.post(
                "procurement",
                reverse("vendors:register_match", args=[self.snapshot.pk, self.new_entry.pk]),
                {"decision": "reject"},
            )
        assert self.snapshot.entries.get(row_number=2).match in (
            RegisterMatch.NONE,
            RegisterMatch.REJECTED,
        )

    def enter_decision(self):
        a = self.assessment.pk
        submit = {"reviewer": self.users["reviewer"].pk, "confirm": "1"}
        self.post("procurement", reverse("diligence:assessment_submit", args=[a]), submit)
        self.post(
            "reviewer",
            reverse("diligence:assessment_return", args=[a]),
            {"reason": F["return.reason"]},
        )
        self.post("procurement", reverse("diligence:assessment_submit", args=[a]), submit)
        self.post(
            "reviewer",
            reverse("diligence:assessment_decide", args=[a]),
            {
                "outcome": "approved_with_conditions",
                "conditions": F["decision.conditions"],
                "valid_until": NEXT_YEAR.isoformat(),
            },
        )
        self.assessment.refresh_from_db()
        assert self.assessment.status == "decided"

    def generate(self, format, kind="report"):
        """The document of this kind; the report, which prints every field, unless asked."""
        self.post(
            "legal",
            reverse("contracts:document_generate", args=[self.assessment.pk]),
            {"format": format, "kind": kind},
        )
        self.document = Document.objects.filter(
            assessment=self.assessment, format=format, kind=kind
        ).latest("id")
        self.document_job = finished_document_job(self.document)
        response = self.clients["legal"].get(self.document.get_download_url())
        assert response.status_code == 200
        return response, b"".join(response.streaming_content)

    def enter_supplier_answers(self):
        """A request with the attack in what the buyer types, answered by the supplier with
        the attack in every field of theirs, through the link's own pages."""
        from django.core import mail
        from django.test import TestCase

        from portal.models import SupplierFile, SupplierRequest
        from tests.mail import LINK

        other = self.assessment.items.get(checklist_item__code="DOC-11")
        with TestCase.captureOnCommitCallbacks(execute=True):
            self.post(
                "procurement",
                reverse("portal:request_create", args=[self.assessment.pk]),
                {
                    "recipient_name": F["request.recipient_name"],
                    "recipient_email": EMAIL_ATTACK,
                    "due_date": NEXT_MONTH.isoformat(),
                    "message": F["request.message"],
                    "items": [self.item.pk, other.pk],
                    "yes_no_items": [self.item.pk],
                    "asks_mdf": "on",
                    "asks_training_summary": "on",
                },
            )
        link = "/" + LINK.search(mail.outbox[-1].body).group(0).split("/", 3)[3]
        request = SupplierRequest.objects.get(assessment=self.assessment)
        supplier = signed_in(None)
        assert supplier.get(link).status_code == 302
        row, other_row = request.items.order_by("item__checklist_item__order")
        data = {
            f"item-{row.pk}-answer_text": F["answer.answer_text"],
            f"item-{row.pk}-answer_links": URL_ATTACK,
            f"item-{row.pk}-answer_yes_no": "yes",
            f"item-{other_row.pk}-answer_text": F["answer.answer_text"],
            f"file-{row.pk}-file": SimpleUploadedFile(f"{FILE_ATTACK}.pdf", PDF, "text/html"),
            "save": "1",
        }
        response = supplier.post(reverse("portal:answers"), data, follow=True)
        self.responses.append(("supplier's answers", response))
        response = supplier.post(
            reverse("portal:mdf"),
            {
                "document_version": attack("sver", more=False)[:50],
                "last_updated": "2026-01-31",
                "source_url": URL_ATTACK,
                "value__architecture": attack("sarch"),
            },
            follow=True,
        )
        self.responses.append(("supplier's MDF saved", response))
        self.responses.append(("supplier's MDF", supplier.get(reverse("portal:mdf"))))
        response = supplier.post(
            reverse("portal:summary"),
            {"last_updated": "2026-01-31", "crawlers": attack("scrawlers")},
            follow=True,
        )
        self.responses.append(("supplier's summary", supplier.get(reverse("portal:summary"))))
        self.responses.append(
            (
                "supplier's answers refused",
                supplier.post(
                    reverse("portal:answers"),
                    {f"item-{row.pk}-answer_links": URL_ATTACK + "\njavascript:alert(1)"},
                ),
            )
        )
        del data[f"file-{row.pk}-file"], data["save"]
        supplier.post(reverse("portal:answers"), {**data, "submit": "1"})
        self.supplier_request = self.answered_request = request
        self.answered_row = row
        self.supplier_file = SupplierFile.objects.get(request_item__request=request)

    def enter_documentation(self):
        from documentation import services as documentation_services
        from documentation.models import MdfDocument, TrainingSummary

        self.post(
            "procurement",
            reverse("documentation:mdf_create", args=[self.model.pk]),
            {
                "document_version": attack("mdfver", more=False)[:50],
                "last_updated": "2026-01-31",
                "source_url": URL_ATTACK,
                "value__architecture": attack("architecture"),
                "value__parameters": attack("parameters"),
            },
        )
        self.mdf = MdfDocument.objects.get(model=self.model)
        self.post(
            "procurement",
            reverse("documentation:summary_create", args=[self.model.pk]),
            {
                "last_updated": "2026-01-31",
                "url": URL_ATTACK,
                "crawlers": attack("crawlers"),
                "section__2.3": attack("crawled"),
            },
        )
        self.training_summary = TrainingSummary.objects.get(model=self.model)
        self.estimate = documentation_services.estimate_suggest(
            model=self.model,
            row={"source_name": attack("epoch", more=False)[:200], "attribution": "Epoch AI"},
            by=self.users["procurement"],
        )

    # Reading every page --------------------------------------------------------------

    def url(self, name):
        # The same ids the access test uses, from these records; downloads are not read here.
        if not hasattr(self, "document_job"):  # a job waiting for a worker, until one ran
            self.document_job = document_job(self.assessment, by=self.users["legal"])
        records = types.SimpleNamespace(
            **{
                **vars(self),
                "uncertain_entry": self.new_entry,
                "document": types.SimpleNamespace(pk=1),
                "api_token": types.SimpleNamespace(pk=1),
                "applied_change": types.SimpleNamespace(pk=1),
                "decision": types.SimpleNamespace(pk=1, assessment_id=1),
            }
        )

        return reverse(name, kwargs=url_kwargs_for(records).get(name, {}))

    def pages(self):
        """(label, response) for every page of the app that a role may open, plus pages that
        reflect the attack from the query string, plus the forms' answers so far."""
        pages = list(self.responses)
        for name, access in ACCESS.items():
            role = next(
                (r for r in ("procurement", "legal", "checklist_admin") if access.get[r] == OK),
                None,
            )
            # The second-factor page sends a signed-in user with nothing due straight on; the
            # decide page sends the owner back (four eyes) and is read as the reviewer below.
            if (
                role is None
                or "download" in name
                or "export" in name
                or name in ("identity:verify", "diligence:assessment_decide")
            ):
                continue
            pages.append((name, self.clients[role].get(self.url(name))))
        pages.append(
            (
                "contracts:clause_pack as Legal",
                self.clients["legal"].get(self.url("contracts:clause_pack")),
            )
        )
        pages.append(
            (
                "diligence:assessment_decide as reviewer",
                self.clients["reviewer"].get(self.url("diligence:assessment_decide")),
            )
        )
        pages.append(
            ("follow_ups as reviewer", self.clients["reviewer"].get(reverse("follow_ups")))
        )
        for clause_page in (
            reverse("admin:contracts_clause_change", args=[self.clause.pk]),
            reverse("admin:contracts_clause_changelist") + "?q=title",
            reverse("admin:contracts_clauselibrary_change", args=[self.clause.library_id]),
        ):
            pages.append((clause_page, self.admin.get(clause_page)))
        q = CORE
        reflected = [
            (
                "procurement",
                reverse("vendors:supplier_list"),
                {"q": q, "country": q, "sort": q, "transparency": q},
            ),
            (
                "procurement",
                reverse("diligence:assessment_list"),
                {"q": q, "status": q, "supplier": q, "owner": q},
            ),
            ("procurement", reverse("gaps"), {"category": q}),
            ("procurement", reverse("home"), {"readiness": q}),
            ("procurement", reverse("diligence:assessment_start"), {"model": q}),
            ("procurement", self.url("diligence:item_detail"), {"supersede": f'1"{q}'}),
            ("anonymous", reverse("login"), {"next": q}),
            ("anonymous", reverse("login"), {"next": "javascript:alert(1)"}),
        ]
        for role, url, query in reflected:
            pages.append((f"{url}?{sorted(query)}", self.clients[role].get(url, query)))
        return pages


@pytest.fixture
def hostile(users, clients, media_root):
    world = Hostile(users, clients)
    world.enter_supplier_and_model()
    world.enter_assessment()
    world.enter_clause_library_in_the_admin()
    world.enter_clause_changes()
    world.enter_register()
    world.enter_documentation()
    world.enter_supplier_answers()
    return world


def _check_pages(pages):
    problems, shown = [], {}
    for label, response in pages:
        if response.status_code != 200:
            problems.append(f"{label}: {response.status_code}")
            continue
        found, text = scan(response.content.decode())
        problems += [f"{label}: {problem}" for problem in found]
        shown[label] = text
    return problems, shown


def test_the_attack_fits_every_field():
    from contracts.models import Clause, ClauseOverride
    from diligence.models import AssessmentItem, Decision
    from portal.models import RequestItem, SupplierRequest
    from vendors.models import RegisterEntry, Signature

    fields = {
        "supplier": Supplier,
        "model": GPAIModel,
        "signature": Signature,
        "assessment": Assessment,
        "item": AssessmentItem,
        "evidence": Evidence,
        "link": Evidence,
        "override": ClauseOverride,
        "decision": Decision,
        "register": RegisterEntry,
        "clause": Clause,
        "request": SupplierRequest,
        "answer": RequestItem,
    }
    for key, value in F.items():
        model_name, field_name = key.split(".")
        if model_name == "return":
            assert len(value) <= 300
            continue
        field_name = {"remove": "reason", "add": "reason", "provider": "provider"}.get(
            field_name, field_name
        )
        max_length = fields[model_name]._meta.get_field(field_name).max_length
        assert max_length is None or len(value) <= max_length, key
    assert set(SHOWN_ON) == set(F)


def test_no_page_runs_markup_typed_into_any_field(hostile):
    before_decision = hostile.pages()
    # A page shown again after a refused form keeps what was typed.
    before_decision.append(
        (
            "supplier form with errors",
            hostile.clients["procurement"].post(
                reverse("vendors:supplier_create"),
                {"name": F["supplier.name"], "country": "US", "website": "javascript:alert(1)"},
            ),
        )
    )
    stale = {
        "save_item": "1",
        "status": "accepted",
        "notes": F["item.notes"] + " (second editor)",
        "version": 1,
    }
    before_decision.append(
        (
            "item form after a conflict",
            hostile.clients["reviewer"].post(hostile.item.get_absolute_url(), stale),
        )
    )
    hostile.enter_decision()
    after_decision = hostile.pages()

    problems, shown = _check_pages(before_decision)
    more_problems, shown_after = _check_pages(after_decision)

    assert problems + more_problems == [], "\n".join(problems + more_problems)
    missing = [
        (field, page)
        for field, pages in SHOWN_ON.items()
        for page in pages
        if F[field] not in shown.get(page, "") and F[field] not in shown_after.get(page, "")
    ]
    assert missing == []
    # Where the decision and the forms have their own pages, the values come back whole too.
    assert F["decision.conditions"] in shown_after["diligence:assessment_detail"]
    assert F["item.notes"] in shown_after["diligence:item_detail"]  # read-only, after the decision
    assert F["item.notes"] + " (second editor)" in shown["item form after a conflict"]
    assert "{{ 7*7 }}" in shown["vendors:supplier_detail"]  # printed, never evaluated


def test_url_fields_refuse_javascript_and_data_urls(users, clients):
    client = clients["procurement"]
    for url in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "javascript://example.org/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ):
        response = client.post(
            reverse("vendors:supplier_create"), {"name": "Cohere", "country": "CA", "website": url}
        )
        assert response.context["form"].errors["website"] == ["Enter a valid URL."], url
    assert not Supplier.objects.exists()


def test_every_url_field_of_the_app_refuses_a_javascript_url(world, clients):
    """Website, signature source, evidence link, register source and each row's source."""
    bad = "javascript:alert(1)"
    p, admin = clients["procurement"], clients["checklist_admin"]
    signatures = {
        "transparency-status": "signed",
        "transparency-signed_on": "2025-08-01",
        "transparency-source_url": bad,
        "copyright-status": "unknown",
        "safety_security-status": "unknown",
    }
    evidence = {"add_evidence": "1", "url": bad, "description": "Card"}
    register = {"taken_on": "2025-12-31", "source_url": bad}
    rows = f"provider,chapters,date,source_url\nCohere,all,2025-08-01,{bad}\n".encode()

    responses = [
        p.post(world.url("vendors:signatures_edit"), signatures),
        p.post(world.url("diligence:item_detail"), evidence),
        admin.post(
            reverse("vendors:register_import"),
            {**register, "file": SimpleUploadedFile("r.csv", rows, "text/csv")},
        ),
        admin.post(
            reverse("vendors:register_import"),
            {
                **register,
                "source_url": "https://example.org",
                "file": SimpleUploadedFile("r.csv", rows, "text/csv"),
            },
        ),
    ]

    assert [r.status_code for r in responses] == [200] * 4
    assert "Enter a valid URL." in responses[0].content.decode()
    assert responses[1].context["evidence_form"].errors["url"] == ["Enter a valid URL."]
    assert responses[2].context["form"].errors["source_url"] == ["Enter a valid URL."]
    assert "is not a web address" in responses[3].content.decode()
    assert RegisterSnapshot.objects.count() == 2  # the world's two, nothing new
    assert not Evidence.objects.filter(url__startswith="javascript").exists()


# Generated documents ---------------------------------------------------------------------


def _squeezed(text):
    return re.sub(r"\s+", "", text)


def _pdf_objects(reader):
    """Every dictionary reachable from the PDF's trailer, each once."""
    seen, found, stack = set(), [], [reader.trailer]
    while stack:
        obj = stack.pop()
        if hasattr(obj, "idnum"):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, dict):
            found.append(obj)
            stack.extend(obj.values())
        elif isinstance(obj, list):
            stack.extend(obj)
    return found


IN_DOCUMENTS = [
    "supplier.name",
    "supplier.legal_name",
    "model.name",
    "model.version",
    "assessment.reference",
    "clause.title",
    "clause.body",
    "clause.legal_basis",
    "override.add",
]


def test_pdf_prints_the_attack_as_text_and_has_no_scripts_links_or_files(hostile):
    hostile.enter_decision()
    response, data = hostile.generate("pdf")

    reader = PdfReader(io.BytesIO(data))
    text = _squeezed(" ".join(page.extract_text() for page in reader.pages))
    for field in IN_DOCUMENTS:
        assert _squeezed(F[field]) in text, field
    names = set()
    for obj in _pdf_objects(reader):
        names.update(str(key) for key in obj)
        names.update(str(value) for value in obj.values() if str(value).startswith("/"))
        if obj.get("/Subtype") == "/Link":  # the contents' links stay inside the document
            action = obj.get("/A", {})
            assert "/Dest" in obj or action.get("/S") == "/GoTo", obj
    dangerous = {"/JavaScript", "/JS", "/URI", "/Launch", "/EmbeddedFile", "/EmbeddedFiles"}
    dangerous |= {"/FileAttachment", "/SubmitForm", "/ImportData", "/RichMedia", "/AA"}
    assert names & dangerous == set()
    assert not any(o.get("/Subtype") == "/Image" for o in _pdf_objects(reader))
    assert response["Content-Type"] == "application/pdf"
    _assert_safe_download_name(response)


def _assert_safe_download_name(response):
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    ascii_name = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert re.fullmatch(r"[A-Za-z0-9 ._()-]+", ascii_name)
    assert "\r" not in disposition and "\n" not in disposition and "<" not in disposition


def test_word_file_holds_the_attack_as_literal_text_without_hyperlinks(hostile):
    hostile.enter_decision()
    response, data = hostile.generate("docx")

    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert F["supplier.name"] in paragraphs  # the title: the literal text, nothing else
    assert F["assessment.reference"] in cells
    assert F["supplier.legal_name"] in cells
    everything = "\n".join(paragraphs + cells)
    for field in IN_DOCUMENTS:
        assert F[field] in everything, field
    assert F["supplier.name"] in document.core_properties.title
    for part in document.part.package.parts:
        assert not any("hyperlink" in rel.reltype for rel in part.rels.values()), part.partname
    xml = document.element.xml
    assert "<w:hyperlink" not in xml and "w:fldSimple" not in xml
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)
    # Fields the renderer writes itself: page numbers and the table of contents.
    assert all(i.strip() in ("PAGE", "NUMPAGES", TOC_INSTRUCTION) for i in instructions)
    _assert_safe_download_name(response)
