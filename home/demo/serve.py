"""Run the development server, the task worker and the scheduler together (`make run`),
relaying their output, and say when all three are ready, last, so that what is printed
then (the demo sign-ins) is the last thing on the screen until someone uses the site.

Each runs in a process group of its own, so stopping one stops its autoreloader's child
too; Ctrl+C (or SIGTERM) stops all three, and so does any one of them ending. Ctrl+C
reaches only this process, which passes it on as SIGTERM.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field

STOP_TIMEOUT = 10
POLL_SECONDS = 0.2


@dataclass
class Service:
    """One process: its name, its command, and a line it prints once it has started
    (None: nothing to wait for)."""

    name: str
    args: list[str]
    ready_line: str | None = None
    started: threading.Event = field(default_factory=threading.Event)


def port_open(host, port):
    """Whether something accepts connections there. A bare connection, not a request, so
    the server logs nothing for it."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def manage_py(*args):
    return [sys.executable, "manage.py", *args]


class Services:
    def __init__(self, services, *, write):
        self.services = services
        self.write = write
        self.lock = threading.Lock()
        self.processes = []
        self.threads = []

    def _relay(self, service, stream):
        for line in stream:
            with self.lock:
                self.write(line.rstrip("\n"))
            if service.ready_line and service.ready_line in line:
                service.started.set()

    def start(self):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        for service in self.services:
            process = subprocess.Popen(  # noqa: S603 (our own commands, no shell)
                service.args,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=env,
                start_new_session=True,
            )
            thread = threading.Thread(target=self._relay, args=(service, process.stdout), daemon=True)
            thread.start()
            self.processes.append(process)
            self.threads.append(thread)
            if service.ready_line is None:
                service.started.set()

    def ended(self):
        """The first service whose process has ended, or None."""
        for service, process in zip(self.services, self.processes, strict=True):
            if process.poll() is not None:
                return service, process.returncode
        return None

    def all_started(self):
        return all(service.started.is_set() for service in self.services)

    def say(self, text):
        """Write as one block, between the services' own lines."""
        with self.lock:
            self.write(text)

    def stop(self):
        """Ask each process group to stop (each stops gracefully on SIGTERM), then insist."""
        for process in self.processes:
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        for thread in self.threads:
            thread.join(timeout=STOP_TIMEOUT)


def _signal_group(process, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop


def services_run(services, *, write, ready=lambda: True, on_ready=lambda say: None):
    """Run `services` until Ctrl+C, SIGTERM or one of them ends; call `on_ready(say)` once,
    when every service has printed its ready line and `ready()` is true. Returns the exit
    status: 0 when stopped, else that of the service that ended."""
    runner = Services(services, write=write)
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    announced = False
    status = 0
    try:
        runner.start()
        wake = threading.Event()
        while True:
            if (ended := runner.ended()) is not None:
                service, code = ended
                runner.say(f"The {service.name} stopped (exit status {code}); stopping the others.")
                status = code or 1
                break
            if not announced and runner.all_started() and ready():
                on_ready(runner.say)
                announced = True
            wake.wait(POLL_SECONDS)
    except (KeyboardInterrupt, _Stop):
        runner.say("Stopping...")
    finally:
        runner.stop()
        signal.signal(signal.SIGTERM, previous)
    return status
