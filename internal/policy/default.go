package policy

import (
	"embed"
	"fmt"
)

// packs holds the packs shipped in the binary.
//
//go:embed packs
var packs embed.FS

// DefaultFile is the embedded default pack's path in the repository, used
// in its error messages.
const DefaultFile = "internal/policy/packs/unops.yaml"

// Default parses the embedded default pack (OI.CG.2019.02).
func Default() (*Pack, error) {
	data, err := packs.ReadFile("packs/unops.yaml")
	if err != nil {
		return nil, fmt.Errorf("the default pack is missing from the binary: %w", err)
	}
	return Parse(DefaultFile, data)
}
