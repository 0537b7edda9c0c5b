from . import kam_incident_quick_report
from . import kam_case_reopen
from . import kam_standard_transition_wizard
from . import kam_complaint_register
