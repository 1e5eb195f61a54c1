"""What every endpoint shares: access by the app's one helper, forms as the validators, ETags."""

from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import generics, mixins
from rest_framework.response import Response

from api.errors import Invalid, field_errors
from api.locking import with_etag


class Endpoint(generics.GenericAPIView):
    """`access_model` is the kind of record the endpoint reads: core.access.check_access
    answers 404 to a role that may not see it, as the pages do."""

    access_model = None


class ListEndpoint(mixins.ListModelMixin, Endpoint):
    """A paginated list; `get` reads it (the mixin tells the schema the answer is a page)."""


def validated(form):
    """The form's cleaned data, or a 400 with its messages by field."""
    if not form.is_valid():
        raise Invalid(field_errors(form.errors))
    return form


def run(service, *, errors_on=None, **kwargs):
    """Call a service; its ValidationError becomes a 400 with the same messages, under the
    field `errors_on` when the page shows them there."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        if errors_on:
            raise Invalid({errors_on: error.messages}) from None
        raise Invalid(field_errors(error)) from None


def current_values(form):
    """What the form would post for the record as stored (the start of a partial update)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, models.Model):
            value = value.pk
        data[name] = field.prepare_value(value) if value is not None else ""
    return data


def patched(form_class, instance, changes, **kwargs):
    """A bound form: the record's current values with the fields the request sends."""
    data = current_values(form_class(instance=instance, **kwargs))
    data.update({name: value for name, value in changes.items() if name in data})
    return form_class(data, instance=instance, **kwargs)


def record_response(serializer_class, record, status=200, headers=None):
    response = Response(serializer_class(record).data, status=status, headers=headers)
    return with_etag(response, record)
