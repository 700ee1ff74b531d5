namespace VolumeGen.Samples.StandInTools;

/// <summary>
/// A binary SQLite database in, SQL applied by sqlite3, the modified database out. The image runs
/// as "analyst", a name only its own /etc/passwd knows; sqlite3 writes its journal next to the
/// database, so the output volume must be writable by exactly that user.
/// </summary>
[ContainerTool(DebianToolImages.Sqlite,
    Entrypoint = new[] { "/bin/sh", "-c" },
    Command = new[] { "if [ -f /inputs/app.db ]; then cp /inputs/app.db /outputs/edited.db || exit 1; fi; sqlite3 -bail /outputs/edited.db < /inputs/changes.sql" },
    TimeoutSeconds = 120)]
public sealed partial class SqliteEdit
{
    /// <summary>The database file, byte for byte; null starts a new one.</summary>
    [InputFile("app.db")] public byte[]? Database { get; set; }

    /// <summary>The SQL to apply.</summary>
    [InputFile("changes.sql")] public string Changes { get; set; } = "";

    /// <summary>The database after the changes.</summary>
    [OutputFile("edited.db")] public byte[]? Result { get; private set; }
}
