"""Things that happened, told to whoever listens: the registry that apps on top plug into.

A service that completes a workflow step says so explicitly, inside its transaction:

    events.publish("assessment.decided", target=assessment, by=user)

and an app above (the webhooks of `api/`) subscribes in its AppConfig.ready. Core and the
apps below never import the listeners. A listener runs inside the publisher's transaction,
so what it records is kept or rolled back with the change itself; anything slow (sending)
it defers with `transaction.on_commit`.
"""

ASSESSMENT_SUBMITTED = "assessment.submitted"
ASSESSMENT_DECIDED = "assessment.decided"
ASSESSMENT_REOPENED = "assessment.reopened"
SIGNATURE_CHANGED = "signature.changed"
EVIDENCE_EXPIRING = "evidence.expiring"
DECISION_EXPIRING = "decision.expiring"
REGISTER_IMPORTED = "register.imported"

EVENTS = {
    ASSESSMENT_SUBMITTED: "Assessment submitted for review",
    ASSESSMENT_DECIDED: "Assessment decided",
    ASSESSMENT_REOPENED: "Assessment reopened",
    SIGNATURE_CHANGED: "Code of Practice signature changed",
    EVIDENCE_EXPIRING: "Evidence expiring",
    DECISION_EXPIRING: "Decision expiring",
    REGISTER_IMPORTED: "Signatory register snapshot imported",
}

_listeners = []


def subscribe(listener):
    """Call `listener(event, target=..., by=..., key=...)` for every published event."""
    if listener not in _listeners:
        _listeners.append(listener)


def publish(event, *, target, by=None, key=None):
    """Tell the listeners that `event` happened to `target`. `key` names the occurrence when
    the same event may be published again for it (e.g. "expiring" on each daily run) and must
    reach listeners once."""
    assert event in EVENTS, event
    for listener in _listeners:
        listener(event, target=target, by=by, key=key)
