return await VolumeGen.Cli.VolumeGenCli.RunAsync(args, Console.Out, Console.Error);
