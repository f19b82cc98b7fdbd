#!/usr/bin/env python3
"""Recomputes a KPI verification's SHA-256 digest from the history endpoints, outside the service (docs/audit.md).

    python3 docs/audit-digest.py BASE_URL POSITION KIND:ID...      e.g. campaign:spring-26 lead:lead-1

Give every aggregate with events up to POSITION; the printed count must equal the verification's eventsRead.
Numbers are kept exactly as the service wrote them (scale included). Needs only Python 3. Credentials
(docs/security.md): the local user auditor of dev mode, or a bearer token in KPI_LEDGER_TOKEN.
"""
import base64
import hashlib
import json
import os
import sys
import urllib.request

AUTH = ('Bearer ' + os.environ['KPI_LEDGER_TOKEN'] if os.environ.get('KPI_LEDGER_TOKEN')
        else 'Basic ' + base64.b64encode(b'auditor:auditor').decode())


class Raw(str):
    """A JSON number kept as its text."""


def dump(value):
    """Compact JSON as the service's event serializer writes it: field order kept, numbers untouched."""
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return '[' + ','.join(dump(item) for item in value) + ']'
    return '{' + ','.join(json.dumps(key, ensure_ascii=False) + ':' + dump(item) for key, item in value.items()) + '}'


base, max_position, streams = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
events = []
for stream in streams:
    kind, ident = stream.split(':', 1)
    request = urllib.request.Request(f'{base}/api/{kind}s/{ident}/history', headers={'Authorization': AUTH})
    body = urllib.request.urlopen(request).read()
    for event in json.loads(body, parse_float=Raw, parse_int=Raw)['events']:
        event['package'] = kind
        events.append(event)
events.sort(key=lambda event: int(event['position']))
digest = hashlib.sha256()
read = 0
for event in events:
    if int(event['position']) > max_position:
        continue
    head = (f"{event['position']}|{event['eventId']}|com.kpiledger.coreapi.{event['package']}.{event['type']}|"
            f"{event['recordedAt']}|")
    digest.update(head.encode('utf-8'))
    digest.update(dump(event['payload']).encode('utf-8'))
    digest.update(b'\n')
    read += 1
print(read, digest.hexdigest())
