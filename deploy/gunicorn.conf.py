"""gunicorn settings for the image (`gunicorn config.wsgi:application -c deploy/gunicorn.conf.py`).

Every value can be overridden on the command line or through the environment: PORT, and
WEB_CONCURRENCY (workers, which gunicorn reads itself), GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# The proxy in front sets X-Forwarded-Proto; only trust it from where the proxy is.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"  # stdout; errors and application logs go to stderr
errorlog = "-"
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Load the application once, in the master, and import every view there (numpy, scikit-learn:
# seconds) before forking: workers start ready, share that memory, and the first request is not
# slow. A code change therefore needs a restart, not a HUP.
preload_app = True


def when_ready(server):
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing the URLconf imports the views
