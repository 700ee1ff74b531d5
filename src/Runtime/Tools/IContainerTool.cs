namespace VolumeGen;

/// <summary>
/// A tool class whose run VolumeGen generates (<see cref="ContainerToolAttribute"/> on a partial
/// class implements it): its definition, for code that handles tools by type, such as a worker's
/// warm-up (<c>services.AddVolumeGenWarmUp&lt;TTool&gt;()</c> in VolumeGen.Hosting, or
/// <see cref="ContainerToolRunner.WarmUpAsync(IEnumerable{ToolRunSpec}, CancellationToken)"/> with
/// <see cref="ToolDefinition.Of{TTool}"/>). Its member is static, so the interface is a generic
/// constraint (<c>where TTool : IContainerTool</c>), not a type a variable or list can hold.
/// </summary>
public interface IContainerTool
{
    /// <summary>What the generated run starts from: the attribute's image, user, command, limits, folders and outputs.</summary>
    static abstract ToolDefinition Definition { get; }
}
