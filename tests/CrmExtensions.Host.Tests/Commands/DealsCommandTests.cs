namespace CrmExtensions.Host.Tests.Commands;

public sealed class DealsCommandTests
{
    private SmallLedger _ledger = null!;

    [SetUp]
    public void SetUp() => _ledger = new SmallLedger(withGuardPlugin: true);

    [TearDown]
    public void TearDown() => _ledger.Dispose();

    private string Open(string client, string title)
    {
        var opened = _ledger.Succeed("deals", "add", "--client", client, "--title", title, "--pipeline", "sales", "--amount", "1 234 567,89",
            "--owner", "Петров", "--close", "2026-12-31");
        return opened.Out.Split(' ')[2];
    }

    [Test]
    public void Move_ClientOwesOnABranchLedgerRow_RefusedByTheGuardThenAllowedAfterThePaymentIsSynced()
    {
        var deal = Open(SmallLedger.RomashkaInn, "Поставка насосов");

        var refused = _ledger.Run("deals", "move", deal, "--to", "offer", "--by", "Петров");

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Error, Does.Contain("refused by Test.Guard/OverdueGuard: invoice СЧ-17 of main/2 (Branch) was due 2026-02-10; 120000.50 unpaid"));
        Assert.That(_ledger.Succeed("deals", "show", deal).Out, Does.Contain("stage lead"));

        _ledger.Change("UPDATE inv SET paid = amount WHERE id = 'I1'");
        _ledger.Succeed("sync");
        var allowed = _ledger.Run("deals", "move", deal, "--to", "offer", "--by", "Петров");

        Assert.That(allowed.ExitCode, Is.Zero, allowed.Error);
        Assert.That(allowed.Out, Does.Contain($"Deal {deal} moved from 'lead' to 'offer' by Петров."));
        var show = _ledger.Succeed("deals", "show", deal).Out;
        Assert.That(show, Does.Contain("stage offer").And.Contain("amount 1\u00A0234\u00A0567,89"), "ru-RU groups with no-break spaces");
        Assert.That(show, Does.Match(@"REFUSED lead → offer for Петров: Test.Guard/OverdueGuard: invoice СЧ-17[^\n]*\n[^\n]*lead → offer by Петров"));
    }

    [Test]
    public void Move_ShippedReceivablesGuard_RefusesWhileABranchOwesAndAllowsOnceThePaymentIsSynced()
    {
        using var ledger = new SmallLedger();
        ledger.InstallShippedPlugins("CrmExtensions.Plugins.Sales", "CrmExtensions.Plugins.Receivables");
        var opened = ledger.Succeed("deals", "add", "--client", SmallLedger.RomashkaInn, "--title", "Поставка насосов", "--pipeline", "sales", "--owner", "Петров");
        Assert.That(opened.Out, Does.Contain("pipeline sales (CrmExtensions.Sales), stage lead"));
        var deal = opened.Out.Split(' ')[2];

        var refused = ledger.Run("deals", "move", deal, "--to", "offer", "--by", "Петров");

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        // The head office's deal; the debt sits on the Saint Petersburg branch (another KPP of the same INN).
        Assert.That(refused.Error, Does.Contain("refused by CrmExtensions.Receivables/OverdueDebtGuard: client «")
            .And.Contain("invoice СЧ-17 (main/I1)").And.Contain("Санкт-Петербург"));

        ledger.Change("UPDATE inv SET paid = amount WHERE id = 'I1'");
        ledger.Succeed("sync");
        var allowed = ledger.Run("deals", "move", deal, "--to", "offer", "--by", "Петров");

        Assert.That(allowed.ExitCode, Is.Zero, allowed.Error);
        Assert.That(allowed.Out, Does.Contain($"Deal {deal} moved from 'lead' to 'offer' by Петров."));
    }

    [Test]
    public void Move_NotAllowedByThePipeline_SaysWhereTheDealMayGo()
    {
        var deal = Open(SmallLedger.VectorInn, "Сервис");

        var result = _ledger.Run("deals", "move", deal, "--to", "won");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("pipeline 'sales' does not allow a move from 'lead' to 'won'; from 'lead' a deal may move to: offer, lost"));
        Assert.That(_ledger.Succeed("deals", "show", deal).Out, Does.Contain("REFUSED lead → won"));
    }

    [Test]
    public void Move_ThroughToWon_ClosesTheDealAndListsItByStage()
    {
        var deal = Open(SmallLedger.VectorInn, "Сервис на год");

        foreach (var stage in new[] { "offer", "invoiced", "won" })
        {
            _ledger.Succeed("deals", "move", deal, "--to", stage, "--by", "Сидорова");
        }

        var won = _ledger.Succeed("deals", "list", "--stage", "won").Out;
        Assert.That(won, Does.Contain("won (won)").And.Contain("Сервис на год").And.Contain("1 deals."));
        Assert.That(_ledger.Succeed("deals", "list", "--stage", "lead").Out, Does.Contain("0 deals."));
        Assert.That(_ledger.Succeed("deals", "show", deal).Out, Does.Contain("closed "));
    }

    [Test]
    public void Move_GuardThrows_CountsAsARefusalNamingThePlugin()
    {
        var deal = Open(SmallLedger.VectorInn, "boom");

        var result = _ledger.Run("deals", "move", deal, "--to", "offer");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("refused by Test.Guard/FussyGuard: guard failed: plugin 'Test.Guard': stage guard FussyGuard threw InvalidOperationException: the guard broke on boom"));
    }

    [TestCase("exit", "stage guards ended its worker: the worker exited with code 42")]
    [TestCase("busy", "stage guard FussyGuard did not finish within its time budget of 3 s; abandoned. The worker was ended.")]
    public void Move_GuardEndsOrOverrunsItsWorker_RefusedNamingThePluginAndTheDealStays(string failure, string named)
    {
        var crash = Open(SmallLedger.VectorInn, "crash");
        var calm = Open(SmallLedger.VectorInn, "pumps");
        var settings = new Dictionary<string, string>
        {
            ["CRMX__plugins__settings__Test.Guard__failure"] = failure,
            // The budget also holds the second move, a new process whose worker's first call compiles its way through the
            // guards: on a loaded machine that has taken over a second.
            ["CRMX__plugins__callBudgetSeconds"] = "3",
        };

        var refused = Crmx.Run(_ledger.Folder, settings, "deals", "move", crash, "--to", "offer");
        var moved = Crmx.Run(_ledger.Folder, settings, "deals", "move", calm, "--to", "offer");

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Error, Does.Contain("refused by Test.Guard/FussyGuard: guard failed: plugin 'Test.Guard': " + named)
            .And.Contain("refused by Test.Guard/OverdueGuard: guard failed: plugin 'Test.Guard': " + named));
        Assert.That(_ledger.Succeed("deals", "show", crash).Out, Does.Contain("stage lead").And.Contain("REFUSED lead → offer"));
        Assert.That(moved.ExitCode, Is.Zero, moved.Error);
        Assert.That(moved.Out, Does.Contain($"Deal {calm} moved from 'lead' to 'offer'"));
    }

    [Test]
    public void Add_UnknownPipeline_ListsThePluginsPipelines()
    {
        var result = _ledger.Run("deals", "add", "--client", SmallLedger.VectorInn, "--title", "x", "--pipeline", "nope");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("No pipeline 'nope'; the plugins define: Test.Guard/sales."));
    }

    [Test]
    public void PluginsList_ShowsThePipelineAndGuards()
    {
        var result = _ledger.Succeed("plugins", "list");

        Assert.That(result.Out, Does.Contain("pipelines: sales; guards: OverdueGuard, FussyGuard"));
    }
}
