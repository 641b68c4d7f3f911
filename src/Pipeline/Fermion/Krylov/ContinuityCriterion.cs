using Ness.Operators.Fermion;
using Ness.Numerics.Krylov;

namespace Ness.Pipeline.Fermion.Krylov;

/// <summary>
/// Converged when the true relative residual is below <see cref="ResidualTolerance"/> AND particle number is
/// conserved site by site to <see cref="CurrentTolerance"/> of the current: with R = L(rho), tr(n_x R) is
/// exactly the difference of the currents into and out of site x (left boundary − j_1, j_{x−1} − j_x,
/// j_{L−1} − right boundary), so the continuity defect sum_x |tr(n_x R)| bounds every pairwise disagreement
/// of the left, bond and right currents (left vs right is the sum of all of them). The bond current is
/// j_x = −2J Im&lt;a+_x a_{x+1}&gt; (section 3.2), with J the hopping of the model.
/// Works on packed vectors (<see cref="BlockLiouvillian.Pack"/>): the diagonal of a block is stored first,
/// Im X_ab (a &lt; b) as √2 Im at its upper-triangle position.
/// </summary>
public sealed class ContinuityCriterion(BlockLiouvillian op, double J, double operatorNorm,
    double residualTolerance, double currentTolerance) : IStopCriterion
{
    public double ResidualTolerance { get; } = residualTolerance;
    public double CurrentTolerance { get; } = currentTolerance;

    /// <summary>Defect relative to the current at the last checkpoint (NaN before the first).</summary>
    public double LastRelativeDefect { get; private set; } = double.NaN;

    public IterationStatus Check(Checkpoint c)
    {
        var (defect, current) = Defect(op, J, c.X, c.R);
        LastRelativeDefect = defect / Math.Max(Math.Abs(current), double.Epsilon);
        double rel = c.ResidualNorm / (operatorNorm * c.SolutionNorm);
        return rel <= ResidualTolerance && LastRelativeDefect <= CurrentTolerance
            ? IterationStatus.Converged : IterationStatus.Continue;
    }

    /// <summary>sum_x |tr(n_x R)| and the mean bond current of rho (packed; rho need not have trace 1: both
    /// scale alike). R = L(rho) up to sign.</summary>
    public static (double Defect, double Current) Defect(BlockLiouvillian op, double J, ReadOnlySpan<double> rho, ReadOnlySpan<double> R)
    {
        const double invSqrt2 = 0.70710678118654752;
        int L = op.Length;
        var tr = new double[L];
        op.Densities(R, tr);
        double bond = 0;
        var basis = op.Model.Basis;
        for (int n = 0; n <= L; n++)
        {
            int d = op.Size[n], o = op.Offset[n];
            var states = basis.Blocks[n];
            for (int a = 0; a < d; a++)
                foreach (var (_, b, sign) in basis.Hops(states[a]))
                {
                    // a+_x a_{x+1} |s> = sign |t>, t at position b: <a+_x a_{x+1}> gets rho[s, t] sign
                    double im = a < b ? invSqrt2 * rho[UpperIndex(o, d, a, b) + 1] : -invSqrt2 * rho[UpperIndex(o, d, b, a) + 1];
                    bond += -2 * sign * im;
                }
        }
        double current = L > 1 ? J * bond / (L - 1) : 0;
        double defect = 0;
        foreach (var t in tr) defect += Math.Abs(t);
        return (defect, current);
    }

    /// <summary>Position of √2 Re X_ab (a &lt; b) in the packed block at offset o (√2 Im X_ab follows it).</summary>
    static int UpperIndex(int o, int d, int a, int b) => o + d + 2 * (a * d - a * (a + 1) / 2 + (b - a - 1));
}
