namespace Ness.Pipeline.Fermion;

/// <summary>Which steady-state method (<c>--solver</c>): sparse LU on the q = 0 sector, the matrix-free Krylov
/// solver, the exact Gaussian solver of the free-fermion chain (V = 0 only, any L; <see cref="GaussianSolver"/>), or
/// the choice <see cref="SolverPlan.Fermion"/> makes (auto: gaussian whenever V = 0, else direct up to
/// <see cref="SolverPlan.AutoDirectMaxLength"/>, krylov above). With <c>--weak-coupling</c> (rates × eps, eps → 0):
/// <see cref="Pauli"/>, the Pauli master equation on the eigenstates of H_F (any V, L &lt;= 16), or
/// <see cref="OneBody"/>, the one-body formula (V = 0, any L); auto takes onebody when V = 0.</summary>
public enum FermionSolver { Auto, Direct, Krylov, Gaussian, Pauli, OneBody }
