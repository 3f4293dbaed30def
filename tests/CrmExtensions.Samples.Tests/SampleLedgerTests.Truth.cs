namespace CrmExtensions.Samples.Tests;

public sealed partial class SampleLedgerTests
{
    private static readonly string[] Roles = ["head", "duplicate", "branch", "group_member", "sole_proprietor", "foreign"];

    [Test]
    public void Generate_Truth_CoversEveryCounterpartyRowAndNoOther()
    {
        var truthKeys = _truth.Select(t => (t.Ledger, t.LedgerId)).ToList();
        var rowKeys = _rows.Select(r => (r.Ledger, r.LedgerId)).ToList();

        Assert.That(truthKeys, Is.Unique);
        Assert.That(truthKeys, Is.EquivalentTo(rowKeys));
        Assert.That(rowKeys, Has.Count.EqualTo(1_200));
        Assert.That(_result.Ledgers.Sum(l => l.Counterparties), Is.EqualTo(1_200));
    }

    [Test]
    public void Generate_Truth_HasEveryRoleAndNothingElse()
    {
        Assert.That(_truth.Select(t => t.Role).Distinct(), Is.EquivalentTo(Roles));
    }

    [Test]
    public void Generate_Truth_EachLegalEntityBelongsToOneClientAndHasOneHead()
    {
        foreach (var entity in _truth.GroupBy(t => t.LegalEntity))
        {
            Assert.That(entity.Select(t => t.Client).Distinct().Count(), Is.EqualTo(1), entity.Key);
            Assert.That(entity.Count(t => t.Role is not ("duplicate" or "branch")), Is.EqualTo(1), entity.Key);
        }
    }

    [Test]
    public void Generate_InnMarkedValid_PassesChecksum()
    {
        var byKey = _rows.ToDictionary(r => (r.Ledger, r.LedgerId));
        var valid = _truth.Where(t => t.InnValid).Select(t => byKey[(t.Ledger, t.LedgerId)].TaxId).ToList();

        Assert.That(valid, Has.Count.GreaterThan(800));
        Assert.That(valid, Has.All.Matches<string?>(RussianRules.IsInn));
    }

    [Test]
    public void Generate_InnMarkedInvalid_FailsChecksumOrIsMissing()
    {
        var byKey = _rows.ToDictionary(r => (r.Ledger, r.LedgerId));
        var invalid = _truth.Where(t => !t.InnValid).Select(t => byKey[(t.Ledger, t.LedgerId)].TaxId).ToList();

        Assert.That(invalid.Where(inn => inn is not null), Is.Not.Empty, "some rows carry an INN that is wrong");
        Assert.That(invalid, Has.None.Matches<string?>(RussianRules.IsInn));
    }

    [Test]
    public void Generate_RegistrationNumbers_PassChecksumForTheirKind()
    {
        foreach (var row in _rows.Where(r => r.RegistrationNumber is not null))
        {
            var ok = row.TaxId?.Length == 12 ? RussianRules.IsOgrnip(row.RegistrationNumber!) : RussianRules.IsOgrn(row.RegistrationNumber!);
            Assert.That(ok, Is.True, $"{row.Ledger}/{row.LedgerId}: {row.RegistrationNumber}");
        }
    }

    [Test]
    public void Generate_BranchCodes_HeadOrBranchByRole()
    {
        var truth = _truth.ToDictionary(t => (t.Ledger, t.LedgerId));
        var withKpp = _rows.Where(r => r.BranchCode is not null).ToList();

        Assert.That(withKpp, Is.Not.Empty);
        foreach (var row in withKpp)
        {
            var role = truth[(row.Ledger, row.LedgerId)].Role;
            var ok = role == "branch" ? RussianRules.IsBranchKpp(row.BranchCode!) : RussianRules.IsHeadKpp(row.BranchCode!);
            Assert.That(ok, Is.True, $"{role} {row.Ledger}/{row.LedgerId}: {row.BranchCode}");
            Assert.That(row.TaxId, Has.Length.EqualTo(10), "only organisations have a KPP");
        }
    }

    [Test]
    public void Generate_ValidInn_NamesOneLegalEntity()
    {
        var truth = _truth.ToDictionary(t => (t.Ledger, t.LedgerId));
        var entitiesPerInn = _rows
            .Where(r => truth[(r.Ledger, r.LedgerId)].InnValid)
            .GroupBy(r => r.TaxId!)
            .Select(g => g.Select(r => truth[(r.Ledger, r.LedgerId)].LegalEntity).Distinct().Count());

        Assert.That(entitiesPerInn, Has.All.EqualTo(1));
    }

    [Test]
    public void Generate_SeveralLedgers_SomeClientsInMoreThanOne()
    {
        var spread = _truth.GroupBy(t => t.Client).Count(c => c.Select(t => t.Ledger).Distinct().Count() > 1);

        Assert.That(spread, Is.GreaterThan(20));
    }

    [Test]
    public void Generate_DuplicateWithoutValidInn_SharesPhoneOrMailWithItsHead()
    {
        var rows = _rows.ToDictionary(r => (r.Ledger, r.LedgerId));
        var checkedEntities = 0;
        foreach (var entity in _truth.Where(t => !t.InnValid).GroupBy(t => t.LegalEntity).Where(g => g.Count() > 1))
        {
            var head = rows[entity.Single(t => t.Role != "duplicate") is var h ? (h.Ledger, h.LedgerId) : default];
            foreach (var duplicate in entity.Where(t => t.Role == "duplicate").Select(t => rows[(t.Ledger, t.LedgerId)]))
            {
                var samePhone = head.Phone is not null && duplicate.Phone is not null
                    && TestLedger.PhoneDigits(head.Phone) == TestLedger.PhoneDigits(duplicate.Phone);
                var sameMail = head.Email is not null && string.Equals(head.Email, duplicate.Email, StringComparison.OrdinalIgnoreCase);
                Assert.That(samePhone || sameMail, Is.True, $"{duplicate.Name} vs {head.Name}");
            }

            checkedEntities++;
        }

        Assert.That(checkedEntities, Is.GreaterThan(5));
    }

    [Test]
    public void Generate_GroupMembers_CarryAtLeastTwoSignals()
    {
        var rows = _rows.ToDictionary(r => (r.Ledger, r.LedgerId));
        var contacts = TestLedger.ReadContacts(_result);
        var groups = _truth.GroupBy(t => t.Client).Where(c => c.Select(t => t.LegalEntity).Distinct().Count() > 1).ToList();
        Assert.That(groups, Has.Count.GreaterThan(10));

        foreach (var group in groups)
        {
            var headEntity = group.Single(t => t.Role == "head").LegalEntity;
            var headRows = group.Where(t => t.LegalEntity == headEntity).ToList();
            var domains = headRows.Select(t => TestLedger.PrivateDomain(rows[(t.Ledger, t.LedgerId)].Email)).OfType<string>().ToHashSet();
            var phones = headRows.Select(t => rows[(t.Ledger, t.LedgerId)].Phone).OfType<string>().Select(TestLedger.PhoneDigits).ToHashSet();
            var people = headRows.SelectMany(t => contacts[(t.Ledger, t.LedgerId)]).Where(c => c.Phone is not null).ToHashSet();
            var headKeys = headRows.Select(t => (t.Ledger, t.LedgerId)).ToHashSet();
            foreach (var member in group.Where(t => t.Role == "group_member"))
            {
                var row = rows[(member.Ledger, member.LedgerId)];
                var signals = 0;
                signals += TestLedger.PrivateDomain(row.Email) is { } d && domains.Contains(d) ? 1 : 0;
                signals += row.Phone is not null && phones.Contains(TestLedger.PhoneDigits(row.Phone)) ? 1 : 0;
                signals += contacts[(member.Ledger, member.LedgerId)].Any(people.Contains) ? 1 : 0;
                signals += row.ParentLedgerId is not null && headKeys.Contains((member.Ledger, row.ParentLedgerId)) ? 1 : 0;
                Assert.That(signals, Is.GreaterThanOrEqualTo(2), $"{row.Name} in the group of {rows[headKeys.First()].Name}");
            }
        }
    }

    [Test]
    public void Generate_DifferentClients_ShareNoPrivateDomainAndNoPhoneButSwitchboards()
    {
        var clientOf = _truth.ToDictionary(t => (t.Ledger, t.LedgerId), t => t.Client);
        var byDomain = _rows.Where(r => TestLedger.PrivateDomain(r.Email) is not null)
            .GroupBy(r => TestLedger.PrivateDomain(r.Email)!)
            .Where(g => g.Select(r => clientOf[(r.Ledger, r.LedgerId)]).Distinct().Count() > 1)
            .Select(g => g.Key);
        var sharedPhones = _rows.Where(r => r.Phone is not null)
            .GroupBy(r => TestLedger.PhoneDigits(r.Phone!))
            .Where(g => g.Select(r => clientOf[(r.Ledger, r.LedgerId)]).Distinct().Count() > 1)
            .ToList();

        Assert.That(byDomain, Is.Empty);
        Assert.That(sharedPhones.SelectMany(g => g), Has.All.Matches<MappedCounterparty>(r => r?.Phone?.Contains("доб.") == true));
        Assert.That(sharedPhones, Is.Not.Empty, "some unrelated firms share a business centre's switchboard");
    }

    [Test]
    public void Generate_SameNameDifferentClients_Exist()
    {
        static string Core(string name) => new(name.Where(char.IsLetter).ToArray());
        var clientOf = _truth.ToDictionary(t => (t.Ledger, t.LedgerId), t => t.Client);
        var namesakes = _rows.GroupBy(r => Core(r.Name)).Count(g => g.Select(r => clientOf[(r.Ledger, r.LedgerId)]).Distinct().Count() > 1);

        Assert.That(namesakes, Is.GreaterThan(0));
    }
}
