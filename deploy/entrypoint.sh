#!/bin/sh
# The image's entrypoint: a web process (gunicorn) first collects the static files into its own
# STATIC_ROOT, which whitenoise serves; every other command runs as given. Migrations run once,
# in docker-compose's one-shot `migrate` service (`python manage.py migrate --noinput`), before
# any web or worker starts, so that N web replicas never race on them.
set -eu
case "${1:-}" in
  gunicorn)
    python manage.py collectstatic --noinput -v0 ;;
esac
exec "$@"
