#!/usr/bin/env python3
"""Average CPU of a JFR recording (jdk.CPULoad, once a second): JVM user+system and the whole machine, as % of all cores;
and the time JDBC/HTTP threads spent blocked in socket reads >= 10 ms (jdk.SocketRead, profile settings).
    python3 docs/jfr-cpu.py target/prof/ingest.jfr"""
import re, subprocess, sys
p = sys.argv[1]
t = subprocess.run(["jfr", "print", "--events", "jdk.CPULoad", p], capture_output=True, text=True).stdout
ju = [float(x) for x in re.findall(r"jvmUser = ([\d.]+)%", t)]
js = [float(x) for x in re.findall(r"jvmSystem = ([\d.]+)%", t)]
mt = [float(x) for x in re.findall(r"machineTotal = ([\d.]+)%", t)]
n = max(len(ju), 1)
print(f"{len(ju)} CPULoad samples: JVM {sum(ju)/n + sum(js)/n:.1f}% of all cores (user {sum(ju)/n:.1f}, system {sum(js)/n:.1f}); machine {sum(mt)/max(len(mt),1):.1f}%")
t = subprocess.run(["jfr", "print", "--events", "jdk.SocketRead", p], capture_output=True, text=True).stdout
ms = 0.0
for v, u in re.findall(r"duration = ([\d.]+) (ms|s)\b", t):
    ms += float(v) * (1000 if u == "s" else 1)
print(f"socket reads >= 10 ms: {len(re.findall('jdk.SocketRead', t))} events, {ms/1000:.1f} s in total")
