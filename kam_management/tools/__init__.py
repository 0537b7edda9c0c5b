from . import ishikawa
