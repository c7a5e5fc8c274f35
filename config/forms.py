from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form, with its username's length checked. AuthenticationForm sets the
    field's max_length after the field is made, so only the HTML attribute had it: a longer name
    went on to authenticate(), and django-axes, recording the failed attempt, overflowed its
    255-character column on PostgreSQL (a 500, found by the fuzzing)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
