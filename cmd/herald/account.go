package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/herald-gov/herald/internal/policy"
	"github.com/herald-gov/herald/internal/registry"
)

// maxAccountLine bounds one JSONL line; an account profile is a few KB.
const maxAccountLine = 1 << 20

// accountLine is one line of `account check --jsonl`. ID shadows the
// embedded input's so that any JSON id (string or number) is echoed as given.
type accountLine struct {
	ID json.RawMessage `json:"id"`
	registry.AccountInput
}

// accountResult is one line of output: findings, or the error that kept the
// line from being checked. Findings is a pointer so that a clean account
// prints "findings": [] and a bad line prints none.
type accountResult struct {
	ID       json.RawMessage     `json:"id"`
	Line     int                 `json:"line,omitempty"`
	Findings *[]registry.Finding `json:"findings,omitempty"`
	Error    string              `json:"error,omitempty"`
}

// runAccountCheck checks account profiles against the pack's account rules
// (4.3, 4.4, 5.2, 3.4(l)), one JSON object per line in and out.
func runAccountCheck(ctx context.Context, env Env, args []string) error {
	fs := newFlags("account check", env)
	jsonl := fs.String("jsonl", "", "read one account per line from `FILE` (- for standard input)")
	packFile := fs.String("pack", "", "use the policy pack in `FILE` instead of the embedded default")
	overlay := fs.String("overlay", "", "apply the overlay in `FILE` on top of the pack")
	lang := fs.String("lang", "", "language of messages (en, fr, es) for lines that name none")
	dirFile := fs.String("directory", "", "staff directory, one full name per line, to recognize personal mailboxes in `FILE`")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: herald account check --jsonl FILE|- [--pack FILE] [--overlay FILE] [--lang en|fr|es] [--directory FILE]")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args, -1); help || err != nil {
		return err
	}
	if *jsonl == "" || fs.NArg() > 0 {
		fs.Usage()
		return &exitError{code: 2}
	}

	pack, err := loadAccountPack(*packFile, *overlay)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	var dir *registry.Directory
	if *dirFile != "" {
		f, err := os.Open(*dirFile)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		dir, err = registry.ReadDirectory(f)
		f.Close()
		if err != nil {
			return &exitError{code: 2, err: err}
		}
	}

	in := env.Stdin
	if *jsonl != "-" {
		f, err := os.Open(*jsonl)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		defer f.Close()
		in = f
	}

	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	br := bufio.NewReader(in)
	badLines, errorFindings := false, false
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, readErr := readLine(br, maxAccountLine)
		if readErr != nil && !errors.Is(readErr, io.EOF) {
			return &exitError{code: 2, err: fmt.Errorf("line %d: %w", n, readErr)}
		}
		if tooLong || len(bytes.TrimSpace(line)) > 0 {
			res := checkAccountLine(pack, dir, line, tooLong, *lang)
			if res.Error != "" {
				res.Line = n
				badLines = true
			} else if registry.HasErrors(*res.Findings) {
				errorFindings = true
			}
			if err := enc.Encode(res); err != nil {
				return err
			}
			if *jsonl == "-" {
				// Someone may be typing: answer each line as it comes.
				if err := out.Flush(); err != nil {
					return err
				}
			}
		}
		if readErr != nil {
			break
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	switch {
	case badLines:
		return &exitError{code: 2}
	case errorFindings:
		return exitFindings
	}
	return nil
}

// checkAccountLine decodes and checks one line.
func checkAccountLine(pack *policy.Pack, dir *registry.Directory, line []byte, tooLong bool, lang string) accountResult {
	if tooLong {
		return accountResult{Error: fmt.Sprintf("line longer than %d bytes", maxAccountLine)}
	}
	var in accountLine
	if err := json.Unmarshal(line, &in); err != nil {
		return accountResult{ID: in.ID, Error: "not a JSON account object: " + err.Error()}
	}
	switch in.Kind {
	case "corporate", "country-office", "project", "personal":
	case "":
		return accountResult{ID: in.ID, Error: "kind is missing (corporate, country-office, project or personal)"}
	default:
		return accountResult{ID: in.ID, Error: fmt.Sprintf("kind %q is not corporate, country-office, project or personal", in.Kind)}
	}
	if in.Lang == "" {
		in.Lang = lang
	}
	fs := registry.CheckAccountWith(pack, in.AccountInput, dir)
	return accountResult{ID: in.ID, Findings: &fs}
}

// loadAccountPack loads the pack (the embedded default unless a file is
// given) and refuses one whose account rules the registry cannot run.
func loadAccountPack(file, overlay string) (*policy.Pack, error) {
	var p *policy.Pack
	var err error
	if file != "" {
		p, err = policy.Load(file)
	} else {
		p, err = policy.Default()
	}
	if err != nil {
		return nil, err
	}
	if overlay != "" {
		if p, err = policy.LoadOverlay(p, overlay); err != nil {
			return nil, err
		}
	}
	if len(p.AccountRules) == 0 {
		return nil, errors.New("the policy pack has no account_rules")
	}
	if err := registry.ValidateAccountRules(p.AccountRules); err != nil {
		return nil, fmt.Errorf("policy pack: %w", err)
	}
	return p, nil
}

// readLine reads up to and without the next newline. A line over max bytes
// is consumed and reported as too long rather than held in memory.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max+1 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(line, []byte("\n")), tooLong, err
	}
}
