using CrmExtensions.ApiDocs;

// dotnet run --project eng/ApiDocs -- docs/api
if (args.Length != 1 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: dotnet run --project eng/ApiDocs -- <output folder, normally docs/api>");
    return 2;
}

var pages = ApiReference.Write(args[0]);
Console.WriteLine($"wrote {pages} pages to {args[0]}");
return 0;
