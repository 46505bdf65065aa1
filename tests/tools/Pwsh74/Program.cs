// PowerShell 7.4's own console host, so the suite can run a real pwsh 7.4 on .NET 8.
return Microsoft.PowerShell.ConsoleShell.Start(null, string.Empty, args);
