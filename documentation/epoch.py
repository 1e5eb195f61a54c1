"""Public compute estimates from Epoch AI's "Data on AI Models" (CSV, CC BY 4.0).

The buyer downloads the CSV and uploads it for a model; the rows whose name matches the model
become suggestions. An estimate is labelled as a third-party figure: it never replaces what the
provider declares, and it changes no legal fact. The systemic-risk flag below is a hint for a
person, not a classification: Art. 51(2) counts cumulative training compute, and the estimate
may leave post-training out.
"""

import csv
import io
import math
import re

from django.core.exceptions import ValidationError

from core.text import normalise_data

ATTRIBUTION = "Data by Epoch AI, CC BY 4.0"
SOURCE_URL = "https://epoch.ai/data/ai-models"
THRESHOLD_FLOP = 1e25  # Art. 51(2): presumption of high-impact capabilities
MAX_BYTES = 50 * 1024 * 1024

REQUIRED = ("Model", "Organization", "Training compute (FLOP)")
OPTIONAL = (
    "Publication date",
    "Confidence",
    "Link",
    "Base model",
    "Finetune compute (FLOP)",
    "Training compute lower bound",
    "Training compute upper bound",
)


class EpochProblem(ValueError):
    """A file that is not Epoch AI's model data, with the reason."""


def _flop(text, where):
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise EpochProblem(f"{where}: {text!r} is not a number of FLOP.") from None
    if not math.isfinite(value) or value < 0:
        raise EpochProblem(f"{where}: {text!r} is not a number of FLOP.")
    return value


def read(data, name="file"):
    """The rows of the CSV as estimate values, checked; EpochProblem when it cannot be used."""
    if len(data) > MAX_BYTES:
        raise EpochProblem(f"{name}: larger than 50 MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EpochProblem(f"{name}: not UTF-8 text.") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
    if missing:
        raise EpochProblem(
            f"{name}: not Epoch AI's model data; missing column(s): {', '.join(missing)}."
        )
    rows = []
    for number, row in enumerate(reader, start=2):
        where = f"{name}, line {number}"
        if None in row:
            raise EpochProblem(f"{where}: more cells than columns.")
        try:  # the same rule as text typed into a form
            row = normalise_data(row)
        except ValidationError as error:
            raise EpochProblem(f"{where}: {' '.join(error.messages)}") from None
        link = (row.get("Link") or "").strip().split()[0] if (row.get("Link") or "").strip() else ""
        rows.append(
            {
                "source_name": (row["Model"] or "").strip()[:200],
                "organization": (row["Organization"] or "").strip()[:300],
                "publication_date": (row.get("Publication date") or "").strip()[:20],
                "training_compute_flop": _flop(row["Training compute (FLOP)"], where),
                "compute_lower_flop": _flop(row.get("Training compute lower bound"), where),
                "compute_upper_flop": _flop(row.get("Training compute upper bound"), where),
                "confidence": (row.get("Confidence") or "").strip()[:50],
                "base_model": (row.get("Base model") or "").strip()[:200],
                "finetune_compute_flop": _flop(row.get("Finetune compute (FLOP)"), where),
                "link": link[:500] if link.startswith(("https://", "http://")) else "",
                "attribution": ATTRIBUTION,
            }
        )
    if not rows:
        raise EpochProblem(f"{name}: no rows.")
    return rows


def _normal(text):
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def matches(rows, *, model_name, model_version, supplier_names):
    """The rows naming this model: the name (with or without its version) equals the entry's
    name, and where the entry names an organisation, it is the supplier's."""
    names = {
        _normal(model_name),
        _normal(f"{model_name} {model_version}"),
        _normal(f"{model_name}-{model_version}"),
    }
    suppliers = {_normal(name) for name in supplier_names if name}
    found = []
    for row in rows:
        if _normal(row["source_name"]) not in names:
            continue
        organisation = _normal(row["organization"])
        if (
            organisation
            and suppliers
            and not any(
                supplier in organisation or organisation in supplier for supplier in suppliers
            )
        ):
            continue
        found.append(row)
    return found


def systemic_risk_flag(*, compute, upper):
    """ "likely" when the estimate reaches 10^25 FLOP, "possible" when only its upper bound
    does, "" otherwise. A hint for a person, never a legal classification."""
    if compute is not None and compute >= THRESHOLD_FLOP:
        return "likely"
    if upper is not None and upper >= THRESHOLD_FLOP:
        return "possible"
    return ""
