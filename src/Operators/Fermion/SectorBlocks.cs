using MathNet.Numerics.LinearAlgebra;

namespace Ness.Operators.Fermion;

/// <summary>
/// The Liouvillian of section 3.2 on the q = N_ket − N_bra = 0 sector, in block form (docs/numerics.md):
/// L(rho) = K rho + rho K+ + sum_c c rho c+, K = −i H − Γ/2, Γ = sum_c c+ c.
/// H and Γ conserve N: H_n is the block of H_F on n particles, Γ is diagonal in the Fock basis;
/// each jump moves rho_n to block n ± 1. rho = sum_n rho_n, rho_n of size C(L,n).
/// </summary>
public sealed class SectorBlocks
{
    public FockBasis Basis { get; }
    public int Length => Basis.Length;
    /// <summary>H_n, n = 0..L (real symmetric).</summary>
    public IReadOnlyList<Matrix<double>> H { get; }
    /// <summary>Diagonal of Γ = sum_c c+ c on block n.</summary>
    public IReadOnlyList<double[]> Gamma { get; }
    public IReadOnlyList<BlockJump> Jumps { get; }
    /// <summary>Offset of block n in the vectorised sector (column-major inside a block); the last entry is the dimension.</summary>
    public long[] Offset { get; }

    SectorBlocks(FockBasis basis, Matrix<double>[] H, double[][] gamma, BlockJump[] jumps)
    {
        (Basis, this.H, Gamma, Jumps) = (basis, H, gamma, jumps);
        Offset = new long[basis.Length + 2];
        for (int n = 0; n <= basis.Length; n++)
            Offset[n + 1] = Offset[n] + (long)basis.Blocks[n].Length * basis.Blocks[n].Length;
    }

    public long Dimension => Offset[^1];
    public int BlockSize(int n) => Basis.Blocks[n].Length;

    /// <summary>Builds the blocks for the chain (J, V, h) with rates (g1p, g1m, gLp, gLm), eq. (3.2) and (3.8).</summary>
    public static SectorBlocks Create(int L, double J, double V, ReadOnlySpan<double> h, ReadOnlySpan<double> rates)
    {
        if (h.Length != L) throw new ArgumentException($"expected {L} fields", nameof(h));
        if (rates.Length != 4) throw new ArgumentException("expected 4 rates", nameof(rates));
        var basis = FockBasis.Create(L);
        var H = new Matrix<double>[L + 1];
        var gamma = new double[L + 1][];
        for (int n = 0; n <= L; n++)
        {
            H[n] = Hamiltonian.Block(basis, n, J, V, h);
            var states = basis.Blocks[n];
            gamma[n] = new double[states.Length];
            for (int a = 0; a < states.Length; a++)
            {
                int n1 = FockBasis.Occupation(states[a], 1), nL = FockBasis.Occupation(states[a], L);
                // c+c for c = a+ is a a+ = 1 − n; for c = a it is n.
                gamma[n][a] = rates[0] * (1 - n1) + rates[1] * n1 + rates[2] * (1 - nL) + rates[3] * nL;
            }
        }
        var jumps = new BlockJump[4];
        for (int k = 0; k < 4; k++)
        {
            var (x, creates) = JumpOperators.Kind(L, k);
            var target = new int[L + 1][];
            var sign = new int[L + 1][];
            for (int n = 0; n <= L; n++)
            {
                var states = basis.Blocks[n];
                target[n] = new int[states.Length];
                sign[n] = new int[states.Length];
                for (int a = 0; a < states.Length; a++)
                {
                    int s = states[a];
                    bool ok = creates ? FockBasis.Occupation(s, x) == 0 : FockBasis.Occupation(s, x) == 1;
                    target[n][a] = ok ? basis.IndexInBlock[s ^ (1 << (x - 1))] : -1;
                    sign[n][a] = ok ? FockBasis.StringSign(s, x) : 0;
                }
            }
            jumps[k] = new BlockJump(rates[k], x, creates, target, sign);
        }
        return new SectorBlocks(basis, H, gamma, jumps);
    }
}
