using LprEvents.Web.Configuration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LprEvents.Web.Areas.Admin.Controllers;

/// <summary>
/// Every controller of the editors' area derives from this class: it carries the area, the authorization
/// policy (Editor or Admin) and antiforgery validation, so no admin action can be forgotten.
/// </summary>
[Area("Admin")]
[Authorize(Policy = IdentitySetup.EditorPolicy)]
[AutoValidateAntiforgeryToken]
public abstract class AdminController : Controller
{
    public const string StatusKey = "Status";

    /// <summary>A one-shot message for the next page (post-redirect-get).</summary>
    protected void Flash(string message) => TempData[StatusKey] = message;
}
