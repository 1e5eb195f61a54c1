"""Contract clauses: the versioned clause library and its default content, the triggers that
select clauses for an assessment, clause packs with Legal's changes, PDF and Word documents."""
