"""The dokumen app's pages."""

from django.urls import path  # noqa: F401

app_name = "dokumen"

urlpatterns: list = []
