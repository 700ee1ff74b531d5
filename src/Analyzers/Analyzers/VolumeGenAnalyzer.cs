using Microsoft.CodeAnalysis.Diagnostics;
using VolumeGen.Analyzers.Operations;

namespace VolumeGen.Analyzers;

/// <summary>
/// What every VolumeGen analyzer does the same way: concurrent, blind to generated code, and with
/// VolumeGen's types resolved once per compilation (nothing is registered without the runtime).
/// </summary>
public abstract class VolumeGenAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownTypes.From(start.Compilation) is { } types)
            {
                Register(start, types);
            }
        });
    }

    /// <summary>Registers the analyzer's actions for one compilation.</summary>
    private protected abstract void Register(CompilationStartAnalysisContext context, KnownTypes types);
}
