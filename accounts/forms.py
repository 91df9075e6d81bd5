from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class SignUpForm(forms.Form):
    """Parses the sign-up page; `accounts.services.register_user` validates and writes."""

    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    display_name = forms.CharField(
        label=_("Display name (optional)"), max_length=150, required=False,
        help_text=_("Shown with your votes and comments instead of your username."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_username(self):
        username = self.cleaned_data["username"]
        validator = get_user_model().username_validator
        validator(username)
        return username
