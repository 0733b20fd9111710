"""No treatment-day model is in the admin: charts, consents and adverse events are clinical
records written only through `charting.services` (as before they moved out of `treatments`)."""
