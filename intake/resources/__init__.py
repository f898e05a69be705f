"""Spreadsheet import and export resources (split by job in the next commit)."""

from .base import *  # noqa: F403
