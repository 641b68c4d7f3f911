namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// Candidates for the coherences of the coarse space (<see cref="TwoLevelPreconditioner"/>): pairs a &lt; b of H_n
/// eigenstates at most <see cref="TwoLevelPreconditioner.PairWindow"/> apart in energy order, in (n, a, b) order,
/// with their gap E_b − E_a, their "slowness" gap + (Γ_aa + Γ_bb)/2 (the smoother's denominator |w_a + conj w_b|)
/// and how intact the jumps carry them (the product of the two fidelities). Plain arrays: the setup of a short solve
/// is mostly compilation, and sorting tuples through LINQ compiled ~180 generic methods (docs/benchmarks.md).
/// </summary>
sealed class PairCandidates
{
    public int Count { get; }
    public readonly int[] N, A, B;
    public readonly double[] Gap, Slow, Carried;

    PairCandidates(int count)
    {
        Count = count;
        N = new int[count]; A = new int[count]; B = new int[count];
        Gap = new double[count]; Slow = new double[count]; Carried = new double[count];
    }

    /// <param name="size">Block sizes d_n.</param>
    /// <param name="E">H_n eigenvalues, ascending.</param>
    /// <param name="gdiag">&lt;a|Γ|a&gt; in the H_n eigenbasis.</param>
    /// <param name="fidelity">How cleanly the jumps carry eigenstate a of block n into single eigenstates.</param>
    public static PairCandidates Create(int[] size, double[][] E, double[][] gdiag, double[][] fidelity)
    {
        int count = 0;
        for (int n = 0; n < size.Length; n++)
            for (int a = 0; a < size[n]; a++) count += Math.Max(0, Math.Min(TwoLevelPreconditioner.PairWindow, size[n] - 1 - a));
        var c = new PairCandidates(count);
        int k = 0;
        for (int n = 0; n < size.Length; n++)
            for (int a = 0; a < size[n]; a++)
                for (int b = a + 1; b <= Math.Min(a + TwoLevelPreconditioner.PairWindow, size[n] - 1); b++, k++)
                {
                    c.N[k] = n; c.A[k] = a; c.B[k] = b;
                    c.Gap[k] = E[n][b] - E[n][a];
                    c.Slow[k] = E[n][b] - E[n][a] + 0.5 * (gdiag[n][a] + gdiag[n][b]);
                    c.Carried[k] = fidelity[n][a] * fidelity[n][b];
                }
        return c;
    }

    /// <summary>Share of the candidates carried at least <paramref name="threshold"/> (0 when there are none).</summary>
    public double Share(double threshold)
    {
        if (Count == 0) return 0;
        int m = 0;
        for (int k = 0; k < Count; k++) if (Carried[k] >= threshold) m++;
        return m / (double)Count;
    }

    /// <summary>The chosen pairs among those carried at least <paramref name="minCarried"/>: the
    /// <paramref name="byGap"/> smallest gaps and the <paramref name="total"/> − byGap slowest, overlaps counted
    /// once (ties in candidate order).</summary>
    public bool[] Choose(double minCarried, int byGap, int total)
    {
        var chosen = new bool[Count];
        var idx = new List<int>(Count);
        for (int k = 0; k < Count; k++) if (Carried[k] >= minCarried) idx.Add(k);
        Mark(idx.ToArray(), Gap, byGap, chosen);
        Mark(idx.ToArray(), Slow, total - byGap, chosen);
        return chosen;
    }

    static void Mark(int[] idx, double[] key, int take, bool[] chosen)
    {
        Array.Sort(idx, (i, j) => key[i] != key[j] ? key[i].CompareTo(key[j]) : i.CompareTo(j));
        for (int t = 0; t < Math.Min(take, idx.Length); t++) chosen[idx[t]] = true;
    }
}
