package review_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/media"
	"github.com/herald-gov/herald/internal/media/mediatest"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/review"
)

func TestVisibility(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		id := f.create(t, f.acc, clean).Draft.ID
		for _, u := range []*model.User{f.author, f.lead, f.reviewer, f.admin, f.auditor} {
			if _, err := f.svc.Get(f.ctx, u, id); err != nil {
				t.Errorf("%s: %v", u.Email, err)
			}
		}
		for _, u := range []*model.User{f.other, f.staff} {
			if _, err := f.svc.Get(f.ctx, u, id); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s reads another office's draft: %v", u.Email, err)
			}
			if _, _, err := f.svc.ImageData(f.ctx, u, id, "00000000000000000000000000000000"); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s image: %v", u.Email, err)
			}
		}
		if _, err := f.svc.Create(f.ctx, actor(f.other), f.other, review.DraftInput{AccountID: f.acc.ID, Text: clean}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("non-manager creates: %v", err)
		}
		if _, err := f.svc.Comment(f.ctx, actor(f.auditor), f.auditor, id, "hm", nil, nil); !errs.Is(err, errs.Forbidden) {
			t.Errorf("auditor comments: %v", err)
		}
	})
}

func TestOverrideAndExpiry(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		id := f.create(t, f.corp, "Call +41 22 917 8000 today.").Draft.ID
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		if _, err := f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, id, review.Decision{Decision: "approve"}); !errors.Is(err, review.ErrNeedsOverride) {
			t.Fatalf("approve over error: %v", err)
		}
		if _, err := f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, id, review.Decision{Decision: "approve", Override: true}); !errors.Is(err, review.ErrNeedsOverride) {
			t.Fatalf("override without reason: %v", err)
		}
		if v := must(t)(f.svc.Get(ctx, f.reviewer, id)); v.Draft.Status != model.DraftInReview {
			t.Fatalf("status after refused approval: %s", v.Draft.Status)
		}
		v := must(t)(f.svc.Decide(ctx, actor(f.reviewer), f.reviewer, id, review.Decision{Decision: "approve", Override: true, Comment: "switchboard number, public"}))
		last := v.Events[len(v.Events)-1]
		if v.Draft.Status != model.DraftApproved || !last.Override || last.Comment == "" {
			t.Fatalf("override approval: %s %+v", v.Draft.Status, last)
		}
		// The approval expires: publishing is refused (mark-published too).
		*f.clock = f.clock.Add(73 * time.Hour)
		if _, err := f.svc.MarkPublished(ctx, actor(f.author), f.author, id, "https://example.org/@hq/1"); !errors.Is(err, review.ErrApprovalExpired) || !errors.Is(err, review.ErrNotApproved) {
			t.Fatalf("expired: %v", err)
		}
		// An edit voids the approval and sends the draft back to draft.
		*f.clock = f.clock.Add(-72 * time.Hour)
		v = must(t)(f.svc.Edit(ctx, actor(f.author), f.author, id, 0, review.DraftInput{Text: clean, Checklist: f.ticks(), Reticked: true}))
		if v.Draft.Status != model.DraftDraft || v.Draft.ApprovedAt != nil {
			t.Fatalf("after edit: %s %v", v.Draft.Status, v.Draft.ApprovedAt)
		}
		if _, err := f.svc.MarkPublished(ctx, actor(f.author), f.author, id, "https://example.org/@hq/1"); !errors.Is(err, review.ErrNotApproved) {
			t.Fatalf("publish after edit: %v", err)
		}
	})
}

func TestRetriedPublishPostsOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		id := f.create(t, f.acc, clean).Draft.ID
		must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		must(t)(f.svc.Decide(ctx, actor(f.lead), f.lead, id, review.Decision{Decision: "approve"}))
		f.masto.LoseNextReply() // the instance posts, then the reply is lost
		if _, err := f.svc.Publish(ctx, actor(f.author), f.author, id); err == nil {
			t.Fatal("lost reply not reported")
		}
		v := must(t)(f.svc.Publish(ctx, actor(f.author), f.author, id))
		if n := len(f.masto.Posted()); n != 1 || v.Draft.Status != model.DraftPublished {
			t.Fatalf("statuses posted %d, status %s", n, v.Draft.Status)
		}
	})
}

func TestPhotos(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := f.ctx
		id := f.create(t, f.acc, clean).Draft.ID
		im, err := f.svc.AddImage(ctx, actor(f.author), f.author, id, "../../etc/IMG_0001.jpg", bytes.NewReader(mediatest.GPSJPEG(t)))
		if err != nil {
			t.Fatal(err)
		}
		if len(im.Findings) == 0 || im.Findings[0].Rule != "image.gps" || im.Findings[0].Severity != model.SeverityError {
			t.Fatalf("findings %+v", im.Findings)
		}
		if im.Name != "IMG_0001.jpg" {
			t.Errorf("name %q", im.Name)
		}
		data, ct, err := f.svc.ImageData(ctx, f.lead, id, im.ID)
		if err != nil || ct != "image/jpeg" {
			t.Fatal(err, ct)
		}
		info, err := media.Inspect(data)
		if err != nil || info.HasMetadata() || info.EXIF || info.XMP || info.GPS != nil {
			t.Fatalf("stored copy: %v %+v", err, info)
		}
		files, _ := filepath.Glob(filepath.Join(f.svc.DataDir, "images", "*"))
		if len(files) != 1 || filepath.Base(files[0]) != im.ID {
			t.Fatalf("files %v", files)
		}
		if st, _ := os.Stat(files[0]); st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v", st.Mode())
		}
		// Not an image by content, whatever its name.
		if _, err := f.svc.AddImage(ctx, actor(f.author), f.author, id, "x.jpg", bytes.NewReader([]byte("<html>hi</html>"))); !errors.Is(err, review.ErrImageType) {
			t.Errorf("html as jpg: %v", err)
		}
		f.svc.MaxImageBytes = 1000
		if _, err := f.svc.AddImage(ctx, actor(f.author), f.author, id, "big.jpg", bytes.NewReader(mediatest.GPSJPEG(t))); !errors.Is(err, review.ErrImageTooLarge) {
			t.Errorf("too large: %v", err)
		}
		// Shows people: consent needed before submit.
		if _, err := f.svc.SetImagePeople(ctx, actor(f.author), f.author, id, im.ID, true, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Submit(ctx, actor(f.author), f.author, id); !errors.Is(err, review.ErrConsentRequired) {
			t.Fatalf("submit without consent: %v", err)
		}
		if _, err := f.svc.SetImagePeople(ctx, actor(f.author), f.author, id, im.ID, true, &model.Consent{GivenBy: "Mary A."}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("consent without record: %v", err)
		}
		if _, err := f.svc.SetImagePeople(ctx, actor(f.author), f.author, id, im.ID, true, &model.Consent{GivenBy: "Mary A.", Recorded: "signed form 2025-03-01, Juba office file"}); err != nil {
			t.Fatal(err)
		}
		v := must(t)(f.svc.Submit(ctx, actor(f.author), f.author, id))
		if v.Draft.Images[0].Consent == nil || v.Draft.Images[0].Consent.AttestedBy != f.author.ID {
			t.Fatalf("consent %+v", v.Draft.Images[0].Consent)
		}
	})
}
