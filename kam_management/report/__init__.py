from . import kam_clause_evidence
from . import kam_complaint_report
