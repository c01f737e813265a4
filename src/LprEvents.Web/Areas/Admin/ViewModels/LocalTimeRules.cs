using FluentValidation;
using LprEvents.Web.Services;

namespace LprEvents.Web.Areas.Admin.ViewModels;

/// <summary>Rules for times an editor types as local Berlin time: the hour skipped in spring gets a German message, not a 500.</summary>
public static class LocalTimeRules
{
    /// <summary>For a <c>datetime-local</c> field; a value that is not a date and time at all is left to the form's own rule.</summary>
    public static IRuleBuilderOptions<T, string?> MustExistInBerlin<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => BerlinTime.ParseLocal(value) is not { } local || BerlinTime.Exists(local))
            .WithMessage((_, value) => BerlinTime.MissingTimeMessage(BerlinTime.ParseLocal(value)!.Value));

    /// <summary>For a time field whose day comes from another field (or, for a program item, from its event).</summary>
    public static IRuleBuilderOptions<T, TimeOnly?> MustExistInBerlinOn<T>(this IRuleBuilder<T, TimeOnly?> rule, Func<T, DateOnly?> day) =>
        rule.Must((form, time) => day(form) is not { } date || time is not { } t || BerlinTime.Exists(date.ToDateTime(t)))
            .WithMessage((form, time) => BerlinTime.MissingTimeMessage(day(form)!.Value.ToDateTime(time!.Value)));
}
