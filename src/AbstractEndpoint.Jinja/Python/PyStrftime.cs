using System.Globalization;
using System.Text;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python's <c>datetime.strftime</c> in the C locale (what transformers' <c>strftime_now</c> produces), including
/// glibc's <c>%-d</c> style no-padding flag.
/// </summary>
internal static class PyStrftime
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Format(DateTimeOffset time, string format)
    {
        var builder = new StringBuilder(format.Length + 16);
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                builder.Append(format[i]);
                continue;
            }

            var noPad = false;
            var code = format[++i];
            if (code == '-' && i + 1 < format.Length)
            {
                noPad = true;
                code = format[++i];
            }

            var text = Field(time, code);
            if (text is null)
            {
                builder.Append('%').Append(noPad ? "-" : string.Empty).Append(code);
                continue;
            }

            if (noPad && text.Length > 1 && char.IsAsciiDigit(text[^1]))
            {
                text = text.TrimStart('0', ' ');
                if (text.Length == 0)
                {
                    text = "0";
                }
            }

            builder.Append(text);
        }

        return builder.ToString();
    }

    private static string? Field(DateTimeOffset t, char code)
    {
        var inv = CultureInfo.InvariantCulture;
        var dayOfWeek = (int)t.DayOfWeek;
        return code switch
        {
            'a' => Days[dayOfWeek][..3],
            'A' => Days[dayOfWeek],
            'b' or 'h' => Months[t.Month - 1][..3],
            'B' => Months[t.Month - 1],
            'd' => t.Day.ToString("00", inv),
            'e' => t.Day.ToString(inv).PadLeft(2),
            'H' => t.Hour.ToString("00", inv),
            'k' => t.Hour.ToString(inv).PadLeft(2),
            'I' => (((t.Hour + 11) % 12) + 1).ToString("00", inv),
            'l' => (((t.Hour + 11) % 12) + 1).ToString(inv).PadLeft(2),
            'j' => t.DayOfYear.ToString("000", inv),
            'm' => t.Month.ToString("00", inv),
            'M' => t.Minute.ToString("00", inv),
            'S' => t.Second.ToString("00", inv),
            'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", inv),
            'p' => t.Hour < 12 ? "AM" : "PM",
            'y' => (t.Year % 100).ToString("00", inv),
            'Y' => t.Year.ToString(inv),
            'C' => (t.Year / 100).ToString("00", inv),
            'w' => dayOfWeek.ToString(inv),
            'u' => (dayOfWeek == 0 ? 7 : dayOfWeek).ToString(inv),
            'U' => ((t.DayOfYear + 6 - dayOfWeek) / 7).ToString("00", inv),
            'W' => ((t.DayOfYear + 6 - ((dayOfWeek + 6) % 7)) / 7).ToString("00", inv),
            'V' => ISOWeek.GetWeekOfYear(t.DateTime).ToString("00", inv),
            'G' => ISOWeek.GetYear(t.DateTime).ToString(inv),
            'z' => (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.Duration().ToString("hhmm", inv),
            'Z' => t.Offset == TimeSpan.Zero ? "UTC" : string.Empty,
            's' => t.ToUnixTimeSeconds().ToString(inv),
            'c' => $"{Days[dayOfWeek][..3]} {Months[t.Month - 1][..3]} {t.Day.ToString(inv).PadLeft(2)} {t:HH:mm:ss} {t.Year}",
            'x' or 'D' => $"{t.Month:00}/{t.Day:00}/{t.Year % 100:00}",
            'X' or 'T' => t.ToString("HH:mm:ss", inv),
            'R' => t.ToString("HH:mm", inv),
            'F' => $"{t.Year}-{t.Month:00}-{t.Day:00}",
            'n' => "\n",
            't' => "\t",
            '%' => "%",
            _ => null,
        };
    }
}
