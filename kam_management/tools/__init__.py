from . import actions
from . import activities
from . import batches
from . import ishikawa
from . import public_form
from . import supplier_scores
from . import xlsx
