"""How many CPUs this process can use: the one figure behind pkp's choices of a second reading thread (early.py,
load.py), of the helper child (helper.py), of the engines' second thread (engines/beside.py) and of Arrow's CPU
threads (arrow_pool.py).

`os.cpu_count()` counts the machine's CPUs. A process may be allowed fewer: by its CPU affinity (`taskset`, a
container's cpuset) and by a cgroup CPU quota (`docker run --cpus=1`, a systemd unit's CPUQuota=), which the kernel
enforces by pausing the process's threads once they have used their share of each period. In a container limited
to one CPU on a many-core host, a second thread or a forked child only takes turns with the first, and the pauses
make it slower than one. The quota counts as the CPUs it pays for, rounded up (1.5 CPUs: 2), the tightest quota
along the process's cgroup and its parents, in cgroup v2 (`cpu.max`) and v1 (`cpu.cfs_quota_us`).

`PKP_CPUS=N` (a whole number from 1) sets the count instead, where the detection is wrong or a user wants pkp on
one core of a shared server; any other value is ignored. (The tests set it to 2: they exercise the two-CPU paths
whatever machine or container runs them; tests/ingest/test_cores.py tests the detection itself.)
"""

from __future__ import annotations

import math
import os
import re
from functools import cache
from pathlib import Path

ENV = "PKP_CPUS"
_COUNT = re.compile(r"[0-9]{1,4}")
# Where the kernel shows the process's cgroups (tests point these at a made-up tree).
CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")
_V1_CPU_MOUNTS = ("cpu", "cpu,cpuacct", "cpuacct,cpu")
_MAX_READ = 4096  # these files hold a line; anything longer is not what they are


@cache
def usable_cpus() -> int:
    """CPUs this process can use: PKP_CPUS when set to a count, else its affinity lowered to what a cgroup CPU quota
    allows (once per process)."""
    given = os.environ.get(ENV, "").strip()
    if _COUNT.fullmatch(given) and int(given) >= 1:
        return int(given)
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = quota_cpus()
    return max(1, min(cpus, quota) if quota is not None else cpus)


def quota_cpus() -> int | None:
    """The CPUs the tightest cgroup CPU quota on this process allows (rounded up), or None when none is set or
    none can be read (not Linux, no cgroup file system)."""
    groups = _own_groups()
    found: list[int] = []
    unified = groups.get("")
    if unified is not None:
        for folder in _up(CGROUP_ROOT, unified):
            found += _v2_limit(folder / "cpu.max")
    for mount in _V1_CPU_MOUNTS:
        path = groups.get(mount)
        if path is not None:
            for folder in _up(CGROUP_ROOT / mount, path):
                found += _v1_limit(folder)
    return min(found) if found else None


def _own_groups() -> dict[str, str]:
    """The process's cgroup per hierarchy (`/proc/self/cgroup`: "0::/path" for v2, "4:cpu,cpuacct:/path" for v1),
    keyed by the controllers' names ("" for v2)."""
    text = _small_text(PROC_SELF_CGROUP)
    out: dict[str, str] = {}
    for line in (text or "").splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3 and parts[2].startswith("/"):
            out[parts[1]] = parts[2]
    return out


def _up(base: Path, group: str) -> list[Path]:
    """The folders of `group` under the mount `base` and each of its parents up to `base` itself; a group with ".."
    in its path (it would leave `base`) is read at `base` only."""
    names = [n for n in group.split("/") if n and n != "."]
    if ".." in names:
        names = []
    return [base.joinpath(*names[:i]) for i in range(len(names), -1, -1)]


def _v2_limit(path: Path) -> list[int]:
    """`cpu.max`: "max 100000" (no quota) or "<quota> <period>" in microseconds."""
    text = _small_text(path)
    if text is None:
        return []
    parts = text.split()
    if len(parts) != 2 or parts[0] == "max":
        return []
    return _cpus(parts[0], parts[1])


def _v1_limit(folder: Path) -> list[int]:
    """`cpu.cfs_quota_us` (-1: no quota) and `cpu.cfs_period_us`."""
    quota, period = _small_text(folder / "cpu.cfs_quota_us"), _small_text(folder / "cpu.cfs_period_us")
    if quota is None or period is None:
        return []
    return _cpus(quota.strip(), period.strip())


def _cpus(quota: str, period: str) -> list[int]:
    try:
        q, p = int(quota), int(period)
    except ValueError:
        return []
    if q <= 0 or p <= 0:
        return []
    return [max(1, math.ceil(q / p))]


def _small_text(path: Path) -> str | None:
    """The file's text, or None when it is missing, not a regular file or longer than _MAX_READ."""
    from pkp_cli.model.regular_file import NotRegularFile, TooLarge, read_regular_file

    try:
        data = read_regular_file(path, _MAX_READ)
    except (OSError, NotRegularFile, TooLarge):
        return None
    return data.decode("ascii", errors="replace")
