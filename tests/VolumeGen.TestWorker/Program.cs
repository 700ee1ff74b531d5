// A worker that crashes mid-run: it creates and fills a volume, reports its name, and waits to be
// killed without cleaning up. The sweeper tests use it to make a real orphan (owner process dead).
using VolumeGen;

var volume = new IsolatedContainerVolume(args[0], args[1]);
await volume.InitializeAsync(new Dictionary<string, string> { ["secret.txt"] = "left behind" });
Console.WriteLine(volume.Name);
Console.Out.Flush();
await Task.Delay(Timeout.Infinite);
