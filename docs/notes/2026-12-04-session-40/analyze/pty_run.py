"""Run a command under a pseudo-terminal (so stderr.isatty() is true) and print what it wrote,
carriage returns shown as new lines: to see whether a progress bar appears and how long before."""
import fcntl
import os
import pty
import struct
import sys
import termios
import time

t0 = time.time()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
# a terminal of 120 columns: with no size set, tqdm draws a bar of width 0 (nothing)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
buf = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    for line in chunk.replace(b"\r", b"\n").split(b"\n"):
        if line.strip():
            print(f"[{time.time() - t0:6.1f}s] {line.decode(errors='replace')[:150]}")
os.waitpid(pid, 0)
