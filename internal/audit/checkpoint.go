package audit

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// The hash chain shows that no event was changed or removed in the middle
// of the trail, but not that the newest events were dropped or that the
// whole trail was rewritten and re-chained by someone who can write to the
// database. Checkpoints close that gap: the head (sequence and hash) signed
// with a key the database never sees (HERALD_AUDIT_KEY) and kept in a file
// elsewhere. A trail that ends before a checkpoint's sequence was truncated;
// one whose event at that sequence has another hash was rewritten.

// Head is the newest event of the trail: its sequence and hash.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// Checkpoint is a signed head, one JSON line of a checkpoint file.
type Checkpoint struct {
	Head
	At  time.Time `json:"at"`
	MAC string    `json:"mac"` // HMAC-SHA256 of "herald-audit-checkpoint-v1", seq, hash and at
}

// ErrCheckpoint wraps every disagreement between a trail and its checkpoints.
var ErrCheckpoint = errors.New("audit checkpoint")

// ParseKey reads HERALD_AUDIT_KEY: at least 32 bytes, as hex or base64.
// The error never repeats the value.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) >= 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) >= 32 {
			return b, nil
		}
	}
	return nil, errors.New("the audit key must be at least 32 bytes written in hex or base64 (openssl rand -base64 32)")
}

func mac(key []byte, h Head, at time.Time) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "herald-audit-checkpoint-v1\x00%d\x00%s\x00%s", h.Seq, h.Hash, at.UTC().Format(time.RFC3339Nano))
	return base64.RawStdEncoding.EncodeToString(m.Sum(nil))
}

// Sign makes the checkpoint of head at time at.
func Sign(key []byte, head Head, at time.Time) Checkpoint {
	at = at.UTC().Truncate(time.Second)
	return Checkpoint{Head: head, At: at, MAC: mac(key, head, at)}
}

// Valid reports whether c was signed with key.
func (c Checkpoint) Valid(key []byte) bool {
	return hmac.Equal([]byte(c.MAC), []byte(mac(key, c.Head, c.At)))
}

// Append adds c as a line to the checkpoint file at path (created 0600),
// synced to disk before it returns.
func Append(path string, c Checkpoint) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	line, _ := json.Marshal(c)
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadFile reads a checkpoint file and checks every signature with key.
func ReadFile(path string, key []byte) ([]Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cps []Checkpoint
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c Checkpoint
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: not a checkpoint: %v", path, n, err)
		}
		if !c.Valid(key) {
			return nil, fmt.Errorf("%w: %s:%d: the signature does not match (another key, or the line was edited)", ErrCheckpoint, path, n)
		}
		cps = append(cps, c)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(cps) == 0 {
		return nil, fmt.Errorf("%s holds no checkpoint", path)
	}
	return cps, nil
}

// Result is what VerifyAll found.
type Result struct {
	Checked int  // events whose chain is intact
	Head    Head // the newest intact event
	Broken  *Break
}

// VerifyAll checks the chain as Check does, and then that it is not empty
// on a database with data and agrees with every checkpoint: each
// checkpoint's event is in the trail with the checkpoint's hash. An error
// wrapping ErrCheckpoint says how they disagree.
func VerifyAll(ctx context.Context, s *store.Store, cps []Checkpoint) (Result, error) {
	var r Result
	want := map[int64]string{}
	for _, c := range cps {
		want[c.Seq] = c.Hash
	}
	found := map[int64]string{}
	var prev model.AuditEvent
	err := s.WalkAudit(ctx, func(e model.AuditEvent) error {
		if reason := link(prev, e); reason != "" {
			r.Broken = &Break{Event: e, Reason: reason}
			return errStop
		}
		if _, ok := want[e.Seq]; ok {
			found[e.Seq] = e.Hash
		}
		r.Checked++
		r.Head = Head{Seq: e.Seq, Hash: e.Hash}
		prev = e
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return r, err
	}
	if r.Broken != nil {
		return r, nil
	}
	if r.Checked == 0 {
		has, err := s.HasData(ctx)
		if err != nil {
			return r, err
		}
		if has {
			return r, fmt.Errorf("%w: the audit trail is empty but the database holds users or accounts: the trail was deleted", ErrCheckpoint)
		}
	}
	for _, c := range cps {
		got, ok := found[c.Seq]
		switch {
		case !ok && c.Seq > r.Head.Seq:
			return r, fmt.Errorf("%w: the trail ends at event %d, but a checkpoint of %s saw event %d: events were removed from its end",
				ErrCheckpoint, r.Head.Seq, c.At.Format(time.RFC3339), c.Seq)
		case !ok || got != c.Hash:
			return r, fmt.Errorf("%w: event %d does not have the hash the checkpoint of %s recorded: the history was rewritten",
				ErrCheckpoint, c.Seq, c.At.Format(time.RFC3339))
		}
	}
	return r, nil
}

// WriteCheckpoint signs the trail's current head (after checking the chain) and
// appends it to the file at path. It returns the checkpoint written.
func WriteCheckpoint(ctx context.Context, s *store.Store, key []byte, path string, now time.Time) (Checkpoint, error) {
	r, err := VerifyAll(ctx, s, nil)
	if err != nil {
		return Checkpoint{}, err
	}
	if r.Broken != nil {
		return Checkpoint{}, fmt.Errorf("%w: not signing a broken trail: %v", ErrCheckpoint, r.Broken)
	}
	c := Sign(key, r.Head, now)
	return c, Append(path, c)
}

// RunCheckpoints writes a checkpoint every interval until ctx ends, when
// the head has moved since the last one. herald serve runs it.
func RunCheckpoints(ctx context.Context, s *store.Store, key []byte, path string, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	var last Head
	for {
		r, err := VerifyAll(ctx, s, nil)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("audit checkpoint", "err", err)
		case r.Broken != nil:
			log.Error("audit checkpoint refused: the trail is broken", "seq", r.Broken.Event.Seq, "reason", r.Broken.Reason)
		case r.Head != last:
			c := Sign(key, r.Head, time.Now())
			if err := Append(path, c); err != nil {
				log.Error("audit checkpoint", "file", path, "err", err)
			} else {
				last = r.Head
				log.Info("audit checkpoint written", "file", path, "seq", c.Seq, "hash", c.Hash)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
