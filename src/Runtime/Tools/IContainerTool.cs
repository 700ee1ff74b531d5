namespace VolumeGen;

/// <summary>
/// A tool class whose run VolumeGen generates (<see cref="ContainerToolAttribute"/> on a partial
/// class implements it): its definition, for code that handles tools by type, such as a worker's
/// warm-up (<c>services.AddVolumeGenWarmUp&lt;TTool&gt;()</c> in VolumeGen.Hosting, or
/// <see cref="ContainerToolRunner.WarmUpAsync(IEnumerable{ToolRunSpec}, CancellationToken)"/> with
/// <see cref="ToolDefinition.Of{TTool}"/>).
/// </summary>
public interface IContainerTool
{
    /// <summary>What the generated run starts from: the attribute's image, user, command, limits, folders and outputs.</summary>
    static abstract ToolDefinition Definition { get; }
}
