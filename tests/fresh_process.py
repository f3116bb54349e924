"""Running the project in a fresh interpreter with exactly the environment under test.

portal.settings reads the environment once, at import, so tests of what it makes of the
environment start a new process: PATH and HOME plus exactly the variables given (never
this process's DJANGO_* or DATABASE_URL).
"""

import functools
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = secrets.token_urlsafe(50)

# The settings as Django first loads them (its defaults, then the module), without loading
# the apps: that is what made each start cost seconds.
PRINT_SETTINGS = (
    "import json; "
    "from django.conf import Settings; "
    "settings = Settings('portal.settings'); "
    "print(json.dumps({name: getattr(settings, name) for name in dir(settings) if name.isupper()}, default=str))"
)


def run(args, env):
    """Run `args` in the project with exactly `env` (and PATH and HOME)."""
    minimal_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(PROJECT_ROOT)), **env}
    return subprocess.run(
        args, cwd=PROJECT_ROOT, env=minimal_env, capture_output=True, text=True, timeout=120, check=False
    )


def run_python(code, env):
    """Run Python `code` in the project with exactly `env`."""
    return run([sys.executable, "-c", code], env)


def load_settings(env):
    """Load portal.settings in a fresh process with exactly `env` (the result of the run)."""
    return run_python(PRINT_SETTINGS, env)


@functools.cache
def _settings_for(env_items):
    result = load_settings(dict(env_items))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def read_settings(env, *names):
    """The named settings as a fresh process sees them with exactly `env`, loaded once per
    distinct environment."""
    values = _settings_for(tuple(sorted(env.items())))
    return {name: values[name] for name in names}
