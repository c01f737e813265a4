namespace LprEvents.Web;

/// <summary>
/// Marker for <c>Resources/SharedResource.resx</c>: labels of enums and states shown in many views.
/// A second language is a second resx file beside it (e.g. <c>SharedResource.en.resx</c>).
/// </summary>
public sealed class SharedResource;
