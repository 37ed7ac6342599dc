package policy

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MaxEmblemBytes bounds an emblem file; the image hasher refuses larger ones.
const MaxEmblemBytes = 5 << 20

// Emblem is an approved emblem image as read from its file.
type Emblem struct {
	Name string // as listed in the pack
	Data []byte
}

func validEmblemName(n string) bool {
	return n != "" && n != "." && n != ".." && !strings.ContainsAny(n, `/\`) && filepath.Base(n) == n
}

// EmblemImages reads the pack's approved emblems: from the binary for the
// default pack, else from the pack file's directory.
func (p *Pack) EmblemImages() ([]Emblem, error) {
	var out []Emblem
	for _, name := range p.Organization.Emblems {
		if !validEmblemName(name) {
			return nil, fmt.Errorf("organization.emblems: %q is not a file name", name)
		}
		var data []byte
		var err error
		if p.src.file == DefaultFile {
			data, err = packs.ReadFile("packs/" + name)
		} else {
			data, err = readLimited(filepath.Join(filepath.Dir(p.src.file), name))
		}
		if err != nil {
			return nil, fmt.Errorf("emblem %s: %w", name, err)
		}
		if len(data) > MaxEmblemBytes {
			return nil, fmt.Errorf("emblem %s: larger than %d bytes", name, MaxEmblemBytes)
		}
		out = append(out, Emblem{Name: name, Data: data})
	}
	return out, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxEmblemBytes+1))
}
