from . import kam_clause_evidence
from . import kam_complaint_report
from . import kam_audit_coverage
from . import kam_satisfaction_report
from . import kam_compliance_monitor
from . import kam_awareness_report
from . import kam_document_report
