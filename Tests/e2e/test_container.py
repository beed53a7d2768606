"""What the Docker setup relies on, checked without Docker (not available
where the tests run): the README's compose `command:` line, run through the
image's entrypoint script, starts the server; every variable `.env.example`
sets is one the server reads."""

from __future__ import annotations

import os
import re
import shutil
import signal
from pathlib import Path

from conftest import BINARY, HOST, ServerProcess, clean_environment, free_port, require_binary

REPO = Path(__file__).resolve().parents[2]


def compose_command() -> str:
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Docker\n"):]
    block = section[section.index("```yaml\n"):section.index("```\n", section.index("```yaml\n") + 7)]
    (line,) = [line for line in block.splitlines() if line.strip().startswith("command:")]
    return line.split("command:", 1)[1].strip()


def test_the_readme_compose_command_runs_through_the_entrypoint(tmp_path):
    require_binary()
    command = compose_command()
    assert command.startswith("valkey-server ")
    password = "compose-Secret"
    argv = command.replace("${VALKEY_PASSWORD}", password).split()
    # The image's PATH holds valkite-server; ENV VALKEY_HOST/VALKEY_DIR as in the Dockerfile.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(BINARY, bin_dir / "valkite-server")
    dockerfile = (REPO / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["docker-entrypoint.sh"]' in dockerfile and 'CMD ["valkite-server"]' in dockerfile
    port = free_port()
    env = clean_environment({"PATH": "%s:%s" % (bin_dir, os.environ["PATH"]),
                             "VALKEY_HOST": HOST, "VALKEY_DIR": str(tmp_path / "data"),
                             "VALKEY_HISTORY_KEYS": "balances*,fills*,orders*"})
    server = ServerProcess(["sh", REPO / "scripts" / "docker-entrypoint.sh", *argv, "--port", str(port)],
                           tmp_path, env, port, password, "compose").spawn().wait_ready()
    r = server.redis(decode_responses=True)
    assert r.config_get("appendonly") == {"appendonly": "yes"}
    assert r.config_get("dir") == {"dir": str(tmp_path / "data")}
    assert r.info("server")["executable"].endswith("valkite-server")
    r.close()
    assert server.stop(signal.SIGTERM) == 0

    # Flags alone, as `docker run valkite --port …`, run the server too.
    port = free_port()
    server = ServerProcess(["sh", REPO / "scripts" / "docker-entrypoint.sh", "--port", str(port)],
                           tmp_path, env, port, None, "flags").spawn().wait_ready()
    assert server.stop(signal.SIGTERM) == 0


def test_env_example_variables_are_read_by_the_server(tmp_path):
    require_binary()
    text = (REPO / ".env.example").read_text()
    variables = dict(re.findall(r"^(VALKEY_[A-Z0-9_]+)=(.*)$", text, re.M))
    assert variables["VALKEY_HISTORY_KEYS"] == "balances*,fills*,orders*"
    assert {"VALKEY_PASSWORD", "VALKEY_PORT", "VALKEY_HOST", "VALKEY_DIR"} <= set(variables)
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    port = free_port()
    # The process environment beats .env: a free port instead of 6379.
    env = clean_environment({"VALKEY_PORT": str(port)})
    server = ServerProcess([BINARY], tmp_path, env, port, variables["VALKEY_PASSWORD"], "dotenv").spawn().wait_ready()
    r = server.redis(decode_responses=True)
    aliases = {"VALKEY_PASSWORD": "requirepass", "VALKEY_HOST": "bind"}
    for variable, value in variables.items():
        name = aliases.get(variable) or variable[len("VALKEY_"):].lower().replace("_", "-")
        got = r.config_get(name)
        assert name in got, "%s names no parameter (%s)" % (variable, name)
        if variable == "VALKEY_PORT":
            continue
        if variable == "VALKEY_DIR":
            assert got[name] == str(tmp_path / "data")
        else:
            assert got[name].replace(",", " ").split() == value.replace(",", " ").split(), (variable, got)
    r.close()
    assert server.stop(signal.SIGTERM) == 0
