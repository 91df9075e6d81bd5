"""`manage.py check --deploy` under production settings prints no warning (issue 11, finding 10)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def check_deploy(**env) -> subprocess.CompletedProcess:
    # Nothing of this test process's environment that a deployment would not have (the browser
    # tests set DJANGO_ALLOW_ASYNC_UNSAFE, for instance).
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("SECURE_", "DJANGO_", "DEBUG", "CONCORD_DEV"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**clean, "CONCORD_DEV": "false", **env}, capture_output=True, text=True,
        timeout=120)


def test_check_deploy_with_production_settings_prints_no_warning():
    result = check_deploy(SECRET_KEY=secrets.token_urlsafe(50))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNINGS" not in output and "security.W" not in output


def test_turning_the_https_redirect_off_behind_no_proxy_is_reported_by_check_deploy():
    result = check_deploy(SECRET_KEY=secrets.token_urlsafe(50), SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = check_deploy(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


@pytest.mark.parametrize("value", ["HTTP_X_FORWARDED_PROTO", "a,b,c"])
def test_a_malformed_proxy_header_setting_is_refused_with_its_expected_form(value):
    result = check_deploy(SECRET_KEY=secrets.token_urlsafe(50), SECURE_PROXY_SSL_HEADER=value)
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be 'HEADER,value'" in result.stderr
