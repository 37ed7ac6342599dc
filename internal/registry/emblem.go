package registry

import (
	"bytes"
	"fmt"

	"github.com/herald-gov/herald/internal/lookalike"
	"github.com/herald-gov/herald/internal/policy"
)

// EmblemHashes reads and hashes the pack's approved emblems (4.3).
func EmblemHashes(p *policy.Pack) ([]lookalike.Hash, error) {
	files, err := p.EmblemImages()
	if err != nil {
		return nil, err
	}
	hashes := make([]lookalike.Hash, 0, len(files))
	for _, f := range files {
		h, err := lookalike.HashImage(bytes.NewReader(f.Data))
		if err != nil {
			return nil, fmt.Errorf("emblem %s: %w", f.Name, err)
		}
		hashes = append(hashes, h)
	}
	return hashes, nil
}

// IsEmblem reports whether an avatar is one of the approved emblems.
func IsEmblem(avatar lookalike.Hash, emblems []lookalike.Hash) bool {
	for _, e := range emblems {
		if _, ok := avatar.Matches(e); ok {
			return true
		}
	}
	return false
}
