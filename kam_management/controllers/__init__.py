from . import xlsx
from . import portal
