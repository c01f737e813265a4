using Microsoft.EntityFrameworkCore.Storage;

namespace LprEvents.Tests.Support;

/// <summary>
/// An execution strategy that says it retries (as SQL Server's <c>EnableRetryOnFailure</c> does) but never has to:
/// on SQLite it makes EF Core refuse, as on SQL Server, any transaction begun outside
/// <c>CreateExecutionStrategy().ExecuteAsync</c>. Every test application uses it, so every code path the tests reach
/// is checked for that.
/// </summary>
public sealed class StrictExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, maxRetryCount: 1, maxRetryDelay: TimeSpan.Zero)
{
    protected override bool ShouldRetryOn(Exception exception) => false;
}
