# SPDX-License-Identifier: Apache-2.0
"""A client that stops reading: a small receive buffer, one request, then PAUSE seconds without a read.

  slow_reader.py HOST PORT REQUEST_FILE PAUSE_SECONDS

Prints "paused" once the pause begins (its window fills and closes), then reads on and prints
"status=... body_bytes=N sha256=HEX", or "error=..." when the server gave up on it.
"""

import hashlib
import socket
import sys
import time

from http_answer import split

host, port, request, pause = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read(), float(sys.argv[4])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # set before connect: the window scale follows it
s.connect((host, port))
s.sendall(request)
data = s.recv(1024)
print("paused", flush=True)
time.sleep(pause)
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
        if split(data)[2]:
            break
except OSError as e:
    print("error=%s" % e.__class__.__name__, flush=True)
    sys.exit(0)
head, body, _ = split(data)
print("status=%s body_bytes=%d sha256=%s" % (head.split(b" ")[1].decode(), len(body), hashlib.sha256(body).hexdigest()),
      flush=True)
