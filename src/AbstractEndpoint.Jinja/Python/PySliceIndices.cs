using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>CPython's <c>PySlice_GetIndicesEx</c>: clamps start/stop/step of a slice against a sequence length.</summary>
internal static class PySliceIndices
{
    /// <summary>False when a bound is not an int or None (Python raises TypeError, which Jinja2 turns into Undefined).</summary>
    public static bool TryResolve(PySlice slice, long length, out long start, out long step, out long count)
    {
        start = 0;
        count = 0;
        step = 1;
        if (slice.Step is not null && !PyIntegers.TryGetLong(slice.Step, out step))
        {
            return false;
        }

        if (step == 0)
        {
            throw PyErrors.ValueError("slice step cannot be zero");
        }

        long lower = step < 0 ? -1 : 0;
        var upper = step < 0 ? length - 1 : length;
        if (!TryBound(slice.Start, step < 0 ? upper : lower, length, lower, upper, out start)
            || !TryBound(slice.Stop, step < 0 ? lower : upper, length, lower, upper, out var stop))
        {
            return false;
        }

        if (step < 0)
        {
            count = stop < start ? ((start - stop - 1) / -step) + 1 : 0;
        }
        else
        {
            count = start < stop ? ((stop - start - 1) / step) + 1 : 0;
        }

        return true;
    }

    private static bool TryBound(object? value, long missing, long length, long lower, long upper, out long result)
    {
        if (value is null)
        {
            result = missing;
            return true;
        }

        if (!PyIntegers.TryGetLong(value, out result))
        {
            if (value is System.Numerics.BigInteger big)
            {
                result = big.Sign < 0 ? long.MinValue / 2 : long.MaxValue / 2;
            }
            else
            {
                return false;
            }
        }

        if (result < 0)
        {
            result += length;
            if (result < lower)
            {
                result = lower;
            }
        }
        else if (result > upper)
        {
            result = upper;
        }

        return true;
    }
}
