"""FHIR R4 (4.0.1): a patient's record as a Bundle, the whole clinic as Bulk Data NDJSON."""
