from . import actions
from . import ishikawa
