"""Measurements made inside the app's own process: queries per page (Django's test client and
CaptureQueriesContext against the bench database) and the clause-pack PDF (WeasyPrint), next to
Chromium's print-to-PDF of the same HTML.

    python -m bench.probes queries --samples '{...}' [--document]
    python -m bench.probes pdf --samples '{...}' --html /tmp/x.html --runs 3 [--one-piece]

Run by `bench.run` with the production settings of the scale's database in the environment.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from bench.load import ROOT

CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
# (name, URL name, the sample record the URL takes)
PAGES = [
    ("Dashboard", "home", None),
    ("Supplier list", "vendors:supplier_list", None),
    ("Supplier detail", "vendors:supplier_detail", "supplier"),
    ("Assessment list", "diligence:assessment_list", None),
    ("Assessment detail", "diligence:assessment_detail", "assessment"),
    ("Clause pack", "contracts:clause_pack", "assessment"),
    ("What if", "contracts:model_what_if", "model"),
    ("API suppliers", "api:supplier_list", None),
    ("API assessments", "api:assessment_list", None),
    ("API items", "api:item_list", "assessment"),
]
# Clauses in the reference pack PDF: about 25 A4 pages with the default layout.
REFERENCE_CLAUSES = 60


def probe_queries(args):
    """Queries per key page, measured in this process against the same database."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    samples = json.loads(args.samples)
    client = Client()
    client.force_login(User.objects.get(username=samples["bench_user"]))
    pages = []
    for name, url_name, sample in PAGES:
        if sample and sample not in samples:
            # A database seeded before this page was probed has no sample for it: seed again.
            pages.append({"name": name, "error": f"no sample {sample!r} in the seeded data"})
            continue
        path = reverse(url_name, args=[samples[sample]] if sample else [])
        page = {"name": name, "path": path}
        try:
            client.get(path)  # caches (content types, templates) filled, as in a warm worker
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"HTTP {response.status_code}")
            page["queries"] = len(captured.captured_queries)
            slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:2]
            page["slowest"] = [(round(float(q["time"]) * 1000, 1), q["sql"][:600]) for q in slowest]
        except Exception as error:  # noqa: BLE001 - reported, and the page is left out
            page["error"] = f"{type(error).__name__}: {error}"
        pages.append(page)
    result = {"pages": pages, "uncached_dashboard": _uncached_dashboard(client)}
    if args.document:
        try:
            result["document_path"] = _stored_document(samples)
        except Exception as error:  # noqa: BLE001 - reported; the other measurements go on
            result["document_error"] = f"{type(error).__name__}: {error}"
    print(json.dumps(result))


def _uncached_dashboard(client):
    """The dashboard as the first view after a change sees it: its figures not in the cache
    (they are kept under a fingerprint of the data, so any change recomputes them). Median of
    five views in this process, with their queries."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    times = []
    for _ in range(5):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            client.get(reverse("home"))
            times.append((time.perf_counter() - begin) * 1000)
    return {"queries": len(captured.captured_queries), "p50_ms": round(sorted(times)[2], 1)}


def _stored_document(samples):
    """The download URL of the reference pack's PDF, generated once and kept in the bench DB."""
    from django.contrib.auth.models import User
    from django.core.files.storage import default_storage

    from contracts import services
    from contracts.models import Document
    from diligence.models import Assessment

    assessment = Assessment.objects.get(pk=samples["reference_assessment"])
    user = User.objects.get(username=samples["bench_user"])
    for document in Document.objects.filter(assessment=assessment):
        if not default_storage.exists(document.storage_name):  # MEDIA_ROOT was cleared
            document.delete()
    document, _created = services.document_generate(assessment=assessment, format="pdf", by=user)
    return document.get_download_url()


def probe_pdf(args):
    """Render the reference clause pack with WeasyPrint; write its HTML for Chromium."""
    import django

    django.setup()
    from django.utils import timezone
    from pypdf import PdfReader

    from contracts import queries, services
    from contracts.documents import pdf
    from contracts.documents.layout import DocumentMeta

    samples = json.loads(args.samples)
    assessment = queries.assessment_for_pack().get(pk=samples["reference_assessment"])
    # The report: the longer of the two documents, with the status table.
    snapshot, content_hash = services.document_snapshot(assessment, "report")
    snapshot = _reference_pack(snapshot)
    meta = DocumentMeta(
        "00000000-0000-4000-8000-000000000000", 1, timezone.localdate(), content_hash
    )
    html = pdf.document_html(snapshot, meta)
    link = f'<link rel="stylesheet" href="{pdf.STYLESHEET_URL}">'
    css = pdf.ASSETS[pdf.STYLESHEET_URL][0].read_text()
    if link not in html:
        raise RuntimeError("the document template no longer links the stylesheet as expected")
    Path(args.html).write_text(html.replace(link, f"<style>\n{css}\n</style>"))
    if not args.one_piece:
        pdf.RENDER_PROCESS.start()  # once per worker process, not per document
    times, cpu_times, peaks, rss_before = [], [], [], _rss_mb()
    for _ in range(args.runs):
        begin, cpu_begin = time.perf_counter(), _cpu_seconds()
        if args.one_piece:
            data = _one_piece_render(snapshot, meta)
        else:
            data, usage = _render_process_render(snapshot, meta)
            # The render child's CPU time comes on top of this process's (the templates).
            cpu_begin -= usage.cpu_seconds
            peaks.append(usage.peak_mb)
            rss_before = usage.start_mb
        times.append(time.perf_counter() - begin)
        cpu_times.append(_cpu_seconds() - cpu_begin)
    Path(args.html).with_suffix(".weasyprint.pdf").write_bytes(data)
    pages = len(PdfReader(Path(args.html).with_suffix(".weasyprint.pdf")).pages)
    print(json.dumps({"times": times, "cpu_times": cpu_times, "pages": pages,
                      "rss_before_mb": round(rss_before, 1), "render_peaks_mb": peaks,
                      "clauses": len(snapshot["clauses"]), "items": len(snapshot["items"])}))  # fmt: skip


def _render_process_render(snapshot, meta):
    """The render as the app makes it (contracts.limits): the templates here, WeasyPrint in a
    child of the render process, whose CPU time and peak RSS its server reports from wait4."""
    from django.conf import settings

    from contracts.documents import pdf

    with pdf.RENDER_PROCESS.session(
        timeout=settings.DOCUMENT_RENDER_TIMEOUT_SECONDS,
        memory_bytes=settings.DOCUMENT_RENDER_MAX_MEMORY_MB * 1024 * 1024,
    ) as session:
        data = pdf.render_pdf(snapshot, meta, engine=session)
    return data, session.usage


def _one_piece_render(snapshot, meta):
    """The document rendered as one HTML page, the contents' page numbers left to WeasyPrint:
    how every PDF was made before the body and the contents were laid out apart."""
    from contracts.documents import pdf

    return pdf.html_to_pdf(pdf.document_html(snapshot, meta))


def _cpu_seconds():
    """CPU time of this process (user and system): what a render costs on a quiet core,
    whatever else shares the machine."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _reference_pack(snapshot):
    """The reference pack: the assessment's own pack (every default clause: each trigger fires)
    with its clauses repeated up to REFERENCE_CLAUSES, as a library about twice the default
    size would give. The default library's largest pack is about half the reference length."""
    own = snapshot["clauses"]
    clauses = [
        dict(own[i % len(own)], number=i + 1, key=f"{own[i % len(own)]['key']}-{i // len(own)}")
        for i in range(max(REFERENCE_CLAUSES, len(own)))
    ]
    return {**snapshot, "clauses": clauses}


def _rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


@contextmanager
def watchdog(process, timeout):
    """Kill the process group of a child started in its own session after `timeout` seconds."""
    timer = threading.Timer(timeout, os.killpg, args=(process.pid, signal.SIGKILL))
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def wait_with_usage(process):
    """Wait for the child and return its rusage, whose ru_maxrss is its peak RSS in KiB."""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage


def _weasyprint_child(env, samples, html, runs, one_piece=False):
    """One probe process: its JSON line, with the peak RSS from wait4 of the process that
    rendered (the render process's child, or for the one-piece render the probe itself)."""
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bench.probes", "pdf", "--samples", json.dumps(samples),
         "--html", str(html), "--runs", str(runs), *(["--one-piece"] if one_piece else [])],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    with watchdog(process, timeout=600):
        output = process.stdout.read()  # a few lines of JSON; EOF when the child ends
        usage = wait_with_usage(process)
    if process.returncode != 0:
        raise RuntimeError("the WeasyPrint child failed")
    result = json.loads(output.strip().splitlines()[-1])
    result["process_peak_mb"] = round(usage.ru_maxrss / 1024, 1)  # kilobytes on Linux
    # The process that rendered: the render process's child, else the probe itself.
    result["peak_mb"] = max(result["render_peaks_mb"] or [result["process_peak_mb"]])
    return result


def measure_pdf(env, samples, tmp, runs):
    """WeasyPrint in a child process (its peak RSS from wait4), the same pack rendered in one
    piece in another child for comparison, then Chromium on the same HTML."""
    html = Path(tmp) / "clause-pack.html"
    weasy = _weasyprint_child(env, samples, html, runs)
    weasy["one_piece"] = _weasyprint_child(env, samples, html, runs, one_piece=True)

    from pypdf import PdfReader

    out, profile = Path(tmp) / "clause-pack.chromium.pdf", Path(tmp) / "chromium-profile"
    chromium_times, chromium_peak = [], 0
    for _ in range(runs):
        out.unlink(missing_ok=True)
        begin = time.perf_counter()
        browser = subprocess.Popen(  # noqa: S603
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--no-first-run", f"--user-data-dir={profile}",
             f"--print-to-pdf={out}", html.as_uri()],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        with watchdog(browser, timeout=180):
            usage = wait_with_usage(browser)
        chromium_times.append(time.perf_counter() - begin)
        # The largest single process of the browser's tree that it waited for.
        chromium_peak = max(chromium_peak, usage.ru_maxrss / 1024)
        if browser.returncode != 0 or not out.exists():
            raise RuntimeError(f"Chromium wrote no PDF (exit status {browser.returncode})")
    weasy["chromium_peak_mb"] = round(chromium_peak, 1)
    weasy["chromium_times"] = chromium_times
    weasy["chromium_pages"] = len(PdfReader(out).pages)
    return weasy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("probe", choices=["queries", "pdf"])
    parser.add_argument("--samples", required=True, help="JSON of the sample records")
    parser.add_argument("--document", action="store_true", help="also a stored PDF's URL")
    parser.add_argument("--html", help="where to write the pack's HTML (pdf)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--one-piece", action="store_true", help="render the pack as one HTML page (pdf)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procurement.settings")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"  # the test client's host name
    {"queries": probe_queries, "pdf": probe_pdf}[args.probe](args)


if __name__ == "__main__":
    main()
