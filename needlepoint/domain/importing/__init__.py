"""Reading another system's export (CSV or a FHIR R4 Bundle) into people and appointments.

Pure: no database. ``patients.importing`` checks and creates the records and
``setup.importing`` runs the whole import (docs/decisions/0610-import-from-another-system.md).
"""

from .columns import FIELDS, IGNORE, ImportFileRefused, header_key, parse_map
from .dates import DateOrder, DateRefused, in_words, read_date, read_date_time, read_time
from .lines import (
    ImportLine,
    Person,
    WantedAppointment,
    effective_order,
    import_lines,
    person_key,
    tidy,
)
from .reading import Source, SourceRecord, decode, read_source

__all__ = [
    "FIELDS",
    "IGNORE",
    "DateOrder",
    "DateRefused",
    "ImportFileRefused",
    "ImportLine",
    "Person",
    "Source",
    "SourceRecord",
    "WantedAppointment",
    "decode",
    "effective_order",
    "header_key",
    "import_lines",
    "in_words",
    "parse_map",
    "person_key",
    "read_date",
    "read_date_time",
    "read_source",
    "read_time",
    "tidy",
]
