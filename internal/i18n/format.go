package i18n

import (
	"strconv"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/message"
)

// Number is n written the way lang groups digits (1,234 · 1 234 · 1234).
func Number(lang string, n int) string {
	return message.NewPrinter(tag(lang)).Sprint(n)
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
