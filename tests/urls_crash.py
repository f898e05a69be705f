"""The product's URLs plus one view that fails, for the 500 page."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500"]


def crash(request):
    raise RuntimeError("database connection lost: secret detail")


urlpatterns = [path("crash/", crash), *urlpatterns]
