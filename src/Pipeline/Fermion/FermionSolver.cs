namespace Ness.Pipeline.Fermion;

/// <summary>Which steady-state solver: sparse LU on the q = 0 sector, the matrix-free Krylov solver, the
/// choice by length (<see cref="SteadyState.AutoDirectMaxLength"/>), or the exact Gaussian solver of the free-fermion chain (V = 0 only,
/// any L; <see cref="GaussianSolver"/>), which auto takes whenever V = 0.</summary>
public enum FermionSolver { Auto, Direct, Krylov, Gaussian }
