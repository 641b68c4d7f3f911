#!/usr/bin/env python3
"""Compare two golden-output directories (scripts/golden/record.sh): every number in every JSON/JSONL/CSV file,
ignoring provenance and timings. Prints per file: bit-identical, or the largest absolute difference and where.
Exit 1 when a file is missing, a non-timing field differs in kind or text, or a number differs by more than --tol."""
import json, os, sys, math, argparse

ALLOW_NEW = False
RENAMED = {}
IGNORED = {"provenance", "seconds", "cpu_seconds", "wall_seconds", "elapsed_seconds", "date", "commit", "version",
           "created", "started", "finished", "setup_seconds", "solve_seconds", "time"}

# keys renamed after the golden outputs were recorded (new name -> recorded name): compared under the recorded name
RENAMED = {"log_current_per_bath_coupling": "log_current"}   # issue 23: the weak-coupling aggregate's ln|J/lambda|

def renamed(o):
    if isinstance(o, dict):
        return {RENAMED.get(k, k): renamed(v) for k, v in o.items()}
    if isinstance(o, list):
        return [renamed(v) for v in o]
    return o

def walk(a, b, path, acc):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k in IGNORED or k.endswith("_seconds") or k.startswith("seconds") or k.endswith("_bytes") or k.startswith("peak_"):
                continue
            if k not in a or k not in b:
                if k in b and ALLOW_NEW:
                    acc["added"].add(k); continue
                acc["struct"].append(f"{path}/{k}: only in {'new' if k in b else 'old'}")
                continue
            walk(a[k], b[k], f"{path}/{k}", acc)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            acc["struct"].append(f"{path}: length {len(a)} vs {len(b)}")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", acc)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if a != b:
            d = abs(a - b) if math.isfinite(a) and math.isfinite(b) else math.inf
            acc["bits"] = False
            if d > acc["max"][0]:
                acc["max"] = (d, path, a, b)
    elif a != b:
        acc["struct"].append(f"{path}: {str(a)[:60]!r} vs {str(b)[:60]!r}")

def load(path):
    if path.endswith(".jsonl"):
        lines = [json.loads(l) for l in open(path) if l.strip()]
        key = lambda o: (o.get("realization", 0) if isinstance(o, dict) else 0)
        return renamed(sorted(lines, key=key))
    if path.endswith(".json"):
        return renamed(json.load(open(path)))
    if path.endswith(".csv"):
        rows = [l.rstrip("\n").split(",") for l in open(path)]
        return [[(float(c) if _isnum(c) else c) for c in r] for r in rows]
    return None

def _isnum(c):
    try:
        float(c); return True
    except ValueError:
        return False

def main():
    p = argparse.ArgumentParser()
    p.add_argument("old"); p.add_argument("new"); p.add_argument("--tol", type=float, default=1e-14)
    p.add_argument("--allow-new-keys", action="store_true", help="keys only in NEW are listed, not failures")
    a = p.parse_args()
    global ALLOW_NEW
    ALLOW_NEW = a.allow_new_keys
    bad = 0
    for root, _, files in os.walk(a.old):
        for f in sorted(files):
            po = os.path.join(root, f)
            pn = os.path.join(a.new, os.path.relpath(po, a.old))
            rel = os.path.relpath(po, a.old)
            o = load(po)
            if o is None:
                continue
            if not os.path.exists(pn):
                print(f"{rel}: MISSING in new"); bad += 1; continue
            acc = {"bits": True, "max": (0.0, "", None, None), "struct": [], "added": set()}
            walk(o, load(pn), "", acc)
            if acc["added"]:
                print(f"{rel}: keys added: {', '.join(sorted(acc['added']))}")
            if acc["struct"]:
                bad += 1
                print(f"{rel}: DIFFERS in structure/text: " + "; ".join(acc["struct"][:5]))
            elif acc["bits"]:
                print(f"{rel}: bit-identical")
            else:
                d, where, x, y = acc["max"]
                ok = d <= a.tol
                bad += 0 if ok else 1
                print(f"{rel}: max |diff| {d:.3g} at {where} ({x!r} vs {y!r}) {'within' if ok else 'ABOVE'} {a.tol:g}")
    sys.exit(1 if bad else 0)

main()
