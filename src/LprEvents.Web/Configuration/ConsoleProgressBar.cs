using System.Globalization;
using LprEvents.Web.Data.Seeding;

namespace LprEvents.Web.Configuration;

/// <summary>
/// A progress bar for console commands: <c>Beiträge 43 000/100 000 [#####.....] 43 %</c>, redrawn in place on a
/// terminal, and as plain lines (one per tenth) when the output goes to a file or a pipe.
/// </summary>
public sealed class ConsoleProgressBar : ISeedProgress
{
    private const int Width = 30;

    private static readonly NumberFormatInfo Numbers = new() { NumberGroupSeparator = " ", NumberDecimalDigits = 0 };

    private readonly TextWriter _output;
    private readonly bool _inPlace;
    private readonly string _label;
    private readonly int _total;
    private int _done;
    private int _lastTenth = -1;

    public ConsoleProgressBar(TextWriter output, bool inPlace, string label, int total, int done)
    {
        _output = output;
        _inPlace = inPlace;
        _label = label;
        _total = Math.Max(total, 0);
        _done = Math.Min(done, _total);
        Draw();
    }

    /// <summary>On the console: in place when stdout is a terminal.</summary>
    public static SeedProgressFactory ForConsole() =>
        (label, total, done) => new ConsoleProgressBar(Console.Out, !Console.IsOutputRedirected, label, total, done);

    public void Advance(int rows)
    {
        _done = Math.Min(_done + rows, _total);
        Draw();
    }

    public void Done()
    {
        _done = _total;
        Draw();
        if (_inPlace)
        {
            _output.WriteLine();
        }
    }

    public static string Line(string label, int done, int total)
    {
        var share = total == 0 ? 1.0 : (double)done / total;
        var filled = (int)Math.Round(share * Width);
        return string.Create(CultureInfo.InvariantCulture, $"{label} {done.ToString("N", Numbers)}/{total.ToString("N", Numbers)} [{new string('#', filled)}{new string('.', Width - filled)}] {(int)(share * 100)} %");
    }

    private void Draw()
    {
        var line = Line(_label, _done, _total);
        if (_inPlace)
        {
            _output.Write("\r" + line);
            _output.Flush();
            return;
        }

        var tenth = _total == 0 ? 10 : _done * 10 / _total;
        if (tenth != _lastTenth)
        {
            _lastTenth = tenth;
            _output.WriteLine(line);
        }
    }
}
