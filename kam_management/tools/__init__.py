from . import actions
from . import activities
from . import ishikawa
