"""Load: people from Procurement working the app's main journeys at once.

Run by tests/security/test_load.py against gunicorn and PostgreSQL; by hand:

    LOAD_USERS=load-1,load-2 LOAD_PASSWORD=... locust -f tests/security/locustfile.py \\
        --headless -u 32 -r 8 -t 60s --host http://127.0.0.1:8000

Every write is checked as a person would see it (the redirect to the new record, the row with
its new status), and named so the test can compare the requests that succeeded with the rows
in the database: "create supplier", "start assessment", "set item status".
"""

import datetime
import itertools
import json
import os
import random
import re
import uuid
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

ACCOUNTS = itertools.cycle(os.environ.get("LOAD_USERS", "").split(","))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
SUPPLIER_PREFIX = "Load test supplier"
REFERENCE_PREFIX = "LOAD-"
STATUSES = ["requested", "received", "accepted", "gap"]


@events.quitting.add_listener
def write_stats(environment, **_kwargs):
    """Final counts as JSON to $LOAD_STATS: the last thing locust does, after every user stopped."""
    if not os.environ.get("LOAD_STATS"):
        return
    stats = environment.stats
    counts = {
        name: {"requests": entry.num_requests, "failures": entry.num_failures}
        for (name, _method), entry in stats.entries.items()
    }
    counts["Aggregated"] = {
        "requests": stats.total.num_requests,
        "failures": stats.total.num_failures,
        "rps": stats.total.total_rps,
        "exceptions": len(environment.runner.exceptions),
    }
    with open(os.environ["LOAD_STATS"], "w") as out:
        json.dump(counts, out, indent=2)


class _Forms(HTMLParser):
    """The forms of a page, with what a browser submits for each field as rendered."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": {}})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name")
            fields.setdefault(self._select, None)
        elif tag == "option" and self._select:
            if fields[self._select] is None or "selected" in attrs:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1]["fields"][self._textarea] += data


def form_with(html, field):
    """The fields of the first form on the page that has `field`."""
    parser = _Forms()
    parser.feed(html)
    return next(form for form in parser.forms if field in form["fields"])


class ProcurementUser(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        login = self.client.get("/accounts/login/", name="sign-in page")
        data = {**form_with(login.text, "username")["fields"], "username": next(ACCOUNTS)}
        with self.client.post(
            "/accounts/login/",
            data={**data, "password": PASSWORD},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused ({response.status_code})")
        self.assessment_urls = []

    @task(4)
    def browse(self):
        self.client.get("/", name="dashboard")
        suppliers = self.client.get("/suppliers/", name="supplier list")
        ids = re.findall(r'href="/suppliers/(\d+)/"', suppliers.text)
        if ids:
            self.client.get(f"/suppliers/{random.choice(ids)}/", name="supplier detail")  # noqa: S311

    @task(1)
    def create_supplier(self):
        page = self.client.get("/suppliers/new/", name="new supplier form")
        fields = form_with(page.text, "legal_name")["fields"]
        name = f"{SUPPLIER_PREFIX} {uuid.uuid4().hex[:12]}"
        data = {**fields, "name": name, "legal_name": f"{name} GmbH", "country": "DE"}
        with self.client.post(
            "/suppliers/new/",
            data=data,
            name="create supplier",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or not re.match(
                r"/suppliers/\d+/$", response.headers.get("Location", "")
            ):
                response.failure(f"supplier not created ({response.status_code})")
                return
        self.client.get(response.headers["Location"], name="supplier detail")

    @task(2)
    def work_an_assessment(self):
        page = self.client.get("/assessments/new/", name="new assessment form")
        fields = form_with(page.text, "reference")["fields"]
        model_select = page.text.split('name="model"', 1)[1].split("</select>", 1)[0]
        models = re.findall(r'<option value="(\d+)"', model_select)
        due = datetime.date.today() + datetime.timedelta(days=30)
        data = {
            **fields,
            "model": random.choice(models),  # noqa: S311
            "reference": f"{REFERENCE_PREFIX}{uuid.uuid4().hex[:12]}",
            "purpose": "Load test: drafting replies to customer enquiries.",
            "due_date": due.isoformat(),
        }
        with self.client.post(
            "/assessments/new/",
            data=data,
            name="start assessment",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not re.match(r"/assessments/\d+/$", location):
                response.failure(f"assessment not started ({response.status_code})")
                return
        assessment = self.client.get(location, name="assessment detail")
        self._set_statuses(assessment.text)
        self.client.get(f"{location}clauses/", name="clause pack")

    def _set_statuses(self, html):
        parser = _Forms()
        parser.feed(html)
        # One item's status form, not the bulk form ("/items/status/") beside them.
        quick = [f for f in parser.forms if re.search(r"/items/\d+/status/$", f["action"] or "")]
        for form in random.sample(quick, k=min(3, len(quick))):
            status = random.choice(STATUSES)  # noqa: S311
            with self.client.post(
                form["action"],
                data={**form["fields"], "status": status},
                headers={"HX-Request": "true"},
                name="set item status",
                catch_response=True,
            ) as response:
                row_status = re.search(r'<option value="(\w+)" selected>', response.text)
                if 'role="alert"' in response.text or not row_status or row_status[1] != status:
                    response.failure("status not saved")
