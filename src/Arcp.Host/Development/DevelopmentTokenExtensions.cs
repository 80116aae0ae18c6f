using Arcp.Runtime.Sessions.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Arcp.Host.Development;

/// <summary>
/// <c>Arcp:Auth:DevelopmentToken=true</c> (set by the run command): with no static token and no JWT key configured,
/// a host that listens on loopback addresses only mints a random token at start-up and prints it, with the dashboard
/// address and a ready CLI command, on its console. A host reachable from other machines never does.
/// </summary>
internal static class DevelopmentTokenExtensions
{
    public const string SettingName = "Arcp:Auth:DevelopmentToken";

    public static IServiceCollection AddArcpDevelopmentToken(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>(SettingName) || AuthIsConfigured(configuration))
        {
            return services;
        }

        services.TryAddSingleton<DevelopmentToken>();
        services.TryAddSingleton<BearerAuthenticator>();
        services.Replace(ServiceDescriptor.Singleton<IBearerAuthenticator, DevelopmentTokenAuthenticator>());
        return services;
    }

    /// <summary>Once the server's real addresses are known: mints and prints the token, or says why it did not.</summary>
    public static WebApplication UseArcpDevelopmentToken(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(SettingName))
        {
            return app;
        }

        var token = app.Services.GetService<DevelopmentToken>();
        if (token is null)
        {
            app.Lifetime.ApplicationStarted.Register(() => Log.DevelopmentTokenNotMintedConfigured(app.Logger));
            return app;
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
            if (!LoopbackAddresses.AreAllLoopback(addresses))
            {
                Log.DevelopmentTokenNotMintedNotLoopback(app.Logger);
                return;
            }

            // Written to the console for the person who started the host, deliberately not through the logger:
            // log sinks persist and ship what they receive.
            Console.Out.Write(Banner(addresses[0], token.Mint()));
            Console.Out.Flush();
        });
        return app;
    }

    private static bool AuthIsConfigured(IConfiguration configuration) =>
        configuration.GetSection("Arcp:Auth:Tokens").GetChildren().Any(c => !string.IsNullOrEmpty(c.Value))
        || !string.IsNullOrWhiteSpace(configuration["Arcp:Auth:Jwt:SigningKeys"]);

    private static string Banner(string address, string token)
    {
        var http = new Uri(address);
        var dashboard = new UriBuilder(http) { Path = "/", Fragment = "token=" + token }.Uri.AbsoluteUri;
        var arcp = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = "/arcp" }.Uri.AbsoluteUri;
        var n = Environment.NewLine;
        return $"{n}==> No token is configured: a development token was minted for this run (loopback only, principal '{DevelopmentToken.Principal}').{n}" +
            $"    Dashboard: {dashboard}{n}" +
            $"    Token:     {token}{n}" +
            $"    CLI:       arcp agents --url {arcp} --token {token}{n}{n}";
    }
}
