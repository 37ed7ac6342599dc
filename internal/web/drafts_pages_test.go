package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/publish"

	"github.com/herald-gov/herald/internal/demo"
	"github.com/herald-gov/herald/internal/media"
	"github.com/herald-gov/herald/internal/media/mediatest"
	"github.com/herald-gov/herald/internal/model"
)

// upload posts an image through the editor's multipart form.
func (b *browser) upload(path, csrf, name string, data []byte) *http.Response {
	b.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile("image", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.e.ts.URL)
	resp, err := b.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return resp
}

// signedInAs is a browser with a session of any user.
func (w *draftWorld) signedInAs(u *model.User) *browser {
	w.t.Helper()
	b := w.browser()
	resp := b.signin(u.Email, "other-password")
	readBody(resp)
	if resp.StatusCode != http.StatusSeeOther {
		w.t.Fatalf("sign in as %s: %d", u.Email, resp.StatusCode)
	}
	return b
}

var draftPath = regexp.MustCompile(`^/drafts/(\d+)/edit$`)

// TestDraftPages walks the editor, photos, review and advice pages with
// hostile text in every field a person types, and checks the image
// handler serves only the stripped copy, only to those who may see it.
func TestDraftPages(t *testing.T) {
	w := newDraftWorld(t, openTestStore(t))
	ctx := context.Background()
	manager, reviewer := w.signedIn(model.RoleManager), w.signedIn(model.RoleReviewer)

	code, body := manager.get("/drafts/new")
	if code != http.StatusOK || !strings.Contains(body, w.hq.Handle) || !strings.Contains(body, `id="checklist"`) {
		t.Fatalf("new draft page: %d\n%s", code, body)
	}
	if strings.Contains(body, w.otherOffice.Handle) {
		t.Error("the new draft page offers an account the manager does not manage")
	}
	id := strings.TrimPrefix(w.createOnPage(manager, riskyText+" "+hostile), "/drafts/")
	edit := "/drafts/" + id + "/edit"
	code, body = manager.get(edit)
	assertEscaped(t, "editor", body)
	if code != http.StatusOK || !strings.Contains(body, `<mark class="finding sev-error"`) {
		t.Fatalf("editor: %d, no marked finding\n%s", code, body)
	}

	// The live check answers JSON whose marked text is escaped.
	req, _ := http.NewRequest(http.MethodPost, w.ts.URL+"/drafts/preview", strings.NewReader(url.Values{
		"account": {strconv.FormatInt(w.hq.ID, 10)}, "text": {riskyText + hostile}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", manager.csrf(edit))
	req.Header.Set("Origin", w.ts.URL)
	pr, err := manager.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var preview struct {
		Length, Limit int
		HTML          string
		Findings      []findingView
	}
	if err := json.NewDecoder(pr.Body).Decode(&preview); err != nil || pr.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d %v", pr.StatusCode, err)
	}
	pr.Body.Close()
	assertEscaped(t, "preview html", preview.HTML)
	if preview.Limit != 500 || len(preview.Findings) == 0 || !strings.Contains(preview.HTML, "<mark") {
		t.Errorf("preview: %+v", preview)
	}

	// A camera photo with a GPS position: an error finding, and only the stripped copy is served.
	resp := manager.upload("/drafts/"+id+"/images", manager.csrf(edit), hostile+".jpg", mediatest.GPSJPEG(t))
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	resp = manager.upload("/drafts/"+id+"/images", manager.csrf(edit), "notes.jpg", []byte("<html>not an image</html>"))
	if body := readBody(resp); resp.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(body, `id="draft-error"`) {
		t.Errorf("a non-image upload: %d", resp.StatusCode)
	}
	_, body = manager.get(edit)
	assertEscaped(t, "editor with image", body)
	mu, _ := w.st.UserByEmail(ctx, demo.Email(model.RoleManager))
	dv, err := w.srv.review.Get(ctx, mu, mustAtoi(t, id))
	if err != nil || len(dv.Draft.Images) != 1 {
		t.Fatalf("draft images: %v %v", err, dv)
	}
	im := dv.Draft.Images[0]
	if !strings.Contains(body, `id="image-findings-`+im.ID+`"`) || !strings.Contains(body, `<li class="sev-error">`) {
		t.Errorf("the editor does not show the image's GPS finding as an error")
	}
	imgPath := "/drafts/" + id + "/images/" + im.ID
	ir, err := manager.Get(w.ts.URL + imgPath)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(ir.Body)
	ir.Body.Close()
	h := ir.Header
	if ir.StatusCode != http.StatusOK || h.Get("Content-Type") != "image/jpeg" || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Content-Disposition") != `inline; filename=`+im.ID+`.jpg` {
		t.Errorf("image: %d %v", ir.StatusCode, h)
	}
	info, err := media.Inspect(data)
	if err != nil || info.EXIF || info.XMP || info.GPS != nil || bytes.Contains(data, []byte("Exif\x00")) {
		t.Errorf("the served image keeps metadata: %+v %v", info, err)
	}
	for _, tc := range []struct {
		who  *browser
		want int
	}{
		{w.signedInAs(w.otherManager), http.StatusNotFound},
		{w.signedIn(model.RoleStaff), http.StatusForbidden},
		{w.browser(), http.StatusSeeOther},
		{reviewer, http.StatusOK},
	} {
		if code, _ := tc.who.get(imgPath); code != tc.want {
			t.Errorf("image for another user: %d, want %d", code, tc.want)
		}
	}
	if code, _ := w.signedInAs(w.otherManager).get("/drafts/" + id); code != http.StatusNotFound {
		t.Errorf("another office's manager reads the draft: %d", code)
	}

	// Shows people: submitting without consent is refused; with it, accepted.
	people := "/drafts/" + id + "/images/" + im.ID + "/people"
	resp = manager.post(people, url.Values{"csrf": {manager.csrf(edit)}, "shows_people": {"1"}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark the image as showing people: %d", resp.StatusCode)
	}
	resp = manager.post("/drafts/"+id+"/submit", url.Values{"csrf": {manager.csrf(edit)}})
	if body := readBody(resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "consent") {
		t.Fatalf("submit without consent: %d", resp.StatusCode)
	}
	resp = manager.post(people, url.Values{"csrf": {manager.csrf(edit)}, "shows_people": {"1"}, "given_by": {hostile}, "recorded": {"Signed form " + hostile}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("attest consent: %d", resp.StatusCode)
	}
	resp = manager.post("/drafts/"+id+"/submit", url.Values{"csrf": {manager.csrf(edit)}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}

	// The author sees the draft, no decision form; the reviewer sees it in the queue and may decide.
	code, body = manager.get("/drafts/" + id)
	assertEscaped(t, "draft page (author)", body)
	if code != http.StatusOK || strings.Contains(body, `id="decision-form"`) || !strings.Contains(body, `id="own-draft"`) {
		t.Errorf("author's draft page: %d", code)
	}
	code, body = reviewer.get("/review")
	assertEscaped(t, "review queue", body)
	if code != http.StatusOK || !strings.Contains(body, `id="queue-`+id+`"`) {
		t.Errorf("review queue: %d, lacks draft %s", code, id)
	}
	code, body = reviewer.get("/drafts/" + id)
	assertEscaped(t, "draft page (reviewer)", body)
	if code != http.StatusOK || !strings.Contains(body, `id="decision-form"`) || !strings.Contains(body, `id="override"`) {
		t.Fatalf("reviewer's draft page: %d", code)
	}
	token := reviewer.csrf("/drafts/" + id)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)[1]
	resp = reviewer.post("/drafts/"+id+"/comments", url.Values{"csrf": {token}, "body": {"Why? " + hostile}, "quote": {"+254 712 345 678"}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("comment: %d", resp.StatusCode)
	}
	resp = reviewer.post("/drafts/"+id+"/decision", url.Values{"csrf": {token}, "decision": {"approve"}, "version": {version}})
	if body := readBody(resp); resp.StatusCode != http.StatusConflict || !strings.Contains(body, `id="draft-error"`) {
		t.Errorf("approve over errors without override: %d", resp.StatusCode)
	}
	resp = reviewer.post("/drafts/"+id+"/decision", url.Values{"csrf": {token}, "decision": {"approve"}, "override": {"1"},
		"comment": {"Reason: " + hostile}, "version": {version}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve with override: %d", resp.StatusCode)
	}
	code, body = manager.get("/drafts/" + id)
	if code != http.StatusOK {
		t.Fatalf("approved draft page: %d", code)
	}
	assertEscaped(t, "approved draft page", body)
	for _, want := range []string{`id="draft-status">approved`, `id="publish-form"`, "Approved over error findings", `<blockquote class="quote">&#43;254 712 345 678</blockquote>`, `id="mark-by-hand"`} {
		if !strings.Contains(body, want) {
			t.Errorf("approved draft page lacks %q", want)
		}
	}

	// Publishing not set up for the account (no stored credentials): the
	// page says so and offers marking as published, not a failing button.
	w.srv.review.Publisher = publish.New(publish.Config{Allow: testAllow, Credentials: publish.CredentialsFunc(
		func(context.Context, model.Account) (string, error) { return "", nil })})
	code, body = manager.get("/drafts/" + id)
	if code != http.StatusOK || strings.Contains(body, `id="publish-form"`) || !strings.Contains(body, `id="publish-unconfigured"`) ||
		!strings.Contains(body, `id="mark-form"`) {
		t.Fatalf("approved draft without credentials: %d\n%s", code, body)
	}
	mark := "/drafts/" + id + "/mark-published"
	resp = manager.post(mark, url.Values{"csrf": {manager.csrf("/drafts/" + id)}, "post_url": {w.masto.URL + "/@lima/1130"}})
	if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "post_url") || !strings.Contains(body, "not of this account") {
		t.Errorf("marked published with another account's post: %d\n%s", resp.StatusCode, body)
	}
	resp = manager.post(mark, url.Values{"csrf": {manager.csrf("/drafts/" + id)}, "post_url": {w.masto.URL + "/@hq/1131"}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark as published: %d", resp.StatusCode)
	}
	if _, body := manager.get("/drafts/" + id); !strings.Contains(body, `id="published-link"`) {
		t.Error("the published draft does not link its post")
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAdvicePages: a staff member asks (hostile text), a reviewer answers,
// the asker is notified, the admin sees the statistics; the API answers 201.
func TestAdvicePages(t *testing.T) {
	w := newDraftWorld(t, openTestStore(t))
	staff, reviewer, admin := w.signedIn(model.RoleStaff), w.signedIn(model.RoleReviewer), w.signedIn(model.RoleAdmin)
	resp := staff.post("/advice", url.Values{"csrf": {staff.csrf("/advice")}, "text": {hostile}, "question": {"May I post this? " + hostile},
		"kind": {"personal"}})
	readBody(resp)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/advice/") {
		t.Fatalf("ask: %d %q", resp.StatusCode, loc)
	}
	thread := strings.TrimSuffix(loc, "?sent=1")
	code, body := staff.get(loc)
	assertEscaped(t, "advice thread", body)
	if code != http.StatusOK || !strings.Contains(body, `id="advice-sent"`) {
		t.Fatalf("thread: %d", code)
	}
	code, body = reviewer.get("/advice")
	assertEscaped(t, "advice list", body)
	if code != http.StatusOK || !strings.Contains(body, `id="advice-list"`) {
		t.Fatalf("reviewer's advice list: %d", code)
	}
	resp = reviewer.post(thread+"/answers", url.Values{"csrf": {reviewer.csrf(thread)}, "body": {"Leave out the address. " + hostile}})
	if readBody(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", resp.StatusCode)
	}
	_, body = staff.get(thread)
	assertEscaped(t, "answered thread", body)
	if !strings.Contains(body, "Leave out the address.") {
		t.Error("the thread lacks the answer")
	}
	su, _ := w.st.UserByEmail(context.Background(), demo.Email(model.RoleStaff))
	ns, err := w.st.UnreadNotifications(context.Background(), su.ID)
	if err != nil || len(ns) == 0 {
		t.Errorf("the asker has no notification of the answer (%v)", err)
	}
	// Another staff member's question is not readable by staff; the stats are the admin's.
	if code, _ := w.signedInAs(w.otherManager).get(thread); code != http.StatusNotFound {
		t.Errorf("someone else's thread: %d, want 404", code)
	}
	code, body = admin.get("/advice")
	if code != http.StatusOK || !strings.Contains(body, `id="stats-count">1<`) || !strings.Contains(body, `id="stats-answered">1 (100%)`) {
		t.Errorf("admin's advice statistics: %d\n%s", code, body)
	}
	if _, body = staff.get("/advice"); strings.Contains(body, `id="advice-stats"`) {
		t.Error("staff see the advice statistics")
	}
	c, out := apiDo(t, w.testEnv, "POST", "/api/v1/advice", w.token(model.RoleStaff), `{"text":"Our office in Juba","question":"Is this fine?"}`)
	if c != http.StatusCreated || out["id"] == nil {
		t.Errorf("API advice: %d %v", c, out)
	}
	if c, _ := apiDo(t, w.testEnv, "POST", "/api/v1/advice", w.token(model.RoleAuditor), `{"question":"?"}`); c != http.StatusForbidden {
		t.Errorf("auditor asks: %d, want 403", c)
	}
}
