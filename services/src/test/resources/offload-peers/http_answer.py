# SPDX-License-Identifier: Apache-2.0
"""What the offload-peer clients share about an HTTP/1.1 answer read so far."""


def split(data):
    """(head, body, complete): complete once the head and Content-Length bytes of body are in."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return head, b"", False
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return head, body, len(body) >= int(value)
    return head, body, False


def status(data):
    """The status line with spaces as underscores (one word for key=value output), or "none"."""
    return data.split(b"\r\n", 1)[0].decode("ascii", "replace").replace(" ", "_") or "none"
