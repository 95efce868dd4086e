#!/usr/bin/env python3
"""Where a JFR recording of the end-to-end servers spends CPU and allocates, by owner.

Usage: jfr-cost.py RECORDING.jfr [--top 25] [--pool PORT] [--features [--cpu-us N]]

--pool PORT keeps the samples of one server's Jetty threads (its pool is found by the port in
its acceptor thread's name), for a recording of the three servers under load together.

Record with external-load.py, e.g.
  external-load.py --scenarios guarded --warmup 2 --rounds 2 --seconds 10 \\
    --server-jvm "-Xms1g -Xmx1g -XX:FlightRecorderOptions:stackdepth=256 \\
      -XX:StartFlightRecording=delay=30s,duration=15s,filename=guarded.jfr,settings=profile"

Each CPU sample (jdk.ExecutionSample) and allocation sample (jdk.ObjectAllocationSample, by
its weight: the bytes it stands for) goes to the leaf-most frame of fhirguard
(dev.fhirguard.*: that frame's class), HAPI (ca.uhn.fhir.*), Jetty (org.eclipse.jetty.*) or
logback/slf4j; JDK and other library frames count for the caller that reached them; Jetty's
frames called straight from fhirguard's (a header set, an outcome written) count as
"Jetty-for-fhirguard" of that fhirguard frame. Prints
the share of each owner, fhirguard's classes one by one, and per thread group the bytes
allocated over the recording (jdk.ThreadAllocationStatistics, first and last value).
--features groups the CPU samples of fhirguard (and of Jetty for it) by feature; with
--cpu-us N (external-load.py's server CPU per request) each share is also given in µs.
"""
import argparse
import collections
import json
import re
import subprocess

OWNERS = [("dev.fhirguard.", None), ("ca.uhn.fhir.", "HAPI"), ("org.eclipse.jetty.", "Jetty"),
          ("ch.qos.logback.", "logging"), ("org.slf4j.", "logging")]


def events(path, kinds):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "256", "--events",
                          ",".join(kinds), path], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["recording"]["events"]


def pool_names(path):
    """Port -> Jetty pool name (qtp<hash>), from the acceptor threads' names."""
    out = subprocess.run(["jfr", "print", "--events", "jdk.ThreadAllocationStatistics", path],
                         capture_output=True, text=True, check=True).stdout
    return {port: pool for pool, port in
            re.findall(r'"(qtp\d+)-\d+-acceptor[^"]*?:(\d+)\}', out)}


def owner(stack):
    """The leaf-most owned frame's owner. Jetty's work called straight from a fhirguard frame (a
    header set, an outcome written) is "Jetty-for-fhirguard <that frame>", unless that frame only
    passes the call on: a wrapper of internal.boundary under HAPI's frames is HAPI's own write."""
    jetty, wrapper = False, None
    for frame in (stack or {}).get("frames", []):
        method = frame["method"]
        cls = method["type"]["name"].replace("/", ".")
        name = next((label for prefix, label in OWNERS if cls.startswith(prefix)), False)
        if name is False:
            continue
        if name == "Jetty":
            jetty = True
            continue
        if name:
            return "Jetty" if jetty else name
        where = cls[len("dev.fhirguard."):].split("$")[0] + "." + method["name"]
        if not jetty:
            return "fhirguard " + where
        if where.startswith("internal.boundary."):
            wrapper = wrapper or where
            continue
        return "Jetty-for-fhirguard " + where
    if wrapper:
        return "Jetty-for-fhirguard " + wrapper
    return "Jetty" if jetty else "JDK/other (no owner frame)"


# fhirguard's classes by what they do (the package after dev.fhirguard.), for --features
FEATURES = [("internal.auth.", "authentication and scopes"),
            ("internal.limit.", "rate limits and their headers"),
            ("internal.admission.", "maintenance and in-flight bounds"),
            ("internal.tracking.", "request id, trace context, MDC"),
            ("internal.boundary.", "request and response wrappers, error boundary"),
            ("internal.pipeline.", "the stage walk"), ("internal.chain.", "the stage walk"),
            ("internal.outcome.", "outcomes: format, template, failure log"),
            ("internal.events.", "events and meters"), ("metrics.", "events and meters"),
            ("internal.export.", "the export check"), ("internal.", "other internals"),
            ("sample.", "the sample's own code"), ("demo.", "the sample's own code"),
            ("", "fhirguard's public classes (filter, interceptor)")]


def feature(key):
    name = key[len("fhirguard "):]
    return next(label for prefix, label in FEATURES if name.startswith(prefix))


def features(title, counts, cpu_us):
    """fhirguard's samples by feature; with --cpu-us, each share as µs of that CPU per request."""
    total = sum(counts.values()) or 1
    grouped = collections.Counter()
    for key, value in counts.items():
        if key.startswith("fhirguard "):
            key = feature(key)
        elif key.startswith("Jetty-for-fhirguard "):
            key = "Jetty, for " + feature("fhirguard " + key.split(" ", 1)[1])
        grouped[key] += value
    print(f"## {title} by feature: {total:.0f}")
    for key, value in grouped.most_common():
        share = value / total
        micros = f"{share * cpu_us:6.1f} µs" if cpu_us else ""
        print(f"  {key:50} {100 * share:6.1f} % {micros}")


def table(title, counts, top):
    total = sum(counts.values()) or 1
    print(f"## {title}: {total:.0f}")
    groups = collections.Counter()
    for key, value in counts.items():
        groups[key.split(" ")[0]] += value
    for key, value in groups.most_common():
        print(f"  {key:50} {100 * value / total:6.1f} %")
    print("  fhirguard by method:")
    fhirguard = [(k, v) for k, v in counts.most_common() if k.startswith("fhirguard ")]
    for key, value in fhirguard[:top]:
        print(f"    {key[10:]:70} {100 * value / total:6.2f} %")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recording")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--pool", help="the port of the server whose Jetty threads to keep")
    parser.add_argument("--features", action="store_true",
                        help="also fhirguard's CPU samples grouped by feature")
    parser.add_argument("--cpu-us", type=float,
                        help="the server CPU per request (external-load.py's figure), to turn "
                             "shares into µs")
    parser.add_argument("--bytes-only", action="store_true",
                        help="only the bytes allocated by thread group (fast)")
    args = parser.parse_args()
    keep = lambda thread: True
    if args.pool:
        pools = pool_names(args.recording)
        if args.pool not in pools:
            raise SystemExit(f"no Jetty pool listens on {args.pool}; pools: {pools}")
        prefix = pools[args.pool] + "-"
        keep = lambda thread: ((thread or {}).get("javaName") or "").startswith(prefix)
    if not args.bytes_only:
        samples(args, keep)
    allocation_statistics(args, keep)


def samples(args, keep):
    cpu = collections.Counter()
    for event in events(args.recording, ["jdk.ExecutionSample"]):
        if keep(event["values"].get("sampledThread")):
            cpu[owner(event["values"]["stackTrace"])] += 1
    table("CPU samples", cpu, args.top)
    if args.features:
        features("CPU samples", cpu, args.cpu_us)
    allocated = collections.Counter()
    for event in events(args.recording, ["jdk.ObjectAllocationSample"]):
        values = event["values"]
        if keep(values.get("eventThread")):
            allocated[owner(values["stackTrace"])] += values["weight"]
    table("bytes allocated (sampled weights)", allocated, args.top)


def allocation_statistics(args, keep):
    first, last, times = {}, {}, []
    for event in events(args.recording, ["jdk.ThreadAllocationStatistics"]):
        values = event["values"]
        thread = (values.get("thread") or {}).get("javaName") or "?"
        if not keep(values.get("thread")):
            continue
        first.setdefault(thread, values["allocated"])
        last[thread] = values["allocated"]
        times.append(values["startTime"])
    groups = collections.Counter()
    for thread in last:
        group = thread.rstrip("0123456789-") or thread
        groups[group] += last[thread] - first[thread]
    print("## bytes allocated by thread group (ThreadAllocationStatistics) from "
          f"{min(times)} to {max(times)}")
    for group, value in groups.most_common(8):
        print(f"  {group:50} {value:15,d}")


if __name__ == "__main__":
    main()
