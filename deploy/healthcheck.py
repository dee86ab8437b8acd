#!/usr/bin/env python3
"""maskgate-healthcheck: exit 0 when the local proxy answers /healthz with status "ok".

The image's HEALTHCHECK (the slim base image has no curl). The port is MASKGATE_PORT (default 8080)
or the first argument. Proxy variables of the environment are ignored: this is a loopback call.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request


def main() -> int:
    port = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MASKGATE_PORT", "8080")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://127.0.0.1:{port}/healthz", timeout=4) as resp:
            healthy = resp.status == 200 and json.load(resp).get("status") == "ok"
    except (OSError, ValueError) as exc:
        print(f"maskgate unhealthy: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if not healthy:
        print("maskgate unhealthy: /healthz did not say ok", file=sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
