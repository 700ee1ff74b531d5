using System.Collections.Generic;

namespace VolumeGen.Analyzers.Flow;

/// <summary>
/// The state at one point of a body: which volumes may hold engine resources there (initialized or
/// passed to code that may have initialized them, and neither cleaned up nor handed off), and what
/// each local, parameter and flow capture may point to. Joins are unions: a volume alive on any
/// path into a point is alive there.
/// </summary>
internal sealed class LifetimeState
{
    private readonly Dictionary<object, FlowValue> variables;

    public LifetimeState() => variables = new Dictionary<object, FlowValue>();

    private LifetimeState(ulong alive, ulong fresh, ulong handedOver, Dictionary<object, FlowValue> variables)
    {
        Alive = alive;
        Fresh = fresh;
        HandedOver = handedOver;
        this.variables = new Dictionary<object, FlowValue>(variables);
    }

    /// <summary>The volumes that may hold engine resources here.</summary>
    public ulong Alive { get; private set; }

    /// <summary>
    /// The volumes that may be still untouched here: created, but neither initialized, nor given to
    /// other code, nor cleaned up. A volume holds nothing on the engine until then.
    /// </summary>
    public ulong Fresh { get; private set; }

    /// <summary>The volumes that may be owned by something else now (a collection, a field, the caller): what is done with them later is that owner's business.</summary>
    public ulong HandedOver { get; private set; }

    public LifetimeState Clone() => new(Alive, Fresh, HandedOver, variables);

    /// <summary>The value of a local, parameter or flow capture (none when never assigned a volume).</summary>
    public FlowValue this[object variable]
    {
        get => variables.TryGetValue(variable, out var value) ? value : FlowValue.None;
        set
        {
            if (value.IsNone)
            {
                variables.Remove(variable);
            }
            else
            {
                variables[variable] = value;
            }
        }
    }

    /// <summary>The volumes have been cleaned up, or are owned elsewhere from here on.</summary>
    public void Release(ulong volumes)
    {
        Alive &= ~volumes;
        Fresh &= ~volumes;
    }

    /// <summary>A new volume was created here (the last one created here is forgotten).</summary>
    public void Create(ulong volume)
    {
        Alive &= ~volume;
        HandedOver &= ~volume;
        Fresh |= volume;
    }

    /// <summary>Owned by something else from here on.</summary>
    public void HandOver(ulong volumes)
    {
        Release(volumes);
        HandedOver |= volumes;
    }

    /// <summary>The volumes may have been initialized by InitializeAsync (unless someone else owns them).</summary>
    public void Acquire(ulong volumes) => Alive |= volumes & ~HandedOver;

    /// <summary>Code the volumes were given to may have initialized them, unless they were cleaned up already.</summary>
    public void GiveTo(ulong volumes)
    {
        Alive |= volumes & Fresh;
        Fresh &= ~volumes;
    }

    /// <summary>Adds what <paramref name="other"/> allows; true when that changed anything.</summary>
    public bool JoinWith(LifetimeState other)
    {
        var changed = (other.Alive & ~Alive) != 0 || (other.Fresh & ~Fresh) != 0 || (other.HandedOver & ~HandedOver) != 0;
        Alive |= other.Alive;
        Fresh |= other.Fresh;
        HandedOver |= other.HandedOver;
        foreach (var pair in other.variables)
        {
            var mine = this[pair.Key];
            var joined = mine.Union(pair.Value);
            if (joined != mine)
            {
                variables[pair.Key] = joined;
                changed = true;
            }
        }

        return changed;
    }
}
