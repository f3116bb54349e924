"""`make run` runs the web server, the task worker and the scheduler together, relays their
output, and prints the demo sign-ins once all three have started, so that they are the
last thing on the screen (home.demo.serve). Stand-in processes here; the real ones are
run in test_run_demo.py."""

import os
import sys

import pytest

from home.demo.serve import Service, services_run


def python(code):
    return [sys.executable, "-c", f"import sys, time\n{code}"]


# A service that prints, says it has started, then runs until stopped.
LONG_RUNNING = "print('{name}: starting'); print('{name}: started'); time.sleep(600)"


def service(name, ready=True):
    return Service(name, python(LONG_RUNNING.format(name=name)), f"{name}: started" if ready else None)


class Stop(KeyboardInterrupt):
    """Ctrl+C, pressed as soon as the services are ready."""


def run(services, **kwargs):
    lines = []

    def on_ready(say):
        say("SIGN-INS")
        raise Stop

    status = services_run(services, write=lines.append, on_ready=on_ready, **kwargs)
    return status, lines


def test_the_sign_ins_come_after_every_service_has_started(tmp_path):
    status, lines = run([service("worker", ready=False), service("scheduler"), service("server")])

    assert status == 0
    assert lines[-2:] == ["SIGN-INS", "Stopping..."]
    before = lines[: lines.index("SIGN-INS")]
    assert {"scheduler: started", "server: started"} <= set(before)


def test_the_sign_ins_wait_until_the_server_answers():
    answers = iter([False, False, True])
    asked = []

    def ready():
        asked.append(1)
        return next(answers)

    _, lines = run([service("server")], ready=ready)

    assert len(asked) == 3
    assert lines[-2:] == ["SIGN-INS", "Stopping..."]


def test_ctrl_c_stops_every_process(tmp_path):
    pids = tmp_path / "pids"
    code = f"import os; open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n'); " + LONG_RUNNING.format(name="x")
    run([Service("x", python(code), "x: started"), Service("y", python(code), "x: started")])

    for pid in map(int, pids.read_text().split()):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_service_that_ends_stops_the_others_and_is_reported():
    failing = Service("scheduler", python("print('scheduler: no database'); sys.exit(3)"))
    lines = []

    status = services_run([service("server"), failing], write=lines.append)

    assert status == 3
    assert "scheduler: no database" in lines
    assert "The scheduler stopped (exit status 3); stopping the others." in lines


def test_nothing_is_announced_before_a_service_has_started():
    never = Service("server", python("print('server: failed to bind'); sys.exit(1)"), "server: started")
    announced = []

    status = services_run([never], write=lambda line: None, on_ready=announced.append)

    assert status == 1
    assert announced == []
