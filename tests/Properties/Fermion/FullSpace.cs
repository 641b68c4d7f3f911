using System.Diagnostics;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Ness.Operators.Fermion;
using Ness.Pipeline;
using Ness.Pipeline.Fermion;

namespace Ness.Tests.Fermion;

/// <summary>A cross-check for the properties (test code, not production): the steady state on the full operator space.</summary>
public static class FullSpace
{
    /// <summary>
    /// The steady state on the full 4^L operator space (no symmetry used), for cross-checks at small L.
    /// <paramref name="spinPicture"/> uses boundary jumps without Jordan–Wigner strings.
    /// Returns the q = 0 blocks and the largest entry of the full solution outside them.
    /// </summary>
    public static (FermionState State, double OffSector) Solve(FermionParameters p, bool spinPicture = false)
    {
        var sw = Stopwatch.StartNew();
        int L = p.Length, d = 1 << L;
        var H = Hamiltonian.Full(L, p.Hopping, p.Interaction, p.Fields.AsSpan());
        var c = JumpOperators.Full(L, p.Rates.ToArray(), spinPicture);
        var A = SteadyState.WithTraceRow(Liouvillian.Full(H, c), Enumerable.Range(0, d).Select(i => i + i * d), out var b);
        var (x, fill) = DirectSolver.Solve(A, b);
        var full = Matrix<Complex>.Build.Dense(d, d, x);
        var B = SectorBlocks.Create(L, p.Hopping, p.Interaction, p.Fields.AsSpan(), p.Rates.ToArray());
        var raw = new Matrix<Complex>[L + 1];
        double off = 0;
        var block = new int[d];
        for (int n = 0; n <= L; n++) foreach (var s in B.Basis.Blocks[n]) block[s] = n;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                if (block[i] != block[j]) off = Math.Max(off, full[i, j].Magnitude);
        for (int n = 0; n <= L; n++)
        {
            var st = B.Basis.Blocks[n];
            raw[n] = Matrix<Complex>.Build.Dense(st.Length, st.Length, (a, bb) => full[st[a], st[bb]]);
        }
        var report = new SolverReport(spinPicture ? "full-space-spin" : "full-space", sw.Elapsed.TotalSeconds,
            [new Number("lu_nonzeros", fill)]);
        return (FermionState.FromRaw(p, B, raw, report), off);
    }
}
