using CrmExtensions.Store.Internal;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Store.Tests.Internal;

public sealed class SqliteStatementTests
{
    private SqliteConnection _connection = null!;

    [SetUp]
    public void Open()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        _connection.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, amount INTEGER, note TEXT)");
    }

    [TearDown]
    public void Close() => _connection?.Dispose();

    [Test]
    public void Execute_ValuesBoundByName_AreWrittenAsACommandWritesThem()
    {
        using (var insert = new SqliteStatement(_connection, "INSERT INTO t (id, name, amount, note) VALUES (@id, @name, @amount, @note)", ["id", "name", "amount", "note"]))
        {
            insert.Bind(0, 1L);
            insert.Bind(1, "Ромашка «Юг»");
            insert.Bind(2, (object?)-12_345_678_901L);
            insert.Bind(3, string.Empty);
            Assert.That(insert.Execute(), Is.EqualTo(1));

            // What is not bound again stays bound: only the key and the name change.
            insert.Bind(0, 2L);
            insert.Bind(1, (string?)null);
            Assert.That(insert.Execute(), Is.EqualTo(1));
        }

        var rows = _connection.Query<(long, string?, long?, string?)>("SELECT id, name, amount, note FROM t ORDER BY id").ToList();
        Assert.That(rows, Is.EqualTo(new (long, string?, long?, string?)[] { (1, "Ромашка «Юг»", -12_345_678_901, ""), (2, null, -12_345_678_901, "") }));
    }

    [Test]
    public void Execute_ParameterUsedTwice_IsBoundOnceAndUnusedNamesAreIgnored()
    {
        using var insert = new SqliteStatement(_connection, "INSERT INTO t (id, name, note) VALUES (@id, @name, @name)", ["id", "absent", "name"]);
        insert.Bind(0, 7L);
        insert.Bind(1, "nowhere");
        insert.Bind(2, "twice");

        insert.Execute();

        Assert.That(_connection.QuerySingle<(string, string)>("SELECT name, note FROM t"), Is.EqualTo(("twice", "twice")));
    }

    [Test]
    public void Execute_UpsertThatChangesNothing_CountsNoRow()
    {
        _connection.Execute("INSERT INTO t (id, name) VALUES (1, 'a')");
        using var upsert = new SqliteStatement(_connection,
            "INSERT INTO t (id, name) VALUES (@id, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE t.name <> excluded.name", ["id", "name"]);
        upsert.Bind(0, 1L);
        upsert.Bind(1, "a");

        Assert.That(upsert.Execute(), Is.Zero);
        upsert.Bind(1, "b");
        Assert.That(upsert.Execute(), Is.EqualTo(1));
    }

    [Test]
    public void Execute_ConstraintViolated_ThrowsTheSqliteExceptionACommandThrowsAndStaysUsable()
    {
        _connection.Execute("INSERT INTO t (id, name) VALUES (1, 'a')");
        using var command = new SqliteCommand("INSERT INTO t (id, name) VALUES (1, 'b')", _connection);
        var expected = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery())!;
        using var insert = new SqliteStatement(_connection, "INSERT INTO t (id, name) VALUES (@id, @name)", ["id", "name"]);
        insert.Bind(0, 1L);
        insert.Bind(1, "b");

        var thrown = Assert.Throws<SqliteException>(() => insert.Execute())!;

        Assert.That((thrown.Message, thrown.SqliteErrorCode, thrown.SqliteExtendedErrorCode), Is.EqualTo((expected.Message, expected.SqliteErrorCode, expected.SqliteExtendedErrorCode)));
        insert.Bind(0, 2L);
        Assert.That(insert.Execute(), Is.EqualTo(1));
    }

    [Test]
    public void Constructor_InvalidStatement_ThrowsSqliteExceptionWithTheMessage()
    {
        Assert.That(() => new SqliteStatement(_connection, "INSERT INTO nowhere (id) VALUES (@id)", ["id"]),
            Throws.InstanceOf<SqliteException>().With.Message.Contains("no such table: nowhere"));
    }

    [Test]
    public void Execute_FloatingPointAndIntValues_AreStoredAsACommandStoresThem()
    {
        _connection.Execute("CREATE TABLE r (id INTEGER PRIMARY KEY, score, n)");
        using (var insert = new SqliteStatement(_connection, "INSERT INTO r (id, score, n) VALUES (@id, @score, @n)", ["id", "score", "n"]))
        {
            insert.Bind(0, 1L);
            insert.Bind(1, (object?)0.1);
            insert.Bind(2, (object?)3);
            insert.Execute();
            insert.Bind(0, 2L);
            insert.Bind(1, -2.5e300);
            insert.Bind(2, (object?)int.MinValue);
            insert.Execute();
        }

        _connection.Execute("INSERT INTO r (id, score, n) VALUES (@id, @score, @n)",
            new object[] { new { id = 3L, score = 0.1, n = 3 }, new { id = 4L, score = -2.5e300, n = int.MinValue } });
        var rows = _connection.Query<(string, string, double, long)>("SELECT typeof(score), typeof(n), score, n FROM r ORDER BY id").ToList();
        var bound = rows[..2];
        var byCommand = rows[2..];

        Assert.That(bound, Is.EqualTo(new[] { ("real", "integer", 0.1, 3L), ("real", "integer", -2.5e300, (long)int.MinValue) }));
        Assert.That(bound, Is.EqualTo(byCommand));
    }

    [Test]
    public void Bind_ValueOfAnotherType_Throws()
    {
        using var insert = new SqliteStatement(_connection, "INSERT INTO t (id) VALUES (@id)", ["id"]);

        Assert.That(() => insert.Bind(0, (object?)1.5m), Throws.ArgumentException);
    }
}
