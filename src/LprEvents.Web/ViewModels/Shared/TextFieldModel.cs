namespace LprEvents.Web.ViewModels.Shared;

/// <summary>One labelled form field with hint and error, rendered by <c>_TextField</c>.</summary>
public sealed record TextFieldModel(
    string Name,
    string Label,
    string? Value,
    string? Error,
    int MaxLength,
    bool Required = true,
    string Type = "text",
    string? Autocomplete = null,
    string? Hint = null,
    bool Multiline = false)
{
    public string? DescribedBy =>
        string.Join(' ', new[] { Hint is null ? null : $"{Name}-hinweis", Error is null ? null : $"{Name}-fehler" }.Where(x => x is not null)) is { Length: > 0 } ids ? ids : null;
}
