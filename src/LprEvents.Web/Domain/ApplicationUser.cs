using Microsoft.AspNetCore.Identity;

namespace LprEvents.Web.Domain;

public class ApplicationUser : IdentityUser
{
    /// <summary>The name colleagues see in the admin area.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The name shown to readers as an article's author; empty means "Redaktion". Never the login.</summary>
    public string PublicName { get; set; } = "";
}
