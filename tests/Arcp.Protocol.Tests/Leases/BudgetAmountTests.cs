using Arcp.Protocol.Leases;

namespace Arcp.Protocol.Tests.Leases;

public sealed class BudgetAmountTests
{
    [Theory]
    [InlineData("USD:2.50", "USD", "2.50")]
    [InlineData("USD:5", "USD", "5")]
    [InlineData("credits:1000", "credits", "1000")]
    [InlineData("EUR:0", "EUR", "0")]
    [InlineData("x_1-y:0.000001", "x_1-y", "0.000001")]
    public void TryParse_ValidAmount_ReturnsCurrencyAndExactDecimal(string text, string currency, string amount)
    {
        // Act
        var ok = BudgetAmount.TryParse(text, out var parsed);

        // Assert
        Assert.True(ok);
        Assert.Equal(currency, parsed.Currency);
        Assert.Equal(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), parsed.Amount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("USD:-1")]
    [InlineData("USD:+1")]
    [InlineData("USD:1e3")]
    [InlineData("USD:")]
    [InlineData(":1")]
    [InlineData("1USD:1")]
    [InlineData("USD")]
    [InlineData("USD:1.")]
    [InlineData("USD:.5")]
    [InlineData("USD:1.2.3")]
    [InlineData("USD:1,5")]
    [InlineData("USD: 1")]
    [InlineData("US D:1")]
    [InlineData("USD:1:2")]
    [InlineData("USD:NaN")]
    [InlineData("USD:٣")]
    [InlineData("USD:99999999999999999999999999999999")]
    public void TryParse_InvalidAmount_ReturnsFalse(string? text)
    {
        // Act
        var ok = BudgetAmount.TryParse(text, out _);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void ToString_Amount_FormatsInvariant()
    {
        // Arrange
        var amount = new BudgetAmount("USD", 2.50m);

        // Act
        var text = amount.ToString();

        // Assert
        Assert.Equal("USD:2.50", text);
    }
}
