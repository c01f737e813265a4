using LprEvents.Web.Services.Events;
using LprEvents.Web.Services.Media;
using LprEvents.Web.Services.Participants;
using LprEvents.Web.Services.Publishing;

namespace LprEvents.Web.Configuration;

public static class AdminSetup
{
    /// <summary>The services behind the editors' area.</summary>
    public static WebApplicationBuilder AddLprAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ArticleEditor>();
        builder.Services.AddScoped<ArticlePreviews>();
        builder.Services.AddScoped<EventEditor>();
        builder.Services.AddScoped<MediaLibrary>();
        builder.Services.AddScoped<ParticipantAdmin>();
        return builder;
    }
}
