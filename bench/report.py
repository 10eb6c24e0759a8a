#!/usr/bin/env python3
"""Turns the raw outputs of bench/run.sh into the results section of docs/PERFORMANCE.md.

usage: report.py RESULTS_DIR DOC.md

Only the text between the markers <!-- BENCH:BEGIN --> and <!-- BENCH:END --> is replaced; the
rest of the document (how to run, the reading of the figures) is written by people.
"""
import json
import math
import os
import re
import shlex
import sys

BEGIN, END = "<!-- BENCH:BEGIN -->", "<!-- BENCH:END -->"
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def env_file(path):
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        k, v = line.split("=", 1)
        try:
            v = shlex.split(v)[0] if v else ""
        except ValueError:
            pass
        out[k] = v
    return out


def wrk(results, name):
    path = os.path.join(results, f"wrk-{name}.txt")
    if not os.path.exists(path):
        return None
    text = open(path).read()
    r = {"name": name, "raw": text}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    r["rps"] = float(m.group(1)) if m else None
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        r[f"p{pct}"] = float(m.group(1)) * UNITS_MS[m.group(2)] if m else None
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
    r["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    r["sockerr"] = sum(int(x) for x in m.groups()) if m else 0
    cpu = env_file(os.path.join(results, f"cpu-{name}.env"))
    if cpu:
        total = int(cpu.get("machine_ticks", 0)) or 1
        busy = int(cpu.get("machine_busy_ticks", 0))
        server = int(cpu.get("server_ticks", 0))
        hz = os.sysconf("SC_CLK_TCK")
        try:
            wrk_s = sum(float(x) for x in cpu.get("wrk_cpu_seconds", "0 0").split())
        except ValueError:
            wrk_s = 0.0
        r["busy_pct"] = 100.0 * busy / total
        r["server_pct"] = 100.0 * server / total
        r["wrk_pct"] = 100.0 * wrk_s * hz / total
        r["other_pct"] = max(0.0, r["busy_pct"] - r["server_pct"] - r["wrk_pct"])
        r["server_us_per_req"] = (server / hz * 1e6 / r["requests"]) if r["requests"] else None
    return r


def pctl(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[max(0, math.ceil(p / 100.0 * len(v)) - 1)]


def paced(results, name):
    path = os.path.join(results, f"{name}.json")
    if not os.path.exists(path):
        return None
    d = json.load(open(path))
    reqs = d["requests"]
    ok = [r["ms"] for r in reqs if r["status"] == 200]
    d["ok"] = len(ok)
    d["other"] = len(reqs) - len(ok)
    d["statuses"] = sorted({r["status"] for r in reqs if r["status"] != 200})
    d["p50"], d["p99"], d["max"] = pctl(ok, 50), pctl(ok, 99), (max(ok) if ok else None)
    d["achieved_rate"] = d["scheduled"] / d["send_seconds"] if d["send_seconds"] else None
    return d


def fms(v):
    if v is None:
        return "n/a"
    if v >= 100:
        return f"{v:.0f} ms"
    if v >= 10:
        return f"{v:.1f} ms"
    return f"{v:.2f} ms"


def frps(v):
    return "n/a" if v is None else f"{v:,.0f}"


def fratio(a, b):
    if a is None or not b:
        return "n/a"
    x = a / b
    return f"{x:,.0f}×" if x >= 100 else f"{x:.2f}×"


def mb(kb):
    return f"{int(kb) / 1024:.1f} MB"


def verdict(ok):
    return "**met**" if ok else "**not met**"


def render(results):
    meta = env_file(os.path.join(results, "meta.env"))
    mem = env_file(os.path.join(results, "memory.env"))
    R = {n: wrk(results, n) for n in ("nginx", "healthz", "enti", "soak", "login-base",
                                       "login-load", "healthz-io1", "enti-io1")}
    L = paced(results, "logins")
    PB = paced(results, "probe-base")
    PL = paced(results, "probe-load")
    unloaded = [float(x) * 1000 for x in open(os.path.join(results, "login-unloaded.txt"))
                if x.strip()] if os.path.exists(os.path.join(results, "login-unloaded.txt")) else []
    n = R["nginx"]
    out = []
    w = out.append
    ncpu = int(meta.get("nproc", "0") or 0)

    busy = []
    idle_before = int(meta.get("idle_before", "100") or 100)
    if idle_before < 70:
        busy.append(f"the CPU was {idle_before}% idle just before the run, load average "
                    f"{meta.get('loadavg_before', '?')}")
    others = [R[k]["other_pct"] for k in ("nginx", "healthz", "enti") if R.get(k) and
              "other_pct" in R[k]]
    if others and max(others) > 10:
        busy.append(f"other processes took up to {max(others):.0f}% of the machine's CPU "
                    "during the throughput runs")

    w(f"_Run of {meta.get('date', '?')} ({meta.get('elapsed', '?')} s), "
      f"written by `bench/report.py` from `bench/results/last/`._")
    w("")
    w("### Machine and versions")
    w("")
    w("| | |")
    w("| --- | --- |")
    w(f"| CPU | {meta.get('cpu_model', '?')}, {meta.get('nproc', '?')} cores (`nproc`), "
      f"{meta.get('mem_total', '?')} RAM |")
    w(f"| kernel | {meta.get('kernel', '?')} |")
    w(f"| cst | {meta.get('cst_version', '?')} ({meta.get('build_type') or 'build type unknown'}, "
      "SQLite, demo data, default "
      "`[server]`: one I/O thread and one read thread per core, 8 write workers, 8 DB connections) |")
    w(f"| nginx | {meta.get('nginx_version', '?')}, {meta.get('nginx_workers', '?')} workers, "
      "`access_log off`, `sendfile on`, keep-alive |")
    w(f"| wrk | {meta.get('wrk_version', '?')} |")
    w(f"| load before / after | load average {meta.get('loadavg_before', '?')} / "
      f"{meta.get('loadavg_after', '?')}; idle CPU {meta.get('idle_before', '?')}% / "
      f"{meta.get('idle_after', '?')}% (3 s samples) |")
    w("")
    if busy:
        w("> **The machine was busy during this run** (" + "; ".join(busy) + "). Absolute "
          "figures are lower and noisier than on a quiet machine; the ratios compare runs made "
          "minutes apart under the same conditions, but the noise does not cancel exactly.")
    else:
        w("> The machine was quiet during this run. Absolute figures still vary from run to run "
          "and machine to machine; the ratios compare runs made minutes apart in the same run.")
    w("")

    w(f"### 1. Throughput beside nginx (`wrk -t2 -c64 -d{meta.get('duration', '?')}s --latency`, "
      f"{meta.get('rounds', '1')} interleaved rounds, the median round of each target)")
    w("")
    w("| target | requests/s | p50 | p99 | ratio to nginx | aim | verdict |")
    w("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    if n:
        w(f"| nginx, static {meta.get('body_bytes', '?')}-byte file (baseline) | "
          f"{frps(n['rps'])} | {fms(n['p50'])} | {fms(n['p99'])} | 1.00× | | |")
    for key, label, aim_ratio in (("healthz", "cst `GET /healthz` (I/O thread)", 1.0),
                                  ("enti", f"cst `GET /api/v1/enti/019036`, bearer (SQLite, read pool)",
                                   0.5)):
        r = R.get(key)
        if not r:
            continue
        ratio = r["rps"] / n["rps"] if (n and n["rps"] and r["rps"]) else None
        ok_ratio = ratio is not None and ratio >= aim_ratio
        ok_p99 = r["p99"] is not None and r["p99"] < 10
        errs = ""
        if r["non2xx"] or r["sockerr"]:
            errs = f" ({r['non2xx']} non-2xx, {r['sockerr']} socket errors)"
        w(f"| {label}{errs} | {frps(r['rps'])} | {fms(r['p50'])} | {fms(r['p99'])} | "
          f"{fratio(r['rps'], n['rps'] if n else None)} | ≥ {aim_ratio:.1f}×, p99 < 10 ms | "
          f"ratio {verdict(ok_ratio)}, p99 {verdict(ok_p99)} |")
    for key, label in (("healthz-io1", "diagnostic: `/healthz`, `[server] io_threads = 1`"),
                       ("enti-io1", "diagnostic: `/api/v1/enti/019036`, `[server] io_threads = 1`")):
        r = R.get(key)
        if r:
            w(f"| {label} | {frps(r['rps'])} | {fms(r['p50'])} | {fms(r['p99'])} | "
              f"{fratio(r['rps'], n['rps'] if n else None)} | | |")
    w("")
    w("Reference figures from DESIGN.md §7 on this kind of machine (quiet): Beast coroutine "
      "\"hello\" ≈ 94,000 requests/s, nginx static file ≈ 57,000 requests/s.")
    w("")
    w("CPU accounting during each run (share of the whole machine, "
      f"{ncpu} cores = 100%):")
    w("")
    w("| run | server CPU per request | server | wrk | other processes | machine busy |")
    w("| --- | ---: | ---: | ---: | ---: | ---: |")
    for key in ("nginx", "healthz", "enti", "healthz-io1", "enti-io1", "soak"):
        r = R.get(key)
        if r and "busy_pct" in r:
            per = "n/a" if r["server_us_per_req"] is None else f"{r['server_us_per_req']:.0f} µs"
            w(f"| {key} | {per} | {r['server_pct']:.0f}% | {r['wrk_pct']:.0f}% | "
              f"{r['other_pct']:.0f}% | {r['busy_pct']:.0f}% |")
    w("")

    w(f"### 2. Logins beside other requests ({meta.get('login_rate', '?')} logins/s for "
      f"{meta.get('login_seconds', '?')} s)")
    w("")
    w(f"`/healthz` under `wrk -t1 -c16`, and beside it a paced probe of the database read "
      f"({meta.get('probe_rate', '?')} requests/s, one connection each), first without logins, "
      "then during the logins.")
    w("")
    b, l = R.get("login-base"), R.get("login-load")
    w("| | requests/s | p50 | p99 | ratio of p99 (during / without) | aim | verdict |")
    w("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    if b:
        w(f"| `/healthz` without logins | {frps(b['rps'])} | {fms(b['p50'])} | {fms(b['p99'])} "
          "| | | |")
    if l:
        ratio = fratio(l["p99"], b["p99"] if b else None)
        ok_ratio = bool(b and b["p99"] and l["p99"] is not None and l["p99"] <= 2 * b["p99"])
        ok_abs = l["p99"] is not None and l["p99"] < 10
        w(f"| `/healthz` during the logins | {frps(l['rps'])} | {fms(l['p50'])} | "
          f"{fms(l['p99'])} | **{ratio}** | not stalled: p99 ratio ≤ 2×, p99 < 10 ms | "
          f"ratio {verdict(ok_ratio)}, p99 {verdict(ok_abs)} |")

    def probe_row(label, d, base=None):
        if not d:
            return
        lost = d["scheduled"] - d["ok"]
        extra = f" ({lost} of {d['scheduled']} not answered 200 within {d['timeout']:.0f} s)" \
            if lost else ""
        ratio, aim, v = "", "", ""
        if base and base.get("p99") and d.get("p99") is not None:
            ratio = f"**{fratio(d['p99'], base['p99'])}**"
            aim = "not stalled: p99 ratio ≤ 2×"
            v = verdict(d["p99"] <= 2 * base["p99"] and not lost)
        w(f"| {label}{extra} | {d['ok'] / d['seconds']:.1f} | {fms(d['p50'])} | "
          f"{fms(d['p99'])} | {ratio} | {aim} | {v} |")
    probe_row("database read (probe) without logins", PB)
    probe_row("database read (probe) during the logins", PL, PB)
    w("")
    if L:
        rate = f"{L['achieved_rate']:.1f}/s" if L["achieved_rate"] else "n/a"
        counts = {}
        for r in L["requests"]:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        refused = counts.get(503, 0)
        lost = counts.get(0, 0)
        other = L["scheduled"] - L["ok"] - refused - lost
        lost_s = ""
        if refused:
            lost_s += (f", **{refused} refused at once with 503** (every Argon2id slot busy: "
                       "`auth.max_concurrent_logins`)")
        if lost:
            lost_s += f", **{lost} not answered within {L['timeout']:.0f} s**"
        if other:
            lost_s += f", {other} answered with another status"
        w(f"Logins: {L['scheduled']} sent at {rate}, {L['ok']} answered 200{lost_s}. Latency "
          f"of the answered ones: p50 **{fms(L['p50'])}**, p99 **{fms(L['p99'])}**, max "
          f"{fms(L['max'])}.")
        if L["ok"]:
            w(f"The server completed about {L['ok'] / (L['send_seconds'] + L['drain_seconds']):.1f}"
              " logins/s while they were offered at " + rate + ".")
    if unloaded:
        w(f"One login on the otherwise idle server (5 in a row): median "
          f"{fms(sorted(unloaded)[len(unloaded) // 2])}, min {fms(min(unloaded))}, "
          f"{meta.get('login_cpu_ms', '?')} ms of server CPU each; "
          f"{ncpu} cores can therefore hash at most about "
          + (f"{ncpu * 1000 / int(meta['login_cpu_ms']):.0f}" if meta.get('login_cpu_ms', '0') not in ('', '0') else '?')
          + " logins/s.")
    if "busy_after_logins_pct" in mem:
        busy_after = int(mem["busy_after_logins_pct"])
        if busy_after >= 20:
            w(f"3 s after the clients had finished or given up, the server was still using "
              f"{busy_after}% of one core: queued logins whose clients had gone were still "
              "being hashed.")
        else:
            w("3 s after the clients had finished, the server was idle again "
              f"({busy_after}% of one core).")
    w("")

    w("### 3. Memory (VmRSS of the `cst` process)")
    w("")
    w("| | RSS | aim | verdict |")
    w("| --- | ---: | --- | --- |")
    if "idle_rss_kb" in mem:
        w(f"| idle demo server, 10 s after start ({mem.get('idle_threads', '?')} threads) | "
          f"{mb(mem['idle_rss_kb'])} | < 100 MB | {verdict(int(mem['idle_rss_kb']) < 100 * 1024)} |")
    if "idle_hwm_kb" in mem:
        w(f"| peak during start-up (VmHWM read at the same time: Argon2id hashing of the demo "
          f"passwords) | {mb(mem['idle_hwm_kb'])} | | |")
    if "clamd_rss_kb" in mem:
        w(f"| its supervised `{mem.get('clamd_comm', 'clamd')}` (separate process, demo test "
          f"signatures) | {mb(mem['clamd_rss_kb'])} | | |")
    if "soak_before_kb" in mem and "soak_after_kb" in mem:
        before, after = int(mem["soak_before_kb"]), int(mem["soak_after_kb"])
        settled = int(mem.get("soak_settled_kb", after))
        s = R.get("soak")
        sdesc = (f"{meta.get('soak', '?')} s of `wrk -t2 -c64` on the database read"
                 + (f", {s['requests']:,} requests" if s else ""))
        w(f"| before the soak (after the runs of §1) | {mb(before)} | | |")
        w(f"| after the soak ({sdesc}) | {mb(after)} | | |")
        w(f"| 5 s after the soak | {mb(settled)} | | |")
        growth = after - before
        w(f"| **growth over the soak** | **{growth / 1024:+.1f} MB** "
          f"({100.0 * growth / before:+.1f}%) | no growth (< 2 MB) | {verdict(growth < 2048)} |")
    samples = []
    p = os.path.join(results, "soak-rss.txt")
    if os.path.exists(p):
        for line in open(p):
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                samples.append((int(parts[0]), int(parts[1])))
    if "rss_end_of_logins_kb" in mem:
        w(f"| at the end of the login window (Argon2id hashes in progress) | "
          f"{mb(mem['rss_end_of_logins_kb'])} | | |")
    if "rss_after_logins_kb" in mem:
        w(f"| 3 s after the login clients finished or gave up | "
          f"{mb(mem['rss_after_logins_kb'])} | | |")
    if "peak_hwm_kb" in mem:
        w(f"| peak (VmHWM) over the whole run | {mb(mem['peak_hwm_kb'])} | | |")
    w("")
    if samples:
        step = max(1, len(samples) // 10)
        shown = samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else [])
        lo, hi = min(kb for _, kb in samples), max(kb for _, kb in samples)
        w(f"RSS during the soak ({len(samples)} samples, every 5 s): min {lo / 1024:.1f} MB, "
          f"max {hi / 1024:.1f} MB; " +
          ", ".join(f"{t} s: {kb / 1024:.1f}" for t, kb in shown) + " (MB).")
        w("")
    if meta.get("log_warnings_main", "0") not in ("0", ""):
        w(f"The server logged {meta['log_warnings_main']} warnings or errors during the run "
          "(first ones in `bench/results/last/cst-warnings.txt`).")
        w("")
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    results, doc = sys.argv[1], sys.argv[2]
    section = render(results)
    if os.path.exists(doc):
        text = open(doc).read()
    else:
        text = ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = f"{head}{BEGIN}\n{section}\n{END}{tail}"
    else:
        text = (text.rstrip() + "\n\n" if text else "# Performance\n\n") + \
            f"## Results\n\n{BEGIN}\n{section}\n{END}\n"
    os.makedirs(os.path.dirname(os.path.abspath(doc)), exist_ok=True)
    with open(doc, "w") as f:
        f.write(text)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
