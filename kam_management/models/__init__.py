from . import kam_standard
from . import kam_standard_clause
from . import res_company
from . import res_config_settings
