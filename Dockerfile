# Concord's image: web (gunicorn), workers and beat all run it; see docker-compose.yml and the
# README's "Deploying". Same Python as development and CI: 3.11 on Debian bookworm.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries, the fonts the PDFs embed (CJK included), gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-wqy-microhei \
       gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --user-group concord
WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN pip install .

COPY --chown=concord:concord . .
RUN python manage.py compilemessages -v0 --ignore '.venv' \
    && mkdir -p /app/staticfiles /app/media \
    && chown concord:concord /app/staticfiles /app/media

USER concord
ENV CONCORD_DEV=false \
    PORT=8000 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["gunicorn", "config.wsgi:application", "-c", "deploy/gunicorn.conf.py"]
