#!/usr/bin/python3
"""QuTiP reference timing for `ness bench` (the incumbent of docs/numerics.md).

Builds the fermion chain of section 3.2 on the full 4^L operator space (Jordan-Wigner fermions, the
docs/interface.md normalisation H = J sum (a+_x a_x+1 + h.c.) + V sum n_x n_x+1 + 2 sum h_x n_x, jumps
sqrt(g1p) a+_1, sqrt(g1m) a_1, sqrt(gLp) a+_L, sqrt(gLm) a_L) and calls qutip.steadystate with the given
method. Prints one JSON object: seconds (steadystate only), peak RSS, profile and currents.

usage: qutip_steadystate.py --length L --fields h1,...,hL --method M [--use-rcm] [--hopping J]
       [--interaction V] [--rates g1p,g1m,gLp,gLm]
"""
import argparse
import json
import resource
import time

import numpy as np
import qutip as qt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--length", type=int, required=True)
    ap.add_argument("--fields", required=True)
    ap.add_argument("--method", default="direct")
    ap.add_argument("--use-rcm", action="store_true")
    ap.add_argument("--hopping", type=float, default=1.0)
    ap.add_argument("--interaction", type=float, default=1.0)
    ap.add_argument("--rates", default="3,1,2,1")
    a = ap.parse_args()
    L, J, V = a.length, a.hopping, a.interaction
    h = [float(x) for x in a.fields.split(",")]
    g1p, g1m, gLp, gLm = [float(x) for x in a.rates.split(",")]
    assert len(h) == L

    I2, d = qt.qeye(2), qt.destroy(2)
    parity = I2 - 2 * d.dag() * d            # (-1)^n

    def ann(x):                              # a_x, x = 1..L, Jordan-Wigner
        ops = [parity] * (x - 1) + [d] + [I2] * (L - x)
        return qt.tensor(ops)

    a_ = [ann(x) for x in range(1, L + 1)]
    n_ = [c.dag() * c for c in a_]
    H = 0
    for x in range(L - 1):
        H += J * (a_[x].dag() * a_[x + 1] + a_[x + 1].dag() * a_[x]) + V * n_[x] * n_[x + 1]
    for x in range(L):
        H += 2 * h[x] * n_[x]
    c_ops = [np.sqrt(g1p) * a_[0].dag(), np.sqrt(g1m) * a_[0], np.sqrt(gLp) * a_[L - 1].dag(), np.sqrt(gLm) * a_[L - 1]]

    kw = {"method": a.method}
    if a.use_rcm:
        kw["use_rcm"] = True
    if a.method.startswith("iterative"):
        kw["use_precond"] = True
    t0 = time.perf_counter()
    rho = qt.steadystate(H, c_ops, **kw)
    secs = time.perf_counter() - t0
    prof = [float(qt.expect(n, rho)) for n in n_]
    bonds = [float(-2 * J * np.imag(qt.expect(a_[x].dag() * a_[x + 1], rho))) for x in range(L - 1)]
    out = {
        "qutip": qt.__version__, "method": a.method, "use_rcm": a.use_rcm, "length": L, "seconds": secs,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "profile": prof,
        "current": {"left": g1p - (g1p + g1m) * prof[0], "right": -(gLp - (gLp + gLm) * prof[-1]), "bonds": bonds},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
