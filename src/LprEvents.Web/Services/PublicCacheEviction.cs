using System.Data.Common;
using System.Runtime.CompilerServices;
using LprEvents.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LprEvents.Web.Services;

/// <summary>
/// Evicts cached public pages after every committed write that readers see, whichever service, controller or
/// background job made it (ADR 0023): articles, events, sessions, regions, media and an editor's public name evict
/// "content"; participants and their small groups evict "seats". Inside a transaction (the seat lock) it waits for
/// the commit, so that no reader re-caches the old state between eviction and commit; a rollback evicts nothing.
/// A committed new outbox message wakes the e-mail sender the same way (<see cref="Email.OutboxSignal"/>).
/// </summary>
public sealed class PublicCacheEviction(PublicCache cache, Email.OutboxSignal outbox) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            FlushAsync(eventData.Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            await FlushAsync(eventData.Context, cancellationToken);
        }

        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null)
        {
            _pending.Remove(context);
        }
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        FlushAsync(eventData.Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        FlushAsync(eventData.Context, cancellationToken).AsTask();

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            _pending.Remove(context);
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var pending = _pending.GetOrCreateValue(context);
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Article or Event or Session or Region or MediaAsset:
                    pending.Content = true;
                    break;
                case ApplicationUser when entry.State != EntityState.Modified || entry.Property(nameof(ApplicationUser.PublicName)).IsModified:
                    pending.Content = true;
                    break;
                case Participant:
                    pending.Seats = true;
                    break;
                case OutboxMessage when entry.State == EntityState.Added:
                    pending.Mail = true;
                    break;
                default:
                    // The many-to-many join rows: which regions an article or event is filed under, who chose which small group.
                    if (entry.Metadata.Name is "ArticleRegions" or "EventRegions")
                    {
                        pending.Content = true;
                    }
                    else if (entry.Metadata.Name is "ParticipantSessions")
                    {
                        pending.Seats = true;
                    }

                    break;
            }
        }
    }

    private async ValueTask FlushAsync(DbContext? context, CancellationToken ct)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending))
        {
            return;
        }

        _pending.Remove(context);
        if (pending.Mail)
        {
            outbox.MessagesQueued();
        }

        if (pending.Content)
        {
            await cache.EvictContentAsync(ct);
        }
        else if (pending.Seats)
        {
            await cache.EvictSeatsAsync(ct);
        }
    }

    private sealed class Pending
    {
        public bool Content { get; set; }

        public bool Seats { get; set; }

        public bool Mail { get; set; }
    }
}
