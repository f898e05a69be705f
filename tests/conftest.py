import os

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def seed_module(django_db_setup, django_db_blocker):
    """The Balangan seed loaded once for a module (loading takes seconds); removed afterwards
    so other modules start from an empty database."""
    from nomenklatur.models import Nomenklatur
    from renstra.models import Opd, Pemda

    with django_db_blocker.unblock():
        call_command("load_seed", stdout=open(os.devnull, "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        Opd.objects.filter(kode__in=["DP3APPKBPMD", "DSPPPAPMD", "BALANGAN"]).delete()
        Pemda.objects.filter(kode="BALANGAN").delete()
        Nomenklatur.objects.all().delete()
