using Microsoft.AspNetCore.Identity;

namespace LprEvents.Web.Domain;

public class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
