using System.Net;
using LprEvents.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Tests.Admin;

/// <summary>Parallel program items (same start) are put in order by hand; the order shows wherever the program does.</summary>
public sealed class ProgramOrderTests : IDisposable
{
    private readonly LprWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task MovingAParallelSmallGroupUp_ChangesTheOrderOnTheEventPageAndInTheForm()
    {
        var driver = new RegistrationDriver(_factory);
        var e = await driver.AddEventAsync("test-reihenfolge", 10, true, ("Gruppe A", 5), ("Gruppe B", 5));
        int groupB;
        await using (var scope = _factory.CreateDbScope())
        {
            groupB = await scope.Db.Sessions.Where(s => s.EventId == e.Id && s.Title == "Gruppe B").Select(s => s.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        var editor = await AdminSession.SignInAsync(_factory);
        var editPath = $"/admin/veranstaltungen/{e.Id}/bearbeiten";
        var (_, before) = await editor.Client.GetPageAsync(editPath);
        Assert.Null(before.QuerySelector($"form[action$='/programm/{groupB}/nach-unten']"));
        Assert.NotNull(before.QuerySelector($"form[action$='/programm/{groupB}/nach-oben']"));

        var moved = await editor.PostFormAsync(editPath, [], $"form[action$='/programm/{groupB}/nach-oben']");

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var (_, eventPage) = await driver.Client.GetPageAsync($"/veranstaltungen/{e.Slug}");
        var titles = eventPage.Texts(".program__item").ToList();
        Assert.True(titles.FindIndex(t => t.Contains("Gruppe B", StringComparison.Ordinal)) < titles.FindIndex(t => t.Contains("Gruppe A", StringComparison.Ordinal)), string.Join(" | ", titles));
        var form = await driver.FormAsync(e.Slug);
        Assert.Equal(groupB.ToString(System.Globalization.CultureInfo.InvariantCulture), form.QuerySelector("input[name='Sessions[0]']")!.GetAttribute("value"));
        var (_, after) = await editor.Client.GetPageAsync(editPath);
        Assert.Null(after.QuerySelector($"form[action$='/programm/{groupB}/nach-oben']"));
    }
}
