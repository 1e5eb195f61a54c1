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

_listeners = []  # (listener, listener of many targets or None)


def subscribe(listener, *, many=None):
    """Call `listener(event, target=..., by=..., key=...)` for every published event. `many`,
    if given, is called as `many(event, targets=..., by=...)` for an event published for many
    targets at once (`publish_many`), so the listener looks up what it needs once."""
    if all(listener is not known for known, _ in _listeners):
        _listeners.append((listener, many))


def publish(event, *, target, by=None, key=None):
    """Tell the listeners that `event` happened to `target`. `key` names the occurrence when
    the same event may be published again for it (e.g. "expiring" on each daily run) and must
    reach listeners once."""
    assert event in EVENTS, event
    for listener, _ in _listeners:
        listener(event, target=target, by=by, key=key)


def publish_many(event, *, targets, by=None):
    """`publish` for each of `targets`, in one call to each listener that takes many."""
    assert event in EVENTS, event
    targets = list(targets)
    if not targets:
        return
    for listener, many in _listeners:
        if many is not None:
            many(event, targets=targets, by=by)
        else:
            for target in targets:
                listener(event, target=target, by=by)
