package gazetteer

import (
	"bytes"
	"compress/gzip"
	"io"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

func mustDefault(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

type want struct{ text, name, country string }

func check(t *testing.T, text string, wants []want) {
	t.Helper()
	got := Find(text)
	if len(got) != len(wants) {
		t.Errorf("Find(%q) = %d matches %v, want %d", text, len(got), got, len(wants))
		return
	}
	for i, w := range wants {
		m := got[i]
		if text[m.Start:m.End] != w.text || m.Name != w.name || m.Country != w.country {
			t.Errorf("Find(%q)[%d] = %q %q %s, want %q %q %s", text, i, text[m.Start:m.End], m.Name, m.Country, w.text, w.name, w.country)
		}
	}
}

func TestFindSentences(t *testing.T) {
	for _, c := range []struct {
		text  string
		wants []want
	}{
		{"Demain je pars à Juba avec le convoi de 6h", []want{{"Juba", "Juba", "SS"}}},
		{"I will be in Juba tomorrow", []want{{"Juba", "Juba", "SS"}}},
		{"Our convoy leaves Bunia for Mahagi.", []want{{"Bunia", "Bunia", "CD"}, {"Mahagi", "Mahagi", "CD"}}},
		{"At 06:00 tomorrow our trucks leave Bunia for Mahagi.", []want{{"Bunia", "Bunia", "CD"}, {"Mahagi", "Mahagi", "CD"}}},
		{"llegamos a Puerto Príncipe", []want{{"Puerto Príncipe", "Port-au-Prince", "HT"}}},
		{"Mañana salimos de Port-au-Prince hacia Jacmel.", []want{{"Port-au-Prince", "Port-au-Prince", "HT"}, {"Jacmel", "Jacmel", "HT"}}},
		{"Nous arrivons à Port au Prince ce soir.", []want{{"Port au Prince", "Port-au-Prince", "HT"}}},
		{"Distribution in Cox’s Bazar and Cox's Bazar", []want{{"Cox’s Bazar", "Cox’s Bāzār", "BD"}, {"Cox's Bazar", "Cox’s Bāzār", "BD"}}},
		{"Vuelo a San José el lunes", []want{{"San José", "San José", "CR"}}},
		{"Viajo a Nueva York; she flies to New York.", []want{{"Nueva York", "New York City", "US"}, {"New York", "New York City", "US"}}},
		{"Équateur: la province et le pays", []want{{"Équateur", "Ecuador", "EC"}}},
		{"La mission part de Goma pour le Nord-Kivu", []want{{"Goma", "Goma", "CD"}}},
		{"Back from Goma, North Kivu", []want{{"Goma", "Goma", "CD"}, {"North Kivu", "North Kivu", "CD"}}},
		{"Our team in South Sudan and Haiti", []want{{"South Sudan", "South Sudan", "SS"}, {"Haiti", "Haiti", "HT"}}},
		{"Équipe au Soudan du Sud et en Haïti", []want{{"Soudan du Sud", "South Sudan", "SS"}, {"Haïti", "Haiti", "HT"}}},
		{"en la República Democrática del Congo", []want{{"República Democrática del Congo", "Democratic Republic of the Congo", "CD"}}},
		{"À Nice, il pleut.", []want{{"Nice", "Nice", "FR"}}},
		{"We were in Nice last week.", []want{{"Nice", "Nice", "FR"}}},
		{"They visited Sittwe in Myanmar", []want{{"Sittwe", "Sittwe", "MM"}, {"Myanmar", "Myanmar", "MM"}}},
		{"Staff travel to Victoria next week", []want{{"Victoria", "Victoria", "SC"}}},
	} {
		check(t, c.text, c.wants)
	}
}

func TestAmbiguousWordsNotMatched(t *testing.T) {
	for _, text := range []string{
		"Of course we will.",
		"the mali is ready",
		"Nice weather today.",
		"It was a nice day and a split decision.",
		"Our convoy is ready; the man said so.",
		"The Community Centre opened on National Unity Day.",
		"We met Victoria and Grace yesterday.",
		"Paris? no: paris is a word here only in lower case",
		"The Ministry of Health and the President said that the team will deliver the training materials today with partners.",
	} {
		got := Find(text)
		var names []string
		for _, m := range got {
			if strings.EqualFold(text[m.Start:m.End], "paris") && m.Start == 0 {
				continue // "Paris?" at the start is a place written with its capital
			}
			names = append(names, text[m.Start:m.End]+"→"+m.Name)
		}
		if len(names) > 0 {
			t.Errorf("Find(%q) found %v, want no place", text, names)
		}
	}
}

func TestAmbiguousFlag(t *testing.T) {
	m := Find("I was in Nice and in Juba")
	if len(m) != 2 || !m[0].Ambiguous {
		t.Fatalf("Find = %+v, want Nice marked ambiguous", m)
	}
	e, ok := Lookup("Bunia")
	if !ok || e.Ambiguous {
		t.Errorf("Lookup(Bunia) = %+v, %v: want a plain place", e, ok)
	}
}

func TestOffsetsWithAccentsAndInvalidUTF8(t *testing.T) {
	text := "é\xffGoma\xfe, Haïti…Bukavu\xc3"
	got := Find(text)
	var spans []string
	for _, m := range got {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Fatalf("bad span %+v", m)
		}
		spans = append(spans, text[m.Start:m.End])
	}
	if strings.Join(spans, "|") != "Goma|Haïti|Bukavu" {
		t.Fatalf("spans = %q", spans)
	}
	if got[1].Kind != "country" || got[1].Country != "HT" {
		t.Errorf("Haïti = %+v, want the country", got[1])
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"Port-au-Prince":     "port au prince",
		"Cox’s Bāzār":        "cox s bazar",
		"ÉTATS-UNIS":         "etats unis",
		"  São   Tomé ":      "sao tome",
		"Straße":             "strasse",
		"Łódź":               "lodz",
		"e\u0301te\u0301":    "ete",
		"Köln\xffBonn":       "koln bonn",
		"Москва":             "москва",
		"St. Louis":          "st louis",
		"d'Abidjan":          "d abidjan",
		"\xff\xfe":           "",
		"\u0301 Juba":        "juba",
		"Nord-Kivu (région)": "nord kivu region",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLookup(t *testing.T) {
	for name, w := range map[string]Entry{
		"Puerto Príncipe": {Name: "Port-au-Prince", Country: "HT", Kind: "city"},
		"KINSHASA":        {Name: "Kinshasa", Country: "CD", Kind: "city"},
		"Costa de Marfil": {Name: "Cote d'Ivoire", Country: "CI", Kind: "country"},
		"Birmanie":        {Name: "Myanmar", Country: "MM", Kind: "country"},
		"Ituri":           {Name: "Ituri", Country: "CD", Kind: "admin1"},
	} {
		e, ok := Lookup(name)
		e.Ambiguous = false
		if !ok || e != w {
			t.Errorf("Lookup(%q) = %+v, %v; want %+v", name, e, ok, w)
		}
	}
	if e, ok := Lookup("Zzyzxqwv"); ok {
		t.Errorf("Lookup of no place = %+v", e)
	}
	if _, ok := Lookup("port au"); ok {
		t.Error("Lookup found the first words of a longer name")
	}
}

func TestEmbeddedData(t *testing.T) {
	g := mustDefault(t)
	places, names, size := g.Stats()
	if places < 50000 || names < places {
		t.Errorf("Stats: %d places, %d names: the data looks truncated", places, names)
	}
	t.Logf("%d places, %d names, %d bytes in memory, %d bytes embedded", places, names, size, len(embedded))
	// The generator folds keys with Key; a key Find cannot produce would never match.
	for _, k := range g.keys {
		s := g.data[k.off : k.off+uint32(k.n)]
		if Key(s) != s {
			t.Fatalf("key %q is not folded (Key gives %q)", s, Key(s))
		}
		if k.place != noPlace {
			if _, ok := g.Lookup(s); !ok {
				t.Fatalf("Lookup(%q) fails for a key of the table", s)
			}
		}
	}
}

// testData is a small gazetteer to check the rules for ambiguous names
// independently of the embedded data.
const testData = `herald-gazetteer 1
P	Alpha	AA	city
K	alpha	
P	Nice	FR	city
K	nice	c
P	Convoy	IE	town
K	convoy	w
P	Mali	ML	country
K	mali	n
P	Victoria	SC	city
K	victoria	g
P	Jordan	JO	country
K	jordan	g
P	Port Alpha Beta	AA	town
K	port alpha beta	
X	port
X	port alpha
`

func parseTest(t *testing.T) *Gazetteer {
	t.Helper()
	g, err := Parse(strings.NewReader(testData))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestRules(t *testing.T) {
	g := parseTest(t)
	for text, want := range map[string]string{
		"alpha and ALPHA and Alpha":          "Alpha Alpha Alpha",
		"Nice day. I was in Nice.":           "Nice",
		"A Nice day":                         "Nice",
		"nice":                               "",
		"Nice.":                              "",
		"to the Nice Hotel":                  "",
		"à Nice":                             "Nice",
		"Convoy leaves; the convoy":          "Convoy",
		"the mali; Mali is":                  "Mali",
		"Victoria said; in Victoria":         "Victoria",
		"Jordan said; jordan":                "Jordan",
		"Port Alpha Beta, port alpha, Port":  "Port Alpha Beta Alpha",
		"Port\nAlpha Beta":                   "Alpha",
		"alphabet alpha1 _alpha":             "",
		"Port Alpha Beta Port Alpha Beta":    "Port Alpha Beta Port Alpha Beta",
		"\xffalpha\xff":                      "Alpha",
		"nice, convoy, mali, victoria, port": "",
	} {
		var names []string
		for _, m := range g.Find(text) {
			names = append(names, m.Name)
		}
		if got := strings.Join(names, " "); got != want {
			t.Errorf("Find(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":                             "empty",
		"hello\n":                      "line 1",
		"herald-gazetteer 1\nK\tx\t\n": "line 2: a key before any place",
		"herald-gazetteer 1\nP\tA\tAA\tvillage\n":                             "line 2: unknown kind",
		"herald-gazetteer 1\nP\tA\tA1\tcity\n":                                "line 2: want P",
		"herald-gazetteer 1\nP\tA\tAA\tcity\nK\ta\tz\n":                       "line 3: unknown flag",
		"herald-gazetteer 1\nP\tA\tAA\tcity\nK\t a\t\n":                       "line 3: key \" a\" is not folded",
		"herald-gazetteer 1\nQ\tA\n":                                          "line 2: want P, K or X",
		"herald-gazetteer 1\nP\tA\tAA\tcity\nK\ta\t\nK\ta\t\n":                "duplicate",
		"herald-gazetteer 1\nP\t" + strings.Repeat("a", 300) + "\tAA\tcity\n": "line 2: empty or too long",
	} {
		_, err := Parse(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", in, err, want)
		}
	}
}

func TestEmbeddedIsGzip(t *testing.T) {
	zr, err := gzip.NewReader(bytes.NewReader(embedded))
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 18)
	if _, err := io.ReadFull(zr, head); err != nil || string(head) != "herald-gazetteer 1" {
		t.Fatalf("places.gz starts with %q, %v", head, err)
	}
}

func TestLargeAndRepeatedInput(t *testing.T) {
	// One repeated word and a long prefix chain: each look-up extends at
	// most maxWords words, so this stays linear.
	text := strings.Repeat("Port au ", 1<<17) + strings.Repeat("Juba ", 1<<16)
	got := Find(text)
	if len(got) < 1<<16 {
		t.Fatalf("found %d places, want at least %d", len(got), 1<<16)
	}
	last := got[len(got)-1]
	if text[last.Start:last.End] != "Juba" {
		t.Errorf("last match %q", text[last.Start:last.End])
	}
}

func TestHeapAfterLoad(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	g := mustDefault(t)
	runtime.GC()
	runtime.ReadMemStats(&after)
	_, _, size := g.Stats()
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap after load: +%.1f MB (table %.1f MB)", float64(grown)/1e6, float64(size)/1e6)
	// When another test loaded it first, grown is about 0; Stats still tells.
	if size > 24<<20 {
		t.Errorf("the table takes %d bytes in memory, want under 24 MiB", size)
	}
	runtime.KeepAlive(g)
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"Demain je pars à Juba", "Port-au-Prince\xff", "Cox’s Bazar", "é\u0301\u0301 Nice", "San José, Costa Rica", "\xf0\x9f", strings.Repeat("New ", 20)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := Find(text)
		end := 0
		for _, m := range got {
			if m.Start < end || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("bad or overlapping span %+v after %d in %q", m, end, text)
			}
			end = m.End
			// Whole words: no word character just before or after.
			if r, _ := utf8.DecodeLastRuneInString(text[:m.Start]); m.Start > 0 && r != utf8.RuneError && isWordRune(r) {
				t.Fatalf("match %q starts inside a word in %q", text[m.Start:m.End], text)
			}
			if r, _ := utf8.DecodeRuneInString(text[m.End:]); m.End < len(text) && r != utf8.RuneError && isWordRune(r) {
				t.Fatalf("match %q ends inside a word in %q", text[m.Start:m.End], text)
			}
			if m.Name == "" || len(m.Country) != 2 || m.Kind == "" {
				t.Fatalf("empty fields in %+v", m)
			}
		}
	})
}

const post280 = "Demain matin, notre équipe part de Goma vers Bukavu avec le convoi du HCR. " +
	"Last week we handed over 40 shelters in Cox's Bazar with the Ministry of Health; " +
	"next month the team travels from Juba to Malakal. Gracias a nuestros socios en Puerto Príncipe. #Haiti"

func BenchmarkFind(b *testing.B) {
	mustDefault(b)
	b.SetBytes(int64(len(post280)))
	b.ReportAllocs()
	for b.Loop() {
		Find(post280)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		zr, err := gzip.NewReader(bytes.NewReader(embedded))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := parse(zr, 0); err != nil {
			b.Fatal(err)
		}
	}
}
