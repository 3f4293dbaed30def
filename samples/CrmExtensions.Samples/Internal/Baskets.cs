using System.Globalization;

namespace CrmExtensions.Samples.Internal;

/// <summary>A product of the sample catalogue: its 1C-style code, name, group, unit and list price in kopecks.</summary>
internal sealed record Product(string Code, string Name, string Group, string Unit, long Price);

/// <summary>One line of an invoice as it is written: the product, the quantity and the line's amount in kopecks.</summary>
internal readonly record struct BasketLine(Product Product, int Quantity, long Kopecks);

/// <summary>
/// What each invoice sold: baskets drawn from the client's taste (one or two favourite product groups, a mild popularity
/// skew within each), the products a counterparty buys again and again (its staples, and half of its other lines are
/// products it bought before), and planted follow-ups — buying a product of a planted pair makes the pair's second
/// product likely in the counterparty's later invoices, and it is seldom bought otherwise.
/// </summary>
/// <remarks>
/// Draws come from a random stream of their own, seeded from the sample's seed, so adding lines changed no counterparty,
/// invoice or payment of a given seed. The lines of an invoice add up to its amount exactly.
/// </remarks>
internal sealed class Baskets
{
    private const double Habit = 0.5;
    private const double FromTaste = 0.95;
    private const double RepeatStaple = 0.55;
    private const double FollowUp = 0.6;
    private const double Skew = 0.5;

    private readonly Rng _rng;
    private readonly Product[] _products;
    private readonly Dictionary<string, Product[]> _byGroup;
    private readonly string[] _groups;
    private readonly Dictionary<string, double[]> _groupPopularity;
    private readonly Dictionary<Product, Product> _followUps;
    private readonly HashSet<Product> _planted;

    public Baskets(int seed)
    {
        _rng = new Rng(((long)seed * 7_919) + 104_729);
        _products = Catalogue.Products;
        _followUps = Catalogue.Pairs.ToDictionary(p => Find(p.First), p => Find(p.Then));
        _planted = [.. _followUps.Values];
        _byGroup = _products.Where(p => !_planted.Contains(p)).GroupBy(p => p.Group).ToDictionary(g => g.Key, g => g.ToArray());
        _groups = [.. _byGroup.Keys];

        // A mild Zipf-like popularity within each group: the first products sell most, the rest not far behind.
        _groupPopularity = _byGroup.ToDictionary(g => g.Key, g => Zipf(g.Value.Length));
    }

    /// <summary>The catalogue, for the ledger's products table.</summary>
    public IReadOnlyList<Product> Products => _products;

    /// <summary>The planted pairs, as ground truth.</summary>
    public IReadOnlyList<PlantedPair> Planted =>
        [.. Catalogue.Pairs.Select(p => (First: Find(p.First), Then: Find(p.Then))).Select(p => new PlantedPair(p.First.Code, p.First.Name, p.Then.Code, p.Then.Name))];

    /// <summary>Starts a counterparty's history: its taste follows its client, its staples are its own.</summary>
    public Buyer Begin(string clientId)
    {
        var taste = new Rng(StableHash(clientId) ^ 0x5bd1e995);
        var groups = new List<string> { taste.Pick(_groups) };
        if (taste.Chance(0.4))
        {
            var second = taste.Pick(_groups);
            if (second != groups[0])
            {
                groups.Add(second);
            }
        }

        var staples = new List<Product>();
        var stapleCount = 1 + _rng.Next(3);
        for (var i = 0; i < stapleCount; i++)
        {
            var product = _rng.Pick(_byGroup[_rng.Pick(groups)]);
            if (!staples.Contains(product))
            {
                staples.Add(product);
            }
        }

        return new Buyer([.. groups], [.. staples]);
    }

    /// <summary>Draws the lines of the buyer's next invoice and remembers what it bought.</summary>
    public IReadOnlyList<BasketLine> Next(Buyer buyer, long kopecks)
    {
        var chosen = new List<Product>(6);
        foreach (var staple in buyer.Staples)
        {
            if (_rng.Chance(RepeatStaple))
            {
                chosen.Add(staple);
            }
        }

        foreach (var (first, then) in _followUps)
        {
            if (buyer.Bought.Contains(first) && !buyer.Bought.Contains(then) && _rng.Chance(FollowUp))
            {
                chosen.Add(then);
            }
        }

        var others = chosen.Count == 0 ? 1 + _rng.Geometric(0.8) : _rng.Geometric(0.8);
        for (var i = 0; i < others && chosen.Count < 8; i++)
        {
            // Half the time a product bought before again; otherwise mostly one of the favourite groups, now and then any group.
            var product = buyer.Order.Count > 0 && _rng.Chance(Habit) ? _rng.Pick(buyer.Order)
                : FromGroup(_rng.Chance(FromTaste) ? _rng.Pick(buyer.Groups) : _rng.Pick(_groups));
            if (!chosen.Contains(product))
            {
                chosen.Add(product);
            }
        }

        // A very small invoice cannot carry more lines than it has kopecks.
        if (chosen.Count > kopecks)
        {
            chosen.RemoveRange((int)kopecks, chosen.Count - (int)kopecks);
        }

        var quantities = new int[chosen.Count];
        var weights = new double[chosen.Count];
        double total = 0;
        for (var i = 0; i < chosen.Count; i++)
        {
            quantities[i] = chosen[i].Unit == "ч" ? 1 + _rng.Next(8) : 1 + _rng.Geometric(2.0);
            weights[i] = (double)chosen[i].Price * quantities[i];
            total += weights[i];
        }

        // The invoice's amount is shared out in proportion to list price × quantity; the last line takes the remainder.
        var lines = new BasketLine[chosen.Count];
        long given = 0;
        for (var i = 0; i < chosen.Count; i++)
        {
            var remaining = chosen.Count - i - 1;
            var share = i == chosen.Count - 1 ? kopecks - given : Math.Clamp((long)Math.Round(kopecks * weights[i] / total), 1, kopecks - given - remaining);
            given += share;
            lines[i] = new BasketLine(chosen[i], quantities[i], share);
            if (buyer.Bought.Add(chosen[i]))
            {
                buyer.Order.Add(chosen[i]);
            }
        }

        return lines;
    }

    /// <summary>The cumulative weights (rank+1)^-<see cref="Skew"/> of <paramref name="count"/> products, for <see cref="Rng.PickWeighted"/>.</summary>
    private static double[] Zipf(int count) => Rng.Cumulative([.. Enumerable.Range(0, count).Select(i => Math.Pow(i + 1, -Skew))]);

    private Product FromGroup(string group) => _byGroup[group][_rng.PickWeighted(_groupPopularity[group])];

    private Product Find(string name) => _products.First(p => p.Name == name);

    private static long StableHash(string text)
    {
        var hash = 14_695_981_039_346_656_037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1_099_511_628_211UL;
        }

        return (long)hash;
    }

    /// <summary>One counterparty's buying: its client's favourite groups, its staples and everything it has bought (a set, and
    /// a list in the order first bought, so that drawing from it repeats for a seed).</summary>
    internal sealed class Buyer(string[] groups, Product[] staples)
    {
        public string[] Groups { get; } = groups;

        public Product[] Staples { get; } = staples;

        public HashSet<Product> Bought { get; } = [];

        public List<Product> Order { get; } = [];
    }
}

/// <summary>The sample's catalogue of goods and services of an office supplier, and its planted follow-up pairs.</summary>
internal static class Catalogue
{
    private static readonly (string Group, string Unit, (string Name, int Roubles)[] Items)[] Groups =
    [
        ("Бумага и канцтовары", "уп", [("Бумага А4 500 листов", 450), ("Ручки шариковые, 50 шт.", 600), ("Папки-регистраторы", 350), ("Стикеры 76×76", 120), ("Степлер и скобы", 400), ("Блокноты А5", 250), ("Маркеры текстовые", 300), ("Конверты С4", 500)]),
        ("Оргтехника", "шт", [("Принтер лазерный", 18_000), ("МФУ цветное", 42_000), ("Сканер документов", 25_000), ("Шредер", 9_000), ("Ламинатор", 6_500), ("Проектор", 55_000), ("Телефон IP", 7_500), ("Калькулятор настольный", 900)]),
        ("Компьютеры", "шт", [("Ноутбук", 85_000), ("Монитор 27\"", 24_000), ("Клавиатура и мышь", 3_500), ("Системный блок", 65_000), ("Сервер", 420_000), ("ИБП", 14_000), ("Веб-камера", 4_500), ("Гарнитура", 3_900)]),
        ("Мебель", "шт", [("Стол письменный", 16_000), ("Шкаф для документов", 21_000), ("Тумба подкатная", 7_000), ("Стеллаж металлический", 9_500), ("Стул для посетителей", 4_200), ("Сейф", 28_000), ("Вешалка напольная", 3_000), ("Доска маркерная", 5_500)]),
        ("Хозяйственные товары", "уп", [("Бумажные полотенца", 380), ("Мыло жидкое 5 л", 650), ("Мешки для мусора", 250), ("Средство для мытья полов", 420), ("Туалетная бумага", 520), ("Перчатки хозяйственные", 180), ("Освежитель воздуха", 230), ("Салфетки для оргтехники", 310)]),
        ("Кухня и кулеры", "шт", [("Кофемашина", 48_000), ("Кулер для воды", 11_000), ("Чайник электрический", 2_600), ("Микроволновая печь", 8_900), ("Чай чёрный, 100 пакетиков", 350), ("Сахар-рафинад 1 кг", 120), ("Посуда одноразовая", 400), ("Холодильник офисный", 26_000)]),
        ("Услуги", "ч", [("Доставка", 1_500), ("Сборка мебели", 1_800), ("Заправка картриджей", 700), ("Выезд инженера", 3_000), ("Обучение персонала", 4_000), ("Уборка офиса", 1_200), ("Переезд офиса", 5_000), ("Настройка сети", 3_500)]),
        ("Электротовары", "шт", [("Удлинитель 5 м", 900), ("Лампа светодиодная", 250), ("Батарейки АА, 10 шт.", 400), ("Светильник настольный", 2_200), ("Кабель HDMI", 600), ("Обогреватель", 4_800), ("Вентилятор", 3_200), ("Сетевой фильтр", 1_100)]),
        ("Сопутствующие", "шт", [("Картридж для лазерного принтера", 6_500), ("Кофе в зёрнах 1 кг", 1_900), ("Сумка для ноутбука", 3_800), ("Кресло офисное", 14_500), ("Монтаж и настройка сервера", 3_500), ("Вода питьевая 19 л", 450), ("Масло для шредера", 700), ("Установка сейфа", 2_000)]),
    ];

    /// <summary>Buying the first makes the second likely later; the second products are seldom bought any other way.</summary>
    public static readonly (string First, string Then)[] Pairs =
    [
        ("Принтер лазерный", "Картридж для лазерного принтера"),
        ("Кофемашина", "Кофе в зёрнах 1 кг"),
        ("Ноутбук", "Сумка для ноутбука"),
        ("Стол письменный", "Кресло офисное"),
        ("Сервер", "Монтаж и настройка сервера"),
        ("Кулер для воды", "Вода питьевая 19 л"),
        ("Шредер", "Масло для шредера"),
        ("Сейф", "Установка сейфа"),
    ];

    public static readonly Product[] Products = Build();

    private static Product[] Build()
    {
        var products = new List<Product>();
        var number = 0;
        foreach (var (group, unit, items) in Groups)
        {
            foreach (var (name, roubles) in items)
            {
                number++;
                var itemUnit = name.StartsWith("Монтаж", StringComparison.Ordinal) || name.StartsWith("Установка", StringComparison.Ordinal) ? "ч" : unit;
                products.Add(new Product(string.Create(CultureInfo.InvariantCulture, $"00-{number:D8}"), name, group, itemUnit, roubles * 100L));
            }
        }

        return [.. products];
    }
}
