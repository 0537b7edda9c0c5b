from . import test_access
from . import test_standard
from . import test_translation
from . import test_ui
