package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/store/storetest"
)

// Editing a draft's text in the editor clears its ticks (they were for the
// old text) and says so; the draft page shows what changed, word by word,
// escaped, against any kept version.
func TestDraftDiffAndTicksReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		w := newDraftWorld(t, storetest.Open(t, dialect))
		manager := w.signedIn("manager")
		form := w.draftForm(manager, cleanText)
		path := w.createOnPage(manager, cleanText)
		if _, body := manager.get(path); strings.Contains(body, `id="diff"`) {
			t.Error("a draft with one version shows a diff")
		}
		// Same ticks, new text: the ticks go.
		form.Set("csrf", manager.csrf(path+"/edit"))
		form.Set("version", "1")
		form.Set("text", strings.Replace(cleanText, "opened today", "opened on Monday "+hostile, 1))
		resp := manager.post(path+"/edit", form)
		readBody(resp)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != path+"?ticks=reset" {
			t.Fatalf("edit: %d %q", resp.StatusCode, loc)
		}
		_, body := manager.get(path + "?ticks=reset")
		assertEscaped(t, "diff", body)
		diff := between(body, `id="diff-text"`, "</div>")
		if !strings.Contains(body, `id="ticks-reset"`) || !strings.Contains(body, `Changes from version 1 to version 2`) ||
			!strings.Contains(diff, `<del class="diff-del">today.</del>`) || !strings.Contains(diff, `<ins class="diff-ins">on Monday &lt;script&gt;`) {
			t.Errorf("the draft page lacks the reset notice or the diff:\n%s", diff)
		}
		resp = manager.post(path+"/submit", url.Values{"csrf": {manager.csrf(path)}})
		if body := readBody(resp); resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, "checklist is not complete") {
			t.Errorf("sending with the ticks of the old text: %d", resp.StatusCode)
		}
		// Ticked again on the same text: kept, and the page compares with any version.
		form.Set("csrf", manager.csrf(path+"/edit"))
		form.Set("version", "2")
		resp = manager.post(path+"/edit", form)
		readBody(resp)
		if loc := resp.Header.Get("Location"); loc != path {
			t.Fatalf("edit without a change of text: %q", loc)
		}
		_, body = manager.get(path + "?from=1")
		if !strings.Contains(body, "Changes from version 1 to version 3") || !strings.Contains(body, `id="diff-from"`) {
			t.Errorf("comparing with version 1 is not offered or shown")
		}
		if _, body = manager.get(path + "?from=2"); !strings.Contains(body, `id="diff-none"`) {
			t.Errorf("versions 2 and 3 have the same text, but a change is shown")
		}
		resp = manager.post(path+"/submit", url.Values{"csrf": {manager.csrf(path)}})
		if readBody(resp); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("sending after ticking again: %d", resp.StatusCode)
		}
	})
}
