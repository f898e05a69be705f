"""The capaian engine (split by job in the next commit)."""

from ..formula import *  # noqa: F403
from .capaian import *  # noqa: F403
from .capaian import LABELS, choices, headline_complete, is_percent_unit  # noqa: F401
