using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace VolumeGen.Analyzers.Operations;

/// <summary>Small IOperation helpers shared by the volume rules.</summary>
internal static class OperationExtensions
{
    /// <summary>The operation without implicit and explicit conversions and parentheses around it.</summary>
    public static IOperation WithoutConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The operation's value when it is a compile-time constant string.</summary>
    public static string? ConstantString(this IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: string text } ? text : null;

    /// <summary>The argument bound to the parameter named <paramref name="name"/>, positional or named.</summary>
    public static IArgumentOperation? Argument(this IInvocationOperation invocation, string name) =>
        invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == name);

    /// <summary>The argument bound to the parameter named <paramref name="name"/>, positional or named.</summary>
    public static IArgumentOperation? Argument(this IObjectCreationOperation creation, string name) =>
        creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == name);

    /// <summary>The outermost operation of the member body (method, accessor, lambda-free root).</summary>
    public static IOperation Root(this IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }
}
