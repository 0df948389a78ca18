namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python's <c>sorted()</c>: stable, driven only by <c>&lt;</c> asked as "is the later item less than the earlier
/// one" (so mixed-type errors name the types in Python's order), and <c>reverse</c> implemented as Python does it:
/// reverse, stable sort, reverse again, which keeps equal items in their original order.
/// </summary>
internal static class PySorting
{
    public static void Sort<T>(T[] items, Func<T, T, bool> lessThan, bool reverse)
    {
        if (reverse)
        {
            Array.Reverse(items);
        }

        if (items.Length > 1)
        {
            MergeSort(items, new T[items.Length], 0, items.Length, lessThan);
        }

        if (reverse)
        {
            Array.Reverse(items);
        }
    }

    private static void MergeSort<T>(T[] items, T[] buffer, int start, int end, Func<T, T, bool> lessThan)
    {
        if (end - start <= 16)
        {
            for (var i = start + 1; i < end; i++)
            {
                var item = items[i];
                var j = i - 1;
                while (j >= start && lessThan(item, items[j]))
                {
                    items[j + 1] = items[j];
                    j--;
                }

                items[j + 1] = item;
            }

            return;
        }

        var middle = start + ((end - start) / 2);
        MergeSort(items, buffer, start, middle, lessThan);
        MergeSort(items, buffer, middle, end, lessThan);
        if (!lessThan(items[middle], items[middle - 1]))
        {
            return;
        }

        Array.Copy(items, start, buffer, start, end - start);
        int left = start, right = middle, at = start;
        while (left < middle && right < end)
        {
            items[at++] = lessThan(buffer[right], buffer[left]) ? buffer[right++] : buffer[left++];
        }

        while (left < middle)
        {
            items[at++] = buffer[left++];
        }

        while (right < end)
        {
            items[at++] = buffer[right++];
        }
    }
}
