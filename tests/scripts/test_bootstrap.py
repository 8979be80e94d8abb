"""scripts/bootstrap.sh stops a system-wide Prosody only when it installed the package itself.

The script is sourced with stand-ins for the Debian tools, which only write down how they
were called, so nothing is installed, started or stopped.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NEEDED_FOR_TESTS = ("prosody", "lua-unbound", "openssl", "ca-certificates", "postgresql",
                    "chromium")
STAND_IN = """#!/bin/sh
echo "$(basename "$0") $*" >> "$CALLS"
"""
# dpkg-query -W -f='${Status}' PACKAGE, answered from $INSTALLED.
DPKG_QUERY = """#!/bin/sh
for package in $INSTALLED; do
  [ "$package" = "$3" ] && echo "install ok installed" && exit 0
done
exit 1
"""


def bootstrap_debian_packages(tmp_path: Path, installed: tuple[str, ...]) -> list[str]:
    """Run the script's Debian step for `make test`; the commands it ran, one a line."""
    tools = tmp_path / "bin"
    tools.mkdir()
    scripts = {name: STAND_IN for name in ("apt-get", "update-rc.d", "invoke-rc.d",
                                           "systemctl", "npm")}
    scripts |= {"dpkg-query": DPKG_QUERY, "sudo": '#!/bin/sh\nexec "$@"\n',
                "python3": "#!/bin/sh\nexit 0\n"}
    for name, text in scripts.items():
        (tools / name).write_text(text)
        (tools / name).chmod(0o755)
    calls = tmp_path / "calls"
    calls.touch()
    env = {"PATH": f"{tools}:/usr/bin:/bin", "CALLS": str(calls), "INSTALLED": " ".join(installed)}
    subprocess.run(["bash", "-c", "source scripts/bootstrap.sh && install_debian_packages test"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=30)
    return calls.read_text().splitlines()


def test_bootstrap_that_installs_prosody_stops_and_disables_the_server_apt_started(
        tmp_path: Path) -> None:
    calls = bootstrap_debian_packages(tmp_path, NEEDED_FOR_TESTS[1:])

    assert any(call.startswith("apt-get install") and call.endswith(" prosody")
               for call in calls), calls
    assert calls[-2:] == ["update-rc.d prosody disable", "invoke-rc.d prosody stop"]


def test_bootstrap_leaves_a_prosody_that_was_already_installed_alone(tmp_path: Path) -> None:
    calls = bootstrap_debian_packages(tmp_path, NEEDED_FOR_TESTS[:-1])

    assert any(call.startswith("apt-get install") and call.endswith(" chromium")
               for call in calls), calls
    assert not [call for call in calls if "prosody" in call or call.startswith("systemctl")]


def test_bootstrap_with_everything_installed_runs_no_debian_tool(tmp_path: Path) -> None:
    assert bootstrap_debian_packages(tmp_path, NEEDED_FOR_TESTS) == []
