from . import kam_incident_quick_report
