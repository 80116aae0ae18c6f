namespace Arcp.Agents.Chat;

/// <summary>Settings of the <c>chat</c> agent (<c>Arcp:Agents:Chat</c>).</summary>
public sealed class ChatAgentOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Arcp:Agents:Chat";

    /// <summary>Base URL of an OpenAI-compatible API, e.g. <c>http://127.0.0.1:8000/v1</c>; the agent is registered only when it is set.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The API key sent as the bearer token (never logged).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model id sent to the endpoint and checked against the lease's <c>model.use</c>.</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>Price of 1,000 input tokens in <see cref="Currency"/>; with <see cref="OutputPricePer1K"/> it turns on <c>cost.inference</c> metrics.</summary>
    public decimal? InputPricePer1K { get; set; }

    /// <summary>Price of 1,000 output tokens in <see cref="Currency"/>.</summary>
    public decimal? OutputPricePer1K { get; set; }

    /// <summary>The currency of the prices; <c>cost.inference</c> decrements a lease budget in this currency.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>Most model turns one job may take (a turn is one model call and the tool calls it asks for).</summary>
    public int MaxTurns { get; set; } = 8;

    /// <summary>Largest answer one turn may produce, before the budget narrows it.</summary>
    public int MaxOutputTokens { get; set; } = 1024;

    /// <summary>Whether input and output prices are both set.</summary>
    internal bool IsPriced => InputPricePer1K is not null && OutputPricePer1K is not null;
}
