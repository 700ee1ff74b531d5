using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using VolumeGen.Diagnostics;

namespace VolumeGen.Analyzers.Diagnostics;

/// <summary>
/// The catalog of every VolumeGen diagnostic; each has a page under docs/rules. All are errors by
/// default: VG0001-VG0004 guard tenant isolation, so a project gets them as build errors without
/// TreatWarningsAsErrors; each can be lowered in .editorconfig (dotnet_diagnostic.VG0002.severity).
/// </summary>
internal static class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor VolumeNotCleanedUp = Create(
        DiagnosticIds.VolumeNotCleanedUp, "Volume not cleaned up on all paths", DiagnosticCategories.Reliability, DiagnosticSeverity.Error,
        "Volume '{0}' is not cleaned up on all paths; use 'await using' or call CleanupAsync in a finally block");

    public static readonly DiagnosticDescriptor InputVolumeMountedReadWrite = Create(
        DiagnosticIds.InputVolumeMountedReadWrite, "Input volume mounted read-write", DiagnosticCategories.Security, DiagnosticSeverity.Error,
        "Volume '{0}' is mounted read-write at '{1}' but {2}; mount it read-only so the tool cannot tamper with its inputs");

    public static readonly DiagnosticDescriptor HostBindMount = Create(
        DiagnosticIds.HostBindMount, "Host bind mount breaks under Docker-in-Docker", DiagnosticCategories.Usage, DiagnosticSeverity.Error,
        "Mount source {0} is a path on this machine, but the Docker daemon resolves it on its own filesystem (Docker-in-Docker); use an IsolatedContainerVolume instead");

    public static readonly DiagnosticDescriptor UnsafeFilePath = Create(
        DiagnosticIds.UnsafeFilePath, "Unsafe file path or mount target", DiagnosticCategories.Security, DiagnosticSeverity.Error,
        "'{0}' is not a safe volume path: {1}; use a relative name such as 'sub/file.txt' (mount targets: an absolute path such as '/inputs')");

    public static readonly DiagnosticDescriptor ToolTypeNotPartial = Create(
        DiagnosticIds.ToolTypeNotPartial, "Container tool type is not partial", DiagnosticCategories.Usage, DiagnosticSeverity.Error,
        "Type '{0}' must be declared partial so VolumeGen can generate RunAsync for container tool '{1}'; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor DuplicateFileName = Create(
        DiagnosticIds.DuplicateFileName, "Duplicate file name in a container tool", DiagnosticCategories.Usage, DiagnosticSeverity.Error,
        "File '{0}' is already declared by property '{1}'; give each input and each output its own file name");

    /// <summary>
    /// Retired (kept so the ID keeps its meaning): an input and an output with the same name are two
    /// files in two volumes (/inputs/x read-only, /outputs/x written by the tool), which is fine.
    /// </summary>
    public static readonly DiagnosticDescriptor FileIsInputAndOutput = new(
        DiagnosticIds.FileIsInputAndOutput, "File is both an input and an output",
        "File '{0}' of tool '{1}' is declared as both an input and an output (retired rule: they are different files in different volumes)",
        DiagnosticCategories.Usage, DiagnosticSeverity.Info, isEnabledByDefault: false, helpLinkUri: HelpLink(DiagnosticIds.FileIsInputAndOutput));

    public static readonly DiagnosticDescriptor UnsupportedFileProperty = Create(
        DiagnosticIds.UnsupportedFileProperty, "Unsupported input or output file property", DiagnosticCategories.Usage, DiagnosticSeverity.Error,
        "Property '{0}' cannot be used: {1}");

    public static readonly DiagnosticDescriptor UnsupportedToolType = Create(
        DiagnosticIds.UnsupportedToolType, "Unsupported container tool type", DiagnosticCategories.Usage, DiagnosticSeverity.Error,
        "Container tool '{0}' must be a non-generic, non-static class that is not file-local (nested in non-generic types); move the attribute to such a class");

    public static readonly DiagnosticDescriptor InvalidToolConfiguration = Create(
        DiagnosticIds.InvalidToolConfiguration, "Invalid container tool configuration", DiagnosticCategories.Usage, DiagnosticSeverity.Error,
        "Container tool '{0}' is misconfigured: {1}");

    /// <summary>Every descriptor, by ID.</summary>
    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new[]
    {
        VolumeNotCleanedUp, InputVolumeMountedReadWrite, UnsafeFilePath, HostBindMount, ToolTypeNotPartial, DuplicateFileName, FileIsInputAndOutput, UnsupportedFileProperty, UnsupportedToolType, InvalidToolConfiguration,
    }.ToDictionary(d => d.Id);

    /// <summary>Where the rule's page lives.</summary>
    public static string HelpLink(string id) => $"https://github.com/volumegen/volumegen/blob/main/docs/rules/{id}.md";

    private static DiagnosticDescriptor Create(string id, string title, string category, DiagnosticSeverity severity, string message) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
