"""docker-compose.yml and the Dockerfile only run what exists in this project (no Docker here)."""

import importlib
import os
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = sorted(name for name, service in SERVICES.items() if "build" in service)
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def dockerfile_instruction(name: str) -> str:
    lines = DOCKERFILE.replace("\\\n", " ").splitlines()
    (line,) = [line for line in lines if line.startswith(name + " ")]
    return line[len(name) + 1:].strip()


def words(command) -> list[str]:
    if isinstance(command, list):
        if command[0] in ("CMD", "CMD-SHELL"):
            command = command[1:] if command[0] == "CMD" else shlex.split(command[1])
        return list(command)
    return shlex.split(command)


def assert_runs_in_this_project(argv: list[str]) -> None:
    """What the image would run: a script of ours, a manage.py command, Celery, gunicorn."""
    program, *args = argv
    if program.startswith(("/app/", "./")) or program.endswith((".sh", ".py")):
        script = ROOT / program.removeprefix("/app/").removeprefix("./")
        assert script.is_file(), program
        assert program.endswith(".py") or os.access(script, os.X_OK), f"{program} not executable"
        return
    if program == "python":
        if args[0] == "manage.py":
            assert args[1] in get_commands(), f"no manage.py command {args[1]!r}"
        else:
            assert (ROOT / args[0]).is_file(), args[0]
        return
    if program == "gunicorn":
        module, _, attribute = args[0].partition(":")
        assert callable(getattr(importlib.import_module(module), attribute or "application"))
        if "-c" in args:
            assert (ROOT / args[args.index("-c") + 1]).is_file()
        return
    if program == "celery":
        assert args[:2] == ["-A", "config"]
        from config.celery import app

        assert importlib.import_module("config.celery").app is app
        assert args[2] in ("worker", "beat", "inspect"), args
        return
    pytest.fail(f"unknown program {program!r} in {argv}")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_service_command_and_health_check_exists_in_the_project(name):
    service = SERVICES[name]
    assert_runs_in_this_project(words(service["command"]))
    health = service.get("healthcheck", {})
    if not health.get("disable"):
        test = words(health["test"])
        assert_runs_in_this_project(test[:test.index("-d")] if "inspect" in test else test)


def test_compose_has_web_both_workers_beat_postgres_redis_and_a_one_shot_migrate():
    assert {"web", "worker-consensus", "worker-exports", "beat", "migrate", "postgres",
            "redis"} <= set(SERVICES)
    assert SERVICES["migrate"]["command"] == "python manage.py migrate --noinput"
    for name in ("web", "worker-consensus", "worker-exports", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"
        assert SERVICES[name]["environment"]["CONCORD_DEV"] == "false"
    assert "-Q consensus" in SERVICES["worker-consensus"]["command"]
    assert "-n consensus@%h" in SERVICES["worker-consensus"]["command"]
    assert "-Q exports,notifications -n exports@%h" in SERVICES["worker-exports"]["command"]


def test_web_can_be_scaled_and_every_process_shares_the_export_files():
    web = SERVICES["web"]
    # No fixed name and a range of host ports: `docker compose up --scale web=N` works.
    assert "container_name" not in web and "8000-8009}:8000" in web["ports"][0]
    for name in ("web", "worker-consensus", "worker-exports"):
        assert "media:/app/media" in SERVICES[name]["volumes"]
        assert SERVICES[name]["environment"]["MEDIA_ROOT"] == "/app/media"
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])


def test_postgres_and_redis_have_health_checks_and_volumes():
    for name in ("postgres", "redis"):
        assert SERVICES[name]["healthcheck"]["test"]
        assert SERVICES[name]["volumes"]


def test_the_image_runs_gunicorn_as_a_user_that_is_not_root_and_checks_its_health():
    assert dockerfile_instruction("FROM") == "python:3.11-slim-bookworm"
    assert dockerfile_instruction("USER") not in ("root", "0")
    entrypoint = yaml.safe_load(dockerfile_instruction("ENTRYPOINT"))
    assert_runs_in_this_project(entrypoint)
    cmd = yaml.safe_load(dockerfile_instruction("CMD"))
    assert cmd[0] == "gunicorn"
    assert_runs_in_this_project(cmd)
    healthcheck = dockerfile_instruction("HEALTHCHECK")
    assert_runs_in_this_project(yaml.safe_load(healthcheck[healthcheck.index("CMD") + 4:]))


def test_the_entrypoint_collects_static_files_before_gunicorn():
    script = (ROOT / "deploy" / "entrypoint.sh").read_text()
    assert "manage.py collectstatic --noinput" in script and 'exec "$@"' in script
