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

    /// <summary>
    /// Every value the body around <paramref name="local"/> stores into that local: its initializer
    /// and each assignment (a value that is itself a local is left out, so a self-assignment ends there).
    /// </summary>
    public static IEnumerable<IOperation> StoredValues(this ILocalReferenceOperation local) =>
        local.Root().DescendantsAndSelf().Select(o => o switch
        {
            IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local) => declarator.Initializer?.Value,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local.Local) => assignment.Value,
            _ => null,
        }).Where(v => v is not null && v.WithoutConversions() is not ILocalReferenceOperation)!;

    /// <summary>The calls the body around <paramref name="local"/> makes on that local (<c>list.Add(x)</c>, <c>files.TryAdd(k, v)</c>).</summary>
    public static IEnumerable<IInvocationOperation> CallsOn(this ILocalReferenceOperation local) =>
        local.Root().DescendantsAndSelf().OfType<IInvocationOperation>()
            .Where(call => call.Instance is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, local.Local));
}
