// Package gazetteer finds the names of populated places, administrative
// areas and countries in text, in English, French and Spanish. The names come
// from GeoNames (CC BY 4.0) through the generator in gen/, which writes
// places.gz; the table is decoded on first use.
package gazetteer

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"sync"
)

//go:generate go run ./gen -npm /tmp/gazetteer-data/node_modules -dict /usr/share/dict -o places.gz

//go:embed places.gz
var embedded []byte

// A Match is a place name found in a text.
type Match struct {
	Start, End int    // byte offsets into the text as given
	Name       string // canonical (GeoNames, English) name
	Country    string // ISO 3166-1 alpha-2
	Kind       string // "country", "admin1", "admin2", "city" or "town"
	// Ambiguous: the name is also a word of English, French or Spanish, a
	// proper noun frequent in speech, or a given name; it was kept because of
	// its capital letter, its place in the sentence or a place word before
	// it ("in", "à", "desde", ...).
	Ambiguous bool
}

// An Entry is what Lookup knows about a name.
type Entry struct {
	Name, Country, Kind string
	Ambiguous           bool
}

// Kinds, in the order of the data file's codes.
var kinds = []string{"country", "admin1", "admin2", "city", "town"}

// Key flags in the data file.
const (
	flagFrequent = 1 << iota // c: a frequent EN/FR/ES word ("Nice", "Of", "La Paz"): capital letter, not sentence-initial, not in a run of capitalized words, unless after a place word
	flagWord                 // w: a rarer word of the dictionaries ("Convoy"): capital letter
	flagProper               // n: a proper noun frequent in speech ("Paris", "Mali"): capital letter
	flagGiven                // g: a given name ("Victoria"): after a place word (countries and admin1: capital letter)
	flagPrefix               // p: the first words of a longer name

	ambiguous = flagFrequent | flagWord | flagProper | flagGiven
)

const noPlace = -1

// maxWords bounds a multi-word name, so a look-up extends at most this far.
const maxWords = 8

type place struct {
	off  uint32 // name in data
	n    uint8
	kind uint8
	cc   [2]byte
}

type key struct {
	off   uint32 // folded key in data
	place int32  // noPlace for a prefix only
	n     uint8
	flags uint8
}

// A Gazetteer is an immutable table of place names, safe for concurrent use.
type Gazetteer struct {
	data   string
	places []place
	keys   []key
	ph     perfectHash
	named  int // keys that name a place (the rest are prefixes only)
}

var def = sync.OnceValues(func() (*Gazetteer, error) {
	zr, err := gzip.NewReader(bytes.NewReader(embedded))
	if err != nil {
		return nil, fmt.Errorf("gazetteer: embedded places.gz: %w", err)
	}
	// gzip's trailer holds the decoded size: one allocation for the text.
	size := 0
	if n := len(embedded); n >= 4 {
		size = int(binary.LittleEndian.Uint32(embedded[n-4:]))
	}
	g, err := parse(zr, size)
	if err != nil {
		return nil, fmt.Errorf("embedded places.gz: %w", err)
	}
	return g, nil
})

// Default returns the embedded gazetteer, decoding it on first use.
func Default() (*Gazetteer, error) { return def() }

// Load decodes the embedded gazetteer now and reports whether it is sound;
// a program calls it at start-up to fail early rather than on first use.
func Load() error {
	_, err := def()
	return err
}

// Find returns the place names in text with the embedded gazetteer,
// leftmost-longest, non-overlapping, in order. See (*Gazetteer).Find.
func Find(text string) []Match {
	g, err := def()
	if err != nil {
		return nil
	}
	return g.Find(text)
}

// Lookup returns the place a name stands for in the embedded gazetteer.
func Lookup(name string) (Entry, bool) {
	g, err := def()
	if err != nil {
		return Entry{}, false
	}
	return g.Lookup(name)
}

// Parse reads a gazetteer in the text format that gen writes:
//
//	herald-gazetteer 1
//	P <name> <CC> <kind>   a place (fields separated by tabs)
//	K <key> <flags>         a folded name of the last place; flags from "cwngp"
//	X <key>                 the first words of longer names only
//
// Errors name the line.
func Parse(r io.Reader) (*Gazetteer, error) { return parse(r, 0) }

// parse reads a gazetteer of about size bytes (0: unknown).
func parse(r io.Reader, size int) (*Gazetteer, error) {
	var sb strings.Builder
	sb.Grow(size)
	if _, err := io.Copy(&sb, r); err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	g := &Gazetteer{data: sb.String()}
	data := g.data
	line, pos := 0, 0
	// About 22 bytes a line, 60% of them keys.
	hashes := make([]uint64, 0, len(data)/36)
	g.keys = make([]key, 0, len(data)/36)
	g.places = make([]place, 0, len(data)/60)
	for pos < len(data) {
		line++
		end := strings.IndexByte(data[pos:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += pos
		}
		l := data[pos:end]
		lstart := pos
		pos = end + 1
		bad := func(format string, a ...any) error {
			return fmt.Errorf("gazetteer: line %d: %s", line, fmt.Sprintf(format, a...))
		}
		if line == 1 {
			if l != "herald-gazetteer 1" {
				return nil, bad("not a gazetteer file (want the header %q)", "herald-gazetteer 1")
			}
			continue
		}
		if len(l) < 3 || l[1] != '\t' {
			return nil, bad("want P, K or X then a tab")
		}
		f1 := l[2:]
		var f2 string
		if i := strings.IndexByte(f1, '\t'); i >= 0 {
			f1, f2 = f1[:i], f1[i+1:]
		}
		if f1 == "" || len(f1) > 255 {
			return nil, bad("empty or too long name (%d bytes)", len(f1))
		}
		off := uint32(lstart + 2)
		switch l[0] {
		case 'P':
			parts := strings.Split(f2, "\t")
			if len(parts) != 2 || len(parts[0]) != 2 || parts[0][0] < 'A' || parts[0][0] > 'Z' || parts[0][1] < 'A' || parts[0][1] > 'Z' {
				return nil, bad("want P, name, two-letter country code and kind")
			}
			kind := -1
			for i, k := range kinds {
				if k == parts[1] {
					kind = i
				}
			}
			if kind < 0 {
				return nil, bad("unknown kind %q (want one of %s)", parts[1], strings.Join(kinds, ", "))
			}
			g.places = append(g.places, place{off: off, n: uint8(len(f1)), kind: uint8(kind), cc: [2]byte{parts[0][0], parts[0][1]}})
		case 'K', 'X':
			k := key{off: off, n: uint8(len(f1)), place: noPlace}
			if l[0] == 'K' {
				if len(g.places) == 0 {
					return nil, bad("a key before any place")
				}
				k.place = int32(len(g.places) - 1)
				g.named++
				for _, c := range f2 {
					switch c {
					case 'c':
						k.flags |= flagFrequent
					case 'w':
						k.flags |= flagWord
					case 'n':
						k.flags |= flagProper
					case 'g':
						k.flags |= flagGiven
					case 'p':
						k.flags |= flagPrefix
					default:
						return nil, bad("unknown flag %q", c)
					}
				}
			} else {
				if f2 != "" {
					return nil, bad("a prefix line has one field")
				}
				k.flags = flagPrefix
			}
			if f1[0] == ' ' || f1[len(f1)-1] == ' ' || strings.Contains(f1, "  ") {
				return nil, bad("key %q is not folded", f1)
			}
			g.keys = append(g.keys, k)
			hashes = append(hashes, mix(hashString(fnvOffset, f1)))
		default:
			return nil, bad("want P, K or X, not %q", l[0])
		}
	}
	if line == 0 {
		return nil, fmt.Errorf("gazetteer: empty file")
	}
	ph, err := buildPerfectHash(hashes)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	g.ph = ph
	return g, nil
}

// Stats returns the number of places, of names that find them, and the bytes
// the table holds in memory (text, records and hash), for tests and docs.
func (g *Gazetteer) Stats() (places, names, bytes int) {
	return len(g.places), g.named, len(g.data) + 8*len(g.places) + 12*len(g.keys) + 4*len(g.ph.seeds) + 4*len(g.ph.slots)
}

// lookup returns the index of the key whose folded bytes are k and whose
// mixed hash is h, or -1.
func (g *Gazetteer) lookup(h uint64, k []byte) int {
	i := g.ph.find(h)
	if i < 0 {
		return -1
	}
	kk := &g.keys[i]
	if g.data[kk.off:kk.off+uint32(kk.n)] != string(k) {
		return -1
	}
	return i
}

// Lookup returns the place that name stands for, folded as Find folds text.
func (g *Gazetteer) Lookup(name string) (Entry, bool) {
	k := []byte(Key(name))
	i := g.lookup(mix(hashBytes(fnvOffset, k)), k)
	if i < 0 || g.keys[i].place == noPlace {
		return Entry{}, false
	}
	kk := g.keys[i]
	p := g.places[kk.place]
	return Entry{Name: g.data[p.off : p.off+uint32(p.n)], Country: string(p.cc[:]), Kind: kinds[p.kind],
		Ambiguous: kk.flags&ambiguous != 0}, true
}

type scratch struct {
	toks []token
	buf  []byte
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

var space = []byte{' '}

// Find returns the place names in text, leftmost-longest and not
// overlapping, in order. Words match whole, in any case and with or without
// accents; hyphens and apostrophes separate words ("Port au Prince" finds
// Port-au-Prince). A name that is also a common word matches only with a
// capital letter; a frequent word, moreover, not at the start of a sentence
// nor joined to other capitalized words unless a place word comes before it
// ("in", "à", "desde", ...); a given name only after a place word (countries
// and first-level areas: with a capital letter). Invalid UTF-8 separates
// words. Linear in len(text).
func (g *Gazetteer) Find(text string) []Match {
	sc := scratchPool.Get().(*scratch)
	toks, buf := tokenize(text, sc.toks[:0], sc.buf[:0])
	var out []Match
	for i := 0; i < len(toks); {
		h := uint64(fnvOffset)
		best, bestKey := -1, -1
		for j := i; j < len(toks) && j-i < maxWords; j++ {
			if j > i {
				if !toks[j].glued {
					break
				}
				h = hashBytes(h, space)
			}
			h = hashBytes(h, buf[toks[j].fs:toks[j].fe])
			k := g.lookup(mix(h), buf[toks[i].fs:toks[j].fe])
			if k < 0 {
				break
			}
			kk := &g.keys[k]
			if kk.place != noPlace && g.accept(kk, toks, buf, i, j) {
				best, bestKey = j, k
			}
			if kk.flags&flagPrefix == 0 {
				break
			}
		}
		if best < 0 {
			i++
			continue
		}
		kk := g.keys[bestKey]
		p := g.places[kk.place]
		out = append(out, Match{Start: toks[i].start, End: toks[best].end,
			Name: g.data[p.off : p.off+uint32(p.n)], Country: string(p.cc[:]), Kind: kinds[p.kind],
			Ambiguous: kk.flags&ambiguous != 0})
		i = best + 1
	}
	sc.toks, sc.buf = toks, buf
	if cap(sc.buf) <= 1<<16 { // keep big posts' buffers out of the pool
		scratchPool.Put(sc)
	}
	return out
}

// accept applies the rules for ambiguous names to tokens i..j.
func (g *Gazetteer) accept(kk *key, toks []token, buf []byte, i, j int) bool {
	f := kk.flags
	if f&ambiguous == 0 {
		return true
	}
	if !toks[i].upper {
		return false
	}
	ctx := i > 0 && !toks[i].initial && placeWord(buf[toks[i-1].fs:toks[i-1].fe])
	if f&flagFrequent != 0 && !ctx {
		if !toks[j].upper || toks[i].initial {
			return false
		}
		// "the Community Centre", "National Unity Day": a capitalized
		// word joined to the name makes it part of a title.
		if i > 0 && toks[i].glued && toks[i-1].upper || j+1 < len(toks) && toks[j+1].glued && toks[j+1].upper {
			return false
		}
	}
	if f&flagGiven != 0 && !ctx {
		k := kinds[g.places[kk.place].kind]
		return k == "country" || k == "admin1"
	}
	return true
}

// placeWord tells the (folded) words after which a name is a place: "in
// Juba", "à Goma", "desde Bunia". The French "à" folds to "a", as the Spanish
// "a" is; the English article "a" comes along, which is harmless since a
// capitalized name after it is taken anyway.
func placeWord(w []byte) bool {
	switch string(w) {
	case "in", "at", "to", "from", "near", "into", "via", "toward", "towards", "outside", "around", "across", "through", "between",
		"a", "au", "aux", "en", "de", "d", "du", "des", "depuis", "vers", "pres", "dans", "entre",
		"al", "del", "desde", "hacia", "hasta", "cerca":
		return true
	}
	return false
}
