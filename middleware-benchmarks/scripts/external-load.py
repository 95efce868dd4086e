#!/usr/bin/env python3
"""The end-to-end servers measured from outside, with wrk (a C event loop, Debian's package).

Install wrk:  apt-get install -y wrk   (Debian/Ubuntu; 4.1.0 here)
Build:        mvn -B -q -DskipTests package -pl middleware-benchmarks -am
Run:          middleware-benchmarks/scripts/external-load.py            (3 warm-up + 12 rounds of 5 s)
Smoke check:  middleware-benchmarks/scripts/external-load.py --smoke    (1 round of 1 s)
Two builds:   ... --jar after=target/benchmarks.jar --jar before=/elsewhere/benchmarks.jar
              (both server JVMs run all along; every round measures both, in rotated order,
              and prints each build's ratios and after/before per scenario)
A feature's cost: ... --jar all=J --jar noauth=J --jvm "noauth=-Dfhirguard.auth.enabled=false"
              (the same jar twice, one server JVM with a setting switched off)

Starts EndToEndServers (bare, guarded and shedding sample servers in one JVM on 127.0.0.1) from
the benchmarks jar, fetches the patient-reader and writer tokens from the guarded server's
/auth/token before every round (tokens live 5 minutes), empties 127.0.0.1's bucket on the
shedding server, then runs rounds of seven scenarios, each `wrk -t1 -c8 -d5s` (the order rotated
every round):

  bare     GET /fhir/Patient/1 on the bare server (the reader's token, which it ignores)
  guarded  GET /fhir/Patient/1 on the guarded server, the reader's token          -> 200
  401      GET /fhir/Patient/1 on the guarded server, no token                    -> 401
  429      GET /fhir/Patient/1 on the shedding server, the writer's token         -> 429
  404      GET /no-such-path on the bare server: Jetty's own 404, the HTTP floor  -> 404
  404-bearer  the same with the writer's token: the floor for the 429's request   -> 404
  429-replayed  the shedding server's 429 written as constants by a servlet on the bare
              server (same status, headers, body): the floor of a 429               -> 429
  unmetered   as guarded, on the guarded server without its meters (not by default) -> 200

Every response's status is counted (statuses.lua); a scenario's round with one wrong status or
socket error is reported and its pairs of that round left out. With each round it records the
load average (as `uptime` shows it) and the server JVM's CPU time (/proc/<pid>/stat, all
threads) per request. At the end: per round and per pair the throughput ratios guarded/bare,
429/404, 429/404-bearer, 429/429-replayed and 401/404, as the median over the rounds with their
range. Python 3 standard library only; exit status 1 if a round was left out or a pair has no
valid round.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from base64 import b64encode
from pathlib import Path

HOST = "127.0.0.1"
READ = "/fhir/Patient/1"
HERE = Path(__file__).resolve().parent
MODULE = HERE.parent
SCENARIOS = ["bare", "guarded", "401", "429", "404", "404-bearer", "429-replayed", "unmetered"]
EXPECTED = {"bare": 200, "guarded": 200, "401": 401, "429": 429, "404": 404, "404-bearer": 404,
            "429-replayed": 429, "unmetered": 200}
DEFAULT_SCENARIOS = SCENARIOS[:7]
PAIRS = [("guarded", "bare"), ("unmetered", "bare"), ("429", "404"), ("429", "404-bearer"),
         ("429", "429-replayed"), ("401", "404")]
TICKS = os.sysconf("SC_CLK_TCK")


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jar", action="append", metavar="[NAME=]JAR",
                        help="a benchmarks jar holding EndToEndServers (default this module's); "
                             "repeat it to measure two builds in the same rounds")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3,
                        help="rounds not counted (HAPI's read is still compiling in the second)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--server-jvm", default="-Xms1g -Xmx1g",
                        help="options of the servers' JVM (e.g. a JFR recording)")
    parser.add_argument("--jvm", action="append", default=[], metavar="NAME=OPTIONS",
                        help="more options for one jar's server JVM, after --server-jvm (e.g. "
                             "-Dfhirguard.auth.enabled=false: what a feature costs)")
    parser.add_argument("--scenarios", default=",".join(DEFAULT_SCENARIOS),
                        help="a subset of " + ",".join(SCENARIOS))
    parser.add_argument("--json", help="also write every round to this file")
    parser.add_argument("--server-log",
                        default=str(MODULE / "target" / "external-load-server-%s.log"),
                        help="the servers' console; %%s is the jar's name (also in --server-jvm)")
    parser.add_argument("--jfr", metavar="PREFIX",
                        help="record JFR (settings=profile) in every server JVM over the counted "
                             "rounds, after the warm-up, to PREFIX-<name>.jfr")
    parser.add_argument("--jfr-settings", default="profile",
                        help="the recording's settings: a JDK name or a .jfc file (e.g. a copy of "
                             "profile.jfc sampling every 1 ms)")
    parser.add_argument("--smoke", action="store_true",
                        help="one round of 1 s, no warm-up: checks that everything still works")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.warmup, args.seconds = 1, 0, 1
    args.scenarios = args.scenarios.split(",")
    jars = args.jar or [str(MODULE / "target" / "benchmarks.jar")]
    args.jars = [tuple(j.split("=", 1)) if "=" in j else (f"jar{i + 1}" if len(jars) > 1
                 else "servers", j) for i, j in enumerate(jars)]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error("unknown scenarios: " + ",".join(sorted(unknown)))
    return args


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def cpu_ticks(pid):
    # /proc/<pid>/stat: fields 14 and 15 (utime, stime) after the parenthesised command name
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def start_servers(args, name, jar, workdir):
    workdir.mkdir()
    ports_file = workdir / "ports"
    log_file = args.server_log.replace("%s", name)
    log = open(log_file, "w")
    jvm = args.server_jvm.replace("%s", name)
    for extra in args.jvm:
        if extra.split("=", 1)[0] == name:
            jvm += " " + extra.split("=", 1)[1]
    if args.jfr:
        jvm += " -XX:FlightRecorderOptions:stackdepth=256"
    command = ["java", *jvm.split(), "-cp", jar,
               "dev.fhirguard.benchmarks.EndToEndServers", str(ports_file)]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not ports_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            sys.exit(f"the servers did not start; see {log_file}")
        time.sleep(0.2)
    ports = dict(pair.split("=") for pair in ports_file.read_text().split())
    return process, {name: int(port) for name, port in ports.items()}


def token(port, client, secret):
    basic = b64encode(f"{client}:{secret}".encode()).decode()
    request = urllib.request.Request(
        f"http://{HOST}:{port}/auth/token", data=b"grant_type=client_credentials",
        headers={"Authorization": "Basic " + basic,
                 "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["access_token"]


def status_of(url, headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def targets(ports):
    """Each scenario's URL and headers, with tokens fetched now."""
    reader = "Bearer " + token(ports["guarded"], "patient-reader", "patient-reader-secret")
    writer = "Bearer " + token(ports["guarded"], "writer", "writer-secret")
    # each server signs with its own key: the unmetered one verifies only its own tokens
    own_reader = "Bearer " + token(ports["unmetered"], "patient-reader", "patient-reader-secret")
    accept = {"Accept": "application/fhir+json"}
    return {
        "bare": (f"http://{HOST}:{ports['bare']}{READ}", {**accept, "Authorization": reader}),
        "guarded": (f"http://{HOST}:{ports['guarded']}{READ}", {**accept, "Authorization": reader}),
        "401": (f"http://{HOST}:{ports['guarded']}{READ}", accept),
        "429": (f"http://{HOST}:{ports['shedding']}{READ}", {**accept, "Authorization": writer}),
        "404": (f"http://{HOST}:{ports['bare']}/no-such-path", accept),
        "404-bearer": (f"http://{HOST}:{ports['bare']}/no-such-path",
                       {**accept, "Authorization": writer}),
        "429-replayed": (f"http://{HOST}:{ports['bare']}/replayed-429",
                         {**accept, "Authorization": writer}),
        "unmetered": (f"http://{HOST}:{ports['unmetered']}{READ}",
                      {**accept, "Authorization": own_reader}),
    }


def drain(ports):
    """Empties 127.0.0.1's bucket (one request an hour) on the shedding server."""
    url, headers = targets(ports)["429"]
    for _ in range(2):
        status = status_of(url, headers)
    if status != 429:
        sys.exit(f"the shedding server answered {status}, not 429, after its bucket was emptied")


def run_wrk(args, url, headers, pid):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s",
               "-s", str(HERE / "statuses.lua")]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    load = os.getloadavg()[0]
    ticks = cpu_ticks(pid)
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    ticks = cpu_ticks(pid) - ticks
    result = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", output, re.M)
    if not result:
        sys.exit("wrk printed no RESULT line:\n" + output)
    requests, micros, *errors = map(int, result.groups())
    statuses = {int(s): int(n) for s, n in re.findall(r"^STATUS (\d+) (\d+)$", output, re.M)}
    return {"requests": requests, "rate": requests / (micros / 1e6), "errors": sum(errors),
            "statuses": statuses, "load": load,
            "cpu_us": ticks * 1e6 / TICKS / requests if requests else 0.0}


def valid(name, result):
    return (result["errors"] == 0 and result["requests"] > 0
            and set(result["statuses"]) == {EXPECTED[name]})


def spread(values, digits=3):
    return (f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f} to "
            f"{max(values):.{digits}f}, {len(values)} rounds)")


def main():
    args = arguments()
    print(f"# external load: wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, "
          f"{args.warmup} warm-up + {args.rounds} rounds; servers: "
          + ", ".join(f"{name}={jar}" for name, jar in args.jars))
    print(f"# uptime at start: {uptime()}")
    servers = {}
    with tempfile.TemporaryDirectory() as workdir:
        try:
            for name, jar in args.jars:
                servers[name] = start_servers(args, name, jar, Path(workdir) / name)
                print(f"# {name} (pid {servers[name][0].pid}): "
                      + " ".join(f"{k}={v}" for k, v in servers[name][1].items()), flush=True)
                if "429" in args.scenarios:
                    drain(servers[name][1])
            rounds = measure(args, servers)
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=30)
    print(f"# uptime at end: {uptime()}")
    if args.json:
        Path(args.json).write_text(json.dumps(rounds, indent=1))
    failed = False
    for name, _ in args.jars:
        failed |= report(args, name, [r[name] for r in rounds])
    if len(args.jars) > 1:
        compare(args, rounds)
    return 1 if failed else 0


def measure(args, servers):
    """Rounds of every scenario on every server set, both orders rotated each round."""
    rounds = []
    print("round  servers  scenario  requests  req/s     server CPU µs/req  load  statuses")
    sets = list(servers)
    for number in range(-args.warmup + 1, args.rounds + 1):
        if args.jfr and number == -args.warmup + 1:
            # the first recording of a JVM slows it for half a minute: a warm-up one takes that
            jfr(servers, "JFR.start", "settings=" + args.jfr_settings, prefix=None,
                recording="warm")
        if args.jfr and number == 1:
            jfr(servers, "JFR.start", "settings=" + args.jfr_settings,
                "filename={prefix}-{name}.jfr", prefix=os.path.abspath(args.jfr))
            jfr(servers, "JFR.stop", prefix=None, recording="warm")
        urls = {name: targets(ports) for name, (_, ports) in servers.items()}
        results = {name: {} for name in sets}
        for name in rotated(sets, number):
            for scenario in rotated(args.scenarios, number):
                url, headers = urls[name][scenario]
                result = run_wrk(args, url, headers, servers[name][0].pid)
                results[name][scenario] = result
                mark = "" if valid(scenario, result) else \
                    f"  WRONG (expected only {EXPECTED[scenario]})"
                label = f"w{number + args.warmup}" if number <= 0 else str(number)
                print(f"{label:6} {name:8} {scenario:9} {result['requests']:9} "
                      f"{result['rate']:9.0f} {result['cpu_us']:10.0f}         "
                      f"{result['load']:5.2f} {result['statuses']} "
                      f"errors={result['errors']}{mark}", flush=True)
        if number > 0:
            rounds.append(results)
    if args.jfr:
        jfr(servers, "JFR.stop", prefix=args.jfr)
    return rounds


def jfr(servers, command, *options, prefix, recording="external-load"):
    for name, (process, _) in servers.items():
        subprocess.run(["jcmd", str(process.pid), command, "name=" + recording,
                        *(o.format(prefix=prefix, name=name) for o in options)],
                       check=True, capture_output=True)


def rotated(items, number):
    shift = number % len(items)
    return items[shift:] + items[:shift]


def report(args, name, rounds):
    failed = False
    for number, r in enumerate(rounds, 1):
        for scenario, result in r.items():
            if not valid(scenario, result):
                print(f"{name} round {number}: {scenario} answered a wrong status or had "
                      f"socket errors: excluded")
                failed = True
    print(f"# {name}: per scenario, median (min to max) over the valid rounds")
    for scenario in args.scenarios:
        good = [r[scenario] for r in rounds if valid(scenario, r[scenario])]
        if good:
            print(f"{name} {scenario:8} req/s {spread([g['rate'] for g in good], 0)}; "
                  f"server CPU µs/req {spread([g['cpu_us'] for g in good], 0)}")
    loads = [g["load"] for r in rounds for g in r.values()]
    print(f"{name} load average (1 min) before each wrk: {spread(loads, 2)}")
    print(f"# {name}: ratios per round, then median (min to max)")
    for top, bottom in PAIRS:
        if top not in args.scenarios or bottom not in args.scenarios:
            continue
        ratios = [r[top]["rate"] / r[bottom]["rate"] for r in rounds
                  if valid(top, r[top]) and valid(bottom, r[bottom])]
        if not ratios:
            print(f"{name} {top}/{bottom}: no valid round")
            failed = True
            continue
        print(f"{name} {top}/{bottom}: " + ", ".join(f"{x:.3f}" for x in ratios))
        print(f"{name} {top}/{bottom} median {spread(ratios)}")
    for top in ("guarded", "unmetered"):
        if top in args.scenarios and "bare" in args.scenarios:
            extra = [r[top]["cpu_us"] - r["bare"]["cpu_us"] for r in rounds
                     if valid(top, r[top]) and valid("bare", r["bare"])]
            if extra:
                print(f"{name} server CPU µs/req {top} - bare: median {spread(extra, 0)}")
    return failed


def compare(args, rounds):
    """Each scenario's throughput on the first set over that on each other, per round."""
    first, *others = [name for name, _ in args.jars]
    print(f"# throughput of {first} over the others, per scenario, median (min to max)")
    for other in others:
        for scenario in args.scenarios:
            ratios = [r[first][scenario]["rate"] / r[other][scenario]["rate"] for r in rounds
                      if valid(scenario, r[first][scenario])
                      and valid(scenario, r[other][scenario])]
            if ratios:
                print(f"{scenario:8} {first}/{other} {spread(ratios)}")


if __name__ == "__main__":
    sys.exit(main())
