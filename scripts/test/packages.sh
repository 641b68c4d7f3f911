#!/bin/bash
# End-to-end test of what a user installs: packs the solution (the `ness` tool and the Ness.Pipeline,
# Ness.Operators, Ness.Numerics, Ness.Sparse packages), installs the tool with --tool-path as the README's "Install" says,
# checks `ness --version` (version of Directory.Build.props, commit = HEAD), runs a fermion chain with it, and
# builds and runs the C# and F# examples of docs/library.md as written there (the placeholder
# /path/to/ness/nupkg replaced by DIR/nupkg); both must print the profile
# the installed ness prints.
#
#   scripts/test/packages.sh [DIR]     # DIR (default: a new temporary folder) receives nupkg/ and tools/
#
# .ci/run runs it and hands DIR/tools/ness to scripts/slurm/test/cluster-test.sh. It uses a private NuGet package
# folder (so a stale Ness.Pipeline 0.1.0 in ~/.nuget cannot hide a change) and so downloads the packages' own
# dependencies (MathNet.Numerics, LanguageExt.Core) once. About 3-4 minutes on a 2-core machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$(mktemp -d /tmp/ness-packages.XXXXXX)}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
fail() { echo "packages: FAILED: $*" >&2; exit 1; }
step() { echo "packages: $*" >&2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export NUGET_PACKAGES=$dir/nuget-packages

step "dotnet pack Sparse.sln -c Release -o $dir/nupkg"
rm -rf "$dir/nupkg" "$dir/tools"
dotnet pack "$repo/Sparse.sln" -c Release -o "$dir/nupkg" > "$dir/pack.log" 2>&1 || { cat "$dir/pack.log" >&2; fail "dotnet pack"; }
for p in ness Ness.Pipeline Ness.Operators Ness.Numerics Ness.Sparse; do
    version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props")
    [[ -f $dir/nupkg/$p.$version.nupkg ]] || fail "no $p.$version.nupkg"
done

step "dotnet tool install --tool-path $dir/tools --add-source $dir/nupkg ness"
dotnet tool install --tool-path "$dir/tools" --add-source "$dir/nupkg" ness > "$dir/install.log" 2>&1 \
    || { cat "$dir/install.log" >&2; fail "dotnet tool install"; }
ness=$dir/tools/ness
got=$("$ness" --version)
want="ness $version (commit "
[[ $got == "$want"* ]] || fail "ness --version printed '$got', expected '$want...'"
if head=$(git -C "$repo" rev-parse HEAD 2>/dev/null); then
    [[ $got == *"commit $head"* ]] || fail "ness --version printed '$got', expected commit $head"
fi
step "installed: $got"

# The tool package carries precompiled (ReadyToRun) code for this platform (src/Cli/Cli.csproj); ness bench says so.
code=$("$ness" bench --lengths 2 --qutip off 2>/dev/null | head -1)
[[ $code == *"code: ReadyToRun"* ]] || fail "the installed tool is not precompiled: ness bench printed '$code'"
# ... including the Krylov solver's kernels, whose generic instantiations crossgen2 compiles only over this assembly's own
# number types (src/Pipeline/Fermion/Krylov/Real.cs): the runtime's JIT summary of an L = 8 solve must not list them
# as compiled from IL.
jitted="$dir/jitted.txt"
DOTNET_JitDisasmSummary=1 DOTNET_JitStdOutFile="$jitted" "$ness" fermion --length 8 --disorder 10 --seed 1 > /dev/null \
    || fail "ness fermion --length 8 failed"
[[ -s $jitted ]] || fail "the runtime wrote no JIT summary (DOTNET_JitStdOutFile)"
# (Precompiled code that runs hot is recompiled at tier 1 in the background: those "[Tier1" lines are expected.)
late=$(grep -E 'Ness\.Pipeline\.Fermion\.Krylov\.(SylvesterSmoother|CoarseTransfer|TwoLevelPreconditioner|KrylovSolver)' "$jitted" \
    | grep -v '\[Tier1[,\]]' || true)
[[ -z $late ]] || fail "Krylov kernels compiled at run time by the installed tool:
$late"
step "precompiled: the Krylov kernels are not compiled at run time (L = 8)"

# The profile of the documented chain, from the installed tool: one "n_x = value" line per site.
profile() { tr -d ' \n' | grep -o '"profile":\[[^]]*\]' | sed 's/"profile":\[//; s/\]$//' | tr ',' '\n' | awk '{ printf "n_%d = %s\n", NR, $0 }'; }
"$ness" fermion --length 6 --disorder 10 --seed 1 > "$dir/cli.json" || fail "ness fermion exited $?"
profile < "$dir/cli.json" > "$dir/cli-profile.txt"
[[ $(wc -l < "$dir/cli-profile.txt") -eq 6 ]] || { cat "$dir/cli.json" >&2; fail "could not read the profile of ness fermion"; }

# A fenced block of docs/library.md: block LANG
block() { awk -v lang="$1" '$0 == "```" lang { on = 1; next } on && $0 == "```" { exit } on { print }' "$repo/docs/library.md"; }

step "C# example of docs/library.md (dotnet new console + local package source)"
cs=$dir/ness-demo
rm -rf "$cs"
(
    cd "$dir"
    dotnet new console -o ness-demo > /dev/null
    cd ness-demo
    dotnet new nugetconfig > /dev/null
    dotnet nuget add source "$dir/nupkg" --name ness-local > /dev/null
    dotnet add package Ness.Pipeline --version "$version" > "$dir/add-package.log" 2>&1 || { cat "$dir/add-package.log" >&2; exit 1; }
) || fail "setting up the C# project"
block csharp > "$cs/Program.cs"
[[ -s $cs/Program.cs ]] || fail "no csharp block in docs/library.md"
dotnet run --project "$cs" > "$dir/cs.out" 2> "$dir/cs.err" || { cat "$dir/cs.err" "$dir/cs.out" >&2; fail "the C# example"; }
grep '^n_' "$dir/cs.out" | diff "$dir/cli-profile.txt" - >&2 || fail "the C# example's profile differs from ness fermion's"
grep -q '^<a+_1 a_2> = ' "$dir/cs.out" || fail "the C# example printed no correlation"

step "F# script of docs/library.md (dotnet fsi, #r \"nuget: ...\" from the local folder)"
mkdir -p "$dir/fsx"
block fsharp | sed "s:/path/to/ness/nupkg:$dir/nupkg:" > "$dir/fsx/ness.fsx"
[[ -s $dir/fsx/ness.fsx ]] || fail "no fsharp block in docs/library.md"
(cd "$dir/fsx" && dotnet fsi ness.fsx > "$dir/fs.out" 2> "$dir/fs.err") || { cat "$dir/fs.err" "$dir/fs.out" >&2; fail "the F# script"; }
grep '^n_' "$dir/fs.out" | diff "$dir/cli-profile.txt" - >&2 || fail "the F# script's profile differs from ness fermion's"
grep -q '^<q_1 q_2> = ' "$dir/fs.out" || fail "the F# script printed no covariance"

step "PASSED: tool installed ($got); the C# and F# examples of docs/library.md print the profile of ness fermion"
