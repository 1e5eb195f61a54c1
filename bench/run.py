"""`make bench`: key pages at two data scales, over HTTP against gunicorn with DEBUG off.

    python -m bench.run [--scales 1,10] [--reseed] [--requests 50] [--duration 10]

For each scale: seed (or reuse) the database `bench_<scale>x`, count the queries of each key page
in-process (CaptureQueriesContext, same database, DEBUG off), start gunicorn on 127.0.0.1 and time
sequential requests with a signed-in session. At the first scale, also requests per second at 16
concurrent connections, the admin login page as the baseline, and the download of an unchanged
stored clause-pack PDF. Then the reference clause pack rendered by WeasyPrint (time, the
process's peak RSS) next to Chromium's print-to-PDF of the same HTML. Writes bench/results.json
and prints a table and the targets met or missed. Exits 0 when targets are missed; 1 when a
measurement could not be taken.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.deployment import measure_generation, measure_scale_out
from bench.load import ROOT, gunicorn, log, login, p50, p95, sequential, throughput
from bench.pages import NEW_PAGES
from bench.probes import PAGES, measure_pdf

RESULTS = Path(__file__).with_name("results.json")
BASELINE_PATH = "/admin/login/"
SECRET_KEY = secrets.token_urlsafe(50)


def app_env(database, tmp):
    """The production configuration on plain HTTP, for gunicorn and the in-process probes."""
    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    return {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{server}/{database}",
        "STATIC_ROOT": str(Path(tmp) / "static"),
        "MEDIA_ROOT": str(ROOT / "var" / "bench" / "media" / database),
        "LOG_LEVEL": "WARNING",
        # The API's pages are measured, not its throttle: at 600 requests a minute per token
        # most of their load would be answered 429 (the throttle still runs its checks).
        "API_THROTTLE_RATE": "1000000/min",
        "API_THROTTLE_ADDRESS_RATE": "1000000/min",
    }


def child(args, env, timeout=3600):
    """Run `python -m ...` and return the JSON of its last stdout line; stderr passes through."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and modules
        [sys.executable, "-m", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        timeout=timeout, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


# The run ---------------------------------------------------------------------------------------


class Run:
    """What the run measured so far, in the shape of results.json, and what went wrong."""

    def __init__(self):
        self.pages = {name: {"name": name} for name, _url_name, _sample in PAGES}
        self.pdf, self.problems, self.slow_queries = {}, [], {}
        self.uncached_dashboard = {}
        self.documents, self.scale_out = {}, {}
        self.new_pages = {name: {"name": name} for name, *_rest in NEW_PAGES}

    def results(self):
        keys = ["name", "queries_1x", "queries_10x", "p50_ms_1x", "p50_ms_10x", "p95_ms_1x",
                "p95_ms_10x", "rps", "baseline_rps"]  # fmt: skip
        pdf_keys = ["pages", "weasyprint_s", "chromium_s", "peak_mb", "stored_ms", "cpu_s",
                    "rss_before_mb", "one_piece_cpu_s", "one_piece_peak_mb"]  # fmt: skip
        return {
            "pages": [{key: row.get(key) for key in keys} for row in self.pages.values()],
            "pdf": {key: self.pdf.get(key) for key in pdf_keys},
            # Not a target: the dashboard's first view after the data changed (in-process).
            "uncached_dashboard": self.uncached_dashboard,
            # "Generate PDF" to a downloaded document, with a worker; at the first scale.
            "documents": self.documents,
            # Requests per second of one server and of two, same run; at the first scale.
            "scale_out": self.scale_out,
            "new_pages": list(self.new_pages.values()),
        }


def run(args, tmp):
    password = secrets.token_urlsafe(16)
    scales = [int(s) for s in args.scales.split(",")]
    state, pdf_source = Run(), None
    subprocess.run(  # noqa: S603 - production static storage needs the manifest
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT, env=app_env("unused", tmp), check=True,
    )  # fmt: skip
    for index, scale in enumerate(scales):
        database, first = f"bench_{scale}x", index == 0
        log(f"== scale {scale}× ({database}) ==")
        seed_args = ["bench.seed", "--scale", str(scale), "--database", database]
        marker = child(seed_args + (["--reseed"] if args.reseed else []),
                       {**os.environ, "BENCH_PASSWORD": password})  # fmt: skip
        log(f"{'reused' if marker['reused'] else 'seeded'} {database}: "
            + ", ".join(f"{k.split('.')[1]} {v:,}" for k, v in marker["counts"].items()))  # fmt: skip
        samples, env = marker["samples"], app_env(database, tmp)
        pdf_source = pdf_source or (samples, env)
        if first:
            measure_deployment(state, args, samples, env, tmp, password)
        if "pages" not in args.only:
            continue
        counted = child(["bench.probes", "queries", "--samples", json.dumps(samples)]
                        + (["--document"] if first else []), env)  # fmt: skip
        uncached = counted["uncached_dashboard"]
        state.uncached_dashboard.update(
            {f"queries_{scale}x": uncached["queries"], f"p50_ms_{scale}x": uncached["p50_ms"]}
        )
        log(f"{'Dashboard uncached':<18} {uncached['queries']:>3} queries  p50 "
            f"{uncached['p50_ms']:8.1f} ms (in-process: the first view after a change)")  # fmt: skip
        measure_new_pages(state, scale, samples, env)
        with gunicorn(env, tmp, workers=2 * (os.cpu_count() or 1) + 1) as port:
            cookie = login(port, samples["bench_user"], password)
            measure_latency(state, args, scale, port, cookie, counted["pages"])
            if first:
                measure_throughput(state, args, port, cookie, counted["pages"])
                measure_stored_document(state, args, port, cookie, counted)
    if "pdf" not in args.only:
        return state
    log("== clause-pack PDF ==")
    try:
        rendered = measure_pdf(pdf_source[1], pdf_source[0], tmp, args.pdf_runs)
    except (RuntimeError, OSError, ValueError) as error:
        state.problems.append(f"clause-pack PDF: {error}")
    else:
        state.pdf.update(
            pages=rendered["pages"],
            weasyprint_s=round(statistics.median(rendered["times"]), 2),
            chromium_s=round(statistics.median(rendered["chromium_times"]), 2),
            peak_mb=rendered["peak_mb"],
        )
        record_pdf_cost(state, rendered)
        log(f"{rendered['clauses']} clauses, {rendered['items']} items. WeasyPrint: "
            f"{rendered['pages']} pages in {_seconds(rendered['times'])} (the first cold), "
            f"process peak {rendered['peak_mb']} MB, {rendered['rss_before_mb']} MB before "
            f"rendering. Chromium: {rendered['chromium_pages']} pages in "
            f"{_seconds(rendered['chromium_times'])}, largest process "
            f"{rendered['chromium_peak_mb']} MB")  # fmt: skip
    return state


def measure_deployment(state, args, samples, env, tmp, password):
    """Documents made by a worker, and one server against two (bench/deployment.py)."""
    if "generation" in args.only:
        log("== Generate PDF, with a worker ==")
        try:
            state.documents.update(measure_generation(env, tmp, samples, password, args.pdf_runs))
        except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
            state.problems.append(f"document generation: {error}")
    if "scale-out" in args.only:
        log("== one server, then two ==")
        workers = 2 * (os.cpu_count() or 1) + 1
        state.scale_out.update(
            measure_scale_out(env, tmp, samples, password, args.concurrency, args.duration, workers)
        )


def record_pdf_cost(state, rendered):
    """CPU seconds per render (the median; the first is cold) and the process's peak RSS, for
    the two-part render and the one-piece one (each in a child process of its own)."""
    one_piece = rendered["one_piece"]
    state.pdf.update(
        cpu_s=round(statistics.median(rendered["cpu_times"]), 2),
        rss_before_mb=rendered["rss_before_mb"],
        one_piece_cpu_s=round(statistics.median(one_piece["cpu_times"]), 2),
        one_piece_peak_mb=one_piece["peak_mb"],
    )
    log(f"CPU per render: {_seconds(rendered['cpu_times'])}, peak {rendered['peak_mb']} MB; in "
        f"one piece {_seconds(one_piece['cpu_times'])}, peak {one_piece['peak_mb']} MB")  # fmt: skip


def _seconds(times):
    return ", ".join(f"{t:.2f}" for t in times) + " s"


def measure_latency(state, args, scale, port, cookie, pages):
    for page in pages:
        if "error" in page:
            state.problems.append(f"{page['name']} at {scale}×: {page['error']}")
            continue
        try:
            times = sequential(port, page["path"], cookie, args.requests, args.warmup)
        except RuntimeError as error:
            page["error"] = str(error)
            state.problems.append(f"{page['name']} at {scale}×: {error}")
            continue
        row = state.pages[page["name"]]
        row[f"queries_{scale}x"] = page["queries"]
        row[f"p50_ms_{scale}x"] = round(p50(times), 1)
        row[f"p95_ms_{scale}x"] = round(p95(times), 1)
        state.slow_queries[(page["name"], scale)] = page["slowest"]
        log(f"{page['name']:<18} {page['queries']:>3} queries  p50 {p50(times):8.1f} ms"
            f"  p95 {p95(times):8.1f} ms")  # fmt: skip


def measure_throughput(state, args, port, cookie, pages):
    baseline, share = throughput(port, BASELINE_PATH, cookie, args.concurrency, args.duration)
    log(f"{'Admin login':<18} {baseline:6.1f} req/s, the baseline (client: {share:.0%} of a core)")
    for page in pages:
        if "error" in page:
            continue
        rps, share = throughput(port, page["path"], cookie, args.concurrency, args.duration)
        row = state.pages[page["name"]]
        row["rps"], row["baseline_rps"] = round(rps, 1), round(baseline, 1)
        log(f"{page['name']:<18} {rps:6.1f} req/s (client: {share:.0%} of a core)")


def measure_stored_document(state, args, port, cookie, counted):
    if "document_path" not in counted:
        state.problems.append(f"stored document: {counted.get('document_error')}")
        return
    try:
        times = sequential(port, counted["document_path"], cookie, args.requests, args.warmup)
    except RuntimeError as error:
        state.problems.append(f"stored document: {error}")
        return
    state.pdf["stored_ms"] = round(p50(times), 1)
    log(f"{'Stored PDF':<18} p50 {state.pdf['stored_ms']:8.1f} ms")


# The pages added since the first benchmark, and the uncached dashboard's target --------------

UNCACHED_DASHBOARD_TARGET_MS = 150  # the first view after a change, at 10× the data


def measure_new_pages(state, scale, samples, env):
    """The new pages' queries and in-process median at this scale (bench.pages)."""
    measured = child(["bench.pages", "--samples", json.dumps(samples)], env)
    for page in measured["new_pages"]:
        row = state.new_pages[page["name"]]
        if "error" in page:
            state.problems.append(f"{page['name']} at {scale}×: {page['error']}")
            continue
        row[f"queries_{scale}x"], row[f"p50_ms_{scale}x"] = page["queries"], page["p50_ms"]
        log(f"{page['name']:<20} {page['queries']:>3} queries  p50 {page['p50_ms']:8.1f} ms "
            f"(in-process, {page['runs']} runs)")  # fmt: skip


def report_new_pages(results, check):
    """The new pages' table and targets, and the uncached dashboard's target."""

    def show(value):
        return "–" if value is None else f"{value}"

    print(f"{'New page (in-process)':<22} {'Queries 1×/10×':>14} {'p50 1×':>9} {'p50 10×':>9}")
    for row in results["new_pages"]:
        print(f"{row['name']:<22} {show(row.get('queries_1x')):>6} / "
              f"{show(row.get('queries_10x')):<5} {show(row.get('p50_ms_1x')):>9} "
              f"{show(row.get('p50_ms_10x')):>9}")  # fmt: skip
    print("Targets of the new pages and the uncached dashboard (ms are medians, in-process):")
    for row in results["new_pages"]:
        a, b = row.get("p50_ms_1x"), row.get("p50_ms_10x")
        if a is not None and b is not None:
            check(
                b <= 1.5 * a, f"{row['name']}: 10× data {b} ms vs {a} ms = {b / a:.2f}× (≤ 1.50×)"
            )
        qa, qb = row.get("queries_1x"), row.get("queries_10x")
        if qa is not None and qb is not None:
            check(qa == qb, f"{row['name']}: {qa} queries at 1×, {qb} at 10× (the same)")
    uncached = results["uncached_dashboard"].get("p50_ms_10x")
    if uncached is not None:
        check(
            uncached <= UNCACHED_DASHBOARD_TARGET_MS,
            f"Dashboard, first view after a change at 10×: {uncached} ms "
            f"(≤ {UNCACHED_DASHBOARD_TARGET_MS} ms)",
        )


def report(results, problems, slow_queries):
    """The table, then each target met or missed."""

    def show(value, spec=""):
        return "–" if value is None else format(value, spec)

    print()
    print(f"{'Page':<18} {'Queries 1×/10×':>14} {'p50 1×':>9} {'p50 10×':>9} {'p95 1×':>9} "
          f"{'p95 10×':>9} {'req/s':>7} {'baseline':>8}")  # fmt: skip
    for row in results["pages"]:
        print(f"{row['name']:<18} {show(row['queries_1x']):>6} / {show(row['queries_10x']):<5} "
              f"{show(row['p50_ms_1x'], '.1f'):>9} {show(row['p50_ms_10x'], '.1f'):>9} "
              f"{show(row['p95_ms_1x'], '.1f'):>9} {show(row['p95_ms_10x'], '.1f'):>9} "
              f"{show(row['rps'], '.1f'):>7} {show(row['baseline_rps'], '.1f'):>8}")  # fmt: skip
    pdf = results["pdf"]
    print(f"\nClause-pack PDF: {show(pdf['pages'])} pages; WeasyPrint {show(pdf['weasyprint_s'])} s, "
          f"Chromium {show(pdf['chromium_s'])} s; peak {show(pdf['peak_mb'])} MB; stored document "
          f"served in {show(pdf['stored_ms'])} ms (median)")  # fmt: skip
    uncached = results["uncached_dashboard"]
    print(f"Dashboard, first view after a change (figures not cached, in-process): "
          f"p50 {show(uncached.get('p50_ms_1x'))} ms at 1×, {show(uncached.get('p50_ms_10x'))} ms "
          f"at 10×; {show(uncached.get('queries_1x'))} queries\n")  # fmt: skip
    misses, checks = [], []

    def check(ok, text):
        checks.append(ok)
        if ok is False:
            misses.append(text)
        print(f"  {'ok  ' if ok else 'MISS' if ok is False else 'n/a '} {text}")

    report_deployment(results)
    print("Targets (ms are medians):")
    for row in results["pages"]:
        name, rps, base = row["name"], row["rps"], row["baseline_rps"]
        if rps is not None:
            check(
                rps >= 0.5 * base, f"{name}: {rps:.1f} req/s = {rps / base:.2f}× baseline (≥ 0.50×)"
            )
        a, b = row["p50_ms_1x"], row["p50_ms_10x"]
        if a is not None and b is not None:
            check(
                b <= 1.5 * a, f"{name}: 10× data {b:.1f} ms vs {a:.1f} ms = {b / a:.2f}× (≤ 1.50×)"
            )
        qa, qb = row["queries_1x"], row["queries_10x"]
        if qa is not None and qb is not None:
            check(qa == qb, f"{name}: {qa} queries at 1×, {qb} at 10× (the same)")
    if pdf["weasyprint_s"] is not None:
        check(
            pdf["weasyprint_s"] <= pdf["chromium_s"],
            f"PDF: WeasyPrint {pdf['weasyprint_s']} s vs Chromium {pdf['chromium_s']} s (no slower)",
        )
        report_pdf_cost(pdf, check)
    if pdf["stored_ms"] is not None:
        check(pdf["stored_ms"] < 50, f"Stored document: {pdf['stored_ms']} ms (< 50 ms)")
    report_new_pages(results, check)
    print(f"\n{len(checks) - len(misses)} of {len(checks)} targets met.")
    if misses:
        print("MISSED:\n" + "\n".join(f"  - {text}" for text in misses))
        print("\nSlowest queries of the pages at the largest scale (ms, SQL):")
        largest = max(scale for _name, scale in slow_queries) if slow_queries else None
        for (name, scale), queries in slow_queries.items():
            if scale == largest and queries:
                ms, sql = queries[0]
                print(f"  {name}: {ms} ms  {sql[:300]}")
    for problem in problems:
        print(f"ERROR {problem}")


# The PDF's cost (CPU, memory) and the deployment measurements ---------------------------------

PDF_CPU_TARGET_S, PDF_PEAK_TARGET_MB = 1.0, 120


def report_pdf_cost(pdf, check):
    check(
        pdf["cpu_s"] <= PDF_CPU_TARGET_S,
        f"PDF: {pdf['cpu_s']} s CPU per render (≤ {PDF_CPU_TARGET_S} s; in one piece "
        f"{pdf['one_piece_cpu_s']} s)",
    )
    check(
        pdf["peak_mb"] <= PDF_PEAK_TARGET_MB,
        f"PDF: process peak {pdf['peak_mb']} MB (≤ {PDF_PEAK_TARGET_MB} MB; "
        f"{pdf['rss_before_mb']} MB before rendering; in one piece {pdf['one_piece_peak_mb']} MB)",
    )


def report_deployment(results):
    documents, scale_out = results["documents"], results["scale_out"]
    if documents:
        print(f"Generate PDF to a downloaded document, with a worker: "
              f"{documents['generate_to_download_s']} s (median of {documents['runs']})")  # fmt: skip
    for row in scale_out.get("pages", []):
        one, two = row["one_server_rps"], row["two_servers_rps"]
        print(f"{row['name']}: one server {one} req/s, two servers {two} req/s "
              f"({two / one:.2f}×; {scale_out['workers_per_server']} workers each, same machine)")  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scales", default="1,10", help="comma-separated, first one also for req/s"
    )
    parser.add_argument("--reseed", action="store_true", help="drop and seed the databases again")
    parser.add_argument(
        "--requests", type=int, default=50, help="timed sequential requests per page"
    )
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page")
    parser.add_argument("--pdf-runs", type=int, default=3, help="also the Generate PDF runs")
    parser.add_argument(
        "--only", default="pages,pdf,generation,scale-out",
        help="comma-separated parts: pages, pdf, generation (Generate PDF with a worker), "
        "scale-out (one server against two)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    args.only = set(args.only.split(","))
    started = time.monotonic()
    if (load := os.getloadavg()[0]) > 0.5 * (os.cpu_count() or 1):
        log(
            f"load average {load:.1f} on {os.cpu_count()} cores before the run: other processes "
            "compete with gunicorn and PostgreSQL, so the numbers will be noisy"
        )
    tmp = tempfile.mkdtemp(prefix="bench-")
    try:
        state = run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results = state.results()
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    report(results, state.problems, state.slow_queries)
    print(f"\nWrote {RESULTS.relative_to(ROOT)} in {time.monotonic() - started:.0f} s.")
    return 1 if state.problems else 0


if __name__ == "__main__":
    sys.exit(main())
