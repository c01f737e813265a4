using System.Globalization;
using System.Text;
using LprEvents.Web.Domain;

namespace LprEvents.Web.Data.Seeding;

/// <summary>
/// German text for load-test data (<see cref="LoadSeeder"/>): titles, teasers and Markdown bodies built from the
/// vocabulary of crime prevention in Saxony, towns of each region, invented people. Deterministic: the same
/// number always gives the same text, so a resumed run writes what a single run would have written.
/// </summary>
internal static class LoadTestText
{
    public sealed record Town(string Name, string Postcode);

    public sealed record Topic(string Name, string Problem, string Audience, string[] Facts, string[] Tips);

    /// <summary>Towns per region slug (<see cref="RegionSeedData"/>); postcodes of the town centres.</summary>
    public static readonly IReadOnlyDictionary<string, Town[]> Towns = new Dictionary<string, Town[]>
    {
        ["bautzen"] = [new("Bautzen", "02625"), new("Hoyerswerda", "02977"), new("Kamenz", "01917"), new("Radeberg", "01454"), new("Bischofswerda", "01877")],
        ["chemnitz"] = [new("Chemnitz", "09111")],
        ["dresden"] = [new("Dresden", "01067")],
        ["erzgebirgskreis"] = [new("Annaberg-Buchholz", "09456"), new("Aue-Bad Schlema", "08280"), new("Marienberg", "09496"), new("Stollberg", "09366"), new("Schwarzenberg", "08340")],
        ["goerlitz"] = [new("Görlitz", "02826"), new("Zittau", "02763"), new("Löbau", "02708"), new("Weißwasser", "02943"), new("Niesky", "02906")],
        ["landkreis-leipzig"] = [new("Borna", "04552"), new("Grimma", "04668"), new("Markkleeberg", "04416"), new("Wurzen", "04808"), new("Markranstädt", "04420")],
        ["leipzig"] = [new("Leipzig", "04109")],
        ["meissen"] = [new("Meißen", "01662"), new("Radebeul", "01445"), new("Riesa", "01587"), new("Großenhain", "01558"), new("Coswig", "01640")],
        ["mittelsachsen"] = [new("Freiberg", "09599"), new("Döbeln", "04720"), new("Mittweida", "09648"), new("Flöha", "09557"), new("Rochlitz", "09306")],
        ["nordsachsen"] = [new("Torgau", "04860"), new("Delitzsch", "04509"), new("Eilenburg", "04838"), new("Oschatz", "04758"), new("Schkeuditz", "04435")],
        ["saechsische-schweiz-osterzgebirge"] = [new("Pirna", "01796"), new("Freital", "01705"), new("Dippoldiswalde", "01744"), new("Sebnitz", "01855"), new("Heidenau", "01809")],
        ["vogtlandkreis"] = [new("Plauen", "08523"), new("Reichenbach im Vogtland", "08468"), new("Auerbach/Vogtl.", "08209"), new("Oelsnitz/Vogtl.", "08606"), new("Markneukirchen", "08258")],
        ["zwickau"] = [new("Zwickau", "08056"), new("Crimmitschau", "08451"), new("Werdau", "08412"), new("Glauchau", "08371"), new("Limbach-Oberfrohna", "09212")],
    };

    private static readonly Town[] AnyTown = [new("Dresden", "01067")];

    public static readonly Topic[] Topics =
    [
        new("Einbruchschutz", "Wohnungseinbrüche", "Mieterinnen, Mieter und Hausbesitzer",
            ["Fast jeder zweite Einbruchsversuch scheitert an gut gesicherten Fenstern und Türen.", "Die meisten Täter kommen in der dunklen Jahreszeit am späten Nachmittag.", "Pilzkopfverriegelungen und abschließbare Fenstergriffe halten Hebelwerkzeugen deutlich länger stand."],
            ["Fenster und Balkontüren auch bei kurzer Abwesenheit schließen", "Nachbarn um Aufmerksamkeit bitten, wenn man verreist", "die kostenlose Beratung der polizeilichen Beratungsstelle nutzen"]),
        new("Jugendschutz", "Alkoholkonsum Minderjähriger", "Eltern, Gewerbetreibende und Vereine",
            ["Testkäufe zeigen, dass Alkohol an Jugendliche noch immer zu oft ohne Ausweiskontrolle verkauft wird.", "Bei Stadtfesten sorgen geschulte Teams für die Einhaltung des Jugendschutzgesetzes.", "Jugendliche wünschen sich Ansprechpartner, die zuhören statt zu belehren."],
            ["beim Verkauf konsequent nach dem Ausweis fragen", "Aushänge zum Jugendschutzgesetz gut sichtbar anbringen", "Feste mit alkoholfreien Angeboten planen"]),
        new("Gewaltprävention", "Gewalt an Schulen", "Lehrkräfte, Schulsozialarbeit und Eltern",
            ["Streitschlichterprogramme senken die Zahl der Konflikte auf dem Schulhof nachweislich.", "Frühe Hilfe wirkt: Wer Konflikte lösen lernt, greift seltener zu Gewalt.", "Viele Schulen arbeiten inzwischen eng mit der Polizei und dem Jugendamt zusammen."],
            ["Konflikte früh ansprechen", "Streitschlichter an der Schule ausbilden", "Hilfetelefone und Beratungsstellen bekannt machen"]),
        new("Verkehrssicherheit", "Unfälle auf dem Schulweg", "Eltern, Kitas und Grundschulen",
            ["Die meisten Unfälle mit Kindern geschehen auf dem Weg zur Schule oder zur Kita.", "Elternhaltestellen entlasten die Straßen vor den Schulen spürbar.", "Mit dem Fahrradpass üben Viertklässler das sichere Fahren im Straßenverkehr."],
            ["den Schulweg gemeinsam ablaufen", "helle Kleidung und Reflektoren tragen", "Elternhaltestellen statt Halten vor dem Schultor nutzen"]),
        new("Suchtprävention", "Sucht und Drogenkonsum", "Schulen, Jugendhilfe und Betriebe",
            ["Crystal ist in Sachsen seit Jahren ein besonderes Problem in der Suchtprävention.", "Früh ansetzende Programme stärken die Lebenskompetenz junger Menschen.", "Suchtberatungsstellen berichten von einer wachsenden Nachfrage nach Angeboten für Angehörige."],
            ["über Risiken offen und ohne Vorwürfe sprechen", "Hilfsangebote der Suchtberatung nutzen", "auf Veränderungen im Verhalten achten"]),
        new("Cybermobbing", "Mobbing in sozialen Netzwerken", "Schülerinnen, Schüler und Eltern",
            ["Jede dritte Schülerin und jeder dritte Schüler hat schon Beleidigungen im Netz erlebt.", "Bildschirmfotos helfen, Beleidigungen und Drohungen zu belegen.", "Medienscouts an Schulen sind oft die ersten Ansprechpartner für Betroffene."],
            ["Beweise sichern und nicht antworten", "Betroffene ernst nehmen und unterstützen", "Profile melden und blockieren"]),
        new("Häusliche Gewalt", "Gewalt in Partnerschaften", "Beratungsstellen, Polizei und Kommunen",
            ["Die Interventionsstellen in Sachsen beraten Betroffene vertraulich und kostenlos.", "Häusliche Gewalt betrifft alle Altersgruppen und alle Schichten.", "Nachbarinnen und Nachbarn können mit einem Anruf Schlimmeres verhindern."],
            ["im Notfall die 110 wählen", "das Hilfetelefon kennen und weitergeben", "Betroffenen ohne Druck Hilfe anbieten"]),
        new("Extremismusprävention", "Radikalisierung junger Menschen", "Jugendarbeit, Schulen und Vereine",
            ["Demokratieprojekte setzen auf Begegnung und Beteiligung vor Ort.", "Beratungsnetzwerke unterstützen Familien, wenn sich Angehörige radikalisieren.", "Vereine sind wichtige Orte, an denen Werte gelebt werden."],
            ["bei menschenfeindlichen Äußerungen widersprechen", "Beratungsangebote für Angehörige nutzen", "Beteiligung junger Menschen ernst nehmen"]),
        new("Seniorensicherheit", "Betrug an älteren Menschen", "Seniorinnen, Senioren und ihre Angehörigen",
            ["Beim Enkeltrick und bei Schockanrufen setzen Betrüger auf Zeitdruck und Angst.", "Die Polizei ruft niemals an, um Geld oder Wertsachen abzuholen.", "Seniorensicherheitsberater geben ihr Wissen ehrenamtlich an Gleichaltrige weiter."],
            ["bei Geldforderungen am Telefon sofort auflegen", "unter der bekannten Nummer zurückrufen", "niemals Geld an Unbekannte übergeben"]),
        new("Zivilcourage", "Wegsehen bei Übergriffen", "Bürgerinnen und Bürger",
            ["Wer hilft, muss sich nicht selbst in Gefahr bringen.", "Schon ein lautes Ansprechen kann eine Situation entschärfen.", "Zeuginnen und Zeugen sind für die Aufklärung von Straftaten unverzichtbar."],
            ["andere direkt um Mithilfe bitten", "die 110 wählen und genau beschreiben", "sich als Zeugin oder Zeuge zur Verfügung stellen"]),
        new("Sicherheit im öffentlichen Raum", "Angsträume in der Innenstadt", "Stadtplanung, Ordnungsamt und Anwohnende",
            ["Bessere Beleuchtung und übersichtliche Wege stärken das Sicherheitsgefühl.", "Sicherheitsbegehungen mit Bürgerinnen und Bürgern zeigen, wo es Handlungsbedarf gibt.", "Sicherheitspartnerschaften verbinden Kommune, Polizei und Gewerbetreibende."],
            ["dunkle Ecken der Stadtverwaltung melden", "an Sicherheitsbegehungen teilnehmen", "Nachbarschaften stärken"]),
        new("Medienkompetenz", "Gefahren im Netz", "Familien und pädagogische Fachkräfte",
            ["Kinder bekommen ihr erstes Smartphone heute im Schnitt mit zehn Jahren.", "Cybergrooming beginnt oft mit harmlos wirkenden Nachrichten in Spiele-Chats.", "Klare Regeln zur Mediennutzung helfen Familien im Alltag."],
            ["Privatsphäre-Einstellungen gemeinsam prüfen", "über Erlebnisse im Netz im Gespräch bleiben", "Mediennutzungsverträge in der Familie vereinbaren"]),
        new("Fahrraddiebstahl", "Diebstahl von Fahrrädern und E-Bikes", "Radfahrende und Wohnungsunternehmen",
            ["Hochwertige E-Bikes sind bei Dieben besonders begehrt.", "Eine Fahrradcodierung schreckt Täter ab und hilft bei der Rückgabe.", "Sichere Abstellanlagen sind der wirksamste Schutz."],
            ["das Rad immer an einem festen Gegenstand anschließen", "den Fahrradpass ausfüllen", "das Rad codieren lassen"]),
    ];

    private static readonly string[] Councils =
        ["Der Kommunale Präventionsrat", "Die Polizeidirektion", "Das Landratsamt", "Der Präventionsrat", "Die Stadtverwaltung", "Das Netzwerk für Prävention", "Die Koordinierungsstelle Prävention"];

    /// <summary>Kinds of meeting with the contracted dative article ("zum Fachtag", "zur Fortbildung").</summary>
    private static readonly (string Name, string To)[] Activities =
    [
        ("Vernetzungstreffen", "zum"), ("Fachtag", "zum"), ("Informationsabend", "zum"), ("Aktionstag", "zum"), ("Workshop", "zum"),
        ("Sicherheitsbegehung", "zur"), ("Elternabend", "zum"), ("Fortbildung", "zur"),
    ];

    private static readonly string[] Venues =
        ["Rathaus {0}, Ratssaal", "Bürgerhaus {0}", "Kulturhaus {0}", "Stadtbibliothek {0}", "Polizeirevier {0}, Schulungsraum", "Volkshochschule {0}", "Gymnasium {0}, Aula"];

    private static readonly string[] Streets =
        ["Markt 1", "Bahnhofstraße 12", "Hauptstraße 5", "Schulstraße 3", "Lindenstraße 8", "Goethestraße 14", "Schillerplatz 2", "Am Rathaus 4", "Körnerstraße 21", "Gartenstraße 17"];

    public static readonly string[] FirstNames =
    [
        "Anna", "Jonas", "Katrin", "Thomas", "Sabine", "Michael", "Julia", "Stefan", "Claudia", "Martin", "Ines", "Frank", "Susanne", "Tobias",
        "Heike", "René", "Jörg", "Jürgen", "Björn", "Sören", "Käthe", "Günter", "Bärbel", "Uwe", "Doreen", "Mandy", "Sandro", "Maik", "Ulrike",
        "Lukas", "Lea", "Finn", "Mia", "Paul", "Emilia", "Felix", "Hannah", "Maximilian", "Sophie", "Matthias", "Anja", "Torsten", "Grit", "Peggy",
    ];

    public static readonly string[] LastNames =
    [
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Hoffmann", "Richter", "Wolf", "Krause", "Lehmann", "Köhler", "Große", "Seidel",
        "Günther", "Schubert", "Hähnel", "Schäfer", "Krüger", "Jäger", "Böhm", "Weiß", "Fuchs", "Lößner", "Vogel", "Neumann", "Zimmermann",
        "Hofmann", "Schröter", "Petzold", "Ullrich", "Bräuer", "Göhler", "Kühn", "Lorenz", "Haase", "Schütze", "Franke", "Pöschel", "Mäder",
    ];

    public static readonly (string Pattern, OrganisationType Type, string Function)[] Organisations =
    [
        ("Stadtverwaltung {0}", OrganisationType.Kommune, "Sachbearbeiterin Ordnungsamt"),
        ("Stadt {0}, Jugendamt", OrganisationType.Kommune, "Jugendschutzbeauftragter"),
        ("Polizeirevier {0}", OrganisationType.Polizei, "Bürgerpolizist"),
        ("Polizeidirektion, Fachdienst Prävention", OrganisationType.Polizei, "Präventionsberaterin"),
        ("Landratsamt, Kreisjugendamt", OrganisationType.Landkreis, "Sozialarbeiterin"),
        ("Suchtberatung {0} e. V.", OrganisationType.VereinTraeger, "Suchtberater"),
        ("Präventionsverein {0} e. V.", OrganisationType.VereinTraeger, "Vorsitzende"),
        ("Gemeindeverwaltung bei {0}", OrganisationType.Kommune, "Bürgermeister"),
        ("Seniorenbeirat {0}", OrganisationType.Sonstige, "Seniorensicherheitsberater"),
    ];

    public static Town[] TownsOf(string regionSlug) => Towns.TryGetValue(regionSlug, out var towns) ? towns : AnyTown;

    public static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    public static (string Title, string Teaser, string Body) Article(Random rng, string regionName, Town town, DateOnly date)
    {
        var topic = Pick(rng, Topics);
        var (activity, to) = Pick(rng, Activities);
        var council = Pick(rng, Councils);
        var year = date.Year.ToString(CultureInfo.InvariantCulture);
        var title = rng.Next(6) switch
        {
            0 => $"{topic.Name}: {activity} in {town.Name}",
            1 => $"{town.Name}: Präventionsrat setzt auf {topic.Name}",
            2 => $"Gemeinsam gegen {topic.Problem} – {activity} in {regionName}",
            3 => $"{rng.Next(2, 15)}. Fachtag {topic.Name} in {town.Name}",
            4 => $"Bilanz {year}: {topic.Name} bleibt Schwerpunkt in {town.Name}",
            _ => $"Neues Netzwerk für {topic.Name} in {regionName}",
        };
        var teaser = $"{council} {town.Name} hat {to} {activity} zum Thema {topic.Problem} eingeladen. "
            + $"Rund {rng.Next(15, 180)} Gäste aus {regionName} tauschten sich über Erfahrungen und neue Ideen aus.";

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"{council} {town.Name} hatte am {date:dd.MM.yyyy} {to} {activity} eingeladen. ");
        body.Append(CultureInfo.InvariantCulture, $"Im Mittelpunkt stand das Thema {topic.Name}: {Pick(rng, topic.Facts)} ");
        body.Append(CultureInfo.InvariantCulture, $"Angesprochen waren vor allem {topic.Audience}.\n\n");
        body.Append("## Was die Fachleute berichten\n\n");
        body.Append(CultureInfo.InvariantCulture, $"{Pick(rng, topic.Facts)} {Pick(rng, topic.Facts)} ");
        body.Append(CultureInfo.InvariantCulture, $"„{Person(rng)} aus {town.Name} brachte es auf den Punkt: Prävention gelingt nur, wenn alle an einem Tisch sitzen.“ ");
        body.Append(CultureInfo.InvariantCulture, $"Kommune, Polizei und freie Träger wollen die Zusammenarbeit in {regionName} deshalb weiter ausbauen.\n\n");
        body.Append("## Tipps für den Alltag\n\n");
        foreach (var tip in topic.Tips.OrderBy(_ => rng.Next()))
        {
            body.Append(CultureInfo.InvariantCulture, $"- {char.ToUpper(tip[0], CultureInfo.GetCultureInfo("de-DE"))}{tip[1..]}\n");
        }

        body.Append('\n');
        body.Append(CultureInfo.InvariantCulture, $"Das nächste Treffen ist für das Frühjahr {date.Year + 1} geplant. ");
        body.Append("Wer mitarbeiten möchte, meldet sich beim Präventionsrat oder bei der Geschäftsstelle des Landespräventionsrates Sachsen. ");
        body.Append(CultureInfo.InvariantCulture, $"Weitere Informationen zu {topic.Name} gibt es bei der polizeilichen Beratungsstelle in {town.Name}.\n");
        return (Truncate(title, 200), teaser, body.ToString());
    }

    public static (string Title, string Summary, string Description, string Audience, string Organisers) Event(Random rng, EventKind kind, string regionName, Town town, int year)
    {
        var topic = Pick(rng, Topics);
        var kindName = kind switch
        {
            EventKind.Vernetzungstreffen => "Vernetzungstreffen",
            EventKind.Fachtag => "Fachtag",
            EventKind.Workshop => "Workshop",
            EventKind.OnlineSeminar => "Online-Seminar",
            _ => "Informationsveranstaltung",
        };
        var title = $"{kindName} {topic.Name} {regionName} {year}";
        var summary = $"Austausch zu {topic.Problem}: Fachleute aus Kommune, Polizei und freien Trägern berichten aus der Praxis und planen gemeinsame Schritte in {town.Name}.";
        var description = $"Der Landespräventionsrat Sachsen und der Präventionsrat {town.Name} laden zum {kindName} ein.\n\n"
            + $"{Pick(rng, topic.Facts)} {Pick(rng, topic.Facts)}\n\n"
            + "## Was Sie erwartet\n\n"
            + $"- ein Impulsvortrag zu {topic.Name}\n- Kleingruppen zu Erfahrungen aus {regionName}\n- Zeit für Gespräche und Vernetzung\n\n"
            + "Die Teilnahme ist kostenfrei. Für Getränke und einen kleinen Imbiss ist gesorgt.\n";
        return (Truncate(title, 200), summary, description, topic.Audience, $"Landespräventionsrat Sachsen, Präventionsrat {town.Name}");
    }

    public static (string Name, string Street) Venue(Random rng, Town town) =>
        (string.Format(CultureInfo.InvariantCulture, Pick(rng, Venues), town.Name), Pick(rng, Streets));

    public static string SessionTitle(Random rng, int slot) => slot switch
    {
        0 => "Begrüßung und Einführung",
        1 => $"Impulsvortrag: {Pick(rng, Topics).Name} in der Praxis",
        _ => $"Kleingruppe: {Pick(rng, Topics).Name}",
    };

    public static string Person(Random rng) => $"{Pick(rng, FirstNames)} {Pick(rng, LastNames)}";

    /// <summary>Lower-case ASCII for an e-mail local part: umlauts and ß written out.</summary>
    public static string EmailPart(string name) =>
        name.ToLowerInvariant().Replace("ä", "ae", StringComparison.Ordinal).Replace("ö", "oe", StringComparison.Ordinal)
            .Replace("ü", "ue", StringComparison.Ordinal).Replace("ß", "ss", StringComparison.Ordinal).Replace("é", "e", StringComparison.Ordinal)
            .Replace(' ', '-');

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
