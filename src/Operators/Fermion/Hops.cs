namespace Ness.Operators.Fermion;

/// <summary>
/// The hops a+_x a_{x+1} |s&gt; (x = 1..L−1) that do not vanish on the bit string s, in increasing x, each with
/// its Jordan–Wigner sign: the one enumerator behind the Hamiltonian block, the bond currents and the
/// continuity check of the Krylov solver. A struct enumerator, so <c>foreach (var (x, t, sign) in basis.Hops(s))</c>
/// allocates nothing in hot loops.
/// </summary>
public struct Hops
{
    readonly FockBasis basis;
    readonly int s;
    int x;

    internal Hops(FockBasis basis, int s) => (this.basis, this.s, x) = (basis, s, 0);

    public readonly Hops GetEnumerator() => this;

    public Hop Current { get; private set; }

    public bool MoveNext()
    {
        while (++x < basis.Length)
        {
            // a+_x a_{x+1} needs n_{x+1} = 1 and n_x = 0
            if (FockBasis.Occupation(s, x + 1) == 0 || FockBasis.Occupation(s, x) == 1) continue;
            int s1 = s & ~(1 << x);
            int sign = FockBasis.StringSign(s, x + 1) * FockBasis.StringSign(s1, x);
            Current = new Hop(x, basis.IndexInBlock[s1 | (1 << (x - 1))], sign);
            return true;
        }
        return false;
    }
}
