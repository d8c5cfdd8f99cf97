"""Run a command and write its own peak RSS: ``python -I -S rusage.py OUT_FILE COMMAND...``.

A small launcher, so the measured process's peak is its own: a child forked from the (large)
harness would inherit the harness's resident size as its ``ru_maxrss`` floor.
"""

import os
import sys

if __name__ == "__main__":
    out, command = sys.argv[1], sys.argv[2:]
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as handle:
        handle.write(str(usage.ru_maxrss * 1024))
    sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
