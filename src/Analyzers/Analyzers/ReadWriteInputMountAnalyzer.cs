using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using VolumeGen.Analyzers.Diagnostics;
using VolumeGen.Analyzers.Flow;
using VolumeGen.Analyzers.Operations;

namespace VolumeGen.Analyzers;

/// <summary>
/// VG0002: a read-write mount (<see cref="WritableMounts"/>, every way to build one) of a volume that
/// holds inputs. Decided from data flow (<see cref="VolumeProvenance"/>): a volume created in the body,
/// filled through <c>InitializeAsync</c> with files and never read back nor handed to other code.
/// Scratch volumes (initialized empty) and tool-to-tool pipelines (an empty volume one tool writes and
/// the next reads) are not inputs. A volume whose history is not visible (a parameter, a field, one
/// passed on) is reported only when the mount's target names an input folder.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReadWriteInputMountAnalyzer : VolumeGenAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InputVolumeMountedReadWrite);

    /// <summary>Whether a mount target names an input directory by convention.</summary>
    public static bool IsInputPath(string target)
    {
        var trimmed = target.TrimEnd('/');
        return trimmed is "/inputs" or "/input" || trimmed.StartsWith("/inputs/", System.StringComparison.Ordinal) || trimmed.StartsWith("/input/", System.StringComparison.Ordinal);
    }

    /// <inheritdoc />
    private protected override void Register(CompilationStartAnalysisContext context, KnownTypes types) =>
        context.RegisterOperationBlockStartAction(start =>
        {
            var mounts = new List<WritableMount>();
            start.RegisterOperationAction(
                c =>
                {
                    if (WritableMounts.Find(c.Operation, types) is { } mount)
                    {
                        lock (mounts)
                        {
                            mounts.Add(mount);
                        }
                    }
                },
                OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.With, OperationKind.InterpolatedString);
            start.RegisterOperationBlockEndAction(end =>
            {
                if (mounts.Count > 0)
                {
                    Report(end, VolumeProvenance.Of(end.OperationBlocks, types), mounts);
                }
            });
        });

    private static void Report(OperationBlockAnalysisContext context, VolumeProvenance provenance, List<WritableMount> mounts)
    {
        foreach (var mount in mounts)
        {
            var volumes = provenance.Resolve(mount.Volume);
            var reason = volumes.Any(provenance.HoldsInputs) ? "InitializeAsync fills it with files and it is never read back"
                : volumes.Any(provenance.IsOutOfSight) && mount.Target is { } target && IsInputPath(target) ? "its target is an input path"
                : null;
            if (reason is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InputVolumeMountedReadWrite, mount.Location, mount.Volume.Syntax.ToString(), mount.Target ?? "?", reason));
            }
        }
    }
}
