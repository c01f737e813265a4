using System.Linq.Expressions;

namespace LprEvents.Web.Domain;

/// <summary>
/// Who holds a seat: the one definition used by every query (counts, lists, capacity checks) and, compiled
/// from the same expression, by the in-memory <see cref="Participant.HoldsSeat"/>.
/// </summary>
public static class ParticipantRules
{
    private static readonly Expression<Func<ParticipantStatus, bool>> SeatHoldingStatus =
        s => s == ParticipantStatus.Confirmed || s == ParticipantStatus.Attended;

    private static readonly Func<ParticipantStatus, bool> IsSeatHoldingCompiled = SeatHoldingStatus.Compile();

    /// <summary>For queries: <c>e.Participants.AsQueryable().Count(ParticipantRules.HoldsSeat)</c>.</summary>
    public static readonly Expression<Func<Participant, bool>> HoldsSeat = OnStatus(SeatHoldingStatus);

    /// <summary>For rows and view models that carry only the status.</summary>
    public static bool IsSeatHolding(ParticipantStatus status) => IsSeatHoldingCompiled(status);

    private static Expression<Func<Participant, bool>> OnStatus(Expression<Func<ParticipantStatus, bool>> rule)
    {
        var participant = Expression.Parameter(typeof(Participant), "p");
        var status = Expression.Property(participant, nameof(Participant.Status));
        return Expression.Lambda<Func<Participant, bool>>(new Replace(rule.Parameters[0], status).Visit(rule.Body), participant);
    }

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
