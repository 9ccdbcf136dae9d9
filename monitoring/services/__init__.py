"""Writes of the monitoring app, one module per area (indicators, emissions, planning, reports, reminders)."""
