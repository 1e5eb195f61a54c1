"""The rows of a benchmark database: realistic suppliers, signatures, models, assessments with
their items, evidence, decisions, audit entries and Legal's changes to a few clause packs.

Statuses are mixed the way a working register looks; item applicability comes from the app's own
rules (`diligence.applicability`). Two suppliers and two assessments are fixed records, the same
at every scale, so the pages the benchmark requests show the same content at 1× and 10×.
"""

import datetime
import random
from contextlib import contextmanager

REFERENCE_SUPPLIER = "Bench Reference Supplier"
SAMPLE_SUPPLIER = "Bench Sample Supplier"
FIXED = 2  # the reference and the sample records, the same at every scale
SIGNATORY_LIST = "https://digital-strategy.ec.europa.eu/en/policies/contents-code-gpai"
OWNERS = 20  # the procurement team owning assessments, the bench user among them

COUNTRIES = {  # code: weight; a mix of EU/EEA and non-EU providers
    "US": 30, "GB": 8, "CN": 7, "CA": 5, "JP": 4, "IL": 3, "CH": 4, "KR": 2, "IN": 2,
    "FR": 10, "DE": 10, "NL": 5, "IE": 4, "SE": 3, "ES": 3, "IT": 3, "FI": 2, "NO": 1,
}  # fmt: skip
PREFIXES = (
    "Aurora Nimbus Quanta Helix Vector Lumen Cobalt Arbor Stratus Kestrel Orion Sable".split()
)
SUFFIXES = "Labs AI Systems Intelligence Research Dynamics Analytics Foundry Works Compute".split()
FAMILIES = "Atlas Beacon Cirrus Delta Ember Fjord Garnet Harbor Iris Juniper Koru Lyra".split()
SIZES = "7B 13B 34B 70B 180B mini small medium large pro ultra vision".split()
MODALITIES = ["text", "code", "image", "audio", "video"]
PURPOSES = [
    "Customer-service assistant for the retail banking division.",
    "Summarising internal policy documents for case handlers.",
    "Code completion in the developer platform.",
    "Drafting replies to citizen enquiries, reviewed by staff.",
    "Translation of product documentation into 24 languages.",
    "Search over the contract archive with cited answers.",
]
ITEM_STATUSES = {  # by assessment status: item status weights for applicable items
    "draft": {"open": 40, "requested": 25, "received": 15, "accepted": 12, "gap": 5,
              "not_applicable": 3},
    "in_review": {"open": 3, "requested": 5, "received": 12, "accepted": 60, "gap": 15,
                  "not_applicable": 5},
    "decided": {"accepted": 75, "gap": 15, "not_applicable": 10},
    "reference": {"gap": 55, "open": 15, "requested": 10, "received": 5, "accepted": 15},
}  # fmt: skip
OUTCOMES = {"approved": 40, "approved_with_conditions": 40, "rejected": 20}


class Seeder:
    """Generates and writes the rows. The first two suppliers and assessments are fixed records,
    drawn from their own random sequence so they come out the same at every scale: the reference
    assessment (index 0) whose clause pack has every clause, and the sample supplier and decided
    assessment (index 1) whose pages the benchmark requests."""

    def __init__(self, scale, copier, ids, now):
        from django.contrib.auth.models import User
        from django.contrib.contenttypes.models import ContentType

        from contracts.models import Clause, ClauseLibrary, LibraryStatus
        from diligence.models import Assessment, Checklist, ChecklistStatus

        self.scale = scale
        self.rng = random.Random(f"bench-{scale}")  # noqa: S311 - test data, not secrets
        self.fixed_rng = random.Random("bench-fixed")  # noqa: S311
        self.now = now
        self.today = now.date()
        self.copier = copier  # writes rows with COPY
        self.ids = ids  # hands out primary keys
        self.checklist = (
            Checklist.objects.filter(status=ChecklistStatus.PUBLISHED).order_by("-version").first()
        )
        self.checklist_items = list(self.checklist.items.order_by("order", "code"))
        library = ClauseLibrary.objects.filter(status=LibraryStatus.PUBLISHED).first()
        self.clauses = {c.key: c for c in Clause.objects.filter(library=library)}
        self.assessment_type = ContentType.objects.get_for_model(Assessment).pk
        self.user_model = User

    @contextmanager
    def fixed(self, is_fixed):
        """Draw from the fixed sequence while generating a fixed record."""
        if not is_fixed:
            yield
            return
        saved, self.rng = self.rng, self.fixed_rng
        try:
            yield
        finally:
            self.rng = saved

    def ago(self, low_days, high_days):
        seconds = self.rng.randint(low_days * 86400, high_days * 86400)
        return self.now - datetime.timedelta(seconds=seconds)

    def days(self, low, high, base=None):
        return (base or self.today) + datetime.timedelta(days=self.rng.randint(low, high))

    def pick(self, weights):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # Users ---------------------------------------------------------------------------------

    def users(self):
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group

        from core.roles import LEGAL, PROCUREMENT

        unusable = make_password(None)
        names = ["bench"] + [f"procurement-{i:02d}" for i in range(1, OWNERS)]
        legal = [f"legal-{i:02d}" for i in range(1, 4)]
        created = self.user_model.objects.bulk_create(
            self.user_model(
                username=name,
                first_name=name.split("-")[0].capitalize(),
                last_name=name.split("-")[-1],
                email=f"{name}@example.org",
                password=unusable,
                date_joined=self.now - datetime.timedelta(days=800),
            )
            for name in names + legal
        )
        by_name = {u.username: u for u in created}
        through = self.user_model.groups.through
        groups = {g.name: g.pk for g in Group.objects.filter(name__in=[PROCUREMENT, LEGAL])}
        through.objects.bulk_create(
            [through(user_id=by_name[n].pk, group_id=groups[PROCUREMENT]) for n in names]
            + [through(user_id=by_name[n].pk, group_id=groups[LEGAL]) for n in legal]
        )
        self.owners = [by_name[n].pk for n in names]
        self.legal = [by_name[n].pk for n in legal]

    def _history(self, model, rows, history_type="+", when="created_at", changes=None):
        history = model.history.model
        for row in rows:
            record = dict(row, **(changes or {}))
            record.update(
                history_id=self.ids(history),
                history_date=row[when],
                history_type=history_type,
                history_user_id=row.get("updated_by_id") or row.get("created_by_id"),
                history_change_reason=None,
            )
            yield record

    # Suppliers, signatures, models ---------------------------------------------------------

    def suppliers(self):
        from vendors.models import Supplier

        self.supplier_rows = []
        for i in range(1000 * self.scale):
            with self.fixed(i < FIXED):
                self.supplier_rows.append(self._supplier(i))
        self.copier.write(Supplier, self.supplier_rows)
        self.copier.write(Supplier.history.model, self._history(Supplier, self.supplier_rows))

    def _supplier(self, i):
        from vendors.facts import is_established_in_eu
        from vendors.models import Supplier

        rng = self.rng
        if i < FIXED:
            name, country = [(REFERENCE_SUPPLIER, "US"), (SAMPLE_SUPPLIER, "FR")][i]
        else:
            name = f"{rng.choice(PREFIXES)} {rng.choice(SUFFIXES)} {i:05d}"
            country = rng.choices(list(COUNTRIES), list(COUNTRIES.values()))[0]
        created = self.ago(60, 900)
        has_rep = not is_established_in_eu(country) and i != 0 and rng.random() < 0.6
        return {
            "id": self.ids(Supplier),
            "name": name,
            "legal_name": f"{name} {rng.choice(['Ltd', 'Inc.', 'GmbH', 'SAS', 'B.V.'])}",
            "country": country,
            "website": f"https://supplier{i:05d}.example.com",
            "contact_name": f"Contact {i:05d}",
            "contact_email": f"sales@supplier{i:05d}.example.com",
            "eu_representative_name": f"EU Rep {i:05d} SRL" if has_rep else "",
            "eu_representative_contact": "rep@example.eu" if has_rep else "",
            "notes": "Framework agreement in negotiation." if rng.random() < 0.2 else "",
            "archived_at": self.ago(1, 50) if i >= FIXED and rng.random() < 0.03 else None,
            "created_at": created,
            "updated_at": created + datetime.timedelta(days=rng.randint(0, 50)),
            "created_by_id": rng.choice(self.owners),
            "updated_by_id": rng.choice(self.owners),
        }

    def signatures(self):
        from vendors.models import Chapter, Signature

        profiles = {"full": 45, "partial": 15, "declined": 8, "unknown": 20, "mixed": 12}
        rows, self.signed = [], {}
        for i, supplier in enumerate(self.supplier_rows):
            with self.fixed(i < FIXED):
                statuses = self._statuses(i, self.pick(profiles))
                self.signed[supplier["id"]] = frozenset(
                    c for c, s in zip(Chapter.values, statuses, strict=True) if s == "signed"
                )
                for chapter, status in zip(Chapter.values, statuses, strict=True):
                    rows.append(self._signature(supplier, chapter, status))
        self.copier.write(Signature, rows)
        # As the app leaves them: created 'unknown' with the supplier, then the status recorded.
        created = {"status": "unknown", "signed_on": None, "source_url": "", "verified_on": None,
                   "verified_by_id": None}  # fmt: skip
        self.copier.write(Signature.history.model, self._history(Signature, rows, changes=created))
        changed = [r for r in rows if r["status"] != "unknown"]
        self.copier.write(
            Signature.history.model, self._history(Signature, changed, "~", when="updated_at")
        )

    def _statuses(self, i, profile):
        if i < FIXED:
            return [["not_signed", "declined", "withdrawn"], ["signed"] * 3][i]
        if profile == "full":
            return ["signed"] * 3
        if profile == "partial":
            return self.rng.choice(
                [["not_signed", "not_signed", "signed"], ["signed", "signed", "not_signed"]]
            )
        if profile in ("declined", "unknown"):
            return [profile] * 3
        return [self.rng.choice(["signed", "not_signed", "withdrawn", "unknown"]) for _ in range(3)]

    def _signature(self, supplier, chapter, status):
        from vendors.models import Signature

        verified = self.rng.random() < 0.85 and status != "unknown"
        return {
            "id": self.ids(Signature),
            "supplier_id": supplier["id"],
            "chapter": chapter,
            "status": status,
            "signed_on": self.days(0, 80, datetime.date(2025, 7, 10))
            if status == "signed"
            else None,
            "source_url": "" if status == "unknown" else SIGNATORY_LIST,
            "verified_on": self.days(-200, 0) if verified else None,
            "verified_by_id": self.rng.choice(self.owners) if verified else None,
            "created_at": supplier["created_at"],
            "updated_at": supplier["updated_at"],
            "created_by_id": supplier["created_by_id"],
            "updated_by_id": supplier["updated_by_id"],
        }

    def models(self):
        from vendors.facts import ModelFacts, is_established_in_eu
        from vendors.models import GPAIModel

        # One model each and as many again spread at random; the reference supplier has one, the
        # sample supplier two.
        per_supplier = {s["id"]: 1 for s in self.supplier_rows}
        per_supplier[self.supplier_rows[1]["id"]] = 2
        others = [s["id"] for s in self.supplier_rows[FIXED:]]
        for _ in range(len(self.supplier_rows) - 1):
            per_supplier[self.rng.choice(others)] += 1
        self.model_rows, self.facts = [], {}
        for i, supplier in enumerate(self.supplier_rows):
            with self.fixed(i < FIXED):
                family = self.rng.choice(FAMILIES)
                for index in range(per_supplier[supplier["id"]]):
                    row = (
                        self._reference_model(supplier)
                        if i == 0
                        else self._model(supplier, family, index)
                    )
                    row["id"] = self.ids(GPAIModel)
                    self.model_rows.append(row)
                    self.facts[row["id"]] = ModelFacts(
                        training_compute_flop=row["training_compute_flop"],
                        systemic_risk_status=row["systemic_risk_status"],
                        open_licence=row["open_licence"],
                        weights_public=row["weights_public"],
                        architecture_public=row["architecture_public"],
                        usage_info_public=row["usage_info_public"],
                        monetised=row["monetised"],
                        claims_open_source_exemption=row["claims_open_source_exemption"],
                        provider_in_eu=is_established_in_eu(supplier["country"]),
                        placed_on_market=row["placed_on_market"],
                        signed_chapters=self.signed[supplier["id"]],
                    )
        self.copier.write(GPAIModel, self.model_rows)
        self.copier.write(GPAIModel.history.model, self._history(GPAIModel, self.model_rows))

    def _reference_model(self, supplier):
        """Every clause trigger fires (see contracts.default_clauses): systemic risk, open-source
        exemption claimed, legacy; with the supplier outside the EU and no chapter signed."""
        return {
            "supplier_id": supplier["id"], "name": "Reference Model", "version": "2024.1",
            "modalities": ["text", "code"], "placed_on_market": datetime.date(2024, 5, 1),
            "training_compute_flop": 5 * 10**25, "licence": "Open weights licence",
            "open_licence": True, "weights_public": True, "architecture_public": True,
            "usage_info_public": True, "monetised": False,
            "claims_open_source_exemption": True, "systemic_risk_status": "presumed",
            "created_at": supplier["created_at"], "updated_at": supplier["updated_at"],
            "created_by_id": supplier["created_by_id"],
            "updated_by_id": supplier["updated_by_id"],
        }  # fmt: skip

    def _model(self, supplier, family, index):
        rng = self.rng
        risk = rng.random()
        if risk < 0.08:
            status, flop = "presumed", rng.randint(11, 500) * 10**24
        elif risk < 0.10:
            status, flop = rng.choice(["designated", "notified"]), rng.randint(2, 9) * 10**24
        elif risk < 0.60:
            status, flop = "not_systemic", rng.randint(1, 9000) * 10**21
        else:
            status, flop = "unknown", None if rng.random() < 0.5 else rng.randint(1, 900) * 10**21
        open_release = rng.random() < 0.2
        placed = rng.random()
        if placed < 0.1:
            placed_on = None
        elif placed < 0.7:  # legacy: before 2 Aug 2025
            placed_on = self.days(-800, -10, datetime.date(2025, 8, 2))
        else:
            placed_on = self.days(0, 300, datetime.date(2025, 8, 2))
        created = supplier["created_at"] + datetime.timedelta(days=rng.randint(0, 30))
        return {
            "supplier_id": supplier["id"],
            "name": f"{family}-{SIZES[index % len(SIZES)]}",
            "version": f"{2023 + index % 4}.{index}",
            "modalities": rng.sample(MODALITIES, rng.randint(1, 3)),
            "placed_on_market": placed_on,
            "training_compute_flop": flop,
            "licence": "Apache-2.0" if open_release else "Commercial licence",
            "open_licence": open_release,
            "weights_public": open_release,
            "architecture_public": open_release,
            "usage_info_public": open_release or rng.random() < 0.5,
            "monetised": (not open_release) or rng.random() < 0.3,
            "claims_open_source_exemption": open_release and rng.random() < 0.7,
            "systemic_risk_status": status,
            "archived_at": self.ago(1, 40) if rng.random() < 0.03 else None,
            "created_at": created,
            "updated_at": created + datetime.timedelta(days=rng.randint(0, 60)),
            "created_by_id": supplier["created_by_id"],
            "updated_by_id": supplier["updated_by_id"],
        }

    # Assessments and everything under them ---------------------------------------------------

    def assessments(self):
        from diligence import applicability
        from diligence.models import Assessment, Decision
        from vendors.facts import derive

        self.verdicts = {}  # model id -> ([Applicability] in checklist order, evidence modes)
        self.assessment_rows, self.decision_rows = [], []
        for i in range(5000 * self.scale):
            with self.fixed(i < FIXED):
                model = (
                    self.model_rows[0 if i == 0 else 1]
                    if i < FIXED
                    else self.rng.choice(self.model_rows)
                )
                if model["id"] not in self.verdicts:
                    derived = derive(self.facts[model["id"]])  # once per model, as the app does
                    self.verdicts[model["id"]] = (
                        [
                            applicability.applicability(c.rule, derived)
                            for c in self.checklist_items
                        ],
                        applicability.evidence_modes(derived),
                    )
                status = (
                    ["in_review", "decided"][i]
                    if i < FIXED
                    else self.pick({"draft": 35, "in_review": 20, "decided": 45})
                )
                self.assessment_rows.append(self._assessment(i, model, status))
        self.copier.write(Assessment, self.assessment_rows)
        self.copier.write(Decision, self.decision_rows)
        self.copier.write(Assessment.history.model, self._history(Assessment, self.assessment_rows))

    def _assessment(self, i, model, status):
        from diligence.models import Assessment, Decision

        rng = self.rng
        created = self.ago(20, 700)
        owner = rng.choice(self.owners)
        row = {
            "id": self.ids(Assessment),
            "index": i,
            "model_id": model["id"],
            "supplier_id": model["supplier_id"],
            "checklist_id": self.checklist.pk,
            "reference": f"PO-{created.year}-{i + 1:06d}",
            "purpose": rng.choice(PURPOSES),
            "owner_id": owner,
            "due_date": self.days(-150, -5) if status == "decided" else self.days(-60, 150),
            "status": status,
            "revision": 1,
            "decision_id": None,
            "evidence_modes": self.verdicts[model["id"]][1],
            "created_at": created,
            "created_by_id": owner,
            "updated_at": created + datetime.timedelta(days=rng.randint(0, 20)),
        }
        # Some were decided, reopened as revision 2 and decided again (or are being redone).
        reopened = i >= FIXED and rng.random() < (0.08 if status == "decided" else 0.03)
        if status == "decided":
            revisions = (1, 2) if reopened else (1,)
        else:
            revisions = (1,) if status == "draft" and reopened else ()
        for revision in revisions:
            decided_at = created + datetime.timedelta(days=10 * revision + rng.randint(0, 9))
            outcome = self.pick(OUTCOMES)
            valid_from = decided_at.date() + datetime.timedelta(days=120)
            self.decision_rows.append(
                {
                    "id": self.ids(Decision),
                    "assessment_id": row["id"],
                    "revision": revision,
                    "outcome": outcome,
                    "conditions": "Deliver the training-content summary within 30 days."
                    if outcome == "approved_with_conditions"
                    else "",
                    "valid_until": self.days(-20, 365, valid_from),
                    "decided_by_id": rng.choice([o for o in self.owners if o != owner]),
                    "decided_at": decided_at,
                }
            )
        if revisions:
            row["revision"] = revisions[-1] + (0 if status == "decided" else 1)
            row["decision_id"] = self.decision_rows[-1]["id"] if status == "decided" else None
        return row

    def items(self):
        """Items, streamed; collects the evidence and audit entries that go with them."""
        from diligence.models import AssessmentItem

        self.evidence_rows, self.audit_rows, self.pack_rows, self.override_rows = [], [], [], []
        self.copier.write(AssessmentItem, self._items())

    def _items(self):
        for assessment in self.assessment_rows:
            with self.fixed(assessment["index"] < FIXED):
                received = []
                for row in self._assessment_items(assessment):
                    if row["status"] in ("received", "accepted"):
                        received.append(row)
                    yield row
                self._evidence_and_audit(assessment, received)

    def _assessment_items(self, assessment):
        from diligence.models import AssessmentItem

        rng, reference = self.rng, assessment["index"] == 0
        weights = ITEM_STATUSES["reference" if reference else assessment["status"]]
        verdicts = self.verdicts[assessment["model_id"]][0]
        for position, (item, verdict) in enumerate(
            zip(self.checklist_items, verdicts, strict=True)
        ):
            status = self.pick(weights) if verdict.applies else "open"
            if reference and item.code == "DOC-11":  # the clause on integration information
                status = "gap"
            if reference and item.category == "safety_security" and position % 3 == 0:
                status = "open"  # the clause on safety evidence
            reviewed = status in ("accepted", "gap")
            yield {
                "id": self.ids(AssessmentItem),
                "assessment_id": assessment["id"],
                "checklist_item_id": item.pk,
                "applicable": verdict.applies,
                "exclusion_reason": verdict.reason,
                "pending_reason": verdict.pending,
                "status": status,
                "justification": "Not used in our deployment."
                if status == "not_applicable"
                else "",
                "notes": "Asked the supplier's account manager." if status == "requested" else "",
                "reviewer_id": rng.choice(self.owners) if reviewed else None,
                "reviewed_on": assessment["updated_at"].date() if reviewed else None,
                "version": 1 if status == "open" else rng.randint(2, 4),
                "updated_at": assessment["updated_at"],
                "updated_by_id": assessment["owner_id"] if status != "open" else None,
            }

    def _evidence_and_audit(self, assessment, received):
        from diligence.models import Evidence

        rng, status = self.rng, assessment["status"]
        low, high = {"draft": (0, 3), "in_review": (2, 6), "decided": (3, 7)}[status]
        chosen = rng.sample(received, min(len(received), rng.randint(low, high)))
        audit = [("assessment_started", assessment["created_at"], "Started", {})]
        for item in chosen:
            when = assessment["created_at"] + datetime.timedelta(days=rng.randint(1, 15))
            previous = None
            for version in range(2 if rng.random() < 0.1 else 1):  # some superseded
                evidence = {
                    "id": self.ids(Evidence),
                    "item_id": item["id"],
                    "assessment_id": assessment["id"],
                    "description": f"Supplier document {rng.randint(100, 999)}, v{version + 1}",
                    "issuer": "Supplier legal team",
                    "effective_date": when.date(),
                    "valid_until": self.days(-30, 365) if rng.random() < 0.3 else None,
                    "url": f"https://supplier.example.com/trust/{item['id']}/{version + 1}",
                    "supersedes_id": previous,
                    "is_current": True,
                    "created_at": when + datetime.timedelta(days=version),
                    "created_by_id": assessment["owner_id"],
                }
                if previous is not None:
                    self.evidence_rows[-1]["is_current"] = False
                self.evidence_rows.append(evidence)
                previous = evidence["id"]
                audit.append(("evidence_added", evidence["created_at"], evidence["description"],
                              {"evidence": evidence["id"]}))  # fmt: skip
        if status in ("in_review", "decided"):
            audit.append(("assessment_submitted", assessment["updated_at"], "Submitted", {}))
        if status == "decided":
            audit.append(("assessment_decided", assessment["updated_at"], "Decided", {}))
        for action, at, summary, data in audit:
            self.audit_rows.append(
                {
                    "actor_id": assessment["owner_id"],
                    "action": action,
                    "summary": summary,
                    "target_type_id": self.assessment_type,
                    "target_id": str(assessment["id"]),
                    "data": data,
                    "at": at,
                }
            )
        if assessment["index"] >= FIXED and rng.random() < 0.03:
            self._overrides(assessment)

    def _overrides(self, assessment):
        """Legal's changes to a few packs: a clause removed, sometimes one added."""
        from contracts.models import ClauseOverride, ClausePack

        pack = {"id": self.ids(ClausePack), "assessment_id": assessment["id"],
                "created_at": assessment["updated_at"]}  # fmt: skip
        self.pack_rows.append(pack)
        changes = [("ip-indemnity", "remove"), ("legacy-model", "add")]
        for key, action in changes[: self.rng.randint(1, 2)]:
            if key in self.clauses:
                self.override_rows.append(
                    {
                        "id": self.ids(ClauseOverride),
                        "pack_id": pack["id"],
                        "clause_key": key,
                        "clause_title": self.clauses[key].title,
                        "action": action,
                        "reason": "Agreed in the negotiation of the framework contract.",
                        "created_at": assessment["updated_at"],
                        "created_by_id": self.rng.choice(self.legal),
                    }
                )

    def rest(self):
        from contracts.models import ClauseOverride, ClausePack
        from core.models import AuditEntry
        from diligence.models import Evidence

        self.copier.write(Evidence, self.evidence_rows)
        for row in self.audit_rows:
            row["id"] = self.ids(AuditEntry)
        self.copier.write(AuditEntry, self.audit_rows)
        self.copier.write(ClausePack, self.pack_rows)
        self.copier.write(ClauseOverride, self.override_rows)

    def samples(self):
        return {
            "reference_assessment": self.assessment_rows[0]["id"],
            "assessment": self.assessment_rows[1]["id"],
            "supplier": self.supplier_rows[1]["id"],
            "model": self.model_rows[1]["id"],
            "bench_user": "bench",
        }
