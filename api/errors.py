"""One shape for every error the API returns.

    {"status": 404, "code": "not_found", "detail": "Not found.", "errors": {}}

`errors` names the fields of a refused write: {"status": ["Select a valid choice."]}; errors
about the whole request are under "non_field_errors".
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = "Someone else changed the record since you read it. Read it again."


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = "Send the record's ETag in an If-Match header to change it."


def field_errors(error):
    """A Django ValidationError (or form errors) as {field: [messages]}."""
    if isinstance(error, DjangoValidationError):
        if hasattr(error, "error_dict"):
            return {
                ("non_field_errors" if name == "__all__" else name): [
                    message for e in errors for message in e.messages
                ]
                for name, errors in error.error_dict.items()
            }
        return {"non_field_errors": error.messages}
    return {
        ("non_field_errors" if name == "__all__" else name): list(messages)
        for name, messages in error.items()
    }


class Invalid(exceptions.APIException):
    """A write refused by the app's rules (its forms and services), with the messages the
    pages show."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"
    default_detail = "The request was refused; see `errors`."

    def __init__(self, errors):
        # The first message says what is wrong; `errors` lists them all.
        super().__init__(_first_message(errors) or self.default_detail)
        self.errors = errors


def _first_message(detail):
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = Invalid(field_errors(exc))
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling, logged as usual
    errors = {}
    if isinstance(exc, Invalid):
        errors, detail, code = exc.errors, exc.detail, "invalid"
    elif isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        detail, code = _first_message(exc.detail), "invalid"
    else:
        detail = getattr(exc, "detail", str(exc))
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "not_found"
        code = codes if isinstance(codes, str) else "error"
    response.data = {
        "status": response.status_code,
        "code": code,
        "detail": str(detail),
        "errors": errors,
    }
    return response


def error_response(status_code, code, detail):
    return Response(
        {"status": status_code, "code": code, "detail": detail, "errors": {}}, status_code
    )
