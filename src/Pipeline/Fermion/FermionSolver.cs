namespace Ness.Pipeline.Fermion;

/// <summary>Which steady-state method (<c>--solver</c>): sparse LU on the q = 0 sector, the matrix-free Krylov
/// solver, the exact Gaussian solver of the free-fermion chain (V = 0 only, any L; <see cref="GaussianSolver"/>), or
/// the choice <see cref="SolverPlan.Fermion"/> makes (auto: gaussian whenever V = 0, else direct up to
/// <see cref="SolverPlan.AutoDirectMaxLength"/>, krylov above).</summary>
public enum FermionSolver { Auto, Direct, Krylov, Gaussian }
