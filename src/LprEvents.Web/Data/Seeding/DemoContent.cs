using LprEvents.Web.Domain;
using LprEvents.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace LprEvents.Web.Data.Seeding;

/// <summary>
/// Demo content for the embedded default and Development: the Freiberg networking meeting of 20 April 2023
/// with its report, upcoming meetings relative to today, news, and one image the project made itself.
/// Everything here is written for this portal; names of people are invented.
/// </summary>
internal sealed class DemoContent(LprEventsDbContext db, MediaStorage media, TimeProvider time)
{
    public const string PrivacyVersion = "2026-11";

    private static readonly string[] FirstNames =
        ["Anna", "Jonas", "Katrin", "Thomas", "Sabine", "Michael", "Julia", "Stefan", "Claudia", "Martin", "Ines", "Frank", "Susanne", "Tobias", "Heike", "René"];

    private static readonly string[] LastNames =
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Hoffmann", "Richter", "Wolf", "Krause", "Lehmann", "Köhler", "Große", "Seidel", "Günther", "Schubert", "Hähnel"];

    private static readonly (string Name, OrganisationType Type)[] Organisations =
    [
        ("Stadtverwaltung Freiberg", OrganisationType.Kommune),
        ("Polizeidirektion Chemnitz", OrganisationType.Polizei),
        ("Landratsamt Mittelsachsen", OrganisationType.Landkreis),
        ("Stadt Pirna, Ordnungsamt", OrganisationType.Kommune),
        ("Polizeidirektion Dresden", OrganisationType.Polizei),
        ("Präventionsverein Elbtal e. V.", OrganisationType.VereinTraeger),
        ("Gemeinde Klingenberg", OrganisationType.Kommune),
        ("Stadt Leipzig, Ordnungsamt", OrganisationType.Kommune),
        ("Polizeidirektion Leipzig", OrganisationType.Polizei),
        ("Landratsamt Nordsachsen", OrganisationType.Landkreis),
    ];

    private DateTime _now;

    public async Task AddAsync(CancellationToken ct)
    {
        _now = time.GetUtcNow().UtcDateTime;
        var today = BerlinTime.Today(time);
        var regions = await db.Regions.ToDictionaryAsync(r => r.Slug, ct);

        var image = await AddLeadImageAsync(ct);

        var freiberg = AddFreibergMeeting(regions, image);
        var pirna = AddPirnaMeeting(regions, today);
        var leipzig = AddLeipzigConference(regions, today);
        var online = AddOnlineSeminar(regions, today);
        AddPlauenMeeting(regions, today);
        AddDraftEvent(regions, today);

        AddParticipants(pirna, confirmed: 31, waiting: 0);
        AddParticipants(leipzig, confirmed: 25, waiting: 3);

        AddArticles(regions, image, freiberg, pirna, leipzig, online, today);
        await db.SaveChangesAsync(ct);
    }

    private async Task<MediaAsset> AddLeadImageAsync(CancellationToken ct)
    {
        const string fileName = "vernetzungstreffen-freiberg.jpg";
        int[] widths = [480, 960, 1600];
        var folder = Path.Combine(AppContext.BaseDirectory, "Data", "Seeding", "Media");
        long size = 0;
        foreach (var width in widths)
        {
            var source = Path.Combine(folder, MediaStorage.VariantFileName(fileName, width));
            await media.ImportAsync(source, ct);
            size = new FileInfo(source).Length;
        }

        var asset = new MediaAsset
        {
            Kind = MediaKind.Image,
            FileName = fileName,
            OriginalFileName = "vernetzungstreffen-freiberg.png",
            ContentType = "image/jpeg",
            SizeBytes = size,
            Width = 1600,
            Height = 900,
            VariantWidths = string.Join(',', widths),
            AltText = "Grafik: grüne und weiße Punkte, durch Linien zu drei Gruppen verbunden; gelbe Linien verbinden die Gruppen. Darunter steht „Vernetzungstreffen Freiberg“.",
            Caption = "Drei Regionen, ein Netzwerk: Symbolgrafik zum Vernetzungstreffen in Freiberg.",
            Credit = "© LPR Sachsen",
            CreatedAtUtc = _now,
        };
        db.MediaAssets.Add(asset);
        return asset;
    }

    private Event AddFreibergMeeting(Dictionary<string, Region> regions, MediaAsset image)
    {
        var day = new DateOnly(2023, 4, 20);
        var e = NewEvent(
            "Vernetzungstreffen Chemnitz, Mittelsachsen und Erzgebirge",
            "vernetzungstreffen-freiberg-2023",
            EventKind.Vernetzungstreffen,
            day,
            (9, 30),
            (15, 0));
        e.VenueName = "Institut in Freiberg, Seminarraum im Erdgeschoss";
        e.VenuePostcode = "09599";
        e.VenueCity = "Freiberg";
        e.Organisers = "Landespräventionsrat Sachsen gemeinsam mit den Präventionsbeauftragten der Region";
        e.TargetAudience = "Beschäftigte der Kommunen und Landkreise, Polizei, Vereine und Träger der Präventionsarbeit";
        e.Summary = "Regionales Treffen mit zwei Impulsen am Vormittag und Austausch in Kleingruppen am Nachmittag.";
        e.Description = """
            Das regionale Vernetzungstreffen bringt Menschen zusammen, die in Städten, Gemeinden, Landkreisen und bei der
            Polizei Kriminalprävention gestalten.

            Am Vormittag stehen zwei kurze Impulse auf dem Programm, am Nachmittag ist Zeit für den Austausch in
            kleinen Gruppen. Die Teilnahme ist kostenfrei.
            """;
        e.Capacity = 40;
        e.WaitingListEnabled = true;
        e.RegistrationOpensAtUtc = BerlinTime.ToUtc(new DateOnly(2023, 3, 1), 8, 0);
        e.RegistrationClosesAtUtc = BerlinTime.ToUtc(new DateOnly(2023, 4, 14), 23, 59);
        e.LeadImage = image;
        AddRegions(e, regions, "chemnitz", "mittelsachsen", "erzgebirgskreis");

        AddSession(e, day, (9, 30), (10, 0), "Ankommen und Begrüßung", SessionKind.Plenary, "Geschäftsstelle des Landespräventionsrates");
        AddSession(e, day, (10, 0), (10, 45), "Impuls: Die Projekt-Canvas-Methode", SessionKind.Talk, "Referentin aus der kommunalen Präventionsarbeit",
            "Wie sich ein Präventionsprojekt auf einer einzigen Seite planen lässt: Ziel, Zielgruppe, Partner, Ressourcen und Wirkung im Überblick.");
        AddSession(e, day, (10, 45), (11, 30), "Impuls: Einen Kommunalen Präventionsrat gründen", SessionKind.Talk, "Präventionsbeauftragter einer Kreisstadt",
            "Erfahrungen aus der Gründung eines Kommunalen Präventionsrates (KPR): erste Schritte, Beteiligte, typische Stolpersteine.");
        AddSession(e, day, (11, 30), (12, 30), "Mittagspause", SessionKind.Break);
        AddSession(e, day, (12, 30), (14, 15), "Kleingruppe: Fortbildung kommunaler Vollzugsbediensteter", SessionKind.SmallGroup, "",
            "Welche Fortbildungen brauchen Bedienstete des Gemeindlichen Vollzugsdienstes, und wie lassen sie sich gemeinsam organisieren?", capacity: 20, room: "Raum 1");
        AddSession(e, day, (12, 30), (14, 15), "Kleingruppe: Sicherheitskonzepte für Großveranstaltungen", SessionKind.SmallGroup, "",
            "Von der Gefährdungsanalyse bis zur Abstimmung mit Polizei und Rettungsdienst: Erfahrungen aus Stadtfesten und Märkten.", capacity: 20, room: "Raum 2");
        AddSession(e, day, (14, 15), (15, 0), "Ergebnisse und Ausblick", SessionKind.Plenary);
        return e;
    }

    private Event AddPirnaMeeting(Dictionary<string, Region> regions, DateOnly today)
    {
        var day = MeetingDay(today.AddDays(24));
        var e = NewEvent(
            "Vernetzungstreffen Dresden, Meißen und Sächsische Schweiz-Osterzgebirge",
            $"vernetzungstreffen-pirna-{day.Year}",
            EventKind.Vernetzungstreffen,
            day,
            (9, 30),
            (15, 0));
        e.VenueName = "Rathaus Pirna, Ratssaal";
        e.VenueStreet = "Am Markt 1";
        e.VenuePostcode = "01796";
        e.VenueCity = "Pirna";
        e.Organisers = "Landespräventionsrat Sachsen";
        e.TargetAudience = "Beschäftigte der Kommunen und Landkreise, Polizei, Vereine und Träger";
        e.Summary = "Austausch über Prävention im öffentlichen Raum und die Beteiligung junger Menschen.";
        e.Description = """
            Nach dem Treffen in Freiberg lädt der Landespräventionsrat die Regionen Dresden, Meißen und
            Sächsische Schweiz-Osterzgebirge nach Pirna ein.

            Am Nachmittag wählen Sie bei der Anmeldung eine von zwei Kleingruppen. Die Plätze in jeder Gruppe sind begrenzt.
            """;
        e.Capacity = 40;
        e.WaitingListEnabled = true;
        e.RegistrationOpensAtUtc = BerlinTime.ToUtc(today.AddDays(-14), 8, 0);
        e.RegistrationClosesAtUtc = BerlinTime.ToUtc(day.AddDays(-7), 23, 59);
        AddRegions(e, regions, "dresden", "meissen", "saechsische-schweiz-osterzgebirge");

        AddSession(e, day, (9, 30), (10, 0), "Ankommen und Begrüßung", SessionKind.Plenary);
        AddSession(e, day, (10, 0), (10, 45), "Impuls: Sicherheit im öffentlichen Raum gemeinsam gestalten", SessionKind.Talk, "Polizeidirektion und Ordnungsamt im Gespräch");
        AddSession(e, day, (10, 45), (11, 30), "Impuls: Jugendbeteiligung in Präventionsräten", SessionKind.Talk, "Fachkraft der offenen Jugendarbeit");
        AddSession(e, day, (11, 30), (12, 30), "Mittagspause", SessionKind.Break);
        AddSession(e, day, (12, 30), (14, 15), "Kleingruppe: Prävention von Gewalt im öffentlichen Raum", SessionKind.SmallGroup, "", capacity: 20, room: "Ratssaal");
        AddSession(e, day, (12, 30), (14, 15), "Kleingruppe: Junge Menschen beteiligen", SessionKind.SmallGroup, "", capacity: 20, room: "Beratungsraum 2");
        AddSession(e, day, (14, 15), (15, 0), "Ergebnisse und Ausblick", SessionKind.Plenary);
        return e;
    }

    private Event AddLeipzigConference(Dictionary<string, Region> regions, DateOnly today)
    {
        var day = MeetingDay(today.AddDays(45));
        var e = NewEvent(
            "Fachtag Sicherheitskonzepte für Großveranstaltungen",
            $"fachtag-grossveranstaltungen-{day.Year}",
            EventKind.Fachtag,
            day,
            (9, 0),
            (16, 0));
        e.VenueName = "Neues Rathaus Leipzig, Festsaal";
        e.VenueStreet = "Martin-Luther-Ring 4–6";
        e.VenuePostcode = "04109";
        e.VenueCity = "Leipzig";
        e.Organisers = "Landespräventionsrat Sachsen in Zusammenarbeit mit der Stadt Leipzig";
        e.TargetAudience = "Ordnungsämter, Veranstaltungsbehörden, Polizei, Feuerwehr und Veranstalter";
        e.Summary = "Ein Tag zu Planung, Abstimmung und Kommunikation rund um große Veranstaltungen.";
        e.Description = """
            Stadtfeste, Weihnachtsmärkte, Konzerte: Der Fachtag zeigt, wie Kommunen, Polizei und Veranstalter
            Sicherheitskonzepte gemeinsam erarbeiten und im Ernstfall handlungsfähig bleiben.
            """;
        e.Capacity = 25;
        e.WaitingListEnabled = true;
        e.RegistrationOpensAtUtc = BerlinTime.ToUtc(today.AddDays(-30), 8, 0);
        e.RegistrationClosesAtUtc = BerlinTime.ToUtc(day.AddDays(-10), 23, 59);
        AddRegions(e, regions, "leipzig", "landkreis-leipzig", "nordsachsen");

        AddSession(e, day, (9, 0), (9, 30), "Begrüßung", SessionKind.Plenary);
        AddSession(e, day, (9, 30), (10, 30), "Vortrag: Gefährdungen erkennen und bewerten", SessionKind.Talk, "Fachbereich Veranstaltungssicherheit");
        AddSession(e, day, (10, 30), (12, 0), "Workshop: Ein Sicherheitskonzept Schritt für Schritt", SessionKind.Workshop);
        AddSession(e, day, (12, 0), (13, 0), "Mittagspause", SessionKind.Break);
        AddSession(e, day, (13, 0), (15, 30), "Workshop: Kommunikation im Ereignisfall", SessionKind.Workshop);
        AddSession(e, day, (15, 30), (16, 0), "Abschluss", SessionKind.Plenary);
        return e;
    }

    private Event AddOnlineSeminar(Dictionary<string, Region> regions, DateOnly today)
    {
        var day = MeetingDay(today.AddDays(66));
        var e = NewEvent(
            "Online-Seminar: Einstieg in die kommunale Kriminalprävention",
            $"online-seminar-einstieg-{day.Year}",
            EventKind.OnlineSeminar,
            day,
            (14, 0),
            (16, 0));
        e.VenueName = "Online (Videokonferenz)";
        e.Organisers = "Landespräventionsrat Sachsen";
        e.TargetAudience = "Neue Präventionsbeauftragte in Kommunen und Landkreisen";
        e.Summary = "Zwei Stunden Grundlagen: Aufgaben, Partner und erste Schritte in der kommunalen Prävention.";
        e.Description = "Den Zugang zur Videokonferenz erhalten Sie mit der Bestätigung Ihrer Anmeldung.";
        e.Capacity = 100;
        e.WaitingListEnabled = false;
        e.RegistrationOpensAtUtc = BerlinTime.ToUtc(today.AddDays(7), 8, 0);
        e.RegistrationClosesAtUtc = BerlinTime.ToUtc(day.AddDays(-1), 12, 0);
        AddRegions(e, regions, "bautzen", "goerlitz");

        AddSession(e, day, (14, 0), (15, 0), "Grundlagen der kommunalen Kriminalprävention", SessionKind.Talk);
        AddSession(e, day, (15, 0), (16, 0), "Fragen und Austausch", SessionKind.Plenary);
        return e;
    }

    private void AddPlauenMeeting(Dictionary<string, Region> regions, DateOnly today)
    {
        var day = MeetingDay(today.AddDays(90));
        var e = NewEvent(
            "Vernetzungstreffen Vogtland und Zwickau",
            $"vernetzungstreffen-plauen-{day.Year}",
            EventKind.Vernetzungstreffen,
            day,
            (10, 0),
            (15, 0));
        e.VenueName = "Rathaus Plauen, Festsaal";
        e.VenueStreet = "Unterer Graben 1";
        e.VenuePostcode = "08523";
        e.VenueCity = "Plauen";
        e.Organisers = "Landespräventionsrat Sachsen";
        e.TargetAudience = "Beschäftigte der Kommunen und Landkreise, Polizei, Vereine und Träger";
        e.Summary = "Das Programm wird derzeit abgestimmt; die Anmeldung beginnt acht Wochen vor dem Treffen.";
        e.Capacity = 40;
        e.WaitingListEnabled = true;
        e.RegistrationOpensAtUtc = BerlinTime.ToUtc(day.AddDays(-56), 8, 0);
        e.RegistrationClosesAtUtc = BerlinTime.ToUtc(day.AddDays(-7), 23, 59);
        AddRegions(e, regions, "vogtlandkreis", "zwickau");
        AddSession(e, day, (10, 0), (10, 30), "Begrüßung", SessionKind.Plenary);
    }

    private void AddDraftEvent(Dictionary<string, Region> regions, DateOnly today)
    {
        var day = MeetingDay(today.AddDays(150));
        var e = NewEvent("Vernetzungstreffen Chemnitz (Planung)", $"vernetzungstreffen-chemnitz-{day.Year}", EventKind.Vernetzungstreffen, day, (9, 30), (15, 0));
        e.Status = EventStatus.Draft;
        e.PublishedAtUtc = null;
        e.VenueName = "noch offen";
        e.VenueCity = "Chemnitz";
        AddRegions(e, regions, "chemnitz");
    }

    private void AddArticles(
        Dictionary<string, Region> regions,
        MediaAsset image,
        Event freiberg,
        Event pirna,
        Event leipzig,
        Event online,
        DateOnly today)
    {
        var report = NewArticle(
            "Vernetzungstreffen in Freiberg: Drei Regionen, ein Netzwerk",
            "bericht-vernetzungstreffen-freiberg-2023",
            new DateTime(2023, 4, 27, 8, 0, 0, DateTimeKind.Utc),
            "Rund vierzig Fachleute aus Kommunen, Landkreisen und Polizei der Regionen Chemnitz, Mittelsachsen und Erzgebirge trafen sich am 20. April 2023 in Freiberg.",
            """
            Am 20. April 2023 kamen in einem Institut in Freiberg Fachleute aus Städten und Gemeinden, aus den
            Landratsämtern und von der Polizei zusammen. Eingeladen hatte der Landespräventionsrat Sachsen die
            Regionen Chemnitz, Mittelsachsen und Erzgebirge.

            ## Zwei Impulse am Vormittag

            Den Auftakt machte ein Impuls zur **Projekt-Canvas-Methode**. Auf einem einzigen Blatt werden Ziel,
            Zielgruppe, Partner, Ressourcen und die erhoffte Wirkung eines Vorhabens festgehalten. Mehrere
            Teilnehmende nahmen sich vor, die Methode in ihrer nächsten Präventionsrunde auszuprobieren.

            Im zweiten Impuls ging es um die **Gründung eines Kommunalen Präventionsrates (KPR)**. Der Referent
            beschrieb, wer früh eingebunden werden sollte, wie eine Geschäftsordnung entsteht und warum ein
            kleiner, arbeitsfähiger Kreis oft mehr bewegt als ein großes Gremium.

            ## Austausch in Kleingruppen

            Am Nachmittag arbeiteten die Teilnehmenden in zwei Gruppen:

            - **Fortbildung kommunaler Vollzugsbediensteter:** Gesammelt wurden Themen von der Deeskalation bis
              zum Umgang mit Konflikten im öffentlichen Raum. Gemeinsame Fortbildungen mehrerer Kommunen sollen
              geprüft werden.
            - **Sicherheitskonzepte für Großveranstaltungen:** Erfahrungen mit Stadtfesten und Märkten zeigten,
              wie wichtig eine frühe Abstimmung zwischen Veranstalter, Ordnungsamt, Polizei und Rettungsdienst ist.

            ## Wie es weitergeht

            Die Ergebnisse der Kleingruppen fließen in die weitere Arbeit des Landespräventionsrates ein. Das
            nächste Treffen ist bereits in Planung; Termine finden Sie in der
            [Übersicht der Veranstaltungen](/veranstaltungen).
            """,
            regions,
            "chemnitz",
            "mittelsachsen",
            "erzgebirgskreis");
        report.Event = freiberg;
        report.LeadImage = image;
        // A report carries the day of the meeting, not the day it went online (27 April).
        report.Date = new DateOnly(2023, 4, 20);

        NewArticle(
            "Projekt-Canvas: Präventionsprojekte auf einer Seite planen",
            "projekt-canvas-praeventionsprojekte-planen",
            new DateTime(2023, 5, 15, 7, 0, 0, DateTimeKind.Utc),
            "Die Methode aus dem Freiberger Impuls zum Nachlesen: neun Felder, die ein Vorhaben greifbar machen.",
            """
            Viele gute Ideen scheitern nicht am Willen, sondern an einer unklaren Planung. Die Projekt-Canvas
            hilft, ein Vorhaben in kurzer Zeit zu ordnen.

            ## Die Felder im Überblick

            1. Ausgangslage und Problem
            2. Ziel und Zielgruppe
            3. Partner und Beteiligte
            4. Maßnahmen
            5. Ressourcen und Kosten
            6. Risiken
            7. Zeitplan
            8. Erfolgskriterien
            9. Kommunikation

            ## Tipps aus der Praxis

            Füllen Sie die Canvas gemeinsam aus, nicht allein am Schreibtisch. Unterschiedliche Blickwinkel aus
            Verwaltung, Polizei und Zivilgesellschaft machen Lücken früh sichtbar.
            """,
            regions,
            "chemnitz");

        NewArticle(
            "Fortbildung für den kommunalen Vollzugsdienst: Themen gesammelt",
            "fortbildung-vollzugsdienst-themen",
            new DateTime(2023, 6, 20, 7, 0, 0, DateTimeKind.Utc),
            "Aus der Kleingruppe in Freiberg ist eine Themenliste für gemeinsame Fortbildungen entstanden.",
            """
            Die Kleingruppe zum Gemeindlichen Vollzugsdienst hat ihre Ergebnisse zusammengefasst. Besonders
            gefragt sind Fortbildungen zu Deeskalation, Eigensicherung und rechtssicherem Handeln im
            öffentlichen Raum.

            Kommunen, die sich an einer gemeinsamen Fortbildung beteiligen möchten, können sich an die
            Geschäftsstelle des Landespräventionsrates wenden.
            """,
            regions,
            "mittelsachsen");

        NewArticle(
            "Rückblick: Vernetzung in allen Regionen",
            "rueckblick-vernetzung-in-allen-regionen",
            BerlinTime.ToUtc(new DateOnly(today.Year, 1, 15), 9, 0) < _now
                ? BerlinTime.ToUtc(new DateOnly(today.Year, 1, 15), 9, 0)
                : BerlinTime.ToUtc(new DateOnly(today.Year - 1, 1, 15), 9, 0),
            "Ein Überblick über die regionalen Vernetzungstreffen und was aus ihnen entstanden ist.",
            """
            Die regionalen Vernetzungstreffen haben sich als fester Ort für den Austausch zwischen Kommunen und
            Polizei etabliert. Aus mehreren Treffen sind gemeinsame Vorhaben entstanden, etwa abgestimmte
            Fortbildungen oder Arbeitshilfen für Veranstaltungen.

            ## Ausblick

            Auch künftig sollen alle Regionen Sachsens mindestens einmal im Jahr zu einem Treffen eingeladen werden.
            """,
            regions);

        NewArticle(
            "Kommunale Präventionsräte: Was eine Gründung braucht",
            "kommunale-praeventionsraete-gruendung",
            _now.AddDays(-40),
            "Wer einen Kommunalen Präventionsrat gründen möchte, braucht Partner, einen klaren Auftrag und einen langen Atem.",
            """
            Ein Kommunaler Präventionsrat (KPR) bündelt das Wissen von Verwaltung, Polizei, Schulen, Vereinen und
            engagierten Bürgerinnen und Bürgern.

            ## Drei Empfehlungen

            - **Auftrag klären:** Ein Beschluss des Stadt- oder Gemeinderates gibt dem Gremium Rückhalt.
            - **Klein anfangen:** Ein Thema, das vor Ort wirklich bewegt, trägt weiter als ein breites Programm.
            - **Ergebnisse zeigen:** Kurze Berichte an Rat und Öffentlichkeit machen die Arbeit sichtbar.
            """,
            regions,
            "mittelsachsen");

        var pirnaNews = NewArticle(
            "Anmeldung für das Vernetzungstreffen in Pirna ist geöffnet",
            $"anmeldung-vernetzungstreffen-pirna-{pirna.StartsAtUtc.Year}",
            _now.AddDays(-14),
            "Die Regionen Dresden, Meißen und Sächsische Schweiz-Osterzgebirge treffen sich in Pirna. Die Plätze sind begrenzt.",
            """
            Der Landespräventionsrat lädt zum nächsten regionalen Vernetzungstreffen nach Pirna ein. Auf dem
            Programm stehen zwei Impulse und zwei Kleingruppen, von denen Sie bei der Anmeldung eine wählen.

            Alle Einzelheiten stehen auf der Seite des Treffens.
            """,
            regions,
            "dresden",
            "meissen",
            "saechsische-schweiz-osterzgebirge");
        pirnaNews.Event = pirna;

        var leipzigNews = NewArticle(
            "Fachtag zu Großveranstaltungen: Warteliste geöffnet",
            $"fachtag-grossveranstaltungen-warteliste-{leipzig.StartsAtUtc.Year}",
            _now.AddDays(-5),
            "Alle Plätze für den Fachtag in Leipzig sind vergeben. Wer sich jetzt anmeldet, kommt auf die Warteliste.",
            """
            Die große Nachfrage zeigt, wie wichtig das Thema für Kommunen und Veranstalter ist. Wird ein Platz
            frei, rückt die erste Person auf der Warteliste automatisch nach und wird per E-Mail informiert.
            """,
            regions,
            "leipzig",
            "landkreis-leipzig",
            "nordsachsen");
        leipzigNews.Event = leipzig;

        var onlineNews = NewArticle(
            "Neue Online-Seminare für den Einstieg in die Prävention",
            $"online-seminare-einstieg-{online.StartsAtUtc.Year}",
            _now.AddDays(-3),
            "Für neue Präventionsbeauftragte bietet der Landespräventionsrat ein kompaktes Online-Seminar an.",
            """
            Das Online-Seminar richtet sich an alle, die in ihrer Kommune neu mit Kriminalprävention betraut
            sind. In zwei Stunden geht es um Aufgaben, Partner und erste Schritte. Die Anmeldung beginnt in
            Kürze.
            """,
            regions,
            "bautzen",
            "goerlitz");
        onlineNews.Event = online;

        var draft = NewArticle(
            "Bericht vom Fachtag (Entwurf)",
            "entwurf-bericht-fachtag",
            null,
            "Noch nicht veröffentlicht.",
            "Dieser Text ist ein Entwurf und für die Öffentlichkeit nicht sichtbar.",
            regions);
        draft.Status = ArticleStatus.Draft;

        var scheduled = NewArticle(
            "Ausblick auf das kommende Jahr",
            "ausblick-kommendes-jahr",
            _now.AddDays(10),
            "Geplant und noch nicht erschienen.",
            "Dieser Beitrag erscheint automatisch an seinem Veröffentlichungsdatum.",
            regions);
        scheduled.Status = ArticleStatus.Scheduled;
    }

    /// <summary>Moves a demo date to the next Tuesday to Thursday outside the Christmas holidays.</summary>
    private static DateOnly MeetingDay(DateOnly day)
    {
        while (day.DayOfWeek is not (DayOfWeek.Tuesday or DayOfWeek.Wednesday or DayOfWeek.Thursday)
            || (day.Month == 12 && day.Day >= 22) || (day.Month == 1 && day.Day <= 6))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private Event NewEvent(string title, string slug, EventKind kind, DateOnly day, (int H, int M) start, (int H, int M) end)
    {
        var e = new Event
        {
            Title = title,
            Slug = slug,
            Kind = kind,
            StartsAtUtc = BerlinTime.ToUtc(day, start.H, start.M),
            EndsAtUtc = BerlinTime.ToUtc(day, end.H, end.M),
            VenueName = "",
            Status = EventStatus.Published,
            CreatedAtUtc = _now,
            UpdatedAtUtc = _now,
            PublishedAtUtc = _now,
        };
        db.Events.Add(e);
        return e;
    }

    private static void AddSession(
        Event e,
        DateOnly day,
        (int H, int M) start,
        (int H, int M) end,
        string title,
        SessionKind kind,
        string speakers = "",
        string description = "",
        int? capacity = null,
        string room = "")
    {
        e.Sessions.Add(new Session
        {
            Title = title,
            Kind = kind,
            StartsAtUtc = BerlinTime.ToUtc(day, start.H, start.M),
            EndsAtUtc = BerlinTime.ToUtc(day, end.H, end.M),
            Speakers = speakers,
            Description = description,
            Capacity = capacity,
            Room = room,
        });
    }

    private static void AddRegions(Event e, Dictionary<string, Region> regions, params string[] slugs)
    {
        foreach (var slug in slugs)
        {
            e.Regions.Add(regions[slug]);
        }
    }

    private Article NewArticle(
        string title,
        string slug,
        DateTime? publishedAtUtc,
        string teaser,
        string body,
        Dictionary<string, Region> regions,
        params string[] regionSlugs)
    {
        var article = new Article
        {
            Title = title,
            Slug = slug,
            Teaser = teaser,
            Body = body,
            Status = ArticleStatus.Published,
            PublishedAtUtc = publishedAtUtc,
            Date = DateOnly.FromDateTime(BerlinTime.ToLocal(publishedAtUtc ?? _now)),
            Author = "Redaktion LPR",
            CreatedAtUtc = _now,
            UpdatedAtUtc = _now,
        };
        foreach (var regionSlug in regionSlugs)
        {
            article.Regions.Add(regions[regionSlug]);
        }

        db.Articles.Add(article);
        return article;
    }

    private void AddParticipants(Event e, int confirmed, int waiting)
    {
        var regions = e.Regions.ToList();
        for (var i = 0; i < confirmed + waiting; i++)
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[(i * 7 + 3 + (i / FirstNames.Length)) % LastNames.Length];
            var (organisation, type) = Organisations[i % Organisations.Length];
            var email = $"{Slugs.From(first)}.{Slugs.From(last)}.{i}@example.org";
            var registered = _now.AddDays(-10).AddMinutes(i * 17);
            e.Participants.Add(new Participant
            {
                FirstName = first,
                LastName = last,
                Email = email,
                EmailNormalized = email,
                Organisation = organisation,
                OrganisationType = type,
                Function = type == OrganisationType.Polizei ? "Präventionssachbearbeitung" : "Präventionsbeauftragte/r",
                Region = regions[i % regions.Count],
                PhotoConsent = i % 4 != 0,
                PrivacyConsentVersion = PrivacyVersion,
                Status = i < confirmed ? ParticipantStatus.Confirmed : ParticipantStatus.WaitingList,
                CreatedAtUtc = registered,
                ConfirmedAtUtc = registered.AddMinutes(5),
            });
        }
    }
}
