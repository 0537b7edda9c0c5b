from . import models
from . import tools
from . import controllers
from . import wizard
