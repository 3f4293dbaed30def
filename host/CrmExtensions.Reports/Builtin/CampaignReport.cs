using System.Data.Common;
using System.Globalization;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Campaigns;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Reports.Builtin;

/// <summary>What to measure of a campaign: the windows after its send, a cost, and extra client sets to break it down by.</summary>
/// <param name="Campaign">The campaign id.</param>
/// <param name="Days">Each window's length in days, counted from the send day (which is included).</param>
/// <param name="Cost">What the campaign cost, in the ledger's money; null: no ROI.</param>
/// <param name="Breakdowns">Named client sets to show the effect within (segment conditions), selected on the report's connection
/// as of the send day, which the report reads with the groups; null for none.</param>
public sealed record CampaignEffectRequest(string Campaign, IReadOnlyList<int> Days, decimal? Cost = null,
    Func<DbConnection, DateOnly, IEnumerable<(string Label, IReadOnlySet<long> Clients)>>? Breakdowns = null)
{
    /// <summary>The windows when none are asked for: 30, 60 and 90 days.</summary>
    public static IReadOnlyList<int> DefaultDays { get; } = [30, 60, 90];
}

/// <summary>One measure (revenue invoiced or money paid) of one window, over one set of the campaign's clients.</summary>
/// <param name="Breakdown">The clients measured: <c>all</c>, <c>class A</c>, or a segment condition.</param>
/// <param name="Days">The window's length.</param>
/// <param name="Measure"><c>revenue</c> (invoices issued) or <c>paid</c> (payments received).</param>
/// <param name="MailedTotal">The mailed clients' sum, in stored ten-thousandths: equal to the mirrored rows' sum.</param>
/// <param name="ControlTotal">The control clients' sum, likewise.</param>
/// <param name="Mailed">Per mailed client, in the ledger's money.</param>
/// <param name="Control">Per control client.</param>
/// <param name="Effect">Mailed mean − control mean with its 95 % Welch interval.</param>
/// <param name="Incremental">The difference × the mailed clients: what the mail brought in.</param>
/// <param name="Roi">(incremental − cost) / cost; null without a cost or for a breakdown.</param>
public sealed record CampaignEffectRow(string Breakdown, int Days, string Measure, long MailedTotal, long ControlTotal, SampleSummary Mailed, SampleSummary Control,
    WelchInterval Effect, double Incremental, double? Roi);

/// <summary>A campaign's effectiveness: its send day, its groups, and every measure.</summary>
public sealed record CampaignEffect(string Campaign, DateOnly SentOn, string? Segment, int Mailed, int Control, int HeldBack, IReadOnlyList<CampaignEffectRow> Rows, DateOnly Today);

/// <summary>
/// What a campaign earned in the ledger's money: for its mailed and control clients, revenue invoiced and money paid in the N
/// days after the send, the difference per client with a 95 % Welch interval, the incremental revenue and the ROI; by ABC
/// class on the send day and by segment condition. As a catalog report (<c>campaign</c>), one row per campaign first sent in the range.
/// </summary>
/// <remarks>
/// Per-client sums are grouped by the database (one row per client of the campaign comes back, for the variances); money
/// is the mirrored invoices' and payments' (<c>mirror_invoices.client_id</c>, <c>mirror_payments.client_id</c>), live rows,
/// dated from the send day to the day before send day + N. A client merged into another after the send is measured by the
/// rows still keyed to its id.
/// </remarks>
public sealed class CampaignReport(CrmStore store) : StoreReport(store)
{
    private const string All = "all";

    internal static readonly string ClientRevenueSql =
        "SELECT g.client_id AS ClientId, CAST(SUM(i.base_amount) AS BIGINT) AS Amount FROM campaign_groups g " +
        "JOIN mirror_invoices i ON i.client_id = g.client_id AND i.vanished_at IS NULL AND i.issued_on >= @start AND i.issued_on < @end " +
        "WHERE g.campaign = @campaign AND g.group_name IN ('" + CampaignGroups.Mailed + "', '" + CampaignGroups.Control + "') GROUP BY g.client_id";

    internal static readonly string ClientPaidSql =
        "SELECT g.client_id AS ClientId, CAST(SUM(p.base_amount) AS BIGINT) AS Amount FROM campaign_groups g " +
        "JOIN mirror_payments p ON p.client_id = g.client_id AND p.vanished_at IS NULL AND p.paid_on >= @start AND p.paid_on < @end " +
        "WHERE g.campaign = @campaign AND g.group_name IN ('" + CampaignGroups.Mailed + "', '" + CampaignGroups.Control + "') GROUP BY g.client_id";

    internal const string CampaignsSentSql =
        "SELECT campaign AS Campaign FROM campaign_groups GROUP BY campaign HAVING MIN(sent_on) >= @from AND MIN(sent_on) <= @to ORDER BY MIN(sent_on), campaign";

    private static readonly (string Measure, string Sql)[] Measures = [("revenue", ClientRevenueSql), ("paid", ClientPaidSql)];

    /// <summary>Every statement, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements() => [ClientRevenueSql, ClientPaidSql, CampaignsSentSql, .. CampaignGroupReader.Statements()];

    /// <inheritdoc />
    public override string Name => "campaign";

    /// <inheritdoc />
    public override string Title => "Campaign effectiveness in ledger money";

    /// <inheritdoc />
    /// <remarks>A campaign's mailed and control groups are its own clients; a segment breaks its effect down instead (<c>--segment</c> of <c>crmx report campaign</c>).</remarks>
    public override bool FiltersBySegment => false;

    /// <summary>Measures a campaign as of <paramref name="today"/> (a window not over yet counts what has come so far).</summary>
    /// <exception cref="CrmException">The campaign has no recorded groups.</exception>
    public CampaignEffect Compute(CampaignEffectRequest request, DateOnly today) => Compute(request, today, Measures, byClass: true);

    /// <summary>Measures a campaign in <paramref name="measures"/> only, and by ABC class only when <paramref name="byClass"/>: the
    /// catalog's one row per campaign reads no more than it shows.</summary>
    private CampaignEffect Compute(CampaignEffectRequest request, DateOnly today, IReadOnlyList<(string Measure, string Sql)> measures, bool byClass)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var connection = Store.Open();
        var groups = CampaignGroupReader.OfCampaign(connection, request.Campaign);
        if (groups.Count == 0)
        {
            throw new CrmException($"Campaign '{request.Campaign}' has no recorded groups: it was never sent, or was sent before groups were kept " +
                "(crmx campaign send records them).");
        }

        var sentOn = groups.Min(g => g.SentOn);
        var mailed = groups.Where(g => g.Group == CampaignGroups.Mailed).Select(g => g.ClientId).ToHashSet();
        var control = groups.Where(g => g.Group == CampaignGroups.Control).Select(g => g.ClientId).ToHashSet();
        var sets = new List<(string Label, IReadOnlySet<long> Clients)> { (All, mailed.Concat(control).ToHashSet()) };
        if (byClass)
        {
            sets.AddRange(groups.Where(g => g.Group != CampaignGroups.HeldBack).GroupBy(g => g.AbcClass ?? "C").OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => ("class " + g.Key, (IReadOnlySet<long>)g.Select(r => r.ClientId).ToHashSet())));
        }

        if (request.Breakdowns is { } breakdowns)
        {
            sets.AddRange(breakdowns(connection, sentOn));
        }

        var rows = new List<CampaignEffectRow>();
        foreach (var days in request.Days)
        {
            var args = new { campaign = request.Campaign, start = ReportingWindow.Text(sentOn), end = ReportingWindow.Text(sentOn.AddDays(days)) };
            foreach (var (measure, sql) in measures)
            {
                var amounts = connection.Query<(long ClientId, long Amount)>(sql, args).ToDictionary(r => r.ClientId, r => r.Amount);
                foreach (var (label, clients) in sets)
                {
                    rows.Add(Row(label, days, measure, amounts, mailed.Where(clients.Contains).ToList(), control.Where(clients.Contains).ToList(),
                        label == All && measure == "revenue" ? request.Cost : null));
                }
            }
        }

        return new CampaignEffect(request.Campaign, sentOn, groups[0].Segment, mailed.Count, control.Count, groups.Count(g => g.Group == CampaignGroups.HeldBack), rows, today);
    }

    private static CampaignEffectRow Row(string label, int days, string measure, Dictionary<long, long> amounts, List<long> mailed, List<long> control, decimal? cost)
    {
        long Sum(List<long> clients) => clients.Sum(c => amounts.GetValueOrDefault(c));
        List<double> Values(List<long> clients) => clients.Select(c => (double)Money.FromStored(amounts.GetValueOrDefault(c))).ToList();
        var a = SampleSummary.Of(Values(mailed));
        var b = SampleSummary.Of(Values(control));
        var effect = WelchInterval.Of(a, b);
        var incremental = effect.Difference * mailed.Count;
        double? roi = cost is { } c && c > 0 ? (incremental - (double)c) / (double)c : null;
        return new CampaignEffectRow(label, days, measure, Sum(mailed), Sum(control), a, b, effect, incremental, roi);
    }

    /// <summary>The report of one campaign: the effect per window, then by ABC class and segment.</summary>
    public static IReadOnlyList<ReportSection> SectionsOf(CampaignEffect effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        var notes = Notes(effect);
        var main = new ReportTable
        {
            Columns = ["days", "measure", "mailed", "control", "mailed total", "control total", "mailed mean", "control mean", "difference", "95% low", "95% high", "incremental", "ROI %"],
            Kinds =
            [
                ReportColumnKind.Number, ReportColumnKind.Text, ReportColumnKind.Number, ReportColumnKind.Number, ReportColumnKind.Money, ReportColumnKind.Money,
                ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money,
                ReportColumnKind.Number,
            ],
            Rows = effect.Rows.Where(r => r.Breakdown == All).Select(r => (IReadOnlyList<string>)
            [
                CountCell(r.Days), r.Measure, CountCell(r.Mailed.Count), CountCell(r.Control.Count), MoneyCell(r.MailedTotal), MoneyCell(r.ControlTotal),
                MeanOf(r.Mailed), MeanOf(r.Control), Amount(r.Effect.Difference), Amount(r.Effect.Low), Amount(r.Effect.High), Amount(r.Incremental),
                r.Roi is { } roi ? PercentCell(roi * 100) : "",
            ]).ToList(),
            Notes = notes,
        };
        var breakdown = new ReportTable
        {
            Columns = ["clients", "days", "measure", "mailed", "control", "mailed mean", "control mean", "difference", "95% low", "95% high", "incremental"],
            Kinds =
            [
                ReportColumnKind.Text, ReportColumnKind.Number, ReportColumnKind.Text, ReportColumnKind.Number, ReportColumnKind.Number, ReportColumnKind.Money,
                ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money,
            ],
            Rows = effect.Rows.Where(r => r.Breakdown != All).Select(r => (IReadOnlyList<string>)
            [
                r.Breakdown, CountCell(r.Days), r.Measure, CountCell(r.Mailed.Count), CountCell(r.Control.Count), MeanOf(r.Mailed), MeanOf(r.Control),
                Amount(r.Effect.Difference), Amount(r.Effect.Low), Amount(r.Effect.High), Amount(r.Incremental),
            ]).ToList(),
            Notes = ["Classes are the clients' ABC classes on the send day (the Pareto report's, over the twelve months up to it)."],
        };
        return [new ReportSection("Effect per client, mailed against control", main), new ReportSection("By ABC class and segment condition", breakdown)];
    }

    private static List<string> Notes(CampaignEffect effect)
    {
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"Campaign '{effect.Campaign}' sent on {ReportSql.Day(effect.SentOn)} to {(effect.Segment ?? "every client")}: {effect.Mailed} mailed, {effect.Control} in the control group (never mailed), {effect.HeldBack} held back: unresolved problems (not measured)."),
            "revenue: invoices issued; paid: payments received; both from the send day for N days, summed from the mirrored ledger rows of the group's clients.",
            "difference: mailed mean − control mean per client, with Welch's 95 % interval (unequal variances, Welch–Satterthwaite degrees of freedom); " +
            "incremental: difference × mailed clients; ROI: (incremental revenue − cost) / cost, on revenue, not margin.",
        };
        var open = effect.Rows.Select(r => r.Days).Distinct().Where(d => effect.SentOn.AddDays(d) > effect.Today.AddDays(1)).ToList();
        if (open.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Windows not over yet on {ReportSql.Day(effect.Today)}: {string.Join(", ", open)} days; they count what has come so far."));
        }

        return notes;
    }

    private static string MeanOf(SampleSummary group) => group.Count == 0 ? "" : Amount(group.Mean);

    private static string Amount(double value) => double.IsFinite(value) ? value.ToString("0.00", CultureInfo.InvariantCulture) : "";

    private protected override ReportTable Build(ReportRequest request)
    {
        List<string> campaigns;
        using (var connection = Store.Open())
        {
            campaigns = connection.Query<string>(CampaignsSentSql, new { from = ReportSql.Day(request.From), to = ReportSql.Day(request.To) }).ToList();
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var campaign in campaigns.Take(TopOf(request)))
        {
            var effect = Compute(new CampaignEffectRequest(campaign, [CampaignEffectRequest.DefaultDays[0]]), request.AsOf, Measures[..1], byClass: false);
            var r = effect.Rows.First(x => x.Breakdown == All && x.Measure == "revenue");
            rows.Add(
            [
                campaign, ReportSql.Day(effect.SentOn), CountCell(effect.Mailed), CountCell(effect.Control), CountCell(effect.HeldBack),
                Amount(r.Effect.Difference), Amount(r.Effect.Low), Amount(r.Effect.High), Amount(r.Incremental),
            ]);
        }

        return new ReportTable
        {
            Columns = ["campaign", "sent on", "mailed", "control", "held back", "difference", "95% low", "95% high", "incremental"],
            Kinds =
            [
                ReportColumnKind.Text, ReportColumnKind.Text, ReportColumnKind.Number, ReportColumnKind.Number, ReportColumnKind.Number,
                ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money, ReportColumnKind.Money,
            ],
            Rows = rows,
            Notes =
            [
                $"Campaigns first sent {Range(request)}; revenue invoiced in the {CampaignEffectRequest.DefaultDays[0]} days from the send, mailed mean − control mean per client with Welch's 95 % interval.",
                "'crmx report campaign NAME' shows one campaign in full: 30, 60 and 90 days, payments, ROI, ABC classes and segments.",
            ],
        };
    }
}
