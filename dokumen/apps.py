"""The dokumen app: the documents of the SAKIP cycle an agency signs and keeps (Perjanjian
Kinerja per official, PK Perubahan, Rencana Aksi, SK IKU), their register with the signed
scans, the ESR package and the Pemda's public page; above the kabupaten, below the evaluation."""

from django.apps import AppConfig


class DokumenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dokumen"
    verbose_name = "Dokumen"
