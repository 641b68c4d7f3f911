using System.Reflection;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Ness.Pipeline;

/// <summary>
/// The version of ness and the git commit it was built from, as the build stamped them into this assembly
/// (<c>Version</c> in Directory.Build.props; the SDK appends <c>+&lt;commit&gt;</c> inside a git clone,
/// <c>+&lt;commit&gt;.dirty</c> when tracked files had uncommitted changes). Built outside a git clone
/// (e.g. from a source archive) there is no commit: <see cref="Commit"/> is None.
/// </summary>
public static class BuildInfo
{
    /// <summary>The release version, e.g. "0.1.0".</summary>
    public static string Version { get; }

    /// <summary>The full commit hash, with ".dirty" appended when the tree had uncommitted changes.</summary>
    public static Option<string> Commit { get; }

    /// <summary>One line for humans: "0.1.0 (commit 1a2b...)" or "0.1.0 (commit unknown: not built from a git clone)".</summary>
    public static string Text => Commit.Match(
        Some: c => $"{Version} (commit {c})",
        None: () => $"{Version} (commit unknown: not built from a git clone)");

    static BuildInfo()
    {
        var info = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                   ?? typeof(BuildInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        int plus = info.IndexOf('+');
        Version = plus < 0 ? info : info[..plus];
        Commit = plus < 0 || plus == info.Length - 1 ? None : Some(info[(plus + 1)..]);
    }
}
