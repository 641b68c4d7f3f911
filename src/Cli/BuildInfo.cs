using System.Reflection;

namespace Ness.Cli;

/// <summary>The version of this build and the commit it was built from, read from the assembly's informational
/// version ("1.0.0+&lt;commit&gt;", which the .NET SDK stamps from git at build time).</summary>
public static class BuildInfo
{
    static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The version without the commit, e.g. "1.0.0".</summary>
    public static string Version => Informational.Split('+')[0];

    /// <summary>The full commit hash, or "unknown" for a build outside a git checkout.</summary>
    public static string Commit => Informational.Split('+') is [_, var c, ..] && c.Length > 0 ? c : "unknown";
}
