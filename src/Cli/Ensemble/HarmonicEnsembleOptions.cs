using LanguageExt;

namespace Ness.Cli.Ensemble;

/// <summary>Options of <c>ness ensemble harmonic</c> (validated by the command). BathCoupling None = --weak-coupling.</summary>
public sealed record HarmonicEnsembleOptions(
    int Length, double PinningMin, double PinningMax, double Coupling, Option<double> BathCoupling, double[] Temperatures);
