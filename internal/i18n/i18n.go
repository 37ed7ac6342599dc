// Package i18n holds Herald's words in each language it speaks: one catalog
// per language, embedded from locales/<code>.json (a flat object of key to
// fmt format), and the functions that pick a language and format dates,
// numbers and relative times for it.
//
// A key missing from a language falls back to English, so a half-translated
// catalog still shows every message; the catalog tests keep that from
// reaching a release. A key missing from English shows as the key itself.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// languages are the supported codes, English first: it is the fallback.
var languages = []string{"en", "fr", "es"}

//go:embed locales/*.json
var files embed.FS

// catalogs is code → key → format, read from the embedded files when
// first needed: a command that shows no message (herald check) does not
// pay for decoding them at start-up.
var catalogs = sync.OnceValue(mustLoad)

func mustLoad() map[string]map[string]string {
	cs := map[string]map[string]string{}
	for _, code := range languages {
		b, err := files.ReadFile(path.Join("locales", code+".json"))
		if err != nil {
			panic(err) // embedded: a missing file is a build mistake
		}
		c := map[string]string{}
		if err := json.Unmarshal(b, &c); err != nil {
			panic(fmt.Sprintf("i18n: locales/%s.json: %v", code, err))
		}
		cs[code] = c
	}
	return cs
}

// Languages lists the supported language codes, English first.
func Languages() []string { return append([]string(nil), languages...) }

// Supported reports whether code is one of Languages.
func Supported(code string) bool {
	_, ok := catalogs()[code]
	return ok
}

// T is the message for key in lang, formatted with args; English when lang
// lacks it, the key itself when English lacks it too. Catalog messages are
// fmt formats even without arguments: a literal percent sign is %%. An
// argument with words in several languages (In: a pack's text, a status's
// Name) is given in lang.
func T(lang, key string, args ...any) string {
	return fmt.Sprintf(Format(lang, key), inLang(lang, args)...)
}

// inLang is args with each one that has an In given in lang; args itself
// is not changed.
func inLang(lang string, args []any) []any {
	var out []any
	for i, a := range args {
		if n, ok := a.(interface{ In(string) string }); ok {
			if out == nil {
				out = slices.Clone(args)
			}
			out[i] = n.In(lang)
		}
	}
	if out == nil {
		return args
	}
	return out
}

// Format is the catalog's format for key in lang, unformatted, with T's
// fallbacks.
func Format(lang, key string) string {
	if f, ok := catalogs()[lang][key]; ok {
		return f
	}
	if f, ok := catalogs()["en"][key]; ok {
		return f
	}
	return strings.ReplaceAll(key, "%", "%%")
}

// Keys lists English's keys, the reference catalog's, sorted.
func Keys() []string {
	ks := make([]string, 0, len(catalogs()["en"]))
	for k := range catalogs()["en"] {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Has reports whether English, the reference catalog, has key.
func Has(key string) bool {
	_, ok := catalogs()["en"][key]
	return ok
}

var (
	tags = func() []language.Tag {
		ts := make([]language.Tag, len(languages))
		for i, c := range languages {
			ts[i] = language.MustParse(c)
		}
		return ts
	}()
	matcher = language.NewMatcher(tags)
)

// Match is the supported language that best fits an Accept-Language header
// ("fr-CA,fr;q=0.9,en;q=0.5" → "fr"); false when none fits, so the caller
// can go on to its own default.
func Match(acceptLanguage string) (string, bool) {
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return "", false
	}
	_, i, conf := matcher.Match(prefs...)
	if conf == language.No {
		return "", false
	}
	return languages[i], true
}

// Base is the supported language a code such as "fr-CA" or "ES" names;
// false for anything else.
func Base(code string) (string, bool) {
	code = strings.ToLower(strings.TrimSpace(code))
	if Supported(code) {
		return code, true
	}
	t, err := language.Parse(code)
	if err != nil {
		return "", false
	}
	b, _ := t.Base()
	if Supported(b.String()) {
		return b.String(), true
	}
	return "", false
}

func tag(lang string) language.Tag {
	for i, c := range languages {
		if c == lang {
			return tags[i]
		}
	}
	return tags[0]
}

// Name is a code (a status, a state) that the catalogs name under Key,
// given to a message as an argument: shown In the reader's language, and as
// its Code in English messages, logs (String) and JSON (MarshalText).
type Name struct{ Key, Code string }

// In is the code's name in lang, or the code when the catalogs lack Key.
func (n Name) In(lang string) string {
	if Has(n.Key) {
		return T(lang, n.Key)
	}
	return n.Code
}

func (n Name) String() string { return n.Code }

// MarshalText is the code.
func (n Name) MarshalText() ([]byte, error) { return []byte(n.Code), nil }

// Status names an account's or a draft's status.
func Status(code string) Name { return Name{Key: "status." + code, Code: code} }
