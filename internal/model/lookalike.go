package model

import (
	"encoding/json"

	"github.com/herald-gov/herald/internal/i18n"
)

// LookalikeReason is why a found account looks like the organization's:
// the catalogs' lookalike.<…> Key with its Args, read in the reader's
// language (Text), and the sentence in English (English), which logs, the
// audit trail and takedown reports to platforms use. It is stored as a JSON
// object in found_accounts.lookalike_reasons; a row stored before reasons
// had keys holds a plain English string, read as a reason with no Key.
type LookalikeReason struct {
	Key     string   `json:"key,omitempty"`
	Args    []string `json:"args,omitempty"`
	English string   `json:"text"`
}

// NewLookalikeReason is the reason key with args, its English sentence
// written from the English catalog.
func NewLookalikeReason(key string, args ...string) LookalikeReason {
	r := LookalikeReason{Key: key, Args: args}
	r.English = r.Text("en")
	return r
}

// Text is the reason in lang; its English sentence when it has no key (a
// row stored before keys) or the catalogs lack it.
func (r LookalikeReason) Text(lang string) string {
	if r.Key == "" || !i18n.Has(r.Key) {
		return r.English
	}
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		args[i] = a
	}
	return i18n.T(lang, r.Key, args...)
}

// String is the reason in English.
func (r LookalikeReason) String() string { return r.English }

// UnmarshalJSON reads a reason stored as an object or, before keys, as a
// plain English string.
func (r *LookalikeReason) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*r = LookalikeReason{English: s}
		return nil
	}
	type plain LookalikeReason
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*r = LookalikeReason(p)
	return nil
}
