using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ActionConstraints;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Routing;

namespace LprEvents.Web.Configuration;

/// <summary>
/// Every public page that answers GET answers HEAD too (uptime monitors and link checkers ask with HEAD): once, for
/// all actions, instead of <c>[HttpHead]</c> on each. HEAD runs the GET action (the public ones only read) and its
/// body is thrown away, so status and headers are those of GET. Actions without GET keep answering 405. The admin
/// area is left out: it is behind sign-in, and some of its GETs (exports, attendance lists) write the audit log,
/// which a HEAD must not do.
/// </summary>
public static class HeadRequests
{
    public static MvcOptions AnswerHeadWhereGetIsAnswered(this MvcOptions options)
    {
        options.Conventions.Add(new HeadLikeGetConvention());
        return options;
    }

    /// <summary>
    /// Kestrel drops the body of a HEAD response itself; doing it here holds on any server (and in the in-process tests).
    /// </summary>
    public static IApplicationBuilder UseHeadWithoutBody(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.Body = Stream.Null;
            }

            return next(context);
        });

    private sealed class HeadLikeGetConvention : IActionModelConvention
    {
        public void Apply(ActionModel action)
        {
            if (action.Controller.RouteValues.ContainsKey("area"))
            {
                return;
            }

            foreach (var selector in action.Selectors)
            {
                var constraint = selector.ActionConstraints.OfType<HttpMethodActionConstraint>().FirstOrDefault();
                if (constraint is null
                    || !constraint.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)
                    || constraint.HttpMethods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                var methods = constraint.HttpMethods.Append(HttpMethods.Head).ToArray();
                selector.ActionConstraints.Remove(constraint);
                selector.ActionConstraints.Add(new HttpMethodActionConstraint(methods));
                foreach (var metadata in selector.EndpointMetadata.OfType<HttpMethodMetadata>().ToList())
                {
                    selector.EndpointMetadata.Remove(metadata);
                }

                selector.EndpointMetadata.Add(new HttpMethodMetadata(methods));
            }
        }
    }
}
