"""Suppliers, their GPAI models and Code of Practice signatures per chapter, with the facts the
AI Act derives from a model (`facts.py`) and the public signatory register (`register/`)."""
