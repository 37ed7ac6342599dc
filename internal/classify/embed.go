package classify

import (
	"crypto/sha256"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
)

// The default pack's models are rebuilt from ../shared/testdata by
// `go generate ./internal/classify` (models/README.md).
//
//go:generate go run ../../cmd/herald model train --name offensive-en --language en --seed 1 --created 2026-12-04 --target-precision 0.80 --description "offensive, abusive or profane tweets (3.4(n), 3.4(p)); TweetEval offensive: OLID, OffensEval 2019, research use" --data ../../../shared/testdata/tweeteval-offensive/train_text.txt --val ../../../shared/testdata/tweeteval-offensive/val_text.txt --out models/offensive-en.hmdl
//go:generate go run ./corpusmodels -out models

//go:embed models
var embedded embed.FS

// ext is the file extension of a model.
const ext = ".hmdl"

var (
	loadedMu sync.Mutex
	loaded   = map[string]*Model{}
)

// Embedded returns the model of that name shipped in the binary, loaded
// and checked once.
func Embedded(name string) (*Model, error) {
	loadedMu.Lock()
	defer loadedMu.Unlock()
	if m := loaded[name]; m != nil {
		return m, nil
	}
	if !validName(name) {
		return nil, fmt.Errorf("model %q: %w", name, ErrUnknownModel)
	}
	data, err := embedded.ReadFile(path.Join("models", name+ext))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("model %q: %w (embedded: %s)", name, ErrUnknownModel, strings.Join(EmbeddedNames(), ", "))
	} else if err != nil {
		return nil, err
	}
	m, err := load(name, data, false) // TestEmbeddedDigests checks their digests
	if err != nil {
		return nil, err
	}
	// The digest reads the file again when asked for, so that its copy
	// (2 MB for the ten models) is not kept alive for it.
	m.digest = sync.OnceValue(func() [sha256.Size]byte {
		data, _ := embedded.ReadFile(path.Join("models", name+ext))
		return sha256.Sum256(data)
	})
	if m.Header.Name != name {
		return nil, fmt.Errorf("embedded model %s calls itself %q", name, m.Header.Name)
	}
	loaded[name] = m
	return m, nil
}

// EmbeddedNames lists the models shipped in the binary.
func EmbeddedNames() []string {
	entries, _ := embedded.ReadDir("models")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ext); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Open loads a model named by a file path or, when no such file exists, by
// the name of an embedded model.
func Open(ref string) (*Model, error) {
	if _, err := os.Stat(ref); err == nil {
		return LoadFile(ref)
	}
	m, err := Embedded(ref)
	if errors.Is(err, ErrUnknownModel) {
		return nil, fmt.Errorf("%q is neither a model file nor an embedded model (%s)", ref, strings.Join(EmbeddedNames(), ", "))
	}
	return m, err
}
