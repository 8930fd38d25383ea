# SPDX-License-Identifier: Apache-2.0
"""COUNT kernel TCP connections to the offload port, all open at once, one request on each.

  many_connections.py HOST PORT COUNT REQUEST_FILE

Opens the connections (non-blocking connects, 100 in flight at a time), prints "connected=N", waits for a
line on standard input (the test reads the stack's counters meanwhile), sends the request on every
connection, reads every answer (Content-Length) and prints "answered=N ok=N bodies=DISTINCT".
"""

import hashlib
import resource
import selectors
import socket
import sys

from http_answer import split

host, port, count, request = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), open(sys.argv[4], "rb").read()
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, count + 64)), hard))

connections = []
selector = selectors.DefaultSelector()
for start in range(0, count, 100):
    batch = []
    for _ in range(min(100, count - start)):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((host, port))
        selector.register(s, selectors.EVENT_WRITE)
        batch.append(s)
    pending = set(batch)
    while pending:
        events = selector.select(timeout=30)
        if not events:
            sys.exit("connects timed out: %d of %d pending" % (len(pending), len(batch)))
        for key, _ in events:
            error = key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                sys.exit("connect failed: errno %d" % error)
            selector.unregister(key.fileobj)
            pending.discard(key.fileobj)
    connections.extend(batch)
print("connected=%d" % len(connections), flush=True)
sys.stdin.readline()

answers = {}
for s in connections:
    s.setblocking(True)
    s.sendall(request)
    s.setblocking(False)
    answers[s] = b""
    selector.register(s, selectors.EVENT_READ)


def complete(data):
    return split(data)[2]


done = 0
while done < len(connections):
    events = selector.select(timeout=60)
    if not events:
        break
    for key, _ in events:
        chunk = key.fileobj.recv(65536)
        answers[key.fileobj] += chunk
        if not chunk or complete(answers[key.fileobj]):
            selector.unregister(key.fileobj)
            done += 1
ok = [a for a in answers.values() if a.startswith(b"HTTP/1.1 200 ") and complete(a)]
bodies = {hashlib.sha256(split(a)[1]).hexdigest() for a in ok}
print("answered=%d ok=%d bodies=%d" % (done, len(ok), len(bodies)), flush=True)
for s in connections:
    s.close()
