package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Number is n written the way lang groups digits (1,234 · 1 234 · 1234).
func Number(lang string, n int) string {
	return message.NewPrinter(tag(lang)).Sprint(n)
}

// Decimal is f rounded to three significant digits and written the way
// lang writes numbers (42.9 · 42,9; 0.00903 · 0,00903; 1,230 · 1 230).
func Decimal(lang string, f float64) string {
	f, digits := significant(f)
	return message.NewPrinter(tag(lang)).Sprint(number.Decimal(f, number.MaxFractionDigits(digits)))
}

// Percent is the fraction f as a percentage of three significant digits,
// written the way lang writes one (0.00903% · 0,00903 %).
func Percent(lang string, f float64) string {
	p, digits := significant(f * 100)
	return message.NewPrinter(tag(lang)).Sprint(number.Percent(p/100, number.MaxFractionDigits(digits)))
}

// Size is a number of bytes in KiB under a mebibyte, else in MiB, with
// three significant digits, written the way lang writes sizes (French
// counts octets: "33 Mio").
func Size(lang string, n int64) string {
	unit, f := "KiB", float64(n)/(1<<10)
	if n >= 1<<20 {
		unit, f = "MiB", float64(n)/(1<<20)
	}
	if lang == "fr" {
		unit = strings.Replace(unit, "B", "o", 1)
	}
	return Decimal(lang, f) + "\u00a0" + unit
}

// significant is f rounded to three significant digits, and how many
// fraction digits that leaves.
func significant(f float64) (float64, int) {
	if f == 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return f, 0
	}
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 3, 64), 64)
	return f, max(0, 2-int(math.Floor(math.Log10(math.Abs(f)))))
}

// Date is t's day in UTC with the month named in lang ("5 December 2026",
// "5 décembre 2026", "5 de diciembre de 2026").
func Date(lang string, t time.Time) string {
	t = t.UTC()
	return T(lang, "format.date", t.Day(), T(lang, "format.month."+strconv.Itoa(int(t.Month()))), t.Year())
}

// DateTime is Date with the UTC hour and minute.
func DateTime(lang string, t time.Time) string {
	return T(lang, "format.datetime", Date(lang, t), t.UTC().Format("15:04"))
}

// Relative says how long before or after now t is, in the largest whole
// unit ("3 hours ago", "il y a 3 heures", "dentro de 2 días").
func Relative(lang string, t, now time.Time) string {
	d := now.Sub(t)
	key := "format.ago."
	if d < 0 {
		d, key = -d, "format.in."
	}
	if d < time.Minute {
		return T(lang, "format.now")
	}
	unit, n := "minute", int(d/time.Minute)
	switch {
	case d >= 365*24*time.Hour:
		unit, n = "year", int(d/(365*24*time.Hour))
	case d >= 30*24*time.Hour:
		unit, n = "month", int(d/(30*24*time.Hour))
	case d >= 24*time.Hour:
		unit, n = "day", int(d/(24*time.Hour))
	case d >= time.Hour:
		unit, n = "hour", int(d/time.Hour)
	}
	return T(lang, key+unit+"."+pluralForm(lang, n), Number(lang, n))
}

// N is the message for a count n: key.one or key.other by lang's plural
// rule, formatted with n (as Number writes it) then args.
func N(lang, key string, n int, args ...any) string {
	return T(lang, key+"."+pluralForm(lang, n), append([]any{Number(lang, n)}, args...)...)
}

// pluralForm is "one" or "other", by lang's rule for a whole number n
// (French counts 0 as one, English and Spanish do not).
func pluralForm(lang string, n int) string {
	if plural.Cardinal.MatchPlural(tag(lang), n, 0, 0, 0, 0) == plural.One {
		return "one"
	}
	return "other"
}
