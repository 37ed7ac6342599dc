package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindOfAndIs(t *testing.T) {
	sentinel := E(Conflict, "x.stale", "the thing has changed")
	detail := sentinel.With("x.stale_at", "the thing is at version %d", 3)
	wrapped := fmt.Errorf("saving: %w", detail)
	cause := errors.New("driver: duplicate key")
	for _, tt := range []struct {
		err  error
		kind Kind
		msg  string
	}{
		{wrapped, Conflict, "the thing is at version 3"},
		{Wrap(NotFound, "x.gone", "no such thing", cause), NotFound, "no such thing"},
		{cause, Internal, "Something went wrong."},
		{Errorf(Invalid, "x.bad", "field %q is bad", "a"), Invalid, `field "a" is bad`},
	} {
		if got := KindOf(tt.err); got != tt.kind {
			t.Errorf("KindOf(%v) = %q, want %q", tt.err, got, tt.kind)
		}
		if !Is(tt.err, tt.kind) {
			t.Errorf("Is(%v, %q) = false", tt.err, tt.kind)
		}
		if got := Of(tt.err).Message; got != tt.msg {
			t.Errorf("Of(%v).Message = %q, want %q", tt.err, got, tt.msg)
		}
	}
	if !errors.Is(wrapped, sentinel) {
		t.Error("a With error does not match its sentinel")
	}
	if KindOf(nil) != "" || Is(nil, Internal) {
		t.Error("nil has a kind")
	}
	if got := Wrap(NotFound, "x.gone", "no such thing", cause).Error(); got != "no such thing: driver: duplicate key" {
		t.Errorf("Error() = %q: the log loses the cause", got)
	}
	if d := detail; d.Key != "x.stale_at" || len(d.Args) != 1 {
		t.Errorf("With kept key %q, args %v", d.Key, d.Args)
	}
}
