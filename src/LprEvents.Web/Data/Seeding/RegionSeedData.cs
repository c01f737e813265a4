namespace LprEvents.Web.Data.Seeding;

/// <summary>The ten districts and three district-free cities of Saxony, always present.</summary>
internal static class RegionSeedData
{
    public static readonly IReadOnlyList<(string Slug, string Name, string Description)> All =
    [
        ("bautzen", "Bautzen", "Landkreis in der Oberlausitz mit der Kreisstadt Bautzen."),
        ("chemnitz", "Chemnitz", "Kreisfreie Stadt im Südwesten Sachsens."),
        ("dresden", "Dresden", "Landeshauptstadt des Freistaates Sachsen."),
        ("erzgebirgskreis", "Erzgebirgskreis", "Landkreis im Süden an der Grenze zu Tschechien mit der Kreisstadt Annaberg-Buchholz."),
        ("goerlitz", "Görlitz", "Östlichster Landkreis Deutschlands an der Grenze zu Polen und Tschechien."),
        ("landkreis-leipzig", "Landkreis Leipzig", "Landkreis südlich und östlich der Stadt Leipzig mit der Kreisstadt Borna."),
        ("leipzig", "Leipzig", "Kreisfreie Stadt und größte Stadt Sachsens."),
        ("meissen", "Meißen", "Landkreis an der Elbe mit der Kreisstadt Meißen."),
        ("mittelsachsen", "Mittelsachsen", "Landkreis zwischen Chemnitz, Dresden und Leipzig mit der Kreisstadt Freiberg."),
        ("nordsachsen", "Nordsachsen", "Landkreis im Norden mit der Kreisstadt Torgau."),
        ("saechsische-schweiz-osterzgebirge", "Sächsische Schweiz-Osterzgebirge", "Landkreis südöstlich von Dresden mit der Kreisstadt Pirna."),
        ("vogtlandkreis", "Vogtlandkreis", "Landkreis im Südwesten mit der Kreisstadt Plauen."),
        ("zwickau", "Zwickau", "Landkreis im Westen Sachsens mit der Kreisstadt Zwickau."),
    ];
}
