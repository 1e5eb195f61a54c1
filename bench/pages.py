"""The pages added since the first benchmark, measured in the app's own process: each one's
queries and its median time through Django's test client, at every scale.

    python -m bench.pages --samples '{...}'

The records these pages need (a Model Documentation Form and a training-content summary, a
register snapshot with changes to apply and one applied, a document job waiting for a worker)
are made once per database through the app's own services, and found again on the next run.
The decide page is read by the bench user on an assessment someone else owns and submitted;
the submit page (a POST with no reviewer, which shows the form and changes nothing) and the
register's single-change preview (a POST without `confirm`) on the bench user's own records.
The supplier link's pages are read on another of the bench user's draft assessments: the form
that sends a request, the page of a request the supplier answered (the owner's review), and the
supplier's own page of an open request, with the portal session that opening its link leaves
(the link's token is in the email alone, and the bench sends no mail).
"""

import argparse
import datetime
import json
import os
import time

from bench.load import ROOT

REGISTER_FILE = "bench-register.csv"
RUNS = 15
BUDGET_S = 20  # per page and scale: a very slow page stops after this long (at least one run)
SUPPLIER_ITEMS = 12  # the items each supplier request asks about
# The recipients that name the two supplier requests, to find them again on the next run.
OPEN_REQUEST_EMAIL = "open@bench-supplier.example"
ANSWERED_REQUEST_EMAIL = "answered@bench-supplier.example"
# (name, method, URL name, the URL's arguments from the records, the form posted); pages read
# by the supplier through the link rather than by the bench user are listed in SUPPLIER_PAGES.
NEW_PAGES = [
    ("Model documentation", "get", "documentation:model_documentation", ["model"], None),
    ("MDF", "get", "documentation:mdf_detail", ["mdf"], None),
    ("Training summary", "get", "documentation:summary_detail", ["summary"], None),
    ("Document job", "get", "contracts:document_job", ["reference_assessment", "job"], None),
    ("Decide", "get", "diligence:assessment_decide", ["in_review"], None),
    ("Submit", "post", "diligence:assessment_submit", ["draft"], {}),
    ("Register detail", "get", "vendors:register_detail", ["snapshot"], None),
    ("Register apply all", "get", "vendors:register_apply_all", ["snapshot"], None),
    ("Register apply", "post", "vendors:register_apply", ["snapshot"], "apply_form"),
    ("Supplier request form", "get", "portal:request_create", ["asking"], None),
    ("Supplier request review", "get", "portal:request_detail", ["asking", "answered"], None),
    ("Supplier's answers page", "get", "portal:answers", [], None),
]
SUPPLIER_PAGES = {"Supplier's answers page"}


def _records(samples):
    """The records the new pages show, made once through the services (see the module)."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from diligence.models import Assessment, AssessmentStatus
    from vendors.models import GPAIModel

    user = User.objects.get(username=samples["bench_user"])
    model = GPAIModel.objects.get(pk=samples["model"])
    with transaction.atomic():
        records = {
            "model": model.pk,
            "reference_assessment": samples["reference_assessment"],
            **_documentation(model, user),
            **_register(user),
            "job": _document_job(samples["reference_assessment"], user),
        }
    mine = Assessment.objects.filter(owner=user).order_by("pk")
    drafts = mine.filter(status=AssessmentStatus.DRAFT).values_list("pk", flat=True)
    records["draft"] = drafts[0]
    with transaction.atomic():
        records.update(_supplier_requests(Assessment.objects.get(pk=drafts[1]), user))
    records["in_review"] = (
        Assessment.objects.filter(status=AssessmentStatus.IN_REVIEW)
        .exclude(owner=user)
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )
    return user, records


def _documentation(model, user):
    from documentation import mdf_files, queries, services, summary
    from documentation.models import MdfDocument, TrainingSummary

    demo = ROOT / "documentation" / "data" / "demo"
    if not MdfDocument.objects.filter(model=model).exists():
        specs = queries.specs_of(queries.current_catalogue())
        parsed = mdf_files.parse((demo / "mdf.json").read_bytes(), "mdf.json", specs)
        meta = {"document_version": parsed.document_version, "last_updated": parsed.last_updated}
        services.mdf_create(model=model, meta=meta, values=parsed.values, by=user)
    if not TrainingSummary.objects.filter(model=model).exists():
        read = summary.read_markdown((demo / "summary.md").read_bytes(), "summary.md")
        services.summary_create(model=model, data=read, by=user)
    return {
        "mdf": MdfDocument.objects.filter(model=model).latest("pk").pk,
        "summary": TrainingSummary.objects.filter(model=model).latest("pk").pk,
    }


def _register(user):
    """A register listing the first 40 suppliers as signatories of every chapter, with the
    first change applied, so that the snapshot's page offers an undo."""
    from vendors.models import RegisterSnapshot, Supplier
    from vendors.register import applying, services

    snapshot = RegisterSnapshot.objects.filter(file_name=REGISTER_FILE).first()
    if snapshot is None:
        source = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"
        rows = ["provider,chapters,date,source_url,status,note"] + [
            f'"{name}",transparency;copyright;safety_security,,{source},signed,'
            for name in Supplier.objects.active().order_by("pk").values_list("name", flat=True)[:40]
        ]
        snapshot = services.register_import(
            data="\n".join(rows).encode(),
            filename=REGISTER_FILE,
            taken_on=datetime.date.today(),
            source_url=source,
            by=user,
        )
        supplier = _unsigned(snapshot)[0]
        applying.register_change_apply(
            snapshot=snapshot, supplier=supplier, chapter="transparency", by=user
        )
    return {"snapshot": snapshot.pk}


def _unsigned(snapshot):
    """The listed suppliers whose Transparency chapter is not recorded as signed, and not yet
    brought in line with the snapshot: each has a change to apply."""
    from vendors.models import Supplier

    listed = snapshot.entries.filter(supplier__isnull=False).values("supplier")
    return list(
        Supplier.objects.filter(pk__in=listed)
        .exclude(signatures__chapter="transparency", signatures__status="signed")
        .exclude(pk__in=snapshot.applied_changes.values("supplier"))
        .order_by("pk")[:1]
    )


def _apply_form(records):
    """A change the snapshot still offers: the preview of it (unconfirmed)."""
    from vendors.models import RegisterSnapshot

    supplier = _unsigned(RegisterSnapshot.objects.get(pk=records["snapshot"]))[0]
    return {"supplier": supplier.pk, "chapter": "transparency"}


def _supplier_requests(assessment, user):
    """Two requests on the same items of `assessment`: one the supplier answered in part and
    submitted, for the owner to review, and one still open with draft answers and a file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal import services
    from portal.models import SupplierRequest

    items = list(
        assessment.items.filter(applicable=True)
        .select_related("checklist_item")
        .order_by("checklist_item__order", "pk")[:SUPPLIER_ITEMS]
    )

    def request_to(email):
        return services.supplier_request_create(
            assessment=assessment,
            data={
                "recipient_name": "Bench Supplier",
                "recipient_email": email,
                # Far ahead, so the link stays usable while the database is reused.
                "due_date": datetime.date.today() + datetime.timedelta(days=365),
                "message": "Please answer the items below.",
            },
            items=items,
            yes_no_items=[item.pk for item in items[::3]],
            by=user,
            base_url="http://127.0.0.1/",
        )

    def answer(request):
        rows = list(request.items.order_by("pk"))
        services.supplier_answers_save(
            request=request,
            answers={
                row.pk: {
                    "answer_text": f"Our answer on {row.item.checklist_item.code}.",
                    "answer_yes_no": "yes" if row.asks_yes_no else "",
                    "answer_links": "https://supplier.example/policies/ai",
                }
                for row in rows[: len(rows) // 2]
            },
        )
        services.supplier_file_add(
            request=request,
            request_item=rows[0],
            uploaded_file=SimpleUploadedFile("policy.txt", b"Our policy.\n", "text/plain"),
        )

    ours = SupplierRequest.objects.filter(assessment=assessment)
    answered = ours.filter(recipient_email=ANSWERED_REQUEST_EMAIL).first()
    if answered is None:
        answered = request_to(ANSWERED_REQUEST_EMAIL)
        answer(answered)
        services.supplier_request_submit(request=answered)
    opened = next(
        (r for r in ours.filter(recipient_email=OPEN_REQUEST_EMAIL) if services.is_usable(r)),
        None,
    )
    if opened is None:
        opened = request_to(OPEN_REQUEST_EMAIL)
        answer(opened)
    return {"asking": assessment.pk, "answered": answered.pk, "open_request": opened}


def _supplier_client(supplier_request):
    """A browser that opened the request's link: the portal session it leaves behind."""
    from django.test import Client

    from portal import access

    client = Client()
    session = client.session
    session[access.REQUEST_KEY] = supplier_request.pk
    session[access.LINK_KEY] = supplier_request.token_hash
    session.save()
    return client


def _document_job(assessment_id, user):
    """A clause-pack job still waiting for a worker. The "Generate PDF" part of the run starts a
    worker, which makes every waiting job, so a job it made is not taken again: its page
    would read the finished document, one query more than a waiting job's."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from contracts import tasks
    from diligence.models import Assessment

    existing = DBTaskResult.objects.filter(
        task_path=tasks.document_generate.module_path, status=TaskResultStatus.READY
    )
    for row in existing.order_by("pk"):
        if (row.args_kwargs.get("args") or [None])[0] == assessment_id:
            return str(row.pk)
    assessment = Assessment.objects.get(pk=assessment_id)
    return str(tasks.document_request(assessment=assessment, format="docx", by=user).id)


def probe_new_pages(args):
    """Queries and median in-process time of each new page."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    samples = json.loads(args.samples)
    user, records = _records(samples)
    client = Client()
    client.force_login(user)
    supplier = _supplier_client(records["open_request"])
    pages = []
    for name, method, url_name, keys, data in NEW_PAGES:
        page = {"name": name}
        try:
            path = reverse(url_name, args=[records[key] for key in keys])
            form = _apply_form(records) if data == "apply_form" else data
            send = getattr(supplier if name in SUPPLIER_PAGES else client, method)
            times, started = [], time.monotonic()
            for run in range(args.runs + 1):
                with CaptureQueriesContext(connection) as captured:
                    begin = time.perf_counter()
                    response = send(path, form) if form is not None else send(path)
                    elapsed = (time.perf_counter() - begin) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{method.upper()} {path}: HTTP {response.status_code}")
                # The first run fills the caches (content types, templates) and is not timed,
                # unless the page is so slow that it is the only one.
                if run or elapsed > BUDGET_S * 1000:
                    times.append(elapsed)
                if times and time.monotonic() - started > BUDGET_S:
                    break
            page.update(path=path, queries=len(captured.captured_queries))
            page.update(p50_ms=round(sorted(times)[len(times) // 2], 1), runs=len(times))
        except Exception as error:  # noqa: BLE001 - reported, and the page is left out
            page["error"] = f"{type(error).__name__}: {error}"
        pages.append(page)
    print(json.dumps({"new_pages": pages}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", required=True, help="JSON of the sample records")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procurement.settings")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"  # the test client's host name
    # The supplier requests the bench makes email no one.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    probe_new_pages(args)


if __name__ == "__main__":
    main()
