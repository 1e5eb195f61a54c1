"""Summary rows kept beside the data they sum up, in the same transaction.

The dashboard reads its per-supplier figures (readiness, gaps) from summary rows instead of
summing every assessment of every supplier on the first view after a change. The apps that
change the numbers call `assessments_changed` inside their transaction; the app that keeps the
summary (overview, above them) registers its follower here when it is ready, so no app below
imports it. An explicit call through a registry, as `core.fact_changes`, not a signal.
"""

_followers = []


def follow(callback):
    """Register `callback(*, suppliers)`; registering twice is harmless."""
    if callback not in _followers:
        _followers.append(callback)


def assessments_changed(*, suppliers):
    """Tell every follower that the counters of these suppliers' assessments changed."""
    suppliers = sorted(set(suppliers))
    if not suppliers:
        return
    for callback in _followers:
        callback(suppliers=suppliers)
