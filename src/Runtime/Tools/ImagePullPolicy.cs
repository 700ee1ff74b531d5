namespace VolumeGen;

/// <summary>When a tool's image is pulled from its registry before the run.</summary>
#if VOLUMEGEN_GENERATOR
// Compiled into the generator and analyzers with the attributes that name it. Internal there.
internal
#else
public
#endif
enum ImagePullPolicy
{
    /// <summary>Never pull: the image must be on the engine already (loaded, built or pulled by the operator).</summary>
    Never,

    /// <summary>Pull when the engine has no image of that reference; an image already there is used as is, however old its tag.</summary>
    IfMissing,

    /// <summary>
    /// Pull before every run: a tag runs what the registry serves now (a pull of an unchanged image
    /// only asks the registry for its manifest). A registry that cannot be reached fails the run.
    /// </summary>
    Always,
}
