namespace CrmExtensions.Contract.Tests;

/// <summary>The answers every implementation gives about <see cref="ContractWorld"/>, worked out from its rows.</summary>
/// <remarks>A client is named by its head's ledger key; amounts are in the invoices' currencies.</remarks>
internal static class Expected
{
    /// <summary>Per day, one line per current client (sorted): every field of its <c>ClientFacts</c>.</summary>
    public static readonly Dictionary<string, string[]> ClientFacts = new()
    {
        ["2024-01-01"] =
        [
            "msk/H1 ООО «Ромашка» | manager Петров П. П. | email office@romashka.ru | members 2 | invoices 0 .. | revenue 0.00 previous 0.00 | payments 0 .. | overdue 0.00",
            "msk/IP ИП Лукин Пётр Сергеевич | manager  | email lukin@mail.ru | members 1 | invoices 0 .. | revenue 0.00 previous 0.00 | payments 0 .. | overdue 0.00",
            "msk/V1 АО «Вектор» | manager Сидоров С. С. | email info@vector.ru | members 2 | invoices 1 2023-11-20..2023-11-20 | revenue 1000.00 previous 0.00 | payments 0 .. | overdue 1000.00",
            "spb/A1 Acme Trading GmbH | manager  | email sales@acme.example | members 1 | invoices 0 .. | revenue 0.00 previous 0.00 | payments 0 .. | overdue 0.00",
        ],
        ["2024-06-30"] =
        [
            "msk/H1 ООО «Ромашка» | manager Петров П. П. | email office@romashka.ru | members 2 | invoices 0 .. | revenue 0.00 previous 0.00 | payments 0 .. | overdue 0.00",
            "msk/IP ИП Лукин Пётр Сергеевич | manager  | email lukin@mail.ru | members 1 | invoices 1 2024-03-01..2024-03-01 | revenue 300.00 previous 0.00 | payments 1 2024-04-10..2024-04-10 | overdue 200.00",
            "msk/V1 АО «Вектор» | manager Сидоров С. С. | email info@vector.ru | members 2 | invoices 2 2023-11-20..2024-06-30 | revenue 1400.00 previous 0.00 | payments 1 2024-01-15..2024-01-15 | overdue 0.00",
            "spb/A1 Acme Trading GmbH | manager  | email sales@acme.example | members 1 | invoices 0 .. | revenue 0.00 previous 0.00 | payments 0 .. | overdue 0.00",
        ],
        ["2025-03-05"] =
        [
            "msk/H1 ООО «Ромашка» | manager Петров П. П. | email office@romashka.ru | members 2 | invoices 5 2025-01-05..2025-03-01 | revenue 260.00 previous 0.00 | payments 2 2025-02-10..2025-03-05 | overdue 120.00",
            "msk/IP ИП Лукин Пётр Сергеевич | manager  | email lukin@mail.ru | members 1 | invoices 1 2024-03-01..2024-03-01 | revenue 0.00 previous 300.00 | payments 1 2024-04-10..2024-04-10 | overdue 200.00",
            "msk/V1 АО «Вектор» | manager Сидоров С. С. | email info@vector.ru | members 2 | invoices 2 2023-11-20..2024-06-30 | revenue 400.00 previous 1000.00 | payments 1 2024-01-15..2024-01-15 | overdue 400.00",
            "spb/A1 Acme Trading GmbH | manager  | email sales@acme.example | members 1 | invoices 0 .. | revenue 0.00 previous 0.00 | payments 0 .. | overdue 0.00",
        ],
        ["2025-06-30"] =
        [
            "msk/H1 ООО «Ромашка» | manager Петров П. П. | email office@romashka.ru | members 2 | invoices 6 2025-01-05..2025-06-01 | revenue 460.00 previous 0.00 | payments 3 2025-02-10..2025-04-01 | overdue 110.00",
            "msk/IP ИП Лукин Пётр Сергеевич | manager  | email lukin@mail.ru | members 1 | invoices 1 2024-03-01..2024-03-01 | revenue 0.00 previous 300.00 | payments 1 2024-04-10..2024-04-10 | overdue 200.00",
            "msk/V1 АО «Вектор» | manager Сидоров С. С. | email info@vector.ru | members 2 | invoices 4 2023-11-20..2025-06-20 | revenue 510.00 previous 1400.00 | payments 1 2024-01-15..2024-01-15 | overdue 0.00",
            "spb/A1 Acme Trading GmbH | manager  | email sales@acme.example | members 1 | invoices 0 .. | revenue 0.00 previous 0.00 | payments 0 .. | overdue 0.00",
        ],
        ["2026-07-01"] =
        [
            "msk/H1 ООО «Ромашка» | manager Петров П. П. | email office@romashka.ru | members 2 | invoices 6 2025-01-05..2025-06-01 | revenue 0.00 previous 460.00 | payments 3 2025-02-10..2025-04-01 | overdue 110.00",
            "msk/IP ИП Лукин Пётр Сергеевич | manager  | email lukin@mail.ru | members 1 | invoices 1 2024-03-01..2024-03-01 | revenue 0.00 previous 0.00 | payments 1 2024-04-10..2024-04-10 | overdue 200.00",
            "msk/V1 АО «Вектор» | manager Сидоров С. С. | email info@vector.ru | members 2 | invoices 4 2023-11-20..2025-06-20 | revenue 0.00 previous 510.00 | payments 1 2024-01-15..2024-01-15 | overdue 500.00",
            "spb/A1 Acme Trading GmbH | manager  | email sales@acme.example | members 1 | invoices 0 .. | revenue 0.00 previous 0.00 | payments 0 .. | overdue 0.00",
        ],
    };

    /// <summary>Per day, the overdue invoices grouped by client (by head key), each client's oldest due first.</summary>
    public static readonly Dictionary<string, string[]> Overdue = new()
    {
        ["2024-01-01"] =
        [
            "msk/V1 msk/6 А-6 1000.00 RUB due 2023-12-20 owes 1000.00 12d as of 2024-01-01 | АО «Вектор» | АО «Вектор» Head Москва |  | info@vector.ru",
        ],
        ["2024-04-10"] =
        [
            "msk/IP msk/5 А-5 300.00 RUB due 2024-03-31 owes 200.00 10d as of 2024-04-10 | ИП Лукин Пётр Сергеевич | ИП Лукин Пётр Сергеевич Head Тверь |  | lukin@mail.ru",
        ],
        ["2025-02-01"] =
        [
            "msk/H1 msk/3 А-3 70.00 RUB due 2025-01-20 owes 70.00 12d as of 2025-02-01 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/IP msk/5 А-5 300.00 RUB due 2024-03-31 owes 200.00 307d as of 2025-02-01 | ИП Лукин Пётр Сергеевич | ИП Лукин Пётр Сергеевич Head Тверь |  | lukin@mail.ru",
            "msk/V1 msk/11 А-11 400.00 RUB due 2024-07-30 owes 400.00 186d as of 2025-02-01 | АО «Вектор» | АО «Вектор» Head Москва | Сидоров С. С. | ",
        ],
        ["2025-02-02"] =
        [
            "msk/H1 msk/3 А-3 70.00 RUB due 2025-01-20 owes 70.00 13d as of 2025-02-02 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/H1 msk/1 А-1 100.00 RUB due 2025-02-01 owes 100.00 1d as of 2025-02-02 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/IP msk/5 А-5 300.00 RUB due 2024-03-31 owes 200.00 308d as of 2025-02-02 | ИП Лукин Пётр Сергеевич | ИП Лукин Пётр Сергеевич Head Тверь |  | lukin@mail.ru",
            "msk/V1 msk/11 А-11 400.00 RUB due 2024-07-30 owes 400.00 187d as of 2025-02-02 | АО «Вектор» | АО «Вектор» Head Москва | Сидоров С. С. | ",
        ],
        ["2025-02-10"] =
        [
            "msk/H1 msk/3 А-3 70.00 RUB due 2025-01-20 owes 70.00 21d as of 2025-02-10 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/H1 msk/1 А-1 100.00 RUB due 2025-02-01 owes 60.00 9d as of 2025-02-10 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/IP msk/5 А-5 300.00 RUB due 2024-03-31 owes 200.00 316d as of 2025-02-10 | ИП Лукин Пётр Сергеевич | ИП Лукин Пётр Сергеевич Head Тверь |  | lukin@mail.ru",
            "msk/V1 msk/11 А-11 400.00 RUB due 2024-07-30 owes 400.00 195d as of 2025-02-10 | АО «Вектор» | АО «Вектор» Head Москва | Сидоров С. С. | ",
        ],
        ["2025-03-05"] =
        [
            "msk/H1 msk/3 А-3 70.00 RUB due 2025-01-20 owes 70.00 44d as of 2025-03-05 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/H1 spb/2 СПБ-2 50.00 RUB due 2025-02-15 owes 50.00 18d as of 2025-03-05 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Кузнецова Е. В. | spb@romashka.ru",
            "msk/IP msk/5 А-5 300.00 RUB due 2024-03-31 owes 200.00 339d as of 2025-03-05 | ИП Лукин Пётр Сергеевич | ИП Лукин Пётр Сергеевич Head Тверь |  | lukin@mail.ru",
            "msk/V1 msk/11 А-11 400.00 RUB due 2024-07-30 owes 400.00 218d as of 2025-03-05 | АО «Вектор» | АО «Вектор» Head Москва | Сидоров С. С. | ",
        ],
        ["2025-06-29"] =
        [
            "msk/H1 msk/3 А-3 70.00 RUB due 2025-01-20 owes 70.00 160d as of 2025-06-29 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/H1 spb/2 СПБ-2 50.00 RUB due 2025-02-15 owes 50.00 134d as of 2025-06-29 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Кузнецова Е. В. | spb@romashka.ru",
            "msk/H1 spb/10 СПБ-10 15.00 RUB due 2025-03-31 owes 15.00 90d as of 2025-06-29 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Иванова А. А. | spb@romashka.ru",
            "msk/H1 spb/9 СПБ-9 25.00 RUB due 2025-03-31 owes 25.00 90d as of 2025-06-29 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Иванова А. А. | spb@romashka.ru",
            "msk/H1 msk/4 А-4 200.00 RUB due 2025-06-15 owes 20.00 14d as of 2025-06-29 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/IP msk/5 А-5 300.00 RUB due 2024-03-31 owes 200.00 455d as of 2025-06-29 | ИП Лукин Пётр Сергеевич | ИП Лукин Пётр Сергеевич Head Тверь |  | lukin@mail.ru",
            "msk/V1 msk/11 А-11 400.00 RUB due 2024-07-30 owes 400.00 334d as of 2025-06-29 | АО «Вектор» | АО «Вектор» Head Москва | Сидоров С. С. | ",
        ],
        ["2025-06-30"] =
        [
            "msk/H1 spb/2 СПБ-2 50.00 RUB due 2025-02-15 owes 50.00 135d as of 2025-06-30 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Кузнецова Е. В. | spb@romashka.ru",
            "msk/H1 spb/10 СПБ-10 15.00 RUB due 2025-03-31 owes 15.00 91d as of 2025-06-30 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Иванова А. А. | spb@romashka.ru",
            "msk/H1 spb/9 СПБ-9 25.00 RUB due 2025-03-31 owes 25.00 91d as of 2025-06-30 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Иванова А. А. | spb@romashka.ru",
            "msk/H1 msk/4 А-4 200.00 RUB due 2025-06-15 owes 20.00 15d as of 2025-06-30 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/IP msk/5 А-5 300.00 RUB due 2024-03-31 owes 200.00 456d as of 2025-06-30 | ИП Лукин Пётр Сергеевич | ИП Лукин Пётр Сергеевич Head Тверь |  | lukin@mail.ru",
        ],
        ["2025-12-31"] =
        [
            "msk/H1 spb/2 СПБ-2 50.00 RUB due 2025-02-15 owes 50.00 319d as of 2025-12-31 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Кузнецова Е. В. | spb@romashka.ru",
            "msk/H1 spb/10 СПБ-10 15.00 RUB due 2025-03-31 owes 15.00 275d as of 2025-12-31 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Иванова А. А. | spb@romashka.ru",
            "msk/H1 spb/9 СПБ-9 25.00 RUB due 2025-03-31 owes 25.00 275d as of 2025-12-31 | ООО «Ромашка» | Филиал ООО «Ромашка» в г. Санкт-Петербург Branch Санкт-Петербург | Иванова А. А. | spb@romashka.ru",
            "msk/H1 msk/4 А-4 200.00 RUB due 2025-06-15 owes 20.00 199d as of 2025-12-31 | ООО «Ромашка» | ООО «Ромашка» Head Москва | Петров П. П. | office@romashka.ru",
            "msk/IP msk/5 А-5 300.00 RUB due 2024-03-31 owes 200.00 640d as of 2025-12-31 | ИП Лукин Пётр Сергеевич | ИП Лукин Пётр Сергеевич Head Тверь |  | lukin@mail.ru",
            "msk/V1 msk/7 А-7 500.00 EUR due 2025-07-20 owes 500.00 164d as of 2025-12-31 | АО «Вектор» | АО «Вектор» Head Москва | Сидоров С. С. | ",
        ],
    };

    /// <summary>Per window, the occasions falling in it (sorted).</summary>
    public static readonly Dictionary<string, string[]> Occasions = new()
    {
        ["2025-12-30..2026-01-02"] =
        [
            "2025-12-31 CompanyAnniversary msk/V1 of msk/V1 АО «Вектор» ()  since 2010-12-31 15y | msk/V1 АО «Вектор» | Сидоров С. С.",
            "2026-01-02 ContactBirthday spb/77 of spb/B1 Смирнова Анна Павловна (Главный бухгалтер) smirnova@romashka.ru since 1975-01-02 51y | msk/H1 ООО «Ромашка» | Иванова А. А.",
        ],
        ["2025-02-28..2025-02-28"] =
        [
            "2025-02-28 ContactBirthday msk/78 of msk/V1 Ёлкин Фёдор (Директор)  since 1988-02-29 37y | msk/V1 АО «Вектор» | Сидоров С. С.",
            "2025-02-28 ProprietorBirthday msk/IP of msk/IP ИП Лукин Пётр Сергеевич () lukin@mail.ru since 1980-02-29 45y | msk/IP ИП Лукин Пётр Сергеевич | ",
        ],
        ["2024-02-28..2024-03-01"] =
        [
            "2024-02-29 ContactBirthday msk/78 of msk/V1 Ёлкин Фёдор (Директор)  since 1988-02-29 36y | msk/V1 АО «Вектор» | Сидоров С. С.",
            "2024-02-29 ProprietorBirthday msk/IP of msk/IP ИП Лукин Пётр Сергеевич () lukin@mail.ru since 1980-02-29 44y | msk/IP ИП Лукин Пётр Сергеевич | ",
        ],
        ["2025-03-01..2025-03-08"] =
        [
            "2025-03-08 CompanyAnniversary msk/H1 of msk/H1 ООО «Ромашка» () office@romashka.ru since 2004-03-08 21y | msk/H1 ООО «Ромашка» | Петров П. П.",
        ],
        ["2025-01-01..2025-12-31"] =
        [
            "2025-01-02 ContactBirthday spb/77 of spb/B1 Смирнова Анна Павловна (Главный бухгалтер) smirnova@romashka.ru since 1975-01-02 50y | msk/H1 ООО «Ромашка» | Иванова А. А.",
            "2025-02-28 ContactBirthday msk/78 of msk/V1 Ёлкин Фёдор (Директор)  since 1988-02-29 37y | msk/V1 АО «Вектор» | Сидоров С. С.",
            "2025-02-28 ProprietorBirthday msk/IP of msk/IP ИП Лукин Пётр Сергеевич () lukin@mail.ru since 1980-02-29 45y | msk/IP ИП Лукин Пётр Сергеевич | ",
            "2025-03-08 CompanyAnniversary msk/H1 of msk/H1 ООО «Ромашка» () office@romashka.ru since 2004-03-08 21y | msk/H1 ООО «Ромашка» | Петров П. П.",
            "2025-12-31 CompanyAnniversary msk/V1 of msk/V1 АО «Вектор» ()  since 2010-12-31 15y | msk/V1 АО «Вектор» | Сидоров С. С.",
        ],
    };

    /// <summary>Per day, the invoices not marked settled and due before it, oldest due first, ties by ledger and id.</summary>
    public static readonly Dictionary<string, string[]> Unsettled = new()
    {
        ["2024-01-01"] = [],
        ["2025-03-31"] =
        [
            "msk/5",
            "spb/2",
        ],
        ["2025-04-01"] =
        [
            "msk/5",
            "spb/2",
            "spb/10",
            "spb/9",
        ],
        ["2026-01-01"] =
        [
            "msk/5",
            "spb/2",
            "spb/10",
            "spb/9",
            "msk/4",
            "msk/7",
        ],
    };
}
