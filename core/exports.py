"""CSV downloads of lists, streamed row by row so a large list never sits in memory.

A cell that starts with =, +, -, @, a tab or a carriage return is prefixed with a quote: a
spreadsheet would otherwise run it as a formula (CSV injection).
"""

import csv
import datetime

from django.http import StreamingHttpResponse

from core.files import content_disposition_attachment

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Rows fetched from the database at a time.
CHUNK_SIZE = 500


def csv_safe(value):
    """A cell value a spreadsheet shows as text; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


class _Echo:
    """A file that hands back what is written to it, so csv.writer produces lines to stream."""

    def write(self, value):
        return value


def csv_lines(columns, objects):
    """The lines of a CSV file: a header from `columns` [(header, row -> value)], then one line
    per object. Starts with a byte-order mark, so spreadsheets read it as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([header for header, _ in columns])
    for obj in objects:
        yield writer.writerow([csv_safe(value(obj)) for _, value in columns])


def csv_response(filename, columns, objects):
    response = StreamingHttpResponse(
        csv_lines(columns, objects), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_attachment(filename)
    return response
