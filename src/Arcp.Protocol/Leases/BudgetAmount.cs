using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Arcp.Protocol.Leases;

/// <summary>A <c>cost.budget</c> entry <c>CUR:decimal</c>: currency <c>[A-Za-z][A-Za-z0-9_-]*</c>, non-negative decimal <c>digits[.digits]</c>.</summary>
/// <param name="Currency">Currency or unit, compared case-sensitively.</param>
/// <param name="Amount">Non-negative amount.</param>
public readonly record struct BudgetAmount(string Currency, decimal Amount)
{
    /// <summary>Parses <c>CUR:decimal</c>; signs, exponents, empty parts and out-of-range values fail.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out BudgetAmount amount)
    {
        amount = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var currency = text[..colon];
        var number = text.AsSpan(colon + 1);
        if (!IsValidCurrency(currency) || !IsPlainDecimal(number)
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        amount = new BudgetAmount(currency, value);
        return true;
    }

    /// <summary>Returns whether <paramref name="currency"/> matches <c>[A-Za-z][A-Za-z0-9_-]*</c>.</summary>
    public static bool IsValidCurrency([NotNullWhen(true)] string? currency)
    {
        if (string.IsNullOrEmpty(currency) || !char.IsAsciiLetter(currency[0]))
        {
            return false;
        }

        foreach (var c in currency)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats as <c>CUR:decimal</c> with invariant culture.</summary>
    public override string ToString() => $"{Currency}:{Amount.ToString(CultureInfo.InvariantCulture)}";

    private static bool IsPlainDecimal(ReadOnlySpan<char> number)
    {
        var dot = number.IndexOf('.');
        var integral = dot < 0 ? number : number[..dot];
        var fraction = dot < 0 ? [] : number[(dot + 1)..];
        return integral.Length > 0
            && !integral.ContainsAnyExceptInRange('0', '9')
            && (dot < 0 || (fraction.Length > 0 && !fraction.ContainsAnyExceptInRange('0', '9')));
    }
}
