"""Shared ground for the documentation tests: the catalogue's specs, files to import, and a
recorded MDF."""

import io
from pathlib import Path

from documentation import queries, services

DEMO = Path(__file__).resolve().parents[2] / "documentation" / "data" / "demo"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def specs():
    return queries.specs_of(queries.current_catalogue())


def downstream_keys():
    return [spec.key for spec in specs() if spec.for_downstream]


def full_values(**changes):
    """A value for every downstream field that the form accepts; `changes` replace some."""
    values = {}
    for spec in specs():
        if not spec.for_downstream:
            continue
        if spec.kind == "date":
            value = "2025-03-17"
        elif spec.kind == "number":
            value = "2.4e10"
        elif spec.kind == "choice":
            value = spec.choices[0]
        else:
            value = f"Value of {spec.label}"
        values[spec.key] = (value, False)
    values.update(changes)
    return values


def record_mdf(model, by, *, values=None, version="1.0", last_updated="2026-06-01", **meta):
    import datetime

    return services.mdf_create(
        model=model,
        meta={
            "document_version": version,
            "last_updated": datetime.date.fromisoformat(last_updated),
            **meta,
        },
        values=full_values() if values is None else values,
        by=by,
    )


def docx_bytes(lines, table_rows=()):
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table_rows:
        table = document.add_table(rows=0, cols=2)
        for label, value in table_rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines):
    from django.utils.html import escape
    from weasyprint import HTML

    html = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return HTML(string=f"<html><body>{html}</body></html>").write_pdf()
