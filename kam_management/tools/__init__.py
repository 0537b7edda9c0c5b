from . import actions
from . import activities
from . import batches
from . import input_rules
from . import ishikawa
from . import supplier_scores
