namespace LprEvents.Web.ViewModels.Shared;

/// <summary>
/// The "Abonnieren" links of a page: its calendar by webcal (the calendar program subscribes) and as a download, and
/// where there is one, the Atom feed of its articles. Paths are site paths (<see cref="Services.Feeds.FeedPaths"/>).
/// </summary>
/// <param name="SubscribeLabel">The button's text, e.g. "Termine der Region abonnieren".</param>
public sealed record SubscribeLinks(string CalendarPath, string SubscribeLabel, string? FeedPath = null);
