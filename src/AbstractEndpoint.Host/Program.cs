using AbstractEndpoint.Host.Cli;

return await EndpointCommand.RunAsync(args).ConfigureAwait(false);
