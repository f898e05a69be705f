"""Write services of indicators (the module is split by the objects it writes in the next commit)."""

from .realisasi import *  # noqa: F403
