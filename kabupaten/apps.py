"""The kabupaten app: pages and reads across the OPDs of a Pemda, on top of reporting."""

from django.apps import AppConfig


class KabupatenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kabupaten"
    verbose_name = "Kabupaten"

    def ready(self) -> None:
        from reporting import pemda_chapter

        from . import (
            lkjip,
            reviu,  # noqa: F401 (registers the review notes' write services)
        )

        # The plan unit's LAKIP carries the LKjIP Pemda chapter; reporting builds and writes
        # it through this hook, as it may not import kabupaten.
        pemda_chapter.register(
            pemda_chapter.PemdaChapter(
                build=lkjip.lkjip_chapter,
                json=lkjip.chapter_json,
                blocks=lkjip.chapter_blocks,
            )
        )
