import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import the URLconf (and with it every view, service and task module) now, in each worker as it
# boots, rather than in the first request it serves: that request used to wait ~2 s of CPU.
get_resolver().url_patterns  # noqa: B018
