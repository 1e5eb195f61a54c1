"""The versioned library: curated content that goes draft → published → retired.

The checklist (`diligence.Checklist`) and the clause library (`contracts.ClauseLibrary`) are
libraries: rows of content (items, clauses) grouped in numbered versions. A draft is edited; a
published version never changes, because assessments and documents rely on it as it was; a
retired version stays for the records that use it. This package holds what every library has:
the abstract model (`models`), the services that publish, retire and copy versions
(`services`), the comparison of two versions (`diff`) and the Django admin with its confirmed
actions and side-by-side differences (`admin`). A library adds only its own checks.
"""
