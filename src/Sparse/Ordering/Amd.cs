using Ness.Sparse.Storage;

namespace Ness.Sparse.Ordering;

/// <summary>
/// Approximate minimum degree ordering. Davis (2006), §7.1, cs_amd: the elimination is simulated on
/// a quotient graph (variables and elements share one index space; eliminated variables become
/// elements, and elements adjacent to the pivot are absorbed), degrees are the approximate external
/// degrees of Amestoy, Davis and Duff, indistinguishable variables are merged into supervariables
/// (hash + compare, "mass elimination" of variables whose external degree drops to zero), elements
/// found to be subsets of the new element are absorbed aggressively, and rows/columns denser than
/// max(16, 10√n) are removed up front and ordered last. The result is post-ordered by the assembly
/// tree (cs_tdfs) so that related pivots stay together.
/// </summary>
public static class Amd
{
    /// <summary>
    /// Fill-reducing column permutation q (length n, q[k] = column taken k-th) for the LU of a square
    /// matrix, or the identity for <see cref="ColumnOrdering.Natural"/>. Davis (2006), §7.1, cs_amd.
    /// </summary>
    public static int[] Generate(CompressedColumnStorage A, ColumnOrdering order)
    {
        ArgumentNullException.ThrowIfNull(A);
        int n = A.ColumnCount;
        if (order == ColumnOrdering.Natural)
        {
            var id = new int[n];
            for (int k = 0; k < n; k++) id[k] = k;
            return id;
        }
        int dense = (int)Math.Max(16, 10 * Math.Sqrt(n));
        dense = Math.Min(n - 2, dense);

        int[] cp, ci;
        if (order == ColumnOrdering.MinimumDegreeAtPlusA && A.RowCount == n)
            PatternAPlusAT(A, out cp, out ci);
        else if (order == ColumnOrdering.MinimumDegreeStS)
            PatternAtA(A, dense, out cp, out ci);
        else if (order == ColumnOrdering.MinimumDegreeAtA || order == ColumnOrdering.MinimumDegreeAtPlusA)
            PatternAtA(A, int.MaxValue, out cp, out ci);
        else
            throw new ArgumentOutOfRangeException(nameof(order));
        return Order(n, cp, ci, dense);
    }

    // ------------------------------------------------------------------ input graphs

    /// <summary>Pattern of A + Aᵀ without the diagonal, with elbow room for the quotient graph.</summary>
    internal static void PatternAPlusAT(CompressedColumnStorage A, out int[] cp, out int[] ci)
    {
        int n = A.ColumnCount;
        int[] ap = A.ColumnPointers, ai = A.RowIndices;
        PatternTranspose(n, n, ap, ai, out var tp, out var ti);
        var w = new int[n];
        Array.Fill(w, -1);
        cp = new int[n + 1];
        long cnz = 0;
        for (int j = 0; j < n; j++)
        {
            cnz += CountUnion(j, ap, ai, tp, ti, w);
        }
        ci = AllocateWithElbowRoom(cnz, n);
        Array.Fill(w, -1);
        int nz = 0;
        for (int j = 0; j < n; j++)
        {
            cp[j] = nz;
            for (int p = ap[j]; p < ap[j + 1]; p++)
            {
                int i = ai[p];
                if (i != j && w[i] != j) { w[i] = j; ci[nz++] = i; }
            }
            for (int p = tp[j]; p < tp[j + 1]; p++)
            {
                int i = ti[p];
                if (i != j && w[i] != j) { w[i] = j; ci[nz++] = i; }
            }
        }
        cp[n] = nz;
    }

    static int CountUnion(int j, int[] ap, int[] ai, int[] tp, int[] ti, int[] w)
    {
        int c = 0;
        for (int p = ap[j]; p < ap[j + 1]; p++)
        {
            int i = ai[p];
            if (i != j && w[i] != j) { w[i] = j; c++; }
        }
        for (int p = tp[j]; p < tp[j + 1]; p++)
        {
            int i = ti[p];
            if (i != j && w[i] != j) { w[i] = j; c++; }
        }
        return c;
    }

    /// <summary>Pattern of SᵀS without the diagonal, where S is A without rows having more than
    /// <paramref name="dense"/> entries (cs_amd orders 2 and 3).</summary>
    internal static void PatternAtA(CompressedColumnStorage A, int dense, out int[] cp, out int[] ci)
    {
        int m = A.RowCount, n = A.ColumnCount;
        int[] ap = A.ColumnPointers, ai = A.RowIndices;
        // AT(:, i) = row i of A
        PatternTranspose(m, n, ap, ai, out var tp, out var ti);
        var keep = new bool[m];
        for (int i = 0; i < m; i++) keep[i] = tp[i + 1] - tp[i] <= dense;
        var w = new int[n];
        Array.Fill(w, -1);
        long cnz = 0;
        for (int j = 0; j < n; j++)
            for (int p = ap[j]; p < ap[j + 1]; p++)
            {
                int r = ai[p];
                if (!keep[r]) continue;
                for (int q = tp[r]; q < tp[r + 1]; q++)
                {
                    int i = ti[q];
                    if (i != j && w[i] != j) { w[i] = j; cnz++; }
                }
            }
        ci = AllocateWithElbowRoom(cnz, n);
        cp = new int[n + 1];
        Array.Fill(w, -1);
        int nz = 0;
        for (int j = 0; j < n; j++)
        {
            cp[j] = nz;
            for (int p = ap[j]; p < ap[j + 1]; p++)
            {
                int r = ai[p];
                if (!keep[r]) continue;
                for (int q = tp[r]; q < tp[r + 1]; q++)
                {
                    int i = ti[q];
                    if (i != j && w[i] != j) { w[i] = j; ci[nz++] = i; }
                }
            }
        }
        cp[n] = nz;
    }

    static void PatternTranspose(int m, int n, int[] ap, int[] ai, out int[] tp, out int[] ti)
    {
        int nz = ap[n];
        tp = new int[m + 1];
        ti = new int[nz];
        for (int p = 0; p < nz; p++) tp[ai[p] + 1]++;
        for (int i = 0; i < m; i++) tp[i + 1] += tp[i];
        var next = new int[m];
        Array.Copy(tp, next, m);
        for (int j = 0; j < n; j++)
            for (int p = ap[j]; p < ap[j + 1]; p++) ti[next[ai[p]]++] = j;
    }

    /// <summary>cs_amd sizes the quotient-graph workspace as nnz + nnz/5 + 2n.</summary>
    static int[] AllocateWithElbowRoom(long cnz, int n)
    {
        long t = cnz + cnz / 5 + 2L * n;
        if (t > Array.MaxLength)
            throw new OutOfMemoryException($"AMD needs {t} graph entries, more than the largest .NET array.");
        return new int[t];
    }

    // ------------------------------------------------------------------ minimum degree

    static int Flip(int i) => -i - 2;

    /// <summary>Resets the marker w when mark would overflow (cs_wclear).</summary>
    static int ClearMarks(int mark, int lemax, int[] w, int n)
    {
        if (mark < 2 || mark + lemax < 0)
        {
            for (int k = 0; k < n; k++) if (w[k] != 0) w[k] = 1;
            mark = 2;
        }
        return mark;
    }

    /// <summary>
    /// Core of cs_amd on the symmetric pattern (cp, ci) of order n without diagonal; ci has elbow room
    /// past cp[n]. Both arrays are destroyed. Davis (2006), §7.1.
    /// </summary>
    internal static int[] Order(int n, int[] cp0, int[] ci, int dense)
    {
        // Node n is a dummy element that absorbs the dense rows.
        var Cp = new int[n + 1];
        Array.Copy(cp0, Cp, n + 1);
        int cnz = Cp[n];
        int nzmax = ci.Length;
        var len = new int[n + 1];
        var nv = new int[n + 1];
        var next = new int[n + 1];
        var head = new int[n + 1];
        var elen = new int[n + 1];
        var degree = new int[n + 1];
        var w = new int[n + 1];
        var hhead = new int[n + 1];
        var last = new int[n + 1];

        for (int k = 0; k < n; k++) len[k] = Cp[k + 1] - Cp[k];
        len[n] = 0;
        for (int i = 0; i <= n; i++)
        {
            head[i] = -1; last[i] = -1; next[i] = -1; hhead[i] = -1;
            nv[i] = 1; w[i] = 1; elen[i] = 0; degree[i] = len[i];
        }
        int mark = ClearMarks(0, 0, w, n);
        elen[n] = -2;
        Cp[n] = -1;
        w[n] = 0;

        // Initial degree lists; empty nodes become elements, dense nodes are absorbed into n.
        int nel = 0;
        for (int i = 0; i < n; i++)
        {
            int d = degree[i];
            if (d == 0)
            {
                elen[i] = -2; nel++; Cp[i] = -1; w[i] = 0;
            }
            else if (d > dense)
            {
                nv[i] = 0; elen[i] = -1; nel++; Cp[i] = Flip(n); nv[n]++;
            }
            else
            {
                if (head[d] != -1) last[head[d]] = i;
                next[i] = head[d];
                head[d] = i;
            }
        }

        int mindeg = 0, lemax = 0;
        while (nel < n)
        {
            // Pivot: a variable k of minimum approximate degree.
            int k = -1;
            for (; mindeg < n && (k = head[mindeg]) == -1; mindeg++) { }
            if (next[k] != -1) last[next[k]] = -1;
            head[mindeg] = next[k];
            int elenk = elen[k], nvk = nv[k];
            nel += nvk;

            // Garbage collection of the quotient graph when out of room (§7.1, "compaction").
            if (elenk > 0 && cnz + mindeg >= nzmax)
            {
                for (int j = 0; j < n; j++)
                {
                    int p = Cp[j];
                    if (p >= 0) { Cp[j] = ci[p]; ci[p] = Flip(j); }
                }
                int q = 0;
                for (int p = 0; p < cnz;)
                {
                    int j = Flip(ci[p++]);
                    if (j >= 0)
                    {
                        ci[q] = Cp[j];
                        Cp[j] = q++;
                        for (int t = 0; t < len[j] - 1; t++) ci[q++] = ci[p++];
                    }
                }
                cnz = q;
            }

            // New element Lk = union of k's variables and the variables of its adjacent elements.
            int dk = 0;
            nv[k] = -nvk;
            int pk = Cp[k];
            int pk1 = elenk == 0 ? pk : cnz, pk2 = pk1;
            for (int k1 = 1; k1 <= elenk + 1; k1++)
            {
                int e, pj, ln;
                if (k1 > elenk) { e = k; pj = pk; ln = len[k] - elenk; }
                else { e = ci[pk++]; pj = Cp[e]; ln = len[e]; }
                for (int k2 = 1; k2 <= ln; k2++)
                {
                    int i = ci[pj++];
                    int nvi = nv[i];
                    if (nvi <= 0) continue;
                    dk += nvi;
                    nv[i] = -nvi;                  // flag i as a member of Lk
                    ci[pk2++] = i;
                    if (next[i] != -1) last[next[i]] = last[i];
                    if (last[i] != -1) next[last[i]] = next[i];
                    else head[degree[i]] = next[i];
                }
                if (e != k) { Cp[e] = Flip(k); w[e] = 0; }   // absorb e into k
            }
            if (elenk != 0) cnz = pk2;
            degree[k] = dk;
            Cp[k] = pk1;
            len[k] = pk2 - pk1;
            elen[k] = -2;                              // k is now an element

            // |Le \ Lk| for every element e adjacent to some i in Lk, kept as w[e] - mark.
            mark = ClearMarks(mark, lemax, w, n);
            for (int pp = pk1; pp < pk2; pp++)
            {
                int i = ci[pp];
                int eln = elen[i];
                if (eln <= 0) continue;
                int nvi = -nv[i];
                int wnvi = mark - nvi;
                for (int p = Cp[i]; p <= Cp[i] + eln - 1; p++)
                {
                    int e = ci[p];
                    if (w[e] >= mark) w[e] -= nvi;
                    else if (w[e] != 0) w[e] = degree[e] + wnvi;
                }
            }

            // Approximate degree of each i in Lk; prune absorbed elements; hash for supervariables.
            for (int pp = pk1; pp < pk2; pp++)
            {
                int i = ci[pp];
                int p1 = Cp[i], p2 = p1 + elen[i] - 1, pn = p1;
                int d = 0;
                uint h = 0;
                for (int p = p1; p <= p2; p++)
                {
                    int e = ci[p];
                    if (w[e] == 0) continue;
                    int dext = w[e] - mark;
                    if (dext > 0)
                    {
                        d += dext; ci[pn++] = e; h += (uint)e;
                    }
                    else
                    {
                        Cp[e] = Flip(k); w[e] = 0;             // aggressive absorption: Le ⊆ Lk
                    }
                }
                elen[i] = pn - p1 + 1;                         // + 1 for the new element k
                int p3 = pn, p4 = p1 + len[i];
                for (int p = p2 + 1; p < p4; p++)
                {
                    int j = ci[p];
                    int nvj = nv[j];
                    if (nvj <= 0) continue;                    // j is in Lk or dead
                    d += nvj; ci[pn++] = j; h += (uint)j;
                }
                if (d == 0)
                {
                    // Mass elimination: i is adjacent only to Lk, so it goes with k.
                    Cp[i] = Flip(k);
                    int nvi = -nv[i];
                    dk -= nvi; nvk += nvi; nel += nvi;
                    nv[i] = 0; elen[i] = -1;
                }
                else
                {
                    degree[i] = Math.Min(degree[i], d);
                    ci[pn] = ci[p3];                           // move first variable to the end
                    ci[p3] = ci[p1];                           // move first element to end of elements
                    ci[p1] = k;                                // k becomes i's first element
                    len[i] = pn - p1 + 1;
                    int hb = (int)(h % (uint)n);
                    next[i] = hhead[hb];
                    hhead[hb] = i;
                    last[i] = hb;                              // remember i's hash bucket
                }
            }
            degree[k] = dk;
            lemax = Math.Max(lemax, dk);
            mark = ClearMarks(mark + lemax, lemax, w, n);

            // Supervariable detection: compare the variables within each hash bucket.
            for (int pp = pk1; pp < pk2; pp++)
            {
                int i = ci[pp];
                if (nv[i] >= 0) continue;                      // already merged or eliminated
                int hb = last[i];
                i = hhead[hb];
                hhead[hb] = -1;
                for (; i != -1 && next[i] != -1; i = next[i], mark++)
                {
                    int ln = len[i], eln = elen[i];
                    for (int p = Cp[i] + 1; p <= Cp[i] + ln - 1; p++) w[ci[p]] = mark;
                    int jlast = i;
                    for (int j = next[i]; j != -1;)
                    {
                        bool same = len[j] == ln && elen[j] == eln;
                        for (int p = Cp[j] + 1; same && p <= Cp[j] + ln - 1; p++)
                            if (w[ci[p]] != mark) same = false;
                        if (same)
                        {
                            Cp[j] = Flip(i);                   // absorb j into supervariable i
                            nv[i] += nv[j];
                            nv[j] = 0;
                            elen[j] = -1;
                            j = next[j];
                            next[jlast] = j;
                        }
                        else
                        {
                            jlast = j;
                            j = next[j];
                        }
                    }
                }
            }

            // Finalize Lk: restore nv, put the variables back in the degree lists.
            int pw = pk1;
            for (int pp = pk1; pp < pk2; pp++)
            {
                int i = ci[pp];
                int nvi = -nv[i];
                if (nvi <= 0) continue;
                nv[i] = nvi;
                int d = degree[i] + dk - nvi;
                d = Math.Min(d, n - nel - nvi);
                if (head[d] != -1) last[head[d]] = i;
                next[i] = head[d];
                last[i] = -1;
                head[d] = i;
                mindeg = Math.Min(mindeg, d);
                degree[i] = d;
                ci[pw++] = i;
            }
            nv[k] = nvk;
            if ((len[k] = pw - pk1) == 0) { Cp[k] = -1; w[k] = 0; }   // k is a root
            if (elenk != 0) cnz = pw;
        }

        // Post-order the assembly tree (Cp[i] = Flip(parent) for absorbed nodes).
        for (int i = 0; i < n; i++) Cp[i] = Flip(Cp[i]);
        for (int j = 0; j <= n; j++) head[j] = -1;
        for (int j = n; j >= 0; j--)                             // non-principal variables
        {
            if (nv[j] > 0) continue;
            next[j] = head[Cp[j]];
            head[Cp[j]] = j;
        }
        for (int e = n; e >= 0; e--)                             // elements and principal variables
        {
            if (nv[e] <= 0) continue;
            if (Cp[e] != -1)
            {
                next[e] = head[Cp[e]];
                head[Cp[e]] = e;
            }
        }
        var P = new int[n + 1];
        for (int k = 0, i = 0; i <= n; i++)
            if (Cp[i] == -1) k = TreeDfs(i, k, head, next, P, w);
        Array.Resize(ref P, n);                                  // P[n] == n, the dummy root
        return P;
    }

    /// <summary>Depth-first post-order of the subtree rooted at j. Davis (2006), §4.6, cs_tdfs.</summary>
    static int TreeDfs(int j, int k, int[] head, int[] next, int[] post, int[] stack)
    {
        int top = 0;
        stack[0] = j;
        while (top >= 0)
        {
            int p = stack[top];
            int i = head[p];
            if (i == -1)
            {
                top--;
                post[k++] = p;
            }
            else
            {
                head[p] = next[i];
                stack[++top] = i;
            }
        }
        return k;
    }
}
