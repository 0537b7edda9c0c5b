from . import kam_helpdesk_escalation_rule
from . import helpdesk_ticket
from . import kam_case
from . import rating_rating
