#!/usr/bin/env python3
"""Aggregates jdk.ExecutionSample stacks of a JFR file: top (self) frames and inclusive shares of chosen frames.

    python3 docs/jfr-top.py target/prof/ingest.jfr [N]
Needs `jfr` (JDK) on PATH. Shares are of all execution samples in the file (all threads).
"""
import collections, re, subprocess, sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
focus = sys.argv[3:]   # optional frames (prefix match): share of samples with each on the stack, and its top self frames
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "200", path],
                     capture_output=True, text=True, check=True).stdout
stacks, cur, inside = [], [], False
for line in out.splitlines():
    s = line.strip()
    if s.startswith("stackTrace = ["):
        cur, inside = [], True
    elif inside and s == "]":
        stacks.append(cur); inside = False
    elif inside and s and s != "...":
        m = re.match(r"(.+?)\(", s)
        cur.append(m.group(1) if m else s)
total = len(stacks)
print(f"{total} execution samples")
for fr in focus:
    sub = [st for st in stacks if any(f.startswith(fr) for f in st)]
    print(f"\n-- {fr}: on the stack in {len(sub)} samples = {100*len(sub)/max(total,1):.1f}%; its top self frames:")
    for k, v in collections.Counter(st[0] for st in sub if st).most_common(10):
        print(f"{100*v/total:5.1f}%  {v:6d}  {k}")
if focus:
    sys.exit(0)
self_c = collections.Counter(st[0] for st in stacks if st)
print(f"\n-- top {n} self frames (share of samples)")
for k, v in self_c.most_common(n):
    print(f"{100*v/total:5.1f}%  {v:6d}  {k}")
incl = collections.Counter()
for st in stacks:
    for f in set(st):
        if f.startswith(("com.kpiledger", "org.axonframework", "org.hibernate", "org.postgresql", "com.fasterxml",
                         "com.thoughtworks", "io.agroal", "java.net", "sun.nio", "io.vertx", "io.netty",
                         "org.jboss.resteasy", "io.smallrye.jwt")):
            incl[f] += 1
print(f"\n-- top {2*n} inclusive frames in application/framework packages (share of samples with it on the stack)")
for k, v in incl.most_common(2 * n):
    print(f"{100*v/total:5.1f}%  {v:6d}  {k}")
pk = collections.Counter()
for st in stacks:
    if st:
        parts = st[0].split(".")
        pk[".".join(parts[:3])] += 1
print("\n-- self samples by package (first three name parts)")
for k, v in pk.most_common(15):
    print(f"{100*v/total:5.1f}%  {v:6d}  {k}")
