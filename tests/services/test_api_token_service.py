"""The token service's guards (accounts.tokens): each refusal, nothing made."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import tokens
from accounts.models import ApiToken
from renstra.models import Role
from tests.factories import OpdFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def perencana():
    return make_user("tok_perencana", Role.PERENCANA, OpdFactory())


def test_create_guards(perencana):
    other = make_user("tok_other2", Role.PERENCANA, OpdFactory())
    with pytest.raises(PermissionDenied):
        tokens.token_create(user=perencana, owner=other, nama="x", days=5, tulis=False)
    other.is_active = False
    other.save()
    with pytest.raises(PermissionDenied):
        tokens.token_create(user=other, owner=other, nama="x", days=5, tulis=False)
    with pytest.raises(ValidationError):
        tokens.token_create(user=perencana, owner=perencana, nama=" ", days=5, tulis=False)
    with pytest.raises(ValidationError):
        tokens.token_create(user=perencana, owner=perencana, nama="x", days=366, tulis=False)
    for i in range(tokens.MAX_ACTIVE):
        tokens.token_create(user=perencana, owner=perencana, nama=f"t{i}", days=5, tulis=False)
    with pytest.raises(ValidationError):
        tokens.token_create(user=perencana, owner=perencana, nama="lagi", days=5, tulis=False)
    assert ApiToken.objects.count() == tokens.MAX_ACTIVE


def test_revoke_refuses_anothers_token(perencana):
    other = make_user("tok_other3", Role.PERENCANA, OpdFactory(kode="LAIN"))
    made = tokens.token_create(user=other, owner=other, nama="x", days=5, tulis=False)
    with pytest.raises(ApiToken.DoesNotExist):
        tokens.token_revoke(user=perencana, pk=made.token.pk)
    made.token.refresh_from_db()
    assert made.token.dicabut is None
    tokens.token_revoke(user=other, pk=made.token.pk)
    made.token.refresh_from_db()
    assert made.token.dicabut is not None
