namespace LprEvents.Web.Services.Backups;

/// <summary>
/// "Is the site running on this database?" A running web app holds a shared OS lock on the side file
/// <c>&lt;database&gt;.lock</c> for its whole lifetime (several instances on one file all may); <c>restore</c> needs the
/// exclusive lock and so is refused while any instance runs, and a site does not start while a restore holds it.
/// On Linux .NET takes these as <c>flock</c> locks (FileShare.None: LOCK_EX, otherwise LOCK_SH when opened for
/// reading); they are released by the kernel when the process ends, also after a crash (docs/decisions/0029).
/// </summary>
public sealed class SiteLock : IDisposable
{
    private readonly FileStream _stream;

    private SiteLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The side file that holds the lock for the database file <paramref name="databasePath"/>.</summary>
    public static string PathFor(string databasePath) => databasePath + ".lock";

    /// <summary>The running site's shared lock; null when a restore holds the exclusive one.</summary>
    public static SiteLock? TryShared(string databasePath) => TryTake(databasePath, exclusive: false);

    /// <summary>The restore's exclusive lock; null while a site (or another restore) holds it.</summary>
    public static SiteLock? TryExclusive(string databasePath) => TryTake(databasePath, exclusive: true);

    private static SiteLock? TryTake(string databasePath, bool exclusive)
    {
        var path = PathFor(databasePath);
        try
        {
            // Read access and a share mode other than None: a shared lock; ReadWrite with None: the exclusive lock.
            var stream = exclusive
                ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)
                : new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            return new SiteLock(stream, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // EWOULDBLOCK from flock (or a sharing violation on Windows): someone holds the other kind of lock.
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
