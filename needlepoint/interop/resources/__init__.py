"""Model rows to FHIR R4 resources (plain dicts in FHIR's JSON form). No queries here: the
rows come from ``interop.records``; every reference is relative (``Type/id``)."""
