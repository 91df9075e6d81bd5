"""Docker HEALTHCHECK of a web container: GET /healthz on this container, exit 0 only on 200."""

import os
import sys
import urllib.request

url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
request = urllib.request.Request(url, headers={"Host": "localhost"})
try:
    with urllib.request.urlopen(request, timeout=3) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as error:  # 503, refused, timeout
    print(f"unhealthy: {error}", file=sys.stderr)
    sys.exit(1)
