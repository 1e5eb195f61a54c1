"""Hints shown beside a checklist item, from apps that know more about what it asks for.

Due diligence shows the checklist; an app above it (the supplier's documentation) knows whether
the documentation an item asks for is complete. Dependencies point one way, so that app
registers a function here when it is ready and the item page asks `hints_for`. A hint suggests;
the person working the item still decides its status.
"""

from dataclasses import dataclass

_providers = []


@dataclass(frozen=True)
class Hint:
    text: str
    suggested_status: str = ""  # an item status value ("received"), or "" for no suggestion
    url: str = ""
    label: str = ""  # what the link points to


def register(provider):
    """Register `provider(*, item_code, model_id)` returning a list of `Hint`s; twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)


def hints_for(*, item_code, model_id):
    """Every registered provider's hints for the checklist item `item_code` of a model."""
    hints = []
    for provider in _providers:
        hints.extend(provider(item_code=item_code, model_id=model_id))
    return hints
