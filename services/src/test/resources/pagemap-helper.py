#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Another process's view of a file's physical pages, for the inspect test.

Maps FILE read-only, touches every page, then answers commands on stdin:
  dump  -> one line: the page frame number of every page, in hex, space-separated (0 = not present)
  exit  -> exits
Page-cache pages are shared, so these PFNs are the ones any other process mapping FILE sees.
"""
import mmap
import os
import struct
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")
PFN_MASK = (1 << 55) - 1
PRESENT = 1 << 63


def main(path):
    size = os.path.getsize(path)
    fd = os.open(path, os.O_RDONLY)
    mapping = mmap.mmap(fd, size, prot=mmap.PROT_READ)
    for at in range(0, size, PAGE):
        mapping[at]
    with open("/proc/self/maps") as maps:
        line = next(l for l in maps if l.rstrip().endswith(os.path.realpath(path)))
    start = int(line.split("-")[0], 16)
    pages = (size + PAGE - 1) // PAGE
    pagemap = os.open("/proc/self/pagemap", os.O_RDONLY)
    print("ready", flush=True)
    for command in sys.stdin:
        command = command.strip()
        if command == "exit":
            break
        if command == "dump":
            raw = os.pread(pagemap, pages * 8, (start // PAGE) * 8)
            entries = struct.unpack("=%dQ" % pages, raw)
            print(" ".join("%x" % (e & PFN_MASK if e & PRESENT else 0) for e in entries), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
