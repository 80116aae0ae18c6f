using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Arcp.Azure.WebPubSub;
using Arcp.Functions.Sessions;

using Arcp.Testing.WebPubSub;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Functions.Tests;

/// <summary>The HTTP functions called directly with a real <see cref="HttpContext"/>, compared with the local host's endpoints.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HttpFunctionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private WebPubSubStandIn _service = null!;
    private ArcpTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _service = await WebPubSubStandIn.StartAsync();
        _host = await ArcpTestHost.StartAsync(azurite.ConnectionString, null, $"--Arcp:WebPubSub:Endpoint={_service.Endpoint}", $"--Arcp:WebPubSub:AccessKeys={_service.AccessKey}");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData("tok-alice", HttpStatusCode.OK)]
    public async Task Negotiate_FunctionAndLocalEndpoint_AnswerAlike(string? token, HttpStatusCode expected)
    {
        var (functionStatus, functionBody) = await InvokeAsync(context => new NegotiateFunction(_host.Services.GetRequiredService<NegotiateHandler>()).RunAsync(context.Request), "GET", token);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.Address, "/api/negotiate"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var local = await http.SendAsync(request);

        Assert.Equal((int)expected, functionStatus);
        Assert.Equal(expected, local.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            var functionUrl = new Uri(JsonDocument.Parse(functionBody).RootElement.GetProperty("url").GetString()!);
            var localUrl = new Uri(JsonDocument.Parse(await local.Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!);
            Assert.Equal(localUrl.GetLeftPart(UriPartial.Path), functionUrl.GetLeftPart(UriPartial.Path));
            Assert.StartsWith("?access_token=", functionUrl.Query, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WebPubSub_AbuseProtectionHandshake_FunctionAndLocalEndpointAllowOnlyTheConfiguredService()
    {
        var service = _service.Endpoint.Host;
        var (serviceStatus, serviceAllowed, serviceLocal) = await HandshakeAsync(service);
        var (otherStatus, otherAllowed, otherLocal) = await HandshakeAsync("arcp.webpubsub.azure.com");

        Assert.Equal(200, serviceStatus);
        Assert.Equal(service, serviceAllowed);
        Assert.Equal(HttpStatusCode.OK, serviceLocal.StatusCode);
        Assert.Equal(service, serviceLocal.Headers.GetValues("WebHook-Allowed-Origin").Single());
        Assert.Equal(403, otherStatus);
        Assert.True(string.IsNullOrEmpty(otherAllowed));
        Assert.Equal(HttpStatusCode.Forbidden, otherLocal.StatusCode);
        Assert.False(otherLocal.Headers.Contains("WebHook-Allowed-Origin"));
    }

    private async Task<(int Status, string? Allowed, HttpResponseMessage Local)> HandshakeAsync(string origin)
    {
        var headers = new Dictionary<string, string> { ["WebHook-Request-Origin"] = origin };
        string? allowed = null;
        var (status, _) = await InvokeAsync(
            async context =>
            {
                var result = await new WebPubSubFunction(_host.Services.GetRequiredService<WebPubSubUpstreamHandler>()).RunAsync(context.Request, null!);
                allowed = context.Response.Headers["WebHook-Allowed-Origin"];
                return result;
            },
            "OPTIONS",
            token: null,
            headers);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(_host.Address, "/api/webpubsub"));
        request.Headers.Add("WebHook-Request-Origin", origin);
        var local = await http.SendAsync(request);
        return (status, allowed, local);
    }

    [Fact]
    public async Task WebPubSub_ForgedSignature_FunctionAndLocalEndpointRefuse()
    {
        var headers = new Dictionary<string, string>
        {
            ["ce-connectionId"] = "c1",
            ["ce-eventName"] = "connect",
            ["ce-userId"] = "alice",
            ["ce-signature"] = "sha256=" + new string('0', 64),
        };
        var (status, _) = await InvokeAsync(context => new WebPubSubFunction(_host.Services.GetRequiredService<WebPubSubUpstreamHandler>()).RunAsync(context.Request, null!), "POST", null, headers);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/api/webpubsub")) { Content = new StringContent("{}") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var local = await http.SendAsync(request);

        Assert.Equal(401, status);
        Assert.Equal(HttpStatusCode.Unauthorized, local.StatusCode);
    }

    private async Task<(int Status, string Body)> InvokeAsync(Func<HttpContext, Task<Microsoft.AspNetCore.Mvc.IActionResult>> function, string method, string? token, IReadOnlyDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = _host.Services };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("functions.test");
        context.Request.Body = new MemoryStream("{}"u8.ToArray());
        if (token is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + token;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        var body = new MemoryStream();
        context.Response.Body = body;
        await function(context);
        return (context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
