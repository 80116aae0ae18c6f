using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arcp.Agents.Tests.Chat;

/// <summary>
/// An OpenAI-compatible <c>/v1/chat/completions</c> on loopback Kestrel: answers scripted replies in order, as JSON
/// or as server-sent events when the request says <c>"stream": true</c> (with a final usage chunk), and records every
/// request it got. Tests never reach the internet.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _replies = new();
    private readonly ConcurrentQueue<JsonObject> _requests = new();

    private FakeOpenAiServer(WebApplication app) => _app = app;

    /// <summary>The base URL to configure as <c>Arcp:Agents:Chat:Endpoint</c> (ends in <c>/v1</c>).</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyList<JsonObject> Requests => [.. _requests];

    /// <summary>The bearer tokens the requests carried.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = address + "/v1";
        return server;
    }

    /// <summary>Queues the next reply.</summary>
    public FakeOpenAiServer Reply(FakeReply reply)
    {
        _replies.Enqueue(reply);
        return this;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        _requests.Enqueue(request);
        Authorizations.Enqueue(http.Request.Headers.Authorization.ToString());
        if (!_replies.TryDequeue(out var reply))
        {
            // 400, not 5xx: the client library would retry a server error.
            http.Response.StatusCode = 400;
            await http.Response.WriteAsJsonAsync(new { error = new { message = "no scripted reply left", type = "invalid_request_error" } });
            return;
        }

        var model = request["model"]?.GetValue<string>() ?? "unknown";
        if (request["stream"]?.GetValue<bool>() == true)
        {
            await StreamAsync(http, reply, model);
            return;
        }

        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.ToolCalls.Count == 0 ? reply.Text : null };
        if (reply.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. reply.ToolCalls.Select((c, i) => ToolCallJson(c, index: null))]);
        }

        var completion = Envelope("chat.completion", model);
        completion["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = reply.ToolCalls.Count == 0 ? "stop" : "tool_calls" });
        completion["usage"] = Usage(reply);
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(completion.ToJsonString());
    }

    private static async Task StreamAsync(HttpContext http, FakeReply reply, string model)
    {
        http.Response.ContentType = "text/event-stream";
        async Task SendAsync(JsonObject chunk)
        {
            await http.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
            await http.Response.Body.FlushAsync();
        }

        var first = true;
        foreach (var delta in reply.Deltas)
        {
            var body = new JsonObject { ["content"] = delta };
            if (first)
            {
                body["role"] = "assistant";
                first = false;
            }

            await SendAsync(Chunk(model, body, finishReason: null));
        }

        for (var i = 0; i < reply.ToolCalls.Count; i++)
        {
            await SendAsync(Chunk(model, new JsonObject { ["tool_calls"] = new JsonArray(ToolCallJson(reply.ToolCalls[i], i)) }, finishReason: null));
        }

        await SendAsync(Chunk(model, new JsonObject(), reply.ToolCalls.Count == 0 ? "stop" : "tool_calls"));
        var usage = Envelope("chat.completion.chunk", model);
        usage["choices"] = new JsonArray();
        usage["usage"] = Usage(reply);
        await SendAsync(usage);
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static JsonObject Chunk(string model, JsonObject delta, string? finishReason)
    {
        var chunk = Envelope("chat.completion.chunk", model);
        chunk["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason });
        return chunk;
    }

    private static JsonObject Envelope(string type, string model) => new()
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = type,
        ["created"] = 1_700_000_000,
        ["model"] = model,
    };

    private static JsonObject ToolCallJson(FakeToolCall call, int? index)
    {
        var json = new JsonObject
        {
            ["id"] = call.Id,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson },
        };
        if (index is { } i)
        {
            json["index"] = i;
        }

        return json;
    }

    private static JsonObject Usage(FakeReply reply) => new()
    {
        ["prompt_tokens"] = reply.InputTokens,
        ["completion_tokens"] = reply.OutputTokens,
        ["total_tokens"] = reply.InputTokens + reply.OutputTokens,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One scripted model reply: text (streamed as <see cref="Deltas"/>) or tool calls, and the usage to report.</summary>
internal sealed record FakeReply(IReadOnlyList<string> Deltas, IReadOnlyList<FakeToolCall> ToolCalls, int InputTokens, int OutputTokens)
{
    public string Text => string.Concat(Deltas);

    public static FakeReply Answer(int inputTokens, int outputTokens, params string[] deltas) => new(deltas, [], inputTokens, outputTokens);

    public static FakeReply Calls(int inputTokens, int outputTokens, params FakeToolCall[] calls) => new([], calls, inputTokens, outputTokens);
}

/// <summary>A tool call the fake model asks for.</summary>
internal sealed record FakeToolCall(string Id, string Name, string ArgumentsJson = "{}");
