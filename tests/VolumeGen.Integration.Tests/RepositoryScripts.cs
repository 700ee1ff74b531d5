using System.Reflection;
using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>This repository's checkout, and its scripts, as the tests call them.</summary>
internal static class RepositoryScripts
{
    public static string Root { get; } = typeof(RepositoryScripts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>Runs <c>scripts/<paramref name="script"/></c>; its standard output, or an exception with its errors.</summary>
    public static Task<string> RunAsync(string script, params string[] arguments) => ExternalProcess.RunAsync(Path.Combine(Root, "scripts", script), arguments);
}
