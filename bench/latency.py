#!/usr/bin/env python3
"""Server-side latency by route, from the lines a run appended to an access log.

Usage: latency.py LOG FIRST_LINE
  LOG          Nginx's access log of nginx/reistech.conf (rt=seconds) or the application's
               http-*.log (durationMs=milliseconds)
  FIRST_LINE   1-based number of the first line written by the run
Prints one "LATENCY route=... n=... p50_ms=... p99_ms=... p999_ms=... max_ms=..." line per route
(method and path, ids replaced by {id}, query left out), busiest first.

wrk's own percentiles are not per route, and wrk 4.1 back-fills its histogram after every slow
response (its latency correction), so a few slow requests of one kind (logins: bcrypt) inflate the
percentiles of the whole mix; these figures are what the server measured for each request.
"""
import re
import sys

NGINX = re.compile(r'"(\S+) (\S+?)(?:\?\S*)? HTTP/[^"]*" (\d{3}) .*\brt=([\d.]+)')
APP = re.compile(r'method=(\S+) path=(\S+) status=(\d{3}) .*\bdurationMs=(\d+)')
ID = re.compile(r'/(?:[0-9a-fA-F-]{36}|\d+)(?=/|$)')


def percentile(values, p):
    return values[min(len(values) - 1, int(len(values) * p))]


def main(path, first):
    routes = {}
    with open(path, encoding='utf-8', errors='replace') as log:
        for number, line in enumerate(log, 1):
            if number < first:
                continue
            match = NGINX.search(line)
            if match:
                ms = float(match.group(4)) * 1000
            else:
                match = APP.search(line)
                if not match:
                    continue
                ms = float(match.group(4))
            route = match.group(1) + ' ' + ID.sub('/{id}', match.group(2))
            routes.setdefault(route, []).append(ms)
    for route, values in sorted(routes.items(), key=lambda item: -len(item[1])):
        values.sort()
        print(f"LATENCY route={route.replace(' ', '_')} n={len(values)} p50_ms={percentile(values, 0.5):.0f} "
              f"p99_ms={percentile(values, 0.99):.0f} p999_ms={percentile(values, 0.999):.0f} max_ms={values[-1]:.0f}")


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))
