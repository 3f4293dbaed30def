namespace CrmExtensions.Unification.Names;

/// <summary>Legal-form words (Russian, their Latin transliterations, and foreign forms) and their canonical labels.</summary>
internal static class LegalForms
{
    // Phrases as lower-case tokens (dots between single letters already joined: "b.v." → "bv").
    private static readonly (string[] Tokens, string Label)[] Forms = Build(
    [
        ("общество с ограниченной ответственностью", "ООО"),
        ("обществом с ограниченной ответственностью", "ООО"),
        ("товарищество с ограниченной ответственностью", "ТОО"),
        ("публичное акционерное общество", "ПАО"),
        ("непубличное акционерное общество", "АО"),
        ("открытое акционерное общество", "ОАО"),
        ("закрытое акционерное общество", "ЗАО"),
        ("акционерное общество", "АО"),
        ("индивидуальный предприниматель", "ИП"),
        ("автономная некоммерческая организация", "АНО"),
        ("некоммерческая организация", "НКО"),
        ("федеральное государственное унитарное предприятие", "ФГУП"),
        ("государственное унитарное предприятие", "ГУП"),
        ("муниципальное унитарное предприятие", "МУП"),
        ("федеральное государственное бюджетное учреждение", "ФГБУ"),
        ("государственное бюджетное учреждение", "ГБУ"),
        ("крестьянское фермерское хозяйство", "КФХ"),
        ("глава крестьянского фермерского хозяйства", "КФХ"), ("глава кфх", "КФХ"),
        ("производственный кооператив", "ПК"),
        ("limited liability company", "LLC"),
        ("public limited company", "PLC"),
        ("joint stock company", "JSC"),
        ("ооо", "ООО"), ("ао", "АО"), ("пао", "ПАО"), ("зао", "ЗАО"), ("оао", "ОАО"), ("нао", "АО"),
        ("ип", "ИП"), ("пбоюл", "ИП"), ("нко", "НКО"), ("ано", "АНО"), ("фгуп", "ФГУП"), ("гуп", "ГУП"),
        ("муп", "МУП"), ("фгбу", "ФГБУ"), ("гбу", "ГБУ"), ("мбу", "МБУ"), ("тоо", "ТОО"), ("кфх", "КФХ"),
        ("ooo", "ООО"), ("zao", "ЗАО"), ("oao", "ОАО"), ("pao", "ПАО"), ("ao", "АО"), ("ip", "ИП"),
        ("jsc", "JSC"), ("ojsc", "ОАО"), ("cjsc", "ЗАО"), ("pjsc", "ПАО"),
        ("llc", "LLC"), ("l l c", "LLC"), ("ltd", "Ltd"), ("limited", "Ltd"), ("inc", "Inc"), ("incorporated", "Inc"),
        ("corp", "Corp"), ("corporation", "Corp"), ("co", "Co"), ("company", "Co"), ("plc", "PLC"), ("llp", "LLP"),
        ("lp", "LP"), ("gmbh", "GmbH"), ("ag", "AG"), ("kg", "KG"), ("bv", "B.V."), ("nv", "N.V."), ("sa", "S.A."),
        ("sarl", "SARL"), ("srl", "SRL"), ("spa", "S.p.A."), ("oy", "Oy"), ("ab", "AB"), ("as", "AS"), ("pte", "Pte"),
        ("sp z o o", "Sp. z o.o."), ("spzoo", "Sp. z o.o."), ("sp z oo", "Sp. z o.o."), ("spz oo", "Sp. z o.o."),
        ("spk", "Sp.k."), ("sp j", "Sp.j."), ("sà rl", "SARL"), ("sa rl", "SARL"), ("oü", "OÜ"), ("oyj", "Oyj"), ("aş", "A.Ş."),
        ("ug", "UG"), ("ug haftungsbeschränkt", "UG"), ("ug haftungsbeschrankt", "UG"), ("kgaa", "KGaA"), ("ggmbh", "gGmbH"),
        ("тов", "ТОВ"), ("одо", "ОДО"), ("spol s ro", "s.r.o."), ("spol s r o", "s.r.o."), ("vos", "v.o.s."),
        ("s de rl", "S. de R.L."), ("s de rl de cv", "S. de R.L. de C.V."), ("pt", "PT"), ("tbk", "Tbk"),
        ("llc fz", "LLC"), ("fz llc", "LLC"), ("fzc", "FZC"), ("ab publ", "AB"), ("gbr", "GbR"), ("ohg", "OHG"),
        ("ood", "OOD"), ("eood", "EOOD"), ("ead", "EAD"), ("sp k", "Sp.k."), ("s r o", "s.r.o."), ("sro", "s.r.o."),
        ("a s", "A/S"), ("aps", "ApS"), ("b v", "B.V."), ("n v", "N.V."), ("s a", "S.A."), ("s p a", "S.p.A."), ("s r l", "SRL"),
        ("kft", "Kft."), ("zrt", "Zrt."), ("uab", "UAB"), ("sia", "SIA"), ("ou", "OÜ"), ("d o o", "d.o.o."), ("doo", "d.o.o."),
        ("sas", "SAS"), ("bvba", "BVBA"), ("pty", "Pty"), ("se", "SE"), ("kk", "K.K."),
        ("ltda", "Ltda"), ("limitada", "Ltda"), ("sdn bhd", "Sdn Bhd"), ("bhd", "Bhd"), ("pvt", "Pvt"), ("wll", "W.L.L."),
        ("fzco", "FZCO"), ("fze", "FZE"), ("sa de cv", "S.A. de C.V."), ("eireli", "EIRELI"), ("asa", "ASA"),

        // Foreign forms written out, as registers and letterheads write them (with and without their accents).
        ("aktiengesellschaft", "AG"), ("kommanditgesellschaft", "KG"),
        ("gesellschaft mit beschränkter haftung", "GmbH"), ("gesellschaft mit beschrankter haftung", "GmbH"),
        ("gesellschaft mit beschraenkter haftung", "GmbH"),
        ("naamloze vennootschap", "N.V."), ("besloten vennootschap", "B.V."),
        ("société anonyme", "S.A."), ("societe anonyme", "S.A."), ("sociedad anónima", "S.A."), ("sociedad anonima", "S.A."),
        ("société à responsabilité limitée", "SARL"), ("societe a responsabilite limitee", "SARL"),
        ("société par actions simplifiée", "SAS"), ("societe par actions simplifiee", "SAS"),
        ("società per azioni", "S.p.A."), ("societa per azioni", "S.p.A."),
        ("società a responsabilità limitata", "SRL"), ("societa a responsabilita limitata", "SRL"),
        ("spółka z ograniczoną odpowiedzialnością", "Sp. z o.o."), ("spolka z ograniczona odpowiedzialnoscia", "Sp. z o.o."),
        ("aktiebolag", "AB"), ("aktiebolaget", "AB"), ("aksjeselskap", "AS"), ("aktieselskab", "A/S"),
        ("osakeyhtiö", "Oy"), ("osakeyhtio", "Oy"), ("anonim şirketi", "A.Ş."), ("anonim sirketi", "A.Ş."),
        ("sendirian berhad", "Sdn Bhd"), ("berhad", "Bhd"), ("proprietary limited", "Pty"), ("private limited", "Pvt"),
        ("public company limited", "PCL"), ("pcl", "PCL"), ("limited partnership", "LP"),
        ("limited liability partnership", "LLP"), ("kabushiki kaisha", "K.K."),
    ]);

    private static readonly Dictionary<string, (string[] Tokens, string Label)[]> ByFirst = Forms
        .GroupBy(f => f.Tokens[0], StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    private static readonly Dictionary<string, (string[] Tokens, string Label)[]> ByLast = Forms
        .GroupBy(f => f.Tokens[^1], StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    // Forms one firm is written with as its law renamed them: a Russian joint-stock company was an ОАО or a ЗАО until
    // 2014 and is a ПАО or an АО since, and ledgers keep both spellings.
    private static readonly string[][] Renamed = [["АО", "ОАО", "ЗАО", "ПАО"]];

    /// <summary>Whether two labels are forms of two different firms: both forms registered under the law of Russia or a
    /// neighbour that writes it in Cyrillic (ТОО, ТОВ; the label is Cyrillic however the ledger spelt it: "OOO" is ООО),
    /// neither the same nor renamed forms of one kind ("ООО" / "АО", "ООО" / "ИП", "ООО" / "ТОО"; not "ОАО" / "ПАО"). A
    /// form in another language may be a translation ("Romaschka LLC" is ООО «Ромашка» written in English), so it
    /// differs from none.</summary>
    public static bool OfTwoFirms(string a, string b)
    {
        if (a == b || !IsCyrillic(a) || !IsCyrillic(b))
        {
            return false;
        }

        foreach (var kind in Renamed)
        {
            if (Array.IndexOf(kind, a) >= 0 && Array.IndexOf(kind, b) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCyrillic(string label) => label[0] is >= 'А' and <= 'Я';

    /// <summary>The labels of a person's business (a sole proprietor's, a peasant farm's), whose name is the person's own.</summary>
    public static readonly IReadOnlyList<string> PersonForms = ["ИП", "КФХ"];

    /// <summary>Whether <paramref name="label"/> is a person's business (<see cref="PersonForms"/>).</summary>
    public static bool IsPersonForm(string? label) => label is not null && PersonForms.Contains(label);

    /// <summary>Strips legal forms from the start and the end of the token list; returns the first label found.</summary>
    /// <remarks>What follows a person's form (a sole proprietor's, a peasant farm's) is the person's name: initials that
    /// spell another form ("ИП Петров А.О.", "КФХ Осипов С.А.") stay; only a person's form is stripped after it ("ИП глава
    /// КФХ Сидоров Б.Г.").</remarks>
    public static string? Strip(List<string> tokens)
    {
        string? label = null;
        var changed = true;
        while (changed && tokens.Count > 0)
        {
            changed = false;
            var candidates = ByFirst.GetValueOrDefault(tokens[0]) ?? [];
            if (ByLast.TryGetValue(tokens[^1], out var last))
            {
                candidates = [.. candidates, .. last];
            }

            foreach (var (form, formLabel) in candidates)
            {
                if (IsPersonForm(label) && !IsPersonForm(formLabel))
                {
                    continue;
                }

                if (form.Length <= tokens.Count && Matches(tokens, 0, form))
                {
                    tokens.RemoveRange(0, form.Length);
                    label ??= formLabel;
                    changed = true;
                    break;
                }

                if (form.Length <= tokens.Count && Matches(tokens, tokens.Count - form.Length, form))
                {
                    tokens.RemoveRange(tokens.Count - form.Length, form.Length);
                    label ??= formLabel;
                    changed = true;
                    break;
                }
            }
        }

        return label;
    }

    private static bool Matches(List<string> tokens, int start, string[] form)
    {
        for (var i = 0; i < form.Length; i++)
        {
            if (!string.Equals(tokens[start + i], form[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static (string[] Tokens, string Label)[] Build((string Phrase, string Label)[] forms) =>
        [.. forms
            .Select(f => (f.Phrase.Split(' '), f.Label))
            .OrderByDescending(f => f.Item1.Length)];
}
