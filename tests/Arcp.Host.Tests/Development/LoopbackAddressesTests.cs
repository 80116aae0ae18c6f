using Arcp.Host.Development;

namespace Arcp.Host.Tests.Development;

public sealed class LoopbackAddressesTests
{
    [Theory]
    [InlineData(true, "http://localhost:5080")]
    [InlineData(true, "http://127.0.0.1:5080")]
    [InlineData(true, "http://127.0.0.1:5080", "http://[::1]:5080")]
    [InlineData(true, "https://localhost:5443")]
    [InlineData(false, "http://0.0.0.0:8080")]
    [InlineData(false, "http://[::]:8080")]
    [InlineData(false, "http://+:8080")]
    [InlineData(false, "http://*:8080")]
    [InlineData(false, "http://192.168.1.20:8080")]
    [InlineData(false, "http://localhost:5080", "http://0.0.0.0:8080")]
    [InlineData(false, "http://arcp.example.com:80")]
    [InlineData(false)]
    public void AreAllLoopback_Addresses_TrueOnlyWhenEveryOneIsLoopback(bool expected, params string[] addresses)
    {
        // Act
        var actual = LoopbackAddresses.AreAllLoopback(addresses);

        // Assert
        Assert.Equal(expected, actual);
    }
}
