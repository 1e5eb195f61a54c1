"""Due diligence: the versioned checklist and its default content, the rules that apply an item
to a model (`applicability.py`), assessments, item answers, evidence and decisions."""
