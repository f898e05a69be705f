from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renstra.models import Opd
from renstra.roles import user_opd_id, user_role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = user_role(request.user)
    opd = Opd.objects.filter(pk=user_opd_id(request.user)).first()
    return render(request, "reporting/home.html", {"role": role, "opd": opd})
