namespace Ness.Pipeline.Fermion;

/// <summary>Which steady-state solver: sparse LU on the q = 0 sector, the matrix-free Krylov solver, the
/// choice by length (<see cref="SteadyState.AutoDirectMaxLength"/>), or the matrix product state solver for
/// long chains (<see cref="Mps.MpsSolver"/>).</summary>
public enum FermionSolver { Auto, Direct, Krylov, Mps }
