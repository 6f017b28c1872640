#!/usr/bin/env python3
"""console-recv.py SOCKET OUTPUT [INPUT]: a --console-socket receiver for tests.

Listens on the unix socket SOCKET (made here; wait for it to exist before
starting the runtime), takes one connection and the pty master that comes
with it (SCM_RIGHTS), as containerd's shim and conmon do.  Types INPUT (if
given, C escapes like \\n allowed) into the master, then copies everything
the process writes to OUTPUT until the pty closes (the process and all its
children exited) or 20 s passed.  OUTPUT.name gets the name the runtime sent
along with the fd.  Exit status: 0 when a master came, 1 otherwise.
"""
import array
import os
import select
import socket
import sys
import time

TIMEOUT = 20.0


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, out_path = sys.argv[1], sys.argv[2]
    data = sys.argv[3].encode().decode("unicode_escape").encode() if len(sys.argv) > 3 else b""
    tmp = path + ".tmp"
    for p in (path, tmp):
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(tmp)  # bound under another name, then renamed: no connect before listen
    srv.listen(1)
    os.rename(tmp, path)
    srv.settimeout(TIMEOUT)
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        print("console-recv: nobody connected", file=sys.stderr)
        return 1
    conn.settimeout(TIMEOUT)
    fds = array.array("i")
    msg, anc, _, _ = conn.recvmsg(1024, socket.CMSG_SPACE(fds.itemsize))
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    conn.close()
    srv.close()
    os.unlink(path)
    if not fds:
        print("console-recv: no fd came with the message", file=sys.stderr)
        return 1
    with open(out_path + ".name", "wb") as f:
        f.write(msg)
    master = fds[0]
    if data:
        os.write(master, data)
    out = b""
    end = time.monotonic() + TIMEOUT
    while time.monotonic() < end:
        r, _, _ = select.select([master], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: every slave fd is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    with open(out_path, "wb") as f:
        f.write(out.replace(b"\r", b""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
