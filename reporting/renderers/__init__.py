"""One renderer per output format, each drawing the block types of ``reporting.document``."""
