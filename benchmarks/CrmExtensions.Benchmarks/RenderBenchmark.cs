using System.Diagnostics;
using System.Text;
using CrmExtensions.Mail.Templates;

/// <summary>
/// Renders per second of a typical reminder mail: the sample <c>statement</c> pack (Russian, three unpaid invoices,
/// two overdue), single-threaded, against a hand-written StringBuilder of the same subject and text in the same run.
/// </summary>
internal static class RenderBenchmark
{
    public static int Run(string packDirectory, int runs, double secondsPerRun)
    {
        var pack = TemplatePack.Load(packDirectory);
        var variables = Variables();
        var model = TemplateModel.From(variables);
        var ru = MailLocale.Russian;
        var expected = pack.Render(model, "ru-RU");
        var handWritten = Baseline(variables, ru);
        if (handWritten != expected.Subject + "\n" + expected.Text)
        {
            Console.Error.WriteLine("the baseline does not write the same text as the template:\n" + handWritten + "\n---\n" + expected.Subject + "\n" + expected.Text);
            return 1;
        }

        Console.WriteLine($"template pack: {packDirectory} (ru-RU); text body {expected.Text!.Length:N0} chars, HTML body {expected.Html!.Length:N0} chars");
        var baseline = new List<(double Wall, double Cpu)>();
        var textOnly = new List<(double Wall, double Cpu)>();
        var fullMail = new List<(double Wall, double Cpu)>();
        Warm(secondsPerRun, () => Baseline(variables, ru));
        Warm(secondsPerRun * 2, () => pack.Render(TemplateModel.From(variables), "ru-RU"));
        for (var run = 1; run <= runs; run++)
        {
            baseline.Add(PerSecond(secondsPerRun, () => Baseline(variables, ru)));
            textOnly.Add(PerSecond(secondsPerRun, () => pack.Render(model, "ru-RU")));
            fullMail.Add(PerSecond(secondsPerRun, () => pack.Render(TemplateModel.From(variables), "ru-RU")));
            Console.WriteLine($"run {run} (wall / processor time): StringBuilder subject+text {baseline[^1].Wall:N0} / {baseline[^1].Cpu:N0} per s; " +
                $"pack subject+HTML+text {textOnly[^1].Wall:N0} / {textOnly[^1].Cpu:N0} per s; with the model converted {fullMail[^1].Wall:N0} / {fullMail[^1].Cpu:N0} per s");
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs, one thread, {Environment.ProcessorCount} cores; mails per second of wall time / of processor time:");
        Console.WriteLine($"  baseline: StringBuilder, same subject and text          : {Bench.Median(baseline.Select(b => b.Wall)),9:N0} / {Bench.Median(baseline.Select(b => b.Cpu)),9:N0}");
        Console.WriteLine($"  sandboxed pack: subject + HTML + text, model reused     : {Bench.Median(textOnly.Select(b => b.Wall)),9:N0} / {Bench.Median(textOnly.Select(b => b.Cpu)),9:N0}");
        Console.WriteLine($"  sandboxed pack: model converted + subject + HTML + text : {Bench.Median(fullMail.Select(b => b.Wall)),9:N0} / {Bench.Median(fullMail.Select(b => b.Cpu)),9:N0}  (target ≥ 20,000)");
        return 0;
    }

    /// <summary>Renders per second of wall time and of the process's processor time (which a shared, busy machine distorts less).</summary>
    private static (double Wall, double Cpu) PerSecond(double seconds, Func<object> render)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 100; i++)
            {
                render();
            }

            count += 100;
        }

        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (count / wall, count / (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static void Warm(double seconds, Func<object> render)
    {
        // Tiered compilation promotes hot methods on a background thread: give it time before measuring.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            render();
        }
    }

    internal static Dictionary<string, object?> Variables()
    {
        static Dictionary<string, object?> Invoice(string number, string issued, string dueOn, decimal due, int daysOverdue) => new()
        {
            ["number"] = number, ["issued_on"] = issued, ["due_on"] = dueOn, ["amount"] = due, ["paid"] = 0m, ["due"] = due,
            ["currency"] = "RUB", ["overdue"] = daysOverdue > 0, ["days_overdue"] = daysOverdue, ["ledger"] = "msk",
        };

        return new Dictionary<string, object?>
        {
            ["client"] = new Dictionary<string, object?> { ["id"] = "42", ["name"] = "ГК «Север»", ["region"] = "Москва", ["city"] = "Москва" },
            ["contact"] = new Dictionary<string, object?> { ["name"] = "Ирина Петровна Смирнова", ["position"] = "Главный бухгалтер", ["email"] = "i.smirnova@sever.ru" },
            ["manager"] = new Dictionary<string, object?> { ["name"] = "Олег Кузнецов" },
            ["invoices"] = new List<object?> { Invoice("МСК-1021", "2026-09-01", "2026-10-01", 1234.56m, 54), Invoice("МСК-1102", "2026-10-20", "2026-11-23", 150000m, 1), Invoice("СПБ-77", "2026-11-10", "2026-12-10", 99.9m, 0) },
            ["totals"] = new Dictionary<string, object?> { ["unpaid"] = 151334.46m, ["unpaid_count"] = 3, ["overdue"] = 151234.56m, ["overdue_count"] = 2, ["revenue_12m"] = 2500000m },
            ["last_purchase"] = new Dictionary<string, object?> { ["number"] = "СПБ-77", ["date"] = "2026-11-10", ["amount"] = 99.9m },
            ["sender"] = new Dictionary<string, object?> { ["company"] = "ООО «Поставщик»", ["email"] = "sales@supplier.ru", ["phone"] = "+7 495 123-45-67", ["website"] = "https://supplier.ru" },
            ["unsubscribe_url"] = "https://crm.example/u/42?a=i.smirnova%40sever.ru&s=abc",
            ["today"] = "2026-11-24",
        };
    }

    /// <summary>The same subject and text body written by hand, with the same formatting helpers.</summary>
    private static string Baseline(Dictionary<string, object?> v, MailLocale ru)
    {
        var client = (Dictionary<string, object?>)v["client"]!;
        var contact = (Dictionary<string, object?>)v["contact"]!;
        var manager = (Dictionary<string, object?>)v["manager"]!;
        var totals = (Dictionary<string, object?>)v["totals"]!;
        var last = (Dictionary<string, object?>)v["last_purchase"]!;
        var sender = (Dictionary<string, object?>)v["sender"]!;
        var today = DateOnly.Parse((string)v["today"]!, System.Globalization.CultureInfo.InvariantCulture);
        var unpaidCount = (int)totals["unpaid_count"]!;
        var overdueCount = (int)totals["overdue_count"]!;
        string Count(long n, string one, string few, string many) => ru.Number(n, 0) + "\u00A0" + ru.Plural(n, one, few, many);
        static DateOnly Date(object? s) => DateOnly.Parse((string)s!, System.Globalization.CultureInfo.InvariantCulture);
        var b = new StringBuilder(1024);
        b.Append(client["name"]).Append(": ").Append(Count(unpaidCount, "неоплаченный счёт", "неоплаченных счёта", "неоплаченных счетов"))
            .Append(" на ").Append(ru.Money((decimal)totals["unpaid"]!)).Append('\n');
        b.Append("Здравствуйте, ").Append(contact["name"]).Append("!\n\n");
        b.Append("На ").Append(ru.LongDate(today)).Append(" за ").Append(client["name"]).Append(' ')
            .Append(ru.Plural(unpaidCount, "числится", "числятся", "числятся")).Append(' ')
            .Append(Count(unpaidCount, "неоплаченный счёт", "неоплаченных счёта", "неоплаченных счетов"))
            .Append(" на сумму ").Append(ru.Money((decimal)totals["unpaid"]!))
            .Append(", из них ").Append(ru.Plural(overdueCount, "просрочен", "просрочены", "просрочены")).Append(' ')
            .Append(Count(overdueCount, "счёт", "счёта", "счетов")).Append(" на ").Append(ru.Money((decimal)totals["overdue"]!)).Append(".\n\n");
        foreach (var item in (List<object?>)v["invoices"]!)
        {
            var invoice = (Dictionary<string, object?>)item!;
            b.Append("— № ").Append(invoice["number"]).Append(" от ").Append(ru.Date(Date(invoice["issued_on"]))).Append(": ").Append(ru.Money((decimal)invoice["due"]!));
            if ((bool)invoice["overdue"]!)
            {
                b.Append(", просрочен на ").Append(Count((int)invoice["days_overdue"]!, "день", "дня", "дней"));
            }

            b.Append('\n');
        }

        b.Append("\nПоследняя покупка: ").Append(ru.Date(Date(last["date"]))).Append(", ").Append(ru.Money((decimal)last["amount"]!)).Append(".\n\n");
        b.Append("С уважением,\n").Append(manager["name"]).Append(", ").Append(sender["company"]).Append('\n')
            .Append(sender["phone"]).Append(" · ").Append(sender["email"]).Append("\n\n")
            .Append("Отписаться от рассылки: ").Append(v["unsubscribe_url"]).Append("\n\n");
        return b.ToString();
    }
}
