using System.Collections.Concurrent;
using System.Diagnostics;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Ledger.Mapping;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Store;
using CrmExtensions.Store.Leases;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Ledger.Sync;

/// <summary>What one sync did to one ledger's kind.</summary>
/// <param name="Ledger">The ledger.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Mode"><c>baseline</c> (first load, no events), <c>full</c> (every row compared by hash) or <c>watermark</c>.</param>
/// <param name="Counts">Rows read, inserted, changed, vanished and rejected.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Rejects">The first rejected rows (all of them are in the store's <c>sync_rejects</c>).</param>
public sealed record KindSyncResult(string Ledger, string Kind, string Mode, SyncCounts Counts, TimeSpan Elapsed, IReadOnlyList<RowReject> Rejects);

/// <summary>Rows read so far from one ledger's kind.</summary>
public sealed record SyncProgress(string Ledger, string Kind, long Rows);

/// <summary>Pulls ledger changes into the store's mirror: incremental by watermark where the mapping has one,
/// otherwise a full pass that finds inserted, changed and vanished rows by content hash.</summary>
/// <remarks>
/// Streams rows (memory grows with the number of keys of one kind, not with their content; on a first load into SQLite,
/// whose writer finds a repeated key itself, not with the keys either). Every vanished row is
/// kept and marked, never deleted. The first load of a kind is a baseline: it records no per-row events, so that
/// attaching a ledger with ten years of history does not announce every old invoice as new; into a table that holds no
/// row yet it is one transaction (<see cref="MirrorWriter.BeginBaseline"/>), so an interrupted first load leaves nothing
/// of its kind and the next sync loads the kind again as a baseline.
/// </remarks>
public sealed class LedgerSynchronizer
{
    private const int KeptRejects = 20;
    private const int ProgressEvery = 20_000;
    private readonly CrmStore _store;

    public LedgerSynchronizer(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Gets what is called, once, when another host is syncing the store and this sync waits for its turn.</summary>
    public Action? Waiting { get; init; }

    /// <summary>Syncs every kind of every ledger, in order, holding the store's <see cref="SyncLock"/> exclusively.</summary>
    /// <remarks>
    /// Two hosts syncing one store take turns: the second reads the mirror only after the first committed, finds the
    /// first one's changes already there and records none of them again.
    /// </remarks>
    /// <exception cref="LedgerException">A ledger cannot be read; the ledgers before it are synced.</exception>
    /// <exception cref="OperationCanceledException">Cancelled, possibly while waiting for another host's sync.</exception>
    public IReadOnlyList<KindSyncResult> Sync(IReadOnlyList<LedgerDefinition> ledgers, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledgers);
        using var turn = SyncLock.Acquire(_store, SyncLockMode.Exclusive, Waiting, cancellationToken);
        var results = new List<KindSyncResult>();
        foreach (var ledger in ledgers)
        {
            results.AddRange(SyncLedger(ledger, progress, cancellationToken));
        }

        return results;
    }

    /// <summary>Syncs every kind of one ledger, holding the store's <see cref="SyncLock"/> exclusively.</summary>
    public IReadOnlyList<KindSyncResult> Sync(LedgerDefinition ledger, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        using var turn = SyncLock.Acquire(_store, SyncLockMode.Exclusive, Waiting, cancellationToken);
        return SyncLedger(ledger, progress, cancellationToken);
    }

    private List<KindSyncResult> SyncLedger(LedgerDefinition ledger, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var results = new List<KindSyncResult>();
        foreach (var mapping in ledger.Mapping.Kinds)
        {
            results.Add(SyncKind(ledger, mapping, progress, cancellationToken));
        }

        if (ledger.Mapping.For(MirrorSchema.Invoices) is not null)
        {
            var invoicesBaseline = results.Any(r => r.Kind == MirrorSchema.Invoices.Name && r.Mode == "baseline");
            InvoiceSettlement.Settle(_store, ledger.Name, emitEvents: !invoicesBaseline);
        }

        if (ledger.Mapping.For(MirrorSchema.Invoices) is not null || ledger.Mapping.For(MirrorSchema.Payments) is not null)
        {
            var ratesChanged = results.Any(r => r.Kind == MirrorSchema.Rates.Name && r.Counts.HasChanges);
            MoneyConversion.Convert(_store, ledger.Name, ratesChanged);
        }

        return results;
    }

    private KindSyncResult SyncKind(LedgerDefinition ledger, KindMapping mapping, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var kind = mapping.Kind;
        var baseline = MirrorWriter.IsEmpty(_store, ledger.Name, kind);
        var saved = baseline ? null : MirrorWriter.LoadWatermark(_store, ledger.Name, kind);
        var mode = baseline ? "baseline" : mapping.Watermark is not null && saved is not null ? "watermark" : "full";

        using var writer = baseline ? MirrorWriter.BeginBaseline(_store, ledger.Name, kind) : MirrorWriter.Begin(_store, ledger.Name, kind, mode, emitEvents: true);
        var existing = baseline ? new Dictionary<string, MirrorEntry>(StringComparer.Ordinal) : writer.LoadExisting();
        // The keys read, to reject a repeated ledger_id; when the writer finds repeats itself (a baseline on SQLite), only
        // those of rejected rows.
        var findsRepeats = writer.FindsRepeats;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rejects = new List<RowReject>();
        long read = 0, rejected = 0;
        object? maxWatermark = null;

        foreach (var (record, hash) in ReadAhead(ledger, mapping, mode == "watermark" ? saved : null, cancellationToken))
        {
            if (++read % ProgressEvery == 0)
            {
                progress?.Report(new SyncProgress(ledger.Name, kind.Name, read));
            }

            if (record.Reject is { } reject)
            {
                Reject(reject);
                if (reject.LedgerId is { } badId)
                {
                    // A row we could not read is still there: it must not be taken for vanished.
                    existing.Remove(badId);
                    seen.Add(badId);
                }

                continue;
            }

            var values = record.Values!;
            var id = (string)values[0]!;
            if (record.Dropped is { } dropped)
            {
                // Noted with the rejects (their column, value and reason), not counted with them: the row is written.
                Note(dropped);
            }

            // A baseline on SQLite writes each row here, all of them new, and the mirror's key finds a repeat; otherwise the
            // keys read do.
            if (findsRepeats ? seen.Contains(id) || !writer.WriteNew(values, hash) : !seen.Add(id))
            {
                Reject(new RowReject(id, "ledger_id", id, "the query returned this ledger_id more than once; make the mapping's ledger_id unique (a join may repeat rows)"));
                continue;
            }

            if (!findsRepeats)
            {
                if (!existing.Remove(id, out var entry))
                {
                    writer.Write(values, hash, RowChange.Created);
                }
                else if (entry.Vanished || entry.Hash != hash)
                {
                    writer.Write(values, hash, entry.Vanished ? RowChange.Reappeared : RowChange.Changed);
                }
            }

            if (record.WatermarkValue is { } wm && LedgerReader.IsLater(wm, maxWatermark))
            {
                maxWatermark = wm;
            }
        }

        if (mode == "watermark")
        {
            // Deletions leave no watermark: one pass over the keys alone finds them.
            foreach (var key in LedgerReader.ReadKeys(ledger, mapping, cancellationToken))
            {
                existing.Remove(key);
            }
        }

        foreach (var (id, entry) in existing)
        {
            if (!entry.Vanished)
            {
                writer.MarkVanished(id);
            }
        }

        progress?.Report(new SyncProgress(ledger.Name, kind.Name, read));
        var newWatermark = maxWatermark is null ? saved : LedgerReader.ToWatermark(maxWatermark);
        // The writer counts what it wrote: a change another sync wrote first is not this run's.
        var counts = writer.Complete(read, rejected, mapping.Watermark is null ? null : newWatermark);
        return new KindSyncResult(ledger.Name, kind.Name, mode, counts, clock.Elapsed, rejects);

        void Reject(RowReject reject)
        {
            rejected++;
            Note(reject);
        }

        void Note(RowReject reject)
        {
            writer.Reject(reject.LedgerId, reject.Column, reject.Value, reject.Said);
            if (rejects.Count < KeptRejects)
            {
                rejects.Add(reject);
            }
        }
    }

    /// <summary>Reads, converts and hashes rows on another thread while this one writes them: on two cores the ledger
    /// read and the store write overlap instead of adding up.</summary>
    private static IEnumerable<(LedgerRecord Record, long Hash)> ReadAhead(LedgerDefinition ledger, KindMapping mapping, Watermark? since, CancellationToken cancellationToken)
    {
        // At most 1,024 rows in flight: the writer is the slower side, so the queue is always full, and every row in it
        // when a collection comes survives it and is promoted; 16,000 rows in flight held the peak working set of a
        // first sync 50-60 MiB higher for no gain in time.
        const int BatchSize = 256;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var batches = new BlockingCollection<(LedgerRecord, long)[]>(boundedCapacity: 4);
        var producer = Task.Run(() =>
        {
            try
            {
                var batch = new List<(LedgerRecord, long)>(BatchSize);
                foreach (var record in LedgerReader.Read(ledger, mapping, since, stop.Token))
                {
                    batch.Add((record, record.Values is null ? 0 : RowHasher.Hash(record.Values)));
                    if (batch.Count == BatchSize)
                    {
                        batches.Add([.. batch], stop.Token);
                        batch.Clear();
                    }
                }

                if (batch.Count > 0)
                {
                    batches.Add([.. batch], stop.Token);
                }
            }
            finally
            {
                batches.CompleteAdding();
            }
        }, stop.Token);

        try
        {
            foreach (var batch in batches.GetConsumingEnumerable(stop.Token))
            {
                foreach (var item in batch)
                {
                    yield return item;
                }
            }
        }
        finally
        {
            // The writer stopped early (an error, or cancellation): release the reader, then surface its own failure.
            stop.Cancel();
        }

        producer.GetAwaiter().GetResult();
    }
}
