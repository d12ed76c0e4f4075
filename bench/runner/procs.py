"""Process helpers for the FleetDeck benchmark runner: a private mosquitto, child processes
whose CPU time is measured from the moment traffic starts (so start-up is not counted), and
waiting until consumers are idle. Python 3 standard library only; Linux (/proc)."""

import os
import re
import signal
import socket
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu_seconds(pid):
    """user+sys CPU seconds of a whole process (all threads) from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode()
    except OSError:
        return None
    # The command name may contain spaces: fields start after the last ')'.
    fields = data[data.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def thread_cpu_seconds(pid):
    """{thread name: user+sys CPU seconds} of a process's live threads (/proc/PID/task);
    threads of the same name are added up."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
                data = f.read().decode(errors="replace")
        except OSError:
            continue
        name = data[data.index("(") + 1:data.rindex(")")]
        fields = data[data.rindex(")") + 2:].split()
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / CLK_TCK
    return out


def proc_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class Child:
    """A process under measurement. cpu_mark() sets the baseline; finish() ends it with
    SIGTERM (or waits for its own exit) and takes the final CPU from wait4's rusage, which
    covers every thread and the shutdown work (e.g. the last SQLite commit)."""

    def __init__(self, name, argv, workdir, env=None, stdout=None):
        self.name = name
        self.argv = argv
        self.log_path = os.path.join(workdir, f"{name}.log")
        self._log = open(self.log_path, "wb")
        self._stdout = stdout
        out = open(stdout, "wb") if stdout else self._log
        self.proc = subprocess.Popen(argv, stdout=out, stderr=self._log, env=env,
                                     stdin=subprocess.DEVNULL)
        if stdout:
            out.close()
        self.cpu_base = 0.0
        self.cpu_total = None
        self.max_rss_kb = None
        self.returncode = None
        self.wall_start = time.monotonic()

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        # Never reap here (Popen.poll() would): finish() needs wait4's rusage.
        if self.returncode is not None:
            return False
        try:
            return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
        except ChildProcessError:
            return False

    def cpu_now(self):
        v = proc_cpu_seconds(self.pid)
        return v if v is not None else (self.cpu_total or 0.0)

    def cpu_mark(self):
        self.cpu_base = self.cpu_now()
        self.threads_base = thread_cpu_seconds(self.pid)
        self.wall_start = time.monotonic()

    def threads_used(self):
        """{thread name: CPU seconds since cpu_mark()} of the threads alive now (call before
        finish(): what a thread does at shutdown, e.g. a last commit, is not in it)."""
        now = thread_cpu_seconds(self.pid)
        base = getattr(self, "threads_base", {})
        return {k: round(v - base.get(k, 0.0), 3) for k, v in now.items() if v - base.get(k, 0.0) > 0}

    def finish(self, sig=signal.SIGTERM, timeout=60):
        if self.returncode is None:
            if sig is not None and self.alive():
                os.kill(self.pid, sig)
            deadline = time.monotonic() + timeout
            while True:
                pid, status, ru = os.wait4(self.pid, os.WNOHANG)
                if pid == self.pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
                    self.cpu_total = ru.ru_utime + ru.ru_stime
                    self.max_rss_kb = ru.ru_maxrss
                    self.proc.returncode = self.returncode
                    break
                if time.monotonic() > deadline:
                    os.kill(self.pid, signal.SIGKILL)
                    deadline = time.monotonic() + 10
                time.sleep(0.05)
        self._log.close()
        return self.returncode

    def cpu_used(self):
        """CPU seconds since cpu_mark(), after finish()."""
        return max(0.0, (self.cpu_total or 0.0) - self.cpu_base)

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""


def wait_idle(children, quiet_s=1.0, timeout_s=60.0):
    """Waits until every child has used less than 10 % of a core for quiet_s (it has
    drained its backlog). Timers (the GUI's 1 ms lateness probe, "last seen" refreshes)
    cost a few percent and do not count as work."""
    step = 0.5
    last = {c.name: c.cpu_now() for c in children}
    quiet_since = time.monotonic()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(step)
        now = {c.name: c.cpu_now() for c in children}
        busy = any(now[k] - last[k] > max(2.5 / CLK_TCK, 0.10 * step) for k in now)
        last = now
        if busy:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return True
    return False


class Broker:
    """A private mosquitto on a free loopback port. Queue limits are explicit, so a slow
    subscriber loses messages visibly (counted by seq) rather than the benchmark hanging:
    max_queued_messages per client, max_inflight_messages for QoS 1 towards subscribers."""

    def __init__(self, workdir, max_queued=20000, max_inflight=100):
        self.port = free_port()
        self.conf = os.path.join(workdir, "mosquitto.conf")
        lines = [
            "# FleetDeck benchmark broker (bench/runner); generated.",
            "per_listener_settings false",
            "allow_anonymous true",
            "persistence false",
            "log_dest stderr",
            "log_type error", "log_type warning", "log_type notice", "log_type subscribe",
            f"max_queued_messages {max_queued}",
            f"max_inflight_messages {max_inflight}",
            "max_queued_bytes 0",
        ]
        if os.geteuid() == 0:
            lines.append("user root")  # otherwise it drops to 'mosquitto' (pitfalls.md)
        lines.append(f"listener {self.port} 127.0.0.1")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.child = Child("mosquitto", ["mosquitto", "-c", self.conf], workdir)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if not self.child.alive():
                    break
                time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not start: {self.child.log_text()[-2000:]}")

    @property
    def url(self):
        return f"mqtt://127.0.0.1:{self.port}"

    def subscribers(self):
        """Number of clients the broker logged a SUBSCRIBE of (a client with several filters,
        e.g. fleetdeckctl with protocol v1 and Sparkplug B, counts once)."""
        return len(set(re.findall(r"^(\S+) \d \S+$", self.child.log_text().replace(": ", "\n"), re.M)))

    def wait_subscribers(self, n, timeout_s=30):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.subscribers() >= n:
                return True
            time.sleep(0.1)
        return False

    def stop(self):
        self.child.finish(signal.SIGTERM, timeout=10)
