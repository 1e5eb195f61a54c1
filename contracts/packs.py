"""Assemble a clause pack: the clauses the triggers select, changed by Legal's overrides.

Pure functions. A clause is anything with `key`, `trigger_kind`, `trigger_param` and `active`
(a Clause row, or a stand-in in tests); an override is anything with `clause_key`, `action`
and `reason`, given oldest first. The newest override of a clause is the one that counts, so
Legal can remove a clause and later add it back.
"""

from dataclasses import dataclass

from contracts.triggers import Selection, Trigger, TriggerKind, evaluate

ADD = "add"
REMOVE = "remove"


@dataclass(frozen=True)
class PackEntry:
    clause: object
    selection: Selection  # what the triggers say, with the reason
    override: object = None  # Legal's newest override of this clause, if any
    number: int = 0  # the clause's number in the pack; 0 when it is not in the pack

    @property
    def added(self):
        """In the pack because Legal added it, not because a trigger selected it."""
        return self.override is not None and self.override.action == ADD

    @property
    def warning(self):
        """Legal added the clause although the facts it is written for do not hold."""
        if not self.added or self.selection.selected:
            return ""
        if self.clause.trigger_kind not in TriggerKind.ON_FACTS:
            return ""
        return (
            "Added by hand although the facts this clause is written for do not hold: "
            f"{self.selection.reason}. Check that its wording fits this model."
        )

    @property
    def reason(self):
        """Why the clause is where it is: Legal's reason for an addition, else the trigger's."""
        if self.added and not self.selection.selected:
            return f"Added by Legal: {self.override.reason}"
        return self.selection.reason


@dataclass(frozen=True)
class Pack:
    included: tuple  # PackEntry, numbered from 1
    removed: tuple  # selected by a trigger, removed by Legal: PackEntry with the override
    not_selected: tuple  # PackEntry whose selection says why no trigger selected it

    @property
    def warnings(self):
        return [entry for entry in self.included if entry.warning]

    def entry(self, key):
        for entry in (*self.included, *self.removed, *self.not_selected):
            if entry.clause.key == key:
                return entry
        return None


def newest_overrides(overrides):
    """The newest override per clause key, from overrides given oldest first."""
    newest = {}
    for override in overrides:
        newest[override.clause_key] = override
    return newest


def assemble(clauses, facts, overrides=()):
    """The pack for these facts. Inactive clauses are left out entirely."""
    newest = newest_overrides(overrides)
    included, removed, not_selected = [], [], []
    for clause in clauses:
        if not clause.active:
            continue
        selection = evaluate(Trigger(clause.trigger_kind, clause.trigger_param), facts)
        override = newest.get(clause.key)
        action = override.action if override is not None else None
        if action == ADD or (selection.selected and action != REMOVE):
            included.append(PackEntry(clause, selection, override, number=len(included) + 1))
        elif selection.selected:
            removed.append(PackEntry(clause, selection, override))
        else:
            not_selected.append(PackEntry(clause, selection))
    return Pack(tuple(included), tuple(removed), tuple(not_selected))
