using CrmExtensions.Ledger.Reading;
using CrmExtensions.Store.Activities;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Deals;
using CrmExtensions.Store.Migrations;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CrmExtensions.Ledger.Tests.Connections;

/// <summary>No SQL Server runs here: every T-SQL statement the store and ledger code emit is parsed instead.</summary>
public sealed class TransactSqlTests
{
    private const string MappingQuery = "SELECT k.[Id] AS ledger_id, k.[Name] AS name, k.[Changed] AS updated_at FROM [dbo].[Counter Party] AS k";

    private const string CteMappingQuery = "WITH k AS (SELECT [Id], [Name], [Changed] FROM [dbo].[Counter Party]) SELECT k.[Id] AS ledger_id, k.[Name] AS name, k.[Changed] AS updated_at FROM k;";

    private static IEnumerable<TestCaseData> Statements()
    {
        var dialect = StoreDialect.For(DatabaseProvider.SqlServer);
        var statements = new List<(string Source, string Sql)>();
        statements.AddRange(Migrator.BookkeepingStatements(dialect).Select(s => ("migrator", s)));
        foreach (var migration in StoreMigrations.All)
        {
            statements.AddRange(migration.Statements(dialect).Select(s => ($"migration {migration.Version}", s)));
        }

        statements.Add(("migration lock", dialect.MigrationLock!));
        statements.AddRange(MirrorWriter.Statements(dialect).Select(s => ("mirror writer", s)));
        statements.AddRange(InvoiceSettlement.Statements().Select(s => ("invoice settlement", s)));
        statements.AddRange(MoneyConversion.Statements().Select(s => ("money conversion", s)));
        statements.AddRange(MirrorSummary.Statements().Select(s => ("mirror summary", s)));
        statements.AddRange(Store.Leases.SyncLock.Statements(Store.Providers.DatabaseProvider.SqlServer).Select(s => ("sync lock", s)));
        statements.AddRange(CrmExtensions.Ledger.Checking.WritePrivileges.Statements().Select(s => ("write privileges", s)));
        statements.AddRange(ClientStore.Statements(dialect).Select(s => ("client store", s)));
        statements.AddRange(ActivityStore.Statements(dialect).Select(s => ("activity store", s)));
        statements.AddRange(DealStore.Statements(dialect).Select(s => ("deal store", s)));
        statements.AddRange(ActivityWriter.Statements().Select(s => ("activity writer", s)));
        statements.AddRange(DealWriter.Statements(dialect).Select(s => ("deal writer", s)));
        statements.AddRange(Store.Reminders.ReminderWriter.Statements(dialect).Select(s => ("reminder writer", s)));
        statements.AddRange(Store.Outbox.OutboxWriter.Statements(dialect).Select(s => ("outbox writer", s)));
        statements.AddRange(ClientTagWriter.Statements(dialect).Select(s => ("client tag writer", s)));
        statements.AddRange(ClientSearchWriter.Statements(dialect).Select(s => ("client search writer", s)));
        statements.AddRange(ClientDirectoryWriter.Statements(dialect).Select(s => ("client directory writer", s)));
        statements.AddRange(ClientDirectory.Statements(dialect).Select(s => ("client directory", s)));
        statements.AddRange(Runtime.Events.DeliveryLog.Statements(dialect).Select(s => ("plugin delivery", s)));
        statements.AddRange(Runtime.Storage.WriteApplier.Statements(dialect).Select(s => ("plugin writes", s)));
        statements.AddRange(Runtime.Storage.StoreReader.Statements(dialect).Select(s => ("plugin reads", s)));
        statements.AddRange(Runtime.Storage.StoreState.Statements().Select(s => ("plugin state", s)));
        statements.AddRange(Runtime.Reminders.ReminderRunner.Statements(dialect).Select(s => ("reminder runs", s)));
        statements.AddRange(Runtime.Reminders.ReminderBook.Statements(dialect).Select(s => ("reminder book", s)));
        statements.AddRange(Runtime.Storage.StoreFacts.Statements().Select(s => ("plugin facts", s)));
        statements.AddRange(Store.Leases.StoreLeases.Statements().Select(s => ("leases", s)));
        statements.AddRange(Store.Jobs.JobSlots.Statements().Select(s => ("job slots", s)));
        statements.AddRange(Store.Plugins.PluginQuarantine.Statements().Select(s => ("plugin quarantine", s)));
        statements.AddRange(Mail.Outbox.OutboxStore.Statements().Select(s => ("outbox", s)));
        statements.AddRange(Mail.Consent.SuppressionList.Statements(dialect).Select(s => ("mail suppressions", s)));
        statements.AddRange(Runtime.Storage.PluginOutput.Statements().Select(s => ("plugin output", s)));
        statements.AddRange(Mail.Model.MailModelBuilder.Statements().Select(s => ("mail model", s)));
        statements.AddRange(Mail.Campaigns.Segment.Statements().Select(s => ("campaign segments", s)));
        statements.Add(("campaign classes", Mail.Campaigns.CampaignRunner.ClassesSql));
        statements.AddRange(Store.Campaigns.UnresolvedProblems.Statements().Select(s => ("unresolved problems", s)));
        statements.AddRange(Store.Campaigns.CampaignGroupWriter.Statements(dialect).Select(s => ("campaign groups", s)));
        statements.AddRange(Reports.Builtin.CampaignReport.Statements().Select(s => ("campaign report", s)));
        statements.AddRange(Mail.Segments.BehaviourSegments.Statements().Select(s => ("behaviour segments", s)));
        statements.AddRange(Store.Segments.SegmentDefinitionStore.Statements(dialect).Select(s => ("segment definitions", s)));
        statements.AddRange(Reports.Builtin.ReportSql.Statements(dialect).Select(s => ("reports", s)));
        statements.AddRange(Reports.Dossier.DossierReader.Statements(dialect).Select(s => ("dossier", s)));
        statements.AddRange(Reports.Dossier.TimelineReader.Statements(dialect).Select(s => ("timeline", s)));
        statements.AddRange(Reports.Workday.MyDayReader.Statements().Select(s => ("my day", s)));
        statements.AddRange(Store.Web.WebUserStore.Statements(dialect).Select(s => ("web users", s)));
        statements.AddRange(Store.Web.WebKeyRing.Statements(dialect).Select(s => ("web keys", s)));
        statements.AddRange(Store.ChangeFingerprint.Statements().Select(s => ("change fingerprint", s)));
        statements.AddRange(Store.Recommendations.RecommendationWriter.Statements(dialect).Select(s => ("recommendation writer", s)));
        statements.AddRange(Store.Recommendations.ProductRecommendations.Statements().Select(s => ("recommendations", s)));
        foreach (var query in new[] { MappingQuery, CteMappingQuery })
        {
            statements.Add(("ledger read", LedgerReader.Wrapped(DatabaseProvider.SqlServer, query)));
            statements.Add(("ledger watermark read", LedgerReader.WatermarkSql(DatabaseProvider.SqlServer, query, "updated_at")));
            statements.Add(("ledger keys read", LedgerReader.KeysSql(DatabaseProvider.SqlServer, query)));
            statements.Add(("ledger sample read", LedgerReader.SampleSql(DatabaseProvider.SqlServer, query, 100)));
            statements.Add(("ledger duplicate ids", CrmExtensions.Ledger.Checking.WholeResultChecks.DuplicateIdsSql(DatabaseProvider.SqlServer, query)));
            statements.Add(("ledger rows per counterparty", CrmExtensions.Ledger.Checking.WholeResultChecks.RowsPerCounterpartySql(DatabaseProvider.SqlServer, query)));
        }

        return statements.Select((s, i) => new TestCaseData(s.Sql).SetName($"Parse_{s.Source.Replace(' ', '_')}_{i:000}"));
    }

    [TestCaseSource(nameof(Statements))]
    public void Parse_EveryStatementForSqlServer_HasNoErrors(string sql)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);

        parser.Parse(reader, out var errors);

        Assert.That(errors.Select(e => $"({e.Line},{e.Column}) {e.Message}"), Is.Empty, sql);
    }

    [Test]
    public void Statements_CoverEveryMirrorKind() =>
        Assert.That(Statements().Count(), Is.GreaterThan(MirrorSchema.Kinds.Count * 5));
}
