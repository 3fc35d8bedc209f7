#!/usr/bin/python3
"""stallfs: a read-only FUSE pass-through of a directory whose operations block while a
gate file exists, standing in for an NFS server that stops answering under a `hard`
mount. Processes touching the mount then wait in the kernel, as on a stalled NFS
client, until the gate file is removed (or the file system is unmounted).

    stallfs.py MOUNTPOINT -f -o root=DIR,gate=FILE,allow_other,ro,...

Used by tests/image/stall.bats. The kernel's attribute and lookup caches are turned
off by the caller (attr_timeout=0,entry_timeout=0,negative_timeout=0), so every
lookup reaches this process, as a lookup of a missing name reaches the NFS server.
Needs Debian's python3-fuse (fuse-python, libfuse 2, multi-threaded: one blocked
operation holds one thread, the others go on).
"""

import errno
import os
import sys
import time

import fuse

fuse.fuse_python_api = (0, 2)


class StallFS(fuse.Fuse):
    def __init__(self, *args, **kw):
        fuse.Fuse.__init__(self, *args, **kw)
        self.root = None
        self.gate = None

    def _wait(self):
        # Poll instead of signals: the main thread runs libfuse's C loop, where Python
        # signal handlers would not run.
        while os.path.exists(self.gate):
            time.sleep(0.05)

    def _real(self, path):
        return self.root + path

    def getattr(self, path):
        self._wait()
        return os.lstat(self._real(path))

    def readlink(self, path):
        self._wait()
        return os.readlink(self._real(path))

    def readdir(self, path, offset):
        self._wait()
        for name in [".", ".."] + os.listdir(self._real(path)):
            yield fuse.Direntry(name)

    def access(self, path, mode):
        self._wait()
        if not os.access(self._real(path), mode):
            return -errno.EACCES
        return 0

    def statfs(self):
        self._wait()
        return os.statvfs(self.root)

    def open(self, path, flags):
        self._wait()
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_TRUNC):
            return -errno.EROFS
        os.close(os.open(self._real(path), os.O_RDONLY))
        return 0

    def read(self, path, size, offset):
        self._wait()
        with open(self._real(path), "rb") as f:
            f.seek(offset)
            return f.read(size)


def main():
    server = StallFS(version="stallfs", usage=__doc__, dash_s_do="setsingle")
    server.parser.add_option(mountopt="root", metavar="DIR", help="directory to pass through")
    server.parser.add_option(mountopt="gate", metavar="FILE", help="block while FILE exists")
    server.parse(values=server, errex=1)
    if not server.root or not server.gate:
        sys.exit("stallfs: -o root=DIR,gate=FILE is required")
    server.root = os.path.realpath(server.root)
    server.multithreaded = True
    server.main()


if __name__ == "__main__":
    main()
