namespace Ness.Operators.Fermion;

/// <summary>
/// One nearest-neighbour hop of the hopping term of H_F (section 3.2): a+_x a_{x+1} |s&gt; = Sign |t&gt;,
/// the particle at site x + 1 moves to site x. <see cref="Target"/> is the position of t in the
/// particle-number block of s (hopping conserves N); the h.c. term a+_{x+1} a_x is the transpose.
/// </summary>
public readonly record struct Hop(int X, int Target, int Sign);
