namespace Ness.Pipeline.Fermion;

/// <summary>Which steady-state solver: sparse LU on the q = 0 sector, the matrix-free Krylov solver, or the
/// choice by length (<see cref="SteadyState.AutoDirectMaxLength"/>).</summary>
public enum FermionSolver { Auto, Direct, Krylov }
