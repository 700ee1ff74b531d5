using VolumeGen.Samples.StandInTools;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// Real tools from Debian's packages, each image with its own user (root, a named user, a numeric
/// uid), through generated wrappers that say nothing about users; outputs parsed and checked.
/// </summary>
public class RealToolTests
{
    [Fact]
    public async Task Yara_from_a_root_image_matches_rules_over_a_folder_of_samples()
    {
        var tenant = DockerEngine.NewTenant();
        await DebianToolImages.EnsureYaraAsync(await DockerEngine.ClientAsync());
        var scan = new YaraScan
        {
            Rules = """
                rule Evil { strings: $a = "EVIL" condition: $a }
                rule Executable { condition: uint16(0) == 0x5A4D }
                """,
            SampleOne = "..EVIL.."u8.ToArray(),
            SampleTwo = [0x4D, 0x5A, 0x90, 0x00],
            SampleThree = [0x4D, 0x5A, (byte)'E', (byte)'V', (byte)'I', (byte)'L'],
        };

        await scan.RunAsync(new ToolRunContext(tenant, "yara-1"));

        Assert.Equal(
            [("Evil", "nested/three.bin"), ("Evil", "one.bin"), ("Executable", "nested/three.bin"), ("Executable", "two.bin")],
            scan.Matches);
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Sqlite_as_a_named_image_user_edits_a_binary_database_that_is_read_back_and_queried()
    {
        var tenant = DockerEngine.NewTenant();
        await DebianToolImages.EnsureSqliteAsync(await DockerEngine.ClientAsync());
        var work = Directory.CreateTempSubdirectory("volumegen-sqlite").FullName;
        try
        {
            var database = Path.Combine(work, "app.db");
            await ExternalProcess.RunAsync("sqlite3", [database, "CREATE TABLE hosts(name TEXT, open INTEGER); INSERT INTO hosts VALUES ('a.example', 0);"]);
            var edit = new SqliteEdit
            {
                Database = await File.ReadAllBytesAsync(database),
                Changes = "UPDATE hosts SET open = 1; INSERT INTO hosts VALUES ('b.example', 2);",
            };

            await edit.RunAsync(new ToolRunContext(tenant, "sqlite-1"));

            var edited = Path.Combine(work, "edited.db");
            await File.WriteAllBytesAsync(edited, edit.Result!);
            Assert.Equal("a.example|1\nb.example|2\n", await ExternalProcess.RunAsync("sqlite3", [edited, "SELECT name, open FROM hosts ORDER BY name;"]));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }

    [Fact]
    public async Task Jq_as_a_numeric_image_user_filters_json()
    {
        var tenant = DockerEngine.NewTenant();
        await DebianToolImages.EnsureJqAsync(await DockerEngine.ClientAsync());
        var filter = new JqFilter
        {
            Json = """[{"host":"a.example","port":22},{"host":"b.example","port":8080},{"host":"c.example","port":8443}]""",
            Filter = "map(select(.port > 1000) | .host)",
        };

        await filter.RunAsync(new ToolRunContext(tenant, "jq-1"));

        Assert.Equal(["b.example", "c.example"], filter.Result.RootElement.EnumerateArray().Select(e => e.GetString()));
        await DockerEngine.AssertNoLeftoversAsync(tenant);
    }
}
