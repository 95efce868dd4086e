#!/usr/bin/env python3
"""Where a JFR recording of the end-to-end servers spends CPU and allocates, by owner.

Usage: jfr-cost.py RECORDING.jfr [--top 25] [--pool PORT]

--pool PORT keeps the samples of one server's Jetty threads (its pool is found by the port in
its acceptor thread's name), for a recording of the three servers under load together.

Record with external-load.py, e.g.
  external-load.py --scenarios guarded --warmup 2 --rounds 2 --seconds 10 \\
    --server-jvm "-Xms1g -Xmx1g -XX:FlightRecorderOptions:stackdepth=256 \\
      -XX:StartFlightRecording=delay=30s,duration=15s,filename=guarded.jfr,settings=profile"

Each CPU sample (jdk.ExecutionSample) and allocation sample (jdk.ObjectAllocationSample, by
its weight: the bytes it stands for) goes to the leaf-most frame of fhirguard
(dev.fhirguard.*: that frame's class), HAPI (ca.uhn.fhir.*), Jetty (org.eclipse.jetty.*) or
logback/slf4j; JDK and other library frames count for the caller that reached them. Prints
the share of each owner, fhirguard's classes one by one, and per thread group the bytes
allocated over the recording (jdk.ThreadAllocationStatistics, first and last value).
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
    for frame in (stack or {}).get("frames", []):
        method = frame["method"]
        cls = method["type"]["name"].replace("/", ".")
        for prefix, name in OWNERS:
            if cls.startswith(prefix):
                if name:
                    return name
                return "fhirguard " + cls[len(prefix):].split("$")[0] + "." + method["name"]
    return "JDK/other (no owner frame)"


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
