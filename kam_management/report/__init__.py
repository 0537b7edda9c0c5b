from . import kam_clause_evidence
