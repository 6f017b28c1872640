#!/usr/bin/env python3
"""notify-recv.py SOCKET OUTPUT [SECONDS]: a NOTIFY_SOCKET (sd_notify) receiver.

Binds the datagram socket SOCKET (made under another name, then renamed, so
it is ready once it exists), and appends each message it gets to OUTPUT, one
per line with newlines shown as '|', plus ' +fd' when a file descriptor came
with it (BARRIER=1), which it closes at once as systemd does.  Ends after
SECONDS (default 20) without a message.
"""
import array
import os
import socket
import sys


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, out = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
    tmp = path + ".tmp"
    for p in (path, tmp):
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(tmp)
    os.rename(tmp, path)
    s.settimeout(timeout)
    fds = array.array("i")
    try:
        while True:
            msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(4 * fds.itemsize))
            got = array.array("i")
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    got.frombytes(data[: len(data) - len(data) % got.itemsize])
            for fd in got:
                os.close(fd)
            with open(out, "a") as f:
                f.write(msg.decode(errors="replace").rstrip("\n").replace("\n", "|"))
                f.write(" +fd\n" if got else "\n")
    except socket.timeout:
        pass
    finally:
        os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
