"""Facts about suppliers or models changed: the apps that depend on them follow, explicitly.

The supplier register (vendors) changes the facts; due diligence keeps its open assessments in
line with them. Dependencies point one way, so vendors may not import diligence: diligence
registers its follower here when the app is ready, and the vendors services call
`facts_changed` themselves, inside the transaction that changed the facts, so the assessments
move with the change or not at all. No Django signal is involved.
"""

_followers = []


def follow(callback):
    """Register `callback(*, models, suppliers, by, reason)`; registering twice is harmless."""
    if callback not in _followers:
        _followers.append(callback)


def facts_changed(*, models=(), suppliers=(), by, reason):
    """Tell every follower that these models' or suppliers' facts or signatures changed."""
    models, suppliers = list(models), list(suppliers)
    if not models and not suppliers:
        return
    for callback in _followers:
        callback(models=models, suppliers=suppliers, by=by, reason=reason)
