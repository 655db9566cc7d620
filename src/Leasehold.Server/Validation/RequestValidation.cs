using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Server.Errors;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Validation;

/// <summary>
/// Checks every request before its handler runs, the one way request bodies are validated: the
/// <see cref="RequestRule"/>s declared on the properties of request records and on handler parameters
/// (headers), then <see cref="ICheckedRequest.Check"/>. Every fault is collected, in the order the
/// fields are declared, into one 400 problem+json naming the first (<see cref="Problems.Invalid(IReadOnlyList{FieldError})"/>);
/// nothing is decided or stored. Text fields reach the handler trimmed. Endpoints without rules get no filter at all.
/// </summary>
internal static class RequestValidation
{
    /// <summary>Adds the check to every endpoint of <paramref name="group"/> that declares rules.</summary>
    public static TBuilder ValidateRequests<TBuilder>(this TBuilder group) where TBuilder : IEndpointConventionBuilder =>
        group.AddEndpointFilterFactory((context, next) =>
        {
            var parameters = context.MethodInfo.GetParameters();
            var fields = parameters.SelectMany(FieldsOf).ToArray();
            var checkedArguments = Enumerable.Range(0, parameters.Length)
                .Where(i => typeof(ICheckedRequest).IsAssignableFrom(parameters[i].ParameterType)).ToArray();
            if (fields.Length == 0 && checkedArguments.Length == 0)
                return next;
            return invocation =>
            {
                var errors = new List<FieldError>();
                foreach (var field in fields)
                    field.Check(invocation.Arguments, errors);
                foreach (var index in checkedArguments)
                    (invocation.Arguments[index] as ICheckedRequest)?.Check(errors);
                return errors.Count > 0 ? ValueTask.FromResult<object?>(Problems.Invalid(errors)) : next(invocation);
            };
        });

    /// <summary>The checked fields of one handler parameter: the parameter itself (a header), or the properties of its record.</summary>
    private static IEnumerable<Field> FieldsOf(ParameterInfo parameter, int index)
    {
        var own = parameter.GetCustomAttributes<RequestRule>().ToArray();
        if (own.Length > 0)
        {
            var name = parameter.GetCustomAttribute<FromHeaderAttribute>()?.Name ?? parameter.Name!;
            yield return new Field(index, name, own, null, null);
            yield break;
        }
        foreach (var field in PropertyFields(parameter.ParameterType, index))
            yield return field;
    }

    private static IEnumerable<Field> PropertyFields(Type type, int index)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var rules = property.GetCustomAttributes<RequestRule>().ToArray();
            if (rules.Length > 0)
                yield return new Field(index, JsonNamingPolicy.CamelCase.ConvertName(property.Name), rules, Getter(property), Setter(property));
        }
    }

    /// <summary>
    /// A request record's faults by the very rules the filter applies, for a caller that is not an
    /// endpoint (the console's forms call the handlers directly); normalized values are written back.
    /// </summary>
    public static List<FieldError> Check(object request)
    {
        var errors = new List<FieldError>();
        var arguments = new[] { request };
        foreach (var field in PropertyFields(request.GetType(), 0))
            field.Check(arguments, errors);
        (request as ICheckedRequest)?.Check(errors);
        return errors;
    }

    private static Func<object, object?> Getter(PropertyInfo property)
    {
        var target = Expression.Parameter(typeof(object));
        var read = Expression.Property(Expression.Convert(target, property.DeclaringType!), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), target).Compile();
    }

    private static Action<object, object?> Setter(PropertyInfo property)
    {
        var target = Expression.Parameter(typeof(object));
        var value = Expression.Parameter(typeof(object));
        var write = Expression.Call(Expression.Convert(target, property.DeclaringType!), property.SetMethod!,
            Expression.Convert(value, property.PropertyType));
        return Expression.Lambda<Action<object, object?>>(write, target, value).Compile();
    }

    /// <summary>One field: where its value is (argument, and property of it if any) and its rules.</summary>
    private sealed record Field(int Argument, string Name, RequestRule[] Rules, Func<object, object?>? Get, Action<object, object?>? Set)
    {
        public void Check(IList<object?> arguments, List<FieldError> errors)
        {
            var owner = arguments[Argument];
            if (Get is not null && owner is null)
                return; // no body: the framework has answered already
            var value = Get is null ? owner : Get(owner!);
            var original = value;
            foreach (var rule in Rules)
            {
                if (rule.Check(ref value) is { } message)
                {
                    errors.Add(new FieldError(Name, message));
                    return;
                }
                if (!rule.Continue(value))
                    break;
            }
            if (ReferenceEquals(value, original))
                return;
            if (Set is null)
                arguments[Argument] = value;
            else
                Set(owner!, value);
        }
    }
}
