"""Matching provider names to suppliers, tolerating case, punctuation and legal forms."""

import difflib
import re
import unicodedata
from dataclasses import dataclass

# Matching provider names ------------------------------------------------------------------

# Legal forms that say nothing about who the provider is; dropped from the end of a name.
LEGAL_FORMS = frozenset(
    """
    ab ag as asa aps bv bvba co company corp corporation cv ek eg gmbh gbr inc incorporated kg
    kgaa kk lda limited llc llp lp ltd mbh nv oy oyj pbc plc pte pty sa sab sarl sas sasu se
    sl slu spa srl sro ug
    """.split()
)
# Similar names above this difflib ratio are proposed for a person to confirm.
UNCERTAIN_RATIO = 0.85

CERTAIN = "certain"
UNCERTAIN = "uncertain"
NO_MATCH = "none"


def _tokens(name):
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    # "S.A.", "S.p.A." and "A.I." are one word each: drop the dots before splitting.
    text = re.sub(r"[.'’]", "", text)
    tokens = re.sub(r"[^0-9a-z]+", " ", text).split()
    while len(tokens) > 1 and tokens[-1] in LEGAL_FORMS:
        tokens.pop()
    return tokens


def normalise_name(name):
    """'Mistral AI SAS' -> 'mistral ai': case, accents, punctuation and legal forms removed."""
    return " ".join(_tokens(name))


def name_key(name):
    """The normalised name without spaces, so 'Open Hippo' and 'OpenHippo' are the same."""
    return "".join(_tokens(name))


def display_name(name):
    """A provider's name without its legal form, in the spelling it was given."""
    words = str(name).split()
    while len(words) > 1 and name_key(words[-1]) in LEGAL_FORMS | {""}:
        words.pop()
    return " ".join(words).rstrip(",") or str(name).strip()


@dataclass(frozen=True)
class Candidate:
    """A supplier the register may name: its id and the names it goes by."""

    id: int
    names: tuple


@dataclass(frozen=True)
class Match:
    supplier_id: int | None
    certainty: str  # CERTAIN, UNCERTAIN or NO_MATCH
    score: float = 0.0


def match_provider(provider, candidates):
    """The supplier a register row names.

    Certain when the name, once normalised, equals one supplier's name or legal name.
    Uncertain when several suppliers share it, when one name starts with the other word for
    word ("Google" and "Google DeepMind"), or when they are similar by difflib's ratio.
    """
    key = name_key(provider)
    tokens = _tokens(provider)
    normalised = " ".join(tokens)
    exact = [c for c in candidates if any(name_key(n) == key for n in c.names if n)]
    if len(exact) == 1:
        return Match(exact[0].id, CERTAIN, 1.0)
    if len(exact) > 1:
        return Match(min(c.id for c in exact), UNCERTAIN, 1.0)

    best = Match(None, NO_MATCH, 0.0)
    for candidate in candidates:
        for name in filter(None, candidate.names):
            other = _tokens(name)
            score = difflib.SequenceMatcher(None, normalised, " ".join(other)).ratio()
            shorter, longer = sorted((tokens, other), key=len)
            prefix = bool(shorter) and longer[: len(shorter)] == shorter
            if (score >= UNCERTAIN_RATIO or prefix) and score > best.score:
                best = Match(candidate.id, UNCERTAIN, round(score, 3))
    return best
