from . import xlsx
from . import portal
from . import public_complaint
from . import safe_report
from . import evidence_room
from . import home
from . import document_portal
from . import policy
