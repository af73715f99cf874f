"""One submission, one bubblewrap sandbox: no network, read-only system, private home, limits.

The sandbox sees only what it needs to run a notebook: the system's ``/usr``, the Python
installation and the project's virtual environment (read-only), the ``regbook`` package's own
folder (read-only: not the repository around it), the harness (read-only), a private ``/tmp`` and
a private home folder (the only writable places; the sandbox's root is remounted read-only) holding nothing but a copy of its own notebook. It shares no namespace with
the grader (``--unshare-all``: no network, its own process tree, IPC and host name), runs under a
private uid without capabilities, and dies with the grader (``--die-with-parent``). Resource limits
(address space, CPU time, file size, core dumps) are set by ``prlimit`` before ``bwrap`` starts, and the whole
process group is killed when the session ends, so no process outlives it: in a private PID
namespace, the sandbox's processes die with its first process in any case.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOME = "/home/student"
HARNESS_DIR = "/opt/grader"
MAX_LINE = 256 * 2**20


class SandboxError(RuntimeError):
    """The sandbox died, timed out or broke the protocol."""


@dataclass(frozen=True)
class Limits:
    """Per-submission limits. ``notebook`` bounds the whole session's wall time."""

    cell: float = 60.0          # seconds per cell, and per call of a student's function
    notebook: float = 600.0     # seconds of wall time for the whole session
    memory: int = 4 * 2**30     # bytes of address space
    file_size: int = 64 * 2**20  # bytes per file written


def available() -> bool:
    """Whether ``bwrap`` and ``prlimit`` are installed (``apt-get install bubblewrap util-linux``)."""
    return shutil.which("bwrap") is not None and shutil.which("prlimit") is not None


def _regbook_dir() -> Path:
    import regbook

    return Path(regbook.__file__).resolve().parent


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib64", "lib32", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), f"/{name}"]
        elif path.is_dir():
            args += ["--ro-bind", str(path), f"/{name}"]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "alternatives"):
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    return args


def _python_binds() -> list[str]:
    args = []
    prefixes = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(sys.executable).parent.parent}
    for prefix in sorted(prefixes):
        if not str(prefix).startswith("/usr"):
            args += ["--ro-bind", str(prefix), str(prefix)]
    return args


def bwrap_command(home: Path, notebook_name: str, config: dict) -> list[str]:
    """The ``bwrap`` command that runs the harness on ``home/notebook_name``."""
    env = {
        "HOME": HOME, "TMPDIR": "/tmp", "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8",
    }
    regbook = _regbook_dir()
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--uid", "1000", "--gid", "1000",
            "--hostname", "sandbox", "--cap-drop", "ALL", "--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    # The private /tmp comes first: bwrap applies the mounts in order, so the binds below stay visible when
    # the environment or the package itself lives under /tmp (a clone there, as CI may make).
    args += ["--tmpfs", "/tmp"]
    args += _system_binds() + _python_binds()
    args += ["--ro-bind", str(regbook), str(regbook)]
    for name in ("harness.py", "wire.py"):
        args += ["--ro-bind", str(HERE / name), f"{HARNESS_DIR}/{name}"]
    args += ["--proc", "/proc", "--dev", "/dev", "--bind", str(home), HOME,
             "--remount-ro", "/", "--chdir", HOME]
    args += [sys.executable, "-I", f"{HARNESS_DIR}/harness.py", f"{HOME}/{notebook_name}", json.dumps(config)]
    return args


def prlimit_prefix(limits: Limits) -> list[str]:
    """``prlimit`` (util-linux) sets the limits in the child: safe from the grader's threads."""
    cpu = int(limits.notebook) + 5
    return ["prlimit", f"--as={limits.memory}", f"--cpu={cpu}", f"--fsize={limits.file_size}", "--core=0", "--"]


class Session:
    """A running sandbox and its line protocol. Use as a context manager: leaving kills it."""

    def __init__(self, home: Path, notebook_name: str, config: dict, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.notebook
        self.stderr_tail = b""
        self.proc = subprocess.Popen(
            prlimit_prefix(limits) + bwrap_command(home, notebook_name, config), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, close_fds=True,
        )
        self._buffer = b""
        self._reader = threading.Thread(target=self._drain_stderr, daemon=True)
        self._reader.start()
        self.dead = ""

    def _drain_stderr(self) -> None:
        while True:
            chunk = self.proc.stderr.read(65536)
            if not chunk:
                return
            self.stderr_tail = (self.stderr_tail + chunk)[-20000:]

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def recv(self) -> dict:
        """The next message, or :class:`SandboxError` when the sandbox dies or runs out of time."""
        if self.dead:
            raise SandboxError(self.dead)
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = self.remaining()
            if left <= 0:
                self.kill(f"time limit: the notebook ran longer than {self.limits.notebook:g} s")
                raise SandboxError(self.dead)
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
                self.kill(self._death_reason())
                raise SandboxError(self.dead)
            self._buffer += chunk
            if len(self._buffer) > MAX_LINE:
                self.kill("the notebook sent too much data")
                raise SandboxError(self.dead)
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError as exc:
            self.kill(f"the notebook broke the grading protocol ({exc})")
            raise SandboxError(self.dead) from exc
        if not isinstance(message, dict):
            self.kill("the notebook broke the grading protocol")
            raise SandboxError(self.dead)
        return message

    def _death_reason(self) -> str:
        code = self.proc.returncode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            if -code == signal.SIGXCPU:
                return "CPU time limit exceeded"
            return f"the notebook's process was killed ({name}; out of memory?)"
        last = self.stderr_tail.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        hint = f" (last output: {last[0][:200]})" if code and last[0] else ""
        return f"the notebook's process exited (status {code}) before grading finished{hint}"

    def send(self, message: dict) -> None:
        if self.dead:
            raise SandboxError(self.dead)
        try:
            self.proc.stdin.write((json.dumps(message, separators=(",", ":"), allow_nan=False) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            self.proc.poll()
            self.kill(self._death_reason())
            raise SandboxError(self.dead) from exc

    def request(self, message: dict) -> dict:
        self.send(message)
        return self.recv()

    def kill(self, reason: str = "closed") -> None:
        """Kill the sandbox's whole process group (idempotent)."""
        self.dead = self.dead or reason
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        if not self.dead:
            try:
                self.send({"op": "quit"})
            except SandboxError:
                pass
        self.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
