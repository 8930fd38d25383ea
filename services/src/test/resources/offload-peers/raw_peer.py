# SPDX-License-Identifier: Apache-2.0
"""Bad input for the offload port, sent as real Ethernet frames from the client's namespace (AF_PACKET).

Used by FrameManagerBadPeerTest. Every mode prints one line of key=value results on standard output.

  raw_peer.py syn-flood IFACE STACK_MAC STACK_IP PORT COUNT SEED
      COUNT SYNs from spoofed addresses 192.0.2.100-199 (nobody answers ARP for them), so the
      SYN-ACKs stay unanswered and the listener's SYN queue fills.
  raw_peer.py syn-flood-reset IFACE STACK_MAC STACK_IP PORT COUNT SEED
      the RST (at the SYN's sequence number + 1) that ends each half-open connection of that flood.
  raw_peer.py challenge IFACE STACK_MAC STACK_IP PORT REQUEST_FILE
      a kernel TCP connection to the stack, learning its sequence numbers from the frames, then a RST
      out of the window, a RST in the window but not at RCV.NXT, a SYN in the window and one out of it,
      each injected on that connection; then the request on the connection itself.
  raw_peer.py garbage IFACE STACK_MAC STACK_IP PORT
      truncated and malformed frames, bad checksums, a fragment and SYNs with illegal options; prints how
      many it sent under the name of the counter each should raise on the frame-manager link (DropReason,
      or StackCounter for options that are skipped, not dropped).
  raw_peer.py tiny-mss IFACE STACK_MAC STACK_IP PORT MSS REQUEST_FILE
      a whole connection from user space (spoofed 192.0.2.77, answering the stack's ARP for it) whose
      SYN offers MSS; sends the request, ACKs the answer and reports the data segments' sizes.
"""

import os
import random
import select
import socket
import struct
import sys
import time

from http_answer import split, status

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def mac_bytes(text):
    return bytes(int(part, 16) for part in text.split(":"))


def own_mac(iface):
    with open("/sys/class/net/%s/address" % iface) as f:
        return mac_bytes(f.read().strip())


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(src, dst, payload, protocol=6, flags_fragment=0x4000, total=None, ihl=5, bad_checksum=False):
    length = 20 + len(payload) if total is None else total
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, length, random.randrange(65536), flags_fragment, 64,
                         protocol, 0, socket.inet_aton(src), socket.inet_aton(dst))
    header += b"\0" * (ihl * 4 - 20)
    sum_ = checksum(header) ^ (0xFFFF if bad_checksum else 0)
    return header[:10] + struct.pack("!H", sum_) + header[12:] + payload


def tcp(src, dst, sport, dport, seq, ack, flags, window=65535, options=b"", payload=b"", bad_checksum=False,
        offset=None):
    words = (20 + len(options)) // 4 if offset is None else offset
    header = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, words << 4, flags, window,
                         0, 0) + options
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(header) + len(payload))
    sum_ = checksum(pseudo + header + payload) ^ (0xFFFF if bad_checksum else 0)
    return header[:16] + struct.pack("!H", sum_) + header[18:] + payload


def mss_option(mss):
    return struct.pack("!BBH", 2, 4, mss)


class Wire:
    """The AF_PACKET socket on the client's interface: sends frames, reads every frame in and out."""

    def __init__(self, iface, stack_mac):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((iface, 0))
        self.mac = own_mac(iface)
        self.stack_mac = mac_bytes(stack_mac)

    def send(self, packet, ethertype=ETH_P_IP, dst=None, src=None):
        frame = (dst or self.stack_mac) + (src or self.mac) + struct.pack("!H", ethertype) + packet
        self.sock.send(frame)

    def frames(self, seconds):
        """Yields (outgoing, frame) for every frame seen within seconds."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([self.sock], [], [], left)
            if ready:
                frame, address = self.sock.recvfrom(65535)
                yield address[2] == socket.PACKET_OUTGOING, frame


def parse_tcp(frame):
    """(src ip, dst ip, sport, dport, seq, ack, flags, window, payload) of an IPv4/TCP frame, else None."""
    if len(frame) < 34 or struct.unpack("!H", frame[12:14])[0] != ETH_P_IP or frame[23] != 6:
        return None
    ihl = (frame[14] & 0x0F) * 4
    total = struct.unpack("!H", frame[16:18])[0]
    segment = frame[14 + ihl:14 + total]
    sport, dport, seq, ack, offset, flags, window = struct.unpack("!HHIIBBH", segment[:16])
    return (socket.inet_ntoa(frame[26:30]), socket.inet_ntoa(frame[30:34]), sport, dport, seq, ack, flags, window,
            segment[(offset >> 4) * 4:])


def syn_flood(args, reset):
    iface, stack_mac, stack_ip, port, count, seed = args[0], args[1], args[2], int(args[3]), int(args[4]), int(args[5])
    wire = Wire(iface, stack_mac)
    rng = random.Random(seed)
    for _ in range(count):
        src = "192.0.2.%d" % rng.randrange(100, 200)
        sport = rng.randrange(20000, 60000)
        seq = rng.randrange(1 << 32)
        if reset:
            wire.send(ipv4(src, stack_ip, tcp(src, stack_ip, sport, port, seq + 1, 0, RST, window=0)))
        else:
            wire.send(ipv4(src, stack_ip, tcp(src, stack_ip, sport, port, seq, 0, SYN, options=mss_option(1460))))
    print("sent=%d" % count)


def challenge(args):
    iface, stack_mac, stack_ip, port, request = args[0], args[1], args[2], int(args[3]), open(args[4], "rb").read()
    wire = Wire(iface, stack_mac)
    client = socket.create_connection((stack_ip, port), timeout=10)
    local_ip, local_port = client.getsockname()
    # The handshake's last ACK went out with SND.NXT (our next sequence number) and RCV.NXT (the stack's).
    snd_nxt = rcv_nxt = None
    for outgoing, frame in wire.frames(2):
        seg = parse_tcp(frame)
        if seg and outgoing and seg[2] == local_port and seg[6] & ACK:
            snd_nxt, rcv_nxt = seg[4], seg[5]
            break
    if snd_nxt is None:
        print("error=handshake-not-seen")
        return

    def inject(seq, flags):
        wire.send(ipv4(local_ip, stack_ip, tcp(local_ip, stack_ip, local_port, port, seq, rcv_nxt, flags, window=502)))

    def acks_from_stack(seconds):
        seen = 0
        for outgoing, frame in wire.frames(seconds):
            seg = parse_tcp(frame)
            if seg and not outgoing and seg[3] == local_port and seg[6] & ACK and not seg[6] & RST:
                seen += 1
        return seen

    inject(snd_nxt + (1 << 30), RST)
    after_far_rst = acks_from_stack(0.5)
    inject(snd_nxt + 1000, RST | ACK)
    after_near_rst = acks_from_stack(0.5)
    inject(snd_nxt, SYN)
    after_syn = acks_from_stack(0.5)
    inject(snd_nxt + (1 << 30), SYN)
    after_far_syn = acks_from_stack(0.5)
    client.sendall(request)
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = client.recv(65536)
        if not chunk:
            break
        answer += chunk
    client.close()
    print("far_rst_acks=%d near_rst_acks=%d syn_acks=%d far_syn_acks=%d status=%s"
          % (after_far_rst, after_near_rst, after_syn, after_far_syn, status(answer)))


def garbage(args):
    iface, stack_mac, stack_ip, port = args[0], args[1], args[2], int(args[3])
    wire = Wire(iface, stack_mac)
    src = "192.0.2.77"

    def syn(options=b"", **kw):
        return tcp(src, stack_ip, random.randrange(20000, 60000), port, random.randrange(1 << 32), 0, SYN,
                   options=options, **kw)

    sent = {}

    def send(name, packet, ethertype=ETH_P_IP):
        wire.send(packet, ethertype)
        sent[name] = sent.get(name, 0) + 1

    # Headers the FMan parser cannot parse: the port marks them (header error), the link drops them.
    send("link_rx_error", b"\x45\x00", ETH_P_IP)                        # 2 bytes of an IPv4 header
    send("link_rx_error", ipv4(src, stack_ip, syn(), total=1400))         # total length past the frame
    send("link_rx_error", ipv4(src, stack_ip, syn(), ihl=4))              # header length below 20
    send("link_rx_error", ipv4(src, stack_ip, syn()[:12]))                # 12 bytes of a TCP header
    # The rest reaches the stack, which drops each under its own reason.
    send("arp_malformed", b"", ETH_P_ARP)                                 # an Ethernet header alone
    send("ipv4_bad_checksum", ipv4(src, stack_ip, syn(), bad_checksum=True))
    send("ipv4_fragment", ipv4(src, stack_ip, syn(), flags_fragment=0x2000))  # MF, offset 0
    send("tcp_malformed", ipv4(src, stack_ip, syn(offset=15)))            # data offset past the segment
    send("tcp_bad_checksum", ipv4(src, stack_ip, syn(bad_checksum=True)))
    send("tcp_bad_options", ipv4(src, stack_ip, syn(options=b"\x02\x00\x05\xb4")))         # MSS, length 0
    send("tcp_bad_options", ipv4(src, stack_ip, syn(options=b"\x01\x01\x08\x20")))         # length past the header
    send("tcp_unknown_options", ipv4(src, stack_ip, syn(options=b"\x63\x04\xab\xcd")))     # kind 99
    send("tcp_bad_option_lengths", ipv4(src, stack_ip, syn(options=b"\x03\x04\x07\x01")))  # window scale, length 4
    send("unsupported_ethertype", b"\x60" + b"\0" * 47, 0x86DD)             # IPv6
    print(" ".join("%s=%d" % item for item in sorted(sent.items())))


def tiny_mss(args):
    iface, stack_mac, stack_ip, port, mss = args[0], args[1], args[2], int(args[3]), int(args[4])
    request = open(args[5], "rb").read()
    wire = Wire(iface, stack_mac)
    src, sport, iss = "192.0.2.77", random.randrange(20000, 60000), random.randrange(1 << 32)

    def send(seq, ack, flags, payload=b"", options=b""):
        wire.send(ipv4(src, stack_ip, tcp(src, stack_ip, sport, port, seq, ack, flags, options=options,
                                          payload=payload)))

    send(iss, 0, SYN, options=mss_option(mss))
    rcv_nxt = None
    snd_nxt = iss + 1
    sizes, answer, syn_acks = [], b"", 0
    deadline = time.monotonic() + 20
    for outgoing, frame in wire.frames(20):
        if outgoing or time.monotonic() > deadline:
            continue
        if struct.unpack("!H", frame[12:14])[0] == ETH_P_ARP and socket.inet_ntoa(frame[38:42]) == src:
            # The stack asks who has 192.0.2.77: this tool does (RFC 826 reply).
            reply = struct.pack("!HHBBH", 1, ETH_P_IP, 6, 4, 2) + wire.mac + socket.inet_aton(src) \
                + frame[22:28] + frame[28:32]
            wire.send(reply, ETH_P_ARP, dst=frame[6:12])
            continue
        seg = parse_tcp(frame)
        if not seg or seg[3] != sport:
            continue
        flags, payload = seg[6], seg[8]
        if flags & SYN and flags & ACK:
            syn_acks += 1
            rcv_nxt = seg[4] + 1
            send(snd_nxt, rcv_nxt, ACK | PSH, request)
            snd_nxt += len(request)
            continue
        if rcv_nxt is None:
            continue
        if payload and seg[4] == rcv_nxt:
            sizes.append(len(payload))
            answer += payload
            rcv_nxt += len(payload)
        if payload or flags & FIN:
            send(snd_nxt, rcv_nxt + (1 if flags & FIN else 0), ACK)
        if flags & (FIN | RST) or split(answer)[2]:
            break
    send(snd_nxt, rcv_nxt or 0, RST)
    print("syn_acks=%d segments=%d max_payload=%d min_payload=%d bytes=%d status=%s"
          % (syn_acks, len(sizes), max(sizes or [0]), min(sizes or [0]), len(answer), status(answer)))


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "syn-flood":
        syn_flood(args, False)
    elif mode == "syn-flood-reset":
        syn_flood(args, True)
    elif mode == "challenge":
        challenge(args)
    elif mode == "garbage":
        garbage(args)
    elif mode == "tiny-mss":
        tiny_mss(args)
    else:
        sys.exit("unknown mode " + mode)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
