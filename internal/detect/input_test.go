package detect

import (
	"reflect"
	"testing"

	"github.com/herald-gov/herald/internal/platform"
	"github.com/herald-gov/herald/internal/policy"
)

func TestInputMemo(t *testing.T) {
	text := "See bit.ly/abc and unops.org/news #Water #Sanitation"
	in := &Input{Text: text}
	if got, want := in.URLs(), platform.URLs(text); !reflect.DeepEqual(got, want) {
		t.Errorf("URLs() = %v, want %v", got, want)
	}
	if got, want := in.Hashtags(), platform.Hashtags(text); !reflect.DeepEqual(got, want) {
		t.Errorf("Hashtags() = %v, want %v", got, want)
	}
	x := policy.PlatformParams{Limit: 280, Counter: "twitter", URLLength: 23}
	chars := policy.PlatformParams{Limit: 500, Counter: "characters"}
	if got, want := in.Length(x), platform.Length(text, x); got != want {
		t.Errorf("Length(x) = %d, want %d", got, want)
	}
	if got, want := in.Length(chars), platform.Length(text, chars); got != want {
		t.Errorf("Length(characters) = %d, want %d", got, want)
	}

	// The engine copies the draft's Input for the reply: a copy with
	// another text must not reuse what was memoized for the first.
	reply := *in
	reply.Text = "no link here, #one"
	if got := reply.URLs(); len(got) != 0 {
		t.Errorf("copied Input with new text: URLs() = %v, want none", got)
	}
	if got := len(reply.Hashtags()); got != 1 {
		t.Errorf("copied Input with new text: %d hashtags, want 1", got)
	}
	if got, want := reply.Length(chars), platform.Length(reply.Text, chars); got != want {
		t.Errorf("copied Input with new text: Length = %d, want %d", got, want)
	}
	if got := mustNew(t, "link-shortener", nil).Detect(&reply); len(got) != 0 {
		t.Errorf("link-shortener on the copy = %v, want none", got)
	}
}

// FuzzInputMemo: the memoized accessors, which share one URL scan, agree
// with the platform functions on any text.
func FuzzInputMemo(f *testing.F) {
	for _, s := range []string{"#a https://x.org/#b #c.d", "Cafe\u0301 #été http://t.co/x 👩‍👩‍👧", "\xff#x.com"} {
		f.Add(s)
	}
	x := policy.PlatformParams{Limit: 280, Counter: "twitter"}
	f.Fuzz(func(t *testing.T, text string) {
		in := &Input{Text: text}
		if got, want := in.Length(x), platform.Length(text, x); got != want {
			t.Errorf("Length(%q) = %d, want %d", text, got, want)
		}
		if got, want := in.Hashtags(), platform.Hashtags(text); !reflect.DeepEqual(got, want) {
			t.Errorf("Hashtags(%q) = %v, want %v", text, got, want)
		}
	})
}
