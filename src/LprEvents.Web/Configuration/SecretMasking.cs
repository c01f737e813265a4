using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Keeps secrets out of every log sink: a participant's private link token (it opens their registration) and
/// the token of a set-password link. Runs on each event's properties, including those that ASP.NET Core's
/// hosting scope adds (<c>RequestPath</c>, <c>QueryString</c>) and that the file sink writes via
/// <c>{Properties:j}</c>, so it covers what the message template never shows. E-mail addresses go too: logs hold
/// no personal data beyond ids. The same masking makes a delivered e-mail's stored copy harmless (OutboxSender).
/// </summary>
public sealed partial class SecretMasking : ILogEventEnricher
{
    public const string Mask = "***";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (MaskValue(value) is { } masked)
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, masked));
            }
        }
    }

    /// <summary>The text with every secret replaced by <see cref="Mask"/>.</summary>
    public static string MaskText(string text)
    {
        var masked = PrivateLinkPath().Replace(text, "/anmeldung/" + Mask);
        masked = TokenParameter().Replace(masked, "${name}=" + Mask);
        return BareToken().Replace(masked, Mask);
    }

    /// <summary>For logs: secrets and e-mail addresses (also percent-encoded, as in a query string).</summary>
    public static string MaskLogText(string text) => EmailAddress().Replace(MaskText(text), Mask);

    /// <summary>A masked copy of the value, or null when it holds no secret.</summary>
    private static LogEventPropertyValue? MaskValue(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var masked = MaskLogText(text);
                return ReferenceEquals(masked, text) || masked == text ? null : new ScalarValue(masked);
            case SequenceValue sequence:
                var items = sequence.Elements.Select(e => MaskValue(e)).ToList();
                return items.All(i => i is null) ? null : new SequenceValue(sequence.Elements.Select((e, i) => items[i] ?? e));
            case StructureValue structure:
                var properties = structure.Properties.Select(p => MaskValue(p.Value)).ToList();
                return properties.All(p => p is null)
                    ? null
                    : new StructureValue(structure.Properties.Select((p, i) => properties[i] is { } m ? new LogEventProperty(p.Name, m) : p), structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(kv => MaskValue(kv.Value)).ToList();
                return entries.All(e => e is null)
                    ? null
                    : new DictionaryValue(dictionary.Elements.Select((kv, i) => new KeyValuePair<ScalarValue, LogEventPropertyValue>(kv.Key, entries[i] ?? kv.Value)));
            default:
                return null;
        }
    }

    [GeneratedRegex("/anmeldung/[0-9a-fA-F]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateLinkPath();

    [GeneratedRegex("(?<name>token|code)=[^&\\s\"]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TokenParameter();

    [GeneratedRegex("[^\\s\"'<>(),;:/?&=]+(@|%40)[^\\s\"'<>(),;:/?&=]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EmailAddress();

    /// <summary>A private token anywhere else (e.g. a Referer or a form value): 64 hex digits.</summary>
    [GeneratedRegex("(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])", RegexOptions.CultureInvariant)]
    private static partial Regex BareToken();
}
