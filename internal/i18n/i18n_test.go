package i18n

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCatalogsAgree: every language has exactly English's keys, each with
// the same format verbs, so no page falls back or prints %!d(MISSING).
func TestCatalogsAgree(t *testing.T) {
	if len(catalogs()["en"]) == 0 {
		t.Fatal("the English catalog is empty")
	}
	for _, lang := range languages[1:] {
		for key, en := range catalogs()["en"] {
			f, ok := catalogs()[lang][key]
			switch {
			case !ok:
				t.Errorf("%s: %q is missing", lang, key)
			case !slices.Equal(verbs(f), verbs(en)):
				t.Errorf("%s: %q has verbs %v, English has %v", lang, key, verbs(f), verbs(en))
			}
		}
		for key := range catalogs()[lang] {
			if _, ok := catalogs()["en"][key]; !ok {
				t.Errorf("%s: %q is not in English", lang, key)
			}
		}
	}
}

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs are the argument verbs of a format in argument order: %[2]s and a
// plain %s second both count as argument 2's s.
func verbs(f string) []string {
	var vs []string
	n := 0
	for _, m := range verb.FindAllStringSubmatch(f, -1) {
		if m[0] == "%%" {
			continue
		}
		if m[1] != "" {
			n = int(m[1][1]-'0') - 1
		}
		v := m[0][len(m[0])-1:]
		for len(vs) <= n {
			vs = append(vs, "")
		}
		vs[n] = v
		n++
	}
	return vs
}

// TestCatalogFiles: each file is a flat object, keys sorted, one per line,
// so that helpers adding keys merge cleanly.
func TestCatalogFiles(t *testing.T) {
	for _, lang := range languages {
		b, err := files.ReadFile("locales/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		want.WriteString("{\n")
		keys := make([]string, 0, len(catalogs()[lang]))
		for k := range catalogs()[lang] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			kj, _ := json.Marshal(k)
			var vj bytes.Buffer
			enc := json.NewEncoder(&vj)
			enc.SetEscapeHTML(false)
			enc.Encode(catalogs()[lang][k])
			want.WriteString("  " + string(kj) + ": " + string(bytes.TrimSpace(vj.Bytes())))
			if i < len(keys)-1 {
				want.WriteString(",")
			}
			want.WriteString("\n")
		}
		want.WriteString("}\n")
		if !bytes.Equal(b, want.Bytes()) {
			t.Errorf("locales/%s.json is not sorted with one key per line (jq -S . gives the form)", lang)
		}
	}
}

func TestVerbs(t *testing.T) {
	for f, want := range map[string][]string{
		"%d of %s":         {"d", "s"},
		"%[2]s then %[1]d": {"d", "s"},
		"100%% done":       nil,
		"%.80s":            {"s"},
	} {
		if got := verbs(f); !slices.Equal(got, want) {
			t.Errorf("verbs(%q) = %v, want %v", f, got, want)
		}
	}
}

func TestT(t *testing.T) {
	if got := T("fr", "language.name"); got != "Français" {
		t.Errorf("T(fr, language.name) = %q", got)
	}
	if got := T("de", "language.name"); got != "English" {
		t.Errorf("an unknown language gives %q, want English", got)
	}
	if got := T("fr", "no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key gives %q, want the key", got)
	}
	if got := T("es", "format.ago.day.other", "3"); got != "hace 3 días" {
		t.Errorf("T formats %q", got)
	}
}

func TestMatch(t *testing.T) {
	for header, want := range map[string]string{
		"fr-CA,fr;q=0.9,en;q=0.5": "fr",
		"es-419":                  "es",
		"de-DE,es;q=0.8":          "es",
		"en-GB":                   "en",
		"de, ja":                  "",
		"":                        "",
	} {
		got, ok := Match(header)
		if got != want || ok != (want != "") {
			t.Errorf("Match(%q) = %q, %v; want %q", header, got, ok, want)
		}
	}
	for code, want := range map[string]string{"fr": "fr", "ES": "es", "fr-CA": "fr", "de": "", "x<y": ""} {
		if got, _ := Base(code); got != want {
			t.Errorf("Base(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestFormats(t *testing.T) {
	d := time.Date(2026, 12, 5, 14, 7, 0, 0, time.UTC)
	for _, tt := range []struct{ got, want string }{
		{Date("en", d), "5 December 2026"},
		{Date("fr", d), "5 décembre 2026"},
		{Date("es", d), "5 de diciembre de 2026"},
		{DateTime("fr", d), "5 décembre 2026 à 14:07 UTC"},
		{Number("en", 1234567), "1,234,567"},
		{Number("fr", 1234567), "1\u00a0234\u00a0567"},
		{Number("es", 1234567), "1.234.567"},
		{Relative("en", d.Add(-3*time.Hour), d), "3 hours ago"},
		{Relative("en", d.Add(-time.Hour), d), "1 hour ago"},
		{Relative("fr", d.Add(-90*time.Minute), d), "il y a 1 heure"},
		{Relative("es", d.Add(48*time.Hour), d), "dentro de 2 días"},
		{Relative("fr", d.Add(-400*24*time.Hour), d), "il y a 1 an"},
		{Relative("es", d.Add(-10*time.Second), d), "ahora mismo"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestN(t *testing.T) {
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 day ago"}, {"en", 0, "0 days ago"}, {"fr", 0, "il y a 0 jour"}, {"fr", 2, "il y a 2 jours"}, {"es", 1200, "hace 1.200 días"},
	} {
		if got := N(tt.lang, "format.ago.day", tt.n); got != tt.want {
			t.Errorf("N(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

// TestName: a code given to a message as a Name shows as its catalog name
// in the reader's language, and as itself in English logs and JSON.
func TestName(t *testing.T) {
	n := Name{Key: "status.at-risk", Code: "at-risk"}
	if got := n.In("fr"); got != T("fr", "status.at-risk") {
		t.Errorf("In(fr) = %q", got)
	}
	if got := fmt.Sprintf("%s", n); got != "at-risk" {
		t.Errorf("%%s = %q, want the code", got)
	}
	if b, err := json.Marshal(n); err != nil || string(b) != `"at-risk"` {
		t.Errorf("JSON %s %v, want the code", b, err)
	}
	// T gives a Name argument in the message's language, leaving the
	// caller's arguments as they were.
	args := []any{"@x", n}
	if got := T("fr", "errors.draft.account_not_approved", args...); !strings.Contains(got, n.In("fr")) || strings.Contains(got, "at-risk") || args[1] != any(n) {
		t.Errorf("T with a Name in fr: %q (args %v)", got, args)
	}
	if got := (Name{Key: "status.nothing", Code: "nothing"}).In("fr"); got != "nothing" {
		t.Errorf("a code the catalogs do not name: %q, want the code", got)
	}
}

// TestDecimalAndPercent: figures with a fraction keep three significant
// digits and take the language's decimal sign and digit grouping.
func TestDecimalAndPercent(t *testing.T) {
	for _, tt := range []struct {
		lang     string
		f        float64
		dec, pct string
	}{
		{"en", 42.857, "42.9", "4,290%"},
		{"fr", 42.857, "42,9", "4\u00a0290\u00a0%"},
		{"es", 0.0000903, "0,0000903", "0,00903\u00a0%"},
		{"fr", 0.0000903, "0,0000903", "0,00903\u00a0%"},
		{"en", 0.0000903, "0.0000903", "0.00903%"},
		{"fr", 1234.5, "1\u00a0230", "123\u00a0000\u00a0%"},
		{"en", 3, "3", "300%"},
		{"fr", -0.125, "-0,125", "-12,5\u00a0%"},
		{"en", 0, "0", "0%"},
	} {
		if got := Decimal(tt.lang, tt.f); got != tt.dec {
			t.Errorf("Decimal(%s, %v) = %q, want %q", tt.lang, tt.f, got, tt.dec)
		}
		if got := Percent(tt.lang, tt.f); got != tt.pct {
			t.Errorf("Percent(%s, %v) = %q, want %q", tt.lang, tt.f, got, tt.pct)
		}
	}
}

// TestSize: bytes in KiB or MiB, the reader's way.
func TestSize(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 4096, "4\u00a0KiB"}, {"en", 34603008, "33\u00a0MiB"}, {"en", 1536, "1.5\u00a0KiB"},
		{"fr", 34603008, "33\u00a0Mio"}, {"fr", 1536, "1,5\u00a0Kio"}, {"es", 1 << 20, "1\u00a0MiB"},
	} {
		if got := Size(tc.lang, tc.n); got != tc.want {
			t.Errorf("Size(%s, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}
