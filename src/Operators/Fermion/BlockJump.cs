
namespace Ness.Operators.Fermion;

/// <summary>One boundary jump c = sqrt(Rate) a(+)_Site restricted to particle-number blocks:
/// c maps state a of block n to state Target[n][a] of block n ± 1 with sign Sign[n][a]
/// (Target = −1 where c annihilates the state). The Jordan–Wigner sign is kept, not dropped.</summary>
public sealed record BlockJump(double Rate, int Site, bool Creates, int[][] Target, int[][] Sign)
{
    /// <summary>The block that c maps block n into.</summary>
    public int To(int n) => Creates ? n + 1 : n - 1;
}
